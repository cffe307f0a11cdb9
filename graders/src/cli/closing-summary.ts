/**
 * The lines that close a run on the terminal: how the submissions it graded ended, counted by
 * what a TA has to do next, with the names of those that need a look.
 *
 *   5 submission(s): 2 graded, 1 pending review, 1 no submission, 1 error, 0 grader errors
 *     pending review: alice
 *     no submission: carol
 *     error: dave
 *
 * Each submission counts once, as the status column of grades.csv reads: an error, no submission,
 * a part the grader failed to judge, an item waiting for a TA's score, else graded. Names are
 * folder names, so they are escaped, and bounded: the first few, then how many more.
 */
import type { SubmissionResult } from '../trusted/result.js';
import { graderErrorParts, hasPendingReview } from '../trusted/reports/class-summary.js';
import { printable } from './printable.js';
import { NO_SUBMISSION } from './submission-line.js';

type Outcome = 'graded' | 'pending review' | 'no submission' | 'error' | 'grader error';

/** In the order the counts are printed. */
const OUTCOMES: readonly { outcome: Outcome; plural: string }[] = [
  { outcome: 'graded', plural: 'graded' },
  { outcome: 'pending review', plural: 'pending review' },
  { outcome: 'no submission', plural: 'no submission' },
  { outcome: 'error', plural: 'errors' },
  { outcome: 'grader error', plural: 'grader errors' },
];

/** How many names a line lists before "and N more". */
export const NAMES_SHOWN = 5;

function outcomeOf(submission: SubmissionResult): Outcome {
  const status: string = submission.status;
  if (status === NO_SUBMISSION) return 'no submission';
  if (status !== 'graded') return 'error';
  if (graderErrorParts(submission).length > 0) return 'grader error';
  return hasPendingReview(submission) ? 'pending review' : 'graded';
}

/** `names` escaped and joined, the first `NAMES_SHOWN` of them, then how many more. */
export function boundedNames(names: readonly string[]): string {
  const shown = names
    .slice(0, NAMES_SHOWN)
    .map((name) => printable(name))
    .join(', ');
  return names.length > NAMES_SHOWN ? `${shown} and ${names.length - NAMES_SHOWN} more` : shown;
}

/** The closing lines for `submissions` (those this run graded), in id order. */
export function closingSummary(submissions: readonly SubmissionResult[]): string[] {
  const sorted = [...submissions].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const names = new Map<Outcome, string[]>(OUTCOMES.map(({ outcome }) => [outcome, []]));
  for (const submission of sorted) {
    const outcome = outcomeOf(submission);
    const parts = outcome === 'grader error' ? ` (${graderErrorParts(submission).join(', ')})` : '';
    names.get(outcome)!.push(`${submission.id}${parts}`);
  }
  const counts = OUTCOMES.map(({ outcome, plural }) => {
    const count = names.get(outcome)!.length;
    return `${count} ${count === 1 ? outcome : plural}`;
  });
  const lines = [`${submissions.length} submission(s): ${counts.join(', ')}`];
  for (const { outcome } of OUTCOMES.slice(1)) {
    const listed = names.get(outcome)!;
    if (listed.length > 0) lines.push(`  ${outcome}: ${boundedNames(listed)}`);
  }
  return lines;
}
