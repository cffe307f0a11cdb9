/**
 * An error in what the grader was given, not in the grader: the command line, an assignment, a
 * rubric, the TAs' manual grades file, the results of an earlier run. Its `code` is stable (scripts
 * and the documentation rely on it; the message may be reworded): a command prints it before the
 * message and exits with 2 (cli/command-failure.ts), and docs/cli.md says what each code means and
 * how to fix it. Each family of errors is a subclass whose codes share a prefix (`E_RUBRIC_...`).
 */

/** A stable error code: `E_`, the family, what went wrong, in capitals (`E_RUBRIC_INVALID`). */
export type ErrorCode = `E_${string}`;

export abstract class InputError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
  }
}
