/**
 * The one error of skeleton generation that points into the reference: a solution marker that is
 * misplaced or malformed. Its message starts with `file:line` so that editors can jump to it.
 */
export class MarkerError extends Error {
  override name = 'MarkerError';
  /** Stable, for scripts that match on it rather than on the message. */
  readonly code = 'SOLUTION_MARKER';

  /**
   * @param file the file's path as the reader knows it, e.g. "src/ops.ts"
   * @param line 1-based line of the offending marker
   * @param problem what is wrong and what was expected instead
   */
  constructor(
    readonly file: string,
    readonly line: number,
    readonly problem: string,
  ) {
    super(`${file}:${line}: ${problem}`);
  }
}
