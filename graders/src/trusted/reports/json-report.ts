/**
 * `results.json`: the ClassResult itself, in a canonical form so that the same grading gives the
 * same bytes: submissions by id, and every object's keys in the order the result model declares
 * them, whatever order the grader happened to build them in. Free-form data (counterexample
 * inputs, expected and got values) keeps the grader's order, which comes from deterministic code.
 */
import type {
  CheckResult,
  ClassResult,
  Counterexample,
  MatrixComparison,
  PartResult,
  SubmissionResult,
} from '../result.js';
import { sortedSubmissions } from './class-summary.js';
import type { ReportFile } from './report-file.js';

export const JSON_REPORT_NAME = 'results.json';

export function renderJsonReport(result: ClassResult): ReportFile[] {
  return [{ name: JSON_REPORT_NAME, content: `${JSON.stringify(canonicalClassResult(result), null, 2)}\n` }];
}

/** A copy of `object` with exactly `keys`, in that order; undefined values are left out as JSON would. */
function ordered<T extends object>(object: T, keys: readonly (keyof T)[]): Partial<T> {
  const copy: Partial<T> = {};
  for (const key of keys) {
    if (object[key] !== undefined) copy[key] = object[key];
  }
  return copy;
}

export function canonicalClassResult(result: ClassResult): ClassResult {
  return {
    seed: result.seed,
    rubric: {
      name: result.rubric.name,
      version: result.rubric.version,
      max: result.rubric.max,
      parts: result.rubric.parts.map(({ id, title, max }) => ({ id, title, max })),
    },
    submissions: sortedSubmissions(result).map(canonicalSubmission),
  };
}

function canonicalSubmission(submission: SubmissionResult): SubmissionResult {
  return {
    ...ordered(submission, ['id', 'total', 'max', 'status', 'error', 'intake', 'isolation', 'output', 'parts']),
    intake: submission.intake.map(({ file, problem }) => ({ file, problem })),
    parts: submission.parts.map(canonicalPart),
  } as SubmissionResult;
}

function canonicalPart(part: PartResult): PartResult {
  const keys = ['id', 'title', 'points', 'max', 'status', 'reason', 'checks', 'review', 'manual', 'extension'] as const;
  const copy = ordered(part, keys);
  copy.checks = part.checks.map(canonicalCheck);
  if (part.review) copy.review = ordered(part.review, ['file', 'text', 'noAnswer']) as PartResult['review'];
  if (part.manual) copy.manual = ordered(part.manual, ['points', 'comment']) as PartResult['manual'];
  if (part.extension) copy.extension = keysSorted(part.extension) as Record<string, unknown>;
  return copy as PartResult;
}

/** Plain data with every object's keys in code-unit order (an assignment's extension has no fixed order). */
function keysSorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(keysSorted);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(keys.map((key) => [key, keysSorted((value as Record<string, unknown>)[key])]));
}

function canonicalCheck(check: CheckResult): CheckResult {
  const keys = ['name', 'passed', 'points', 'max', 'message', 'hint', 'diagnosis', 'counterexample', 'replay', 'matrix'] as const;
  const copy = ordered(check, keys);
  if (check.counterexample) copy.counterexample = canonicalCounterexample(check.counterexample);
  if (check.replay) copy.replay = ordered(check.replay, ['seed', 'path']) as CheckResult['replay'];
  if (check.matrix) copy.matrix = ordered(check.matrix, ['expected', 'got', 'wrong']) as MatrixComparison;
  return copy as CheckResult;
}

function canonicalCounterexample(counterexample: Counterexample): Counterexample {
  const copy = ordered(counterexample, ['expression', 'shapes', 'inputs', 'where', 'expected', 'got', 'redrawn', 'localReplay']);
  if (counterexample.localReplay) copy.localReplay = ordered(counterexample.localReplay, ['file', 'code', 'test']) as Counterexample['localReplay'];
  return copy as Counterexample;
}
