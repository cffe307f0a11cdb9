/**
 * Scoring that every assignment shares: a part's result from its checks (property checks are
 * run, shrunk and scored here), a missing file, and a grader that failed while grading a part.
 */
import { createHash } from 'node:crypto';
import type { PropertyCheck } from './assignment.js';
import type { Run } from './child-runner.js';
import type { Intake } from './intake.js';
import type { CheckResult, PartResult, PartStatus } from './result.js';
import { checkPoints, type RubricPart } from './rubric.js';
import { checkResult } from './checks/check-result.js';
import { checkProperty, type PropertyOutcome, type PropertySpec, type ShrinkBound } from './checks/property.js';
import { graderErrorReason, judgeFailureMessage } from './checks/judge-failure.js';
import { roundPoints } from './points.js';

/** A seed per part, so that adding a part or changing its runs does not move the others' cases. */
export function partSeed(seed: number, partId: string): number {
  return createHash('sha256').update(`${seed}:${partId}`).digest().readUInt32BE(0) & 0x7fffffff;
}

/** A part the grader failed to judge: 0 points, flagged for a TA, `reason` saying what failed. */
function graderErrorPart(part: RubricPart, reason: string, checks: CheckResult[], review?: PartResult['review']): PartResult {
  return {
    id: part.id,
    title: part.title,
    points: 0,
    max: part.max,
    status: 'grader-error',
    reason,
    checks,
    ...(review ? { review } : {}),
  };
}

/** Assembles a part from its checks; the status says how it ended. */
export function partFromChecks(part: RubricPart, checks: CheckResult[], outcomes: PropertyOutcome[]): PartResult {
  // A judge that threw decides nothing: the part is worth 0 and flagged until a TA looks at it.
  const failure = outcomes.find((o) => o.kind === 'grader-error');
  if (failure?.kind === 'grader-error') {
    return graderErrorPart(
      part,
      graderErrorReason(failure.message),
      checks.map((check) => ({ ...check, points: 0 })),
    );
  }
  const points = roundPoints(checks.reduce((sum, c) => sum + c.points, 0));
  const aborted = outcomes.find((o) => o.kind === 'aborted');
  let status: PartStatus;
  let reason: string | undefined;
  if (outcomes.length > 0 && outcomes.every((o) => o.kind === 'not-implemented')) {
    status = 'not-implemented';
    reason = checks[0]?.message;
  } else if (aborted && aborted.kind === 'aborted') {
    status = aborted.outcome.kind === 'timeout' ? 'timeout' : 'crashed';
    reason = aborted.outcome.reason;
  } else {
    const max = checks.reduce((sum, c) => sum + c.max, 0);
    status = points >= max - 1e-9 ? 'passed' : points > 0 ? 'partial' : 'failed';
  }
  return { id: part.id, title: part.title, points, max: part.max, status, ...(reason ? { reason } : {}), checks };
}

/** Check `i` of a part's `checks` with its seed and number of cases. */
export function withSeedAndRuns<C>(part: RubricPart, seed: number, checks: PropertyCheck<C>[], i: number): PropertySpec<C> {
  const runs = checks[i].runs ?? Math.max(1, Math.round((part.runs ?? 50) / checks.length));
  return { ...checks[i].property, seed: partSeed(seed, `${part.id}#${i}`), runs };
}

export async function gradePropertyPart<C>(
  part: RubricPart,
  seed: number,
  run: Run,
  checks: PropertyCheck<C>[],
  bound: ShrinkBound,
): Promise<PartResult> {
  const results: CheckResult[] = [];
  const outcomes: PropertyOutcome[] = [];
  for (const [i, check] of checks.entries()) {
    const points = checkPoints(part, check.id);
    const outcome = await checkProperty(withSeedAndRuns(part, seed, checks, i), run, bound);
    outcomes.push(outcome);
    results.push(checkResult(check.name, points, outcome, check.passedMessage));
    // After a crash or a timeout the remaining checks of this part would only repeat it.
    if (outcome.kind === 'aborted' || outcome.kind === 'not-implemented') {
      for (const rest of checks.slice(i + 1)) {
        const restPoints = checkPoints(part, rest.id);
        results.push({ name: rest.name, passed: false, points: 0, max: restPoints, message: 'not run: the previous check could not run' });
      }
      break;
    }
  }
  return partFromChecks(part, results, outcomes);
}

/** A part whose file is missing or was refused at intake: 0 points, with the intake's reason. */
export function missingPart(part: RubricPart, intake: Intake, file = part.file): PartResult {
  const problem = intake.problems.find((p) => p.file === file);
  const reason = problem ? `${file} ${problem.problem}` : `${file}: file not found`;
  return { id: part.id, title: part.title, points: 0, max: part.max, status: 'missing', reason, checks: [] };
}

/** A part with no checks and no grading of its own: nothing earned yet; its points are a TA's (manual-answer.ts). */
export function byHandOnly(part: RubricPart): PartResult {
  return { id: part.id, title: part.title, points: 0, max: part.max, status: 'passed', checks: [] };
}

/**
 * `grade()`'s result for `part`. When the grader itself throws while grading it, that part alone
 * becomes `grader-error` (0 points, flagged for a TA, with the text a TA scores by hand kept), and
 * the submission's other parts are graded as usual.
 */
export async function gradedOrGraderError(
  part: RubricPart,
  grade: () => Promise<PartResult>,
  review?: PartResult['review'],
): Promise<PartResult> {
  try {
    return await grade();
  } catch (error) {
    return graderErrorPart(part, graderErrorReason(judgeFailureMessage(error)), [], review);
  }
}
