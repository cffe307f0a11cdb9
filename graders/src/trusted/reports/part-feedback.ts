/**
 * What the text reports (Markdown, JUnit, Gradescope, GitHub Classroom, the pull-request
 * annotations) say about a part: its status in words and, when it did not earn its points, one
 * finding per failed check (or the part's reason when it could not run), with the hint and the
 * replay. Plain text: each format escapes it its own way.
 */
import type { CheckResult, PartResult, PartStatus } from '../result.js';
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
  'grader-error': 'grader error (a TA will check it)',
};

export interface Finding {
  /** The failed check's name; null when the part as a whole could not run. */
  check: string | null;
  message: string;
  hint?: string;
  /** How to replay the failing case, e.g. "seed 123, path \"4:1\"". */
  replay?: string;
  /** Where the first difference is and what was expected, from the counterexample. */
  counterexample?: string;
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

/** The findings of a part that did not earn all its automatic points; empty otherwise. */
export function partFindings(part: PartResult): Finding[] {
  if (earnedAutomaticPoints(part)) return [];
  const failed = part.checks.filter((check) => !check.passed);
  if (failed.length === 0) return [{ check: null, message: part.reason ?? PART_STATUS_LABEL[part.status] }];
  return failed.map(checkFinding);
}

/** What a failed check says: its message, smallest failing case, hint and replay. */
export function checkFinding(check: CheckResult): Finding {
  const counterexample = counterexampleText(check);
  return {
    check: check.name,
    message: check.message,
    ...(check.hint ? { hint: check.hint } : {}),
    ...(check.replay ? { replay: `seed ${check.replay.seed}, path "${check.replay.path}"` } : {}),
    ...(counterexample ? { counterexample } : {}),
  };
}

/** "1.5/3": points as the other reports show them. */
export function pointsOf(points: number, max: number): string {
  return `${formatPoints(points)}/${formatPoints(max)}`;
}

/** A finding as plain-text lines (the first carries the check and the message). */
export function findingLines(finding: Finding): string[] {
  return [
    finding.check === null ? finding.message : `${finding.check}: ${finding.message}`,
    ...(finding.counterexample ? [`Smallest failing case: ${finding.counterexample}`] : []),
    ...(finding.hint ? [`Hint: ${finding.hint}`] : []),
    ...(finding.replay ? [`Replay: ${finding.replay}`] : []),
  ];
}
