/**
 * How a command ends when it throws: input that does not fit (any InputError: the command line, an
 * assignment, a rubric, the TAs' file, the results in --out) is reported with its stable code, on
 * lines of its own with control characters escaped (it may quote a file name or a file's text),
 * and exit code 2; anything else is the harness failing, exit code 1.
 */
import { InputError } from '../trusted/input-error.js';
import { printable, printableLines } from './printable.js';

/** Writes what `error` says to stderr, after `command` ("grade merge"), and returns the exit code. */
export function commandFailed(command: string, error: unknown, helpCommand = 'grade --help'): 1 | 2 {
  if (error instanceof InputError) {
    process.stderr.write(`${command}: error ${error.code}: ${printableLines(error.message)}\n\nRun "${helpCommand}" for the options.\n`);
    return 2;
  }
  const message = printable(error instanceof Error ? error.message : String(error));
  process.stderr.write(`${command}: the harness failed: ${message}\n`);
  return 1;
}
