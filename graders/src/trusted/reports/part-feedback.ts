/**
 * What the text reports (Markdown, JUnit, Gradescope, GitHub Classroom, the pull-request
 * annotations) say about a part: its status in words and, when it did not earn its points, one
 * finding per failed check (or the part's reason when it could not run), with the hint, the
 * hidden check's replay and the case as the student can run it. Plain text: each format escapes it
 * its own way.
 */
import type { CheckResult, Counterexample, LocalReplay, PartResult, PartStatus } from '../result.js';
import { boundedLocalReplay } from '../result-bounds.js';
import { noAnswerNote } from '../manual-answer.js';
import { isPendingReview } from './class-summary.js';
import { formatPoints } from './format-points.js';

export const PART_STATUS_LABEL: Record<PartStatus, string> = {
  passed: 'passed',
  partial: 'partial credit',
  failed: 'failed',
  'not-implemented': 'not implemented',
  crashed: 'crashed',
  timeout: 'timed out',
  missing: 'file missing',
  pending: 'pending TA review',
  'no-answer': 'no answer',
  'grader-error': 'grader error (a TA will check it)',
};

export interface Finding {
  /** The failed check's name; null when the part as a whole could not run. */
  check: string | null;
  message: string;
  hint?: string;
  /** The hidden check's replay options, e.g. "seed 123, path \"4:1\"": the grader's property, not in the student's project. */
  replay?: string;
  /** The failing case as the student runs it: a snippet and a test file for their project. */
  localReplay?: LocalReplay;
  /** Where the first difference is and what was expected, from the counterexample. */
  counterexample?: string;
  /** What the counterexample is: the smallest failing case, or one of its structure with new values. */
  counterexampleTitle?: string;
}

/** The heading of a counterexample: the shrunk case, or a redrawn one (see Counterexample.redrawn). */
export function counterexampleTitle(counterexample: Pick<Counterexample, 'redrawn'>): string {
  return counterexample.redrawn === true ? 'Failing case (the smallest one\'s shapes, new values)' : 'Smallest failing case';
}

/** Every automatically checked point of the part was earned (a part waiting only for its TA counts). */
export function earnedAutomaticPoints(part: PartResult): boolean {
  return (part.status === 'passed' || part.status === 'pending') && part.checks.every((check) => check.passed);
}

/** Points still waiting for a TA's score on this part (a comment for a TA), 0 when none. */
export function pendingPoints(part: PartResult): number {
  if (!isPendingReview(part)) return 0;
  return Math.max(0, part.max - part.checks.reduce((sum, check) => sum + check.max, 0));
}

/** A value as JSON, cut to a readable length (the HTML report has the whole of it). */
function clipped(value: unknown, length = 120): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length <= length ? text : `${text.slice(0, length)}…`;
}

function counterexampleText(check: CheckResult): string | undefined {
  const c = check.counterexample;
  if (!c) return undefined;
  const shapes = Object.entries(c.shapes)
    .map(([name, shape]) => `${name}: [${shape.join(',')}]`)
    .join(', ');
  const where = c.where ? ` at ${c.where}` : '';
  const values = c.expected !== undefined || c.got !== undefined ? `: expected ${clipped(c.expected)}, got ${clipped(c.got)}` : '';
  return `${c.expression}${shapes ? ` with ${shapes}` : ''}${where}${values}`;
}

/**
 * The findings of a part that did not earn all its automatic points, and a text for the TA that is
 * no answer ("answers/x.md: no answer: the template is unchanged"); empty otherwise.
 */
export function partFindings(part: PartResult): Finding[] {
  if (earnedAutomaticPoints(part)) return [];
  const unanswered = noAnswerNote(part);
  const failed = part.checks.filter((check) => !check.passed);
  if (failed.length === 0) return [{ check: null, message: part.reason ?? unanswered ?? PART_STATUS_LABEL[part.status] }];
  return [...failed.map(checkFinding), ...(unanswered === null ? [] : [{ check: null, message: unanswered }])];
}

/** What a failed check says: its message, smallest failing case, hint and replays. */
export function checkFinding(check: CheckResult): Finding {
  const counterexample = counterexampleText(check);
  const localReplay = boundedLocalReplay(check.counterexample?.localReplay);
  return {
    check: check.name,
    message: check.message,
    ...(check.hint ? { hint: check.hint } : {}),
    ...(check.replay ? { replay: `seed ${check.replay.seed}, path "${check.replay.path}"` } : {}),
    ...(counterexample ? { counterexample, counterexampleTitle: counterexampleTitle(check.counterexample!) } : {}),
    ...(localReplay ? { localReplay } : {}),
  };
}

/** "1.5/3": points as the other reports show them. */
export function pointsOf(points: number, max: number): string {
  return `${formatPoints(points)}/${formatPoints(max)}`;
}

/** Whose the seed and path of a failed check are: the student cannot run them. */
const HIDDEN_CHECK_NOTE = "the grader's own fast-check property, not in your project: only the grader replays it";

/** A finding as plain-text lines (the first carries the check and the message). */
export function findingLines(finding: Finding): string[] {
  return [
    finding.check === null ? finding.message : `${finding.check}: ${finding.message}`,
    ...(finding.counterexample ? [`${finding.counterexampleTitle ?? 'Smallest failing case'}: ${finding.counterexample}`] : []),
    ...(finding.hint ? [`Hint: ${finding.hint}`] : []),
    ...(finding.replay ? [`Hidden check: ${finding.replay} (${HIDDEN_CHECK_NOTE})`] : []),
  ];
}
