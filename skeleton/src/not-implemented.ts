/**
 * Thrown by every part of the assignment that is still to be written. Tests and the grader
 * recognise it and report "not implemented yet" instead of a stack trace.
 */
export class NotImplemented extends Error {
  override name = 'NotImplemented';

  /** @param part what is missing, e.g. "Q1(b) Mul.backwardRule" */
  constructor(readonly part: string) {
    super(`${part} is not implemented yet`);
  }
}
