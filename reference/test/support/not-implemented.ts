/**
 * Tests of a student part report a part that is still a `throw new NotImplemented(...)` in one
 * line, "Q1(b) Add.backwardRule: not implemented yet", instead of a property report and a stack
 * trace.
 */
import { it } from 'vitest';
import { NotImplemented } from '../../src/index.js';
import { CheckFailure } from './check-failure.js';

/** The NotImplemented behind `error`, following `cause`, if there is one. */
function findNotImplemented(error: unknown): NotImplemented | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (e instanceof NotImplemented) return e;
  }
  return undefined;
}

/** The one line reported for a missing part; vitest prints it as "NotImplemented: <message>". */
class NotImplementedYet extends CheckFailure {
  override name = 'NotImplemented';
}

function notImplementedYet(missing: NotImplemented): CheckFailure {
  return new NotImplementedYet(`${missing.part}: not implemented yet`);
}

/**
 * `it` for the tests of one student part. Each test first runs `probe`, a smallest use of the
 * part (and of the parts it relies on): if that throws NotImplemented, the test fails with one
 * line naming the missing part. Any other error of the probe is left for the test to meet and
 * report in full.
 */
export function partTest(probe: () => unknown): (name: string, body: () => void) => void {
  return (name, body) =>
    it(name, () => {
      try {
        probe();
      } catch (error) {
        const missing = findNotImplemented(error);
        if (missing) throw notImplementedYet(missing);
      }
      try {
        body();
      } catch (error) {
        const missing = findNotImplemented(error);
        throw missing ? notImplementedYet(missing) : error;
      }
    });
}
