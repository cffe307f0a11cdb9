/**
 * The messages exchanged between the trusted parent and the untrusted child. Only plain JSON
 * crosses: arrays travel as { shape, data } with data a flat row-major list. JSON turns NaN and
 * Infinity into null, which the parent reads as "not a finite number".
 *
 * Each message is one line of JSON: the parent writes RunMessages to the child's stdin, the child
 * writes its ReadyMessage and AnswerMessages to a plain pipe, its descriptor ANSWER_FD.
 *
 * This file is imported by both sides; it holds types and constants only, no behaviour.
 */

/** The child's file descriptor of the pipe that carries its messages to the parent. */
export const ANSWER_FD = 3;

export interface WireArray {
  shape: number[];
  data: (number | null)[];
}

/** The child's report of an exception thrown by student code. */
export interface WireError {
  /** "NotImplemented" when the student part is still a stub. */
  name: string;
  message: string;
  /** The part named by a NotImplemented error, the part's title. */
  part?: string;
}

/** One computation for one part; which fields matter depends on the oracle (see oracles/). */
export interface OracleRequest {
  [key: string]: unknown;
}

/** The answer to one request: either `result` (plain data) or `error`. */
export type OracleResponse = { result: unknown } | { error: WireError };

/** One run: these requests with the bundle of one part. */
export interface Run {
  nonce: string;
  /** File name of the part's bundle inside the child's scratch directory. */
  bundle: string;
  requests: OracleRequest[];
}

/**
 * Parent -> child: runs to do in this order, each answered on its own as soon as it is done (the
 * parent sends a submission's planned runs in one message, then judges each answer as it comes).
 */
export interface RunMessage {
  type: 'run';
  runs: Run[];
}

/** Child -> parent: the answers, in request order, tagged with the run's nonce. */
export interface AnswerMessage {
  type: 'answer';
  nonce: string;
  bundle: string;
  responses: OracleResponse[];
}

/** Child -> parent, once at start: the child is ready for RunMessages. */
export interface ReadyMessage {
  type: 'ready';
  nonce: string;
}

/** Every oracle bundle exports a `handle` function of this type. */
export type OracleHandler = (request: OracleRequest) => unknown;
