/**
 * What the terminal says of one graded submission: `alice: 19.5/20 (+0.5 pending)`. Points a TA
 * has still to score are shown apart, so that a total waiting for a TA does not read as points
 * lost; a part the grader failed to judge is named; a submission that could not be graded says why.
 */
import type { SubmissionResult } from '../trusted/result.js';
import { graderErrorNote } from '../trusted/reports/class-summary.js';
import { formatPoints } from '../trusted/reports/format-points.js';
import { pendingPoints } from '../trusted/reports/part-feedback.js';
import { printable } from './printable.js';

/** The status of a folder that holds none of the assignment's files (see intake). */
export const NO_SUBMISSION = 'no-submission';

/** The points of `submission` still waiting for a TA's score, 0 when none. */
export function pendingPointsOf(submission: SubmissionResult): number {
  return submission.status === 'graded' ? submission.parts.reduce((sum, part) => sum + pendingPoints(part), 0) : 0;
}

/** The score part of the line, e.g. "19.5/20 (+0.5 pending)", "no submission" or "error: <why>"; not yet escaped. */
export function scoreText(submission: SubmissionResult): string {
  const status: string = submission.status;
  if (status === NO_SUBMISSION) return `no submission${submission.error ? ` (${submission.error})` : ''}`;
  if (status !== 'graded') return `error: ${submission.error ?? status}`;
  const pending = pendingPointsOf(submission);
  const waiting = pending > 0 ? ` (+${formatPoints(pending)} pending)` : '';
  return `${formatPoints(submission.total)}/${formatPoints(submission.max)}${waiting}${graderErrorNote(submission)}`;
}

/** The line for the `done`-th of `total` submissions graded, escaped (the id is a folder's name, the error may quote a file). */
export function submissionLine(submission: SubmissionResult, done: number, total: number): string {
  return `[${done}/${total}] ${printable(`${submission.id}: ${scoreText(submission)}`)}`;
}
