/**
 * A failed check whose report is its message alone. Its stack frames would point into these
 * helpers rather than at the code under test, so they are left out: vitest then prints one
 * readable sentence, and fast-check puts that sentence right under the counterexample.
 */
export class CheckFailure extends Error {
  override name = 'CheckFailure';

  constructor(message: string) {
    super(message);
    this.stack = message;
  }
}
