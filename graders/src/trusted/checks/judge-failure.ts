/**
 * A judge that throws is a bug in the grader, not a mistake in the submission. The part it was
 * judging becomes `grader-error`: no points given or taken on the grader's word, the part flagged
 * for a TA with this reason, and every other part graded as usual.
 */
import { textOf } from './child-values.js';

/** How long the error's text may be in a reason: it can quote a value the child sent. */
const MAX_MESSAGE_LENGTH = 300;

/** What a judge threw, in one bounded line, e.g. "TypeError: Cannot read properties of undefined (reading 'id')". */
export function judgeFailureMessage(error: unknown): string {
  let text: string;
  try {
    text = error instanceof Error ? `${textOf(error.name)}: ${textOf(error.message, MAX_MESSAGE_LENGTH)}` : `threw ${textOf(error)}`;
  } catch {
    text = 'threw a value that cannot be described';
  }
  return textOf(text.replace(/\s+/g, ' ').trim(), MAX_MESSAGE_LENGTH);
}

/** The reason of a `grader-error` part. */
export function graderErrorReason(message: string): string {
  return `the grader failed while judging this part: ${message}`;
}
