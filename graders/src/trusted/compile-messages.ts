/**
 * What a compile of one file says, as plain data that crosses from the compile worker
 * (transform-worker.ts) to the grader: the compiled code and its source map, or the errors.
 */
import type { Message, TransformOptions } from 'esbuild';

export interface TransformRequest {
  id: number;
  source: string;
  options: TransformOptions;
}

/** One of esbuild's errors, at a 1-based line and column of the source. */
export interface CompileMessage {
  text: string;
  line?: number;
  column?: number;
}

/** esbuild's output, or the errors in the source. */
type Compiled = { kind: 'compiled'; code: string; map: string } | { kind: 'errors'; errors: CompileMessage[] };

/**
 * What a compile came to: esbuild's output, the errors in the source, why esbuild itself failed,
 * or that the submission's budget of compile time ran out (this file stopped, or not compiled). A
 * failure is `transient` when it may be the machine's doing (a worker that did not start, a time
 * that only the load can explain), not the file's, so that another run may compile the same file;
 * the budget's verdict is the submission's files' own, but not this file's alone.
 */
export type TransformOutcome = Compiled | { kind: 'failed'; reason: string; transient: boolean } | { kind: 'over-budget'; reason: string };

/** The worker's answer to request `id`. */
export type TransformReply = { id: number } & (Compiled | { kind: 'failed'; reason: string });

/** At most this many errors per file are reported: the first ones say what is wrong. */
export const MAX_COMPILE_ERRORS = 5;

/** esbuild's errors as plain data, the first MAX_COMPILE_ERRORS of them. */
export function compileMessages(errors: readonly Message[]): CompileMessage[] {
  return errors
    .slice(0, MAX_COMPILE_ERRORS)
    .map((e) => ({ text: e.text, ...(e.location ? { line: e.location.line, column: e.location.column + 1 } : {}) }));
}
