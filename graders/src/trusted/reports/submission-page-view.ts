/**
 * The view model of a submission's page: its status, its intake, and for each part the checks,
 * the failures with what they need to be understood (hint, counterexample, replay, matrices), the
 * assignment's view of the part (a plot, notes) and the answer a TA reviews.
 */
import type { PartView } from '../assignment.js';
import { NO_ANSWER_TEXT } from '../manual-answer.js';
import type { CheckResult, PartResult, SubmissionResult } from '../result.js';
import { hasPendingReview, isPendingReview } from './class-summary.js';
import { counterexampleView, localReplayOf } from './counterexample-view.js';
import { formatPoints } from './format-points.js';
import { reasonOf } from './html-page.js';
import { matrixView } from './matrix-view.js';
import type { ReportOptions } from './report-formats.js';
import { PART_STATUS, SUBMISSION_STATUS_LABEL } from './status-labels.js';
import { titleSegments } from './title-segments.js';
import { trustedSvg } from './trusted-svg.js';

/** A part's extra view as the page shows it, the drawing checked again (see trustedSvg). */
export type ShownView = PartView;

/**
 * The assignment's views of the submissions' parts (a plot drawn from a training run's numbers, a
 * note for the TA), asked for one part at a time, in the order of the pages.
 */
export async function shownViews(submissions: readonly SubmissionResult[], options: ReportOptions): Promise<Map<PartResult, ShownView>> {
  const views = new Map<PartResult, ShownView>();
  for (const submission of submissions) {
    for (const part of submission.parts) {
      const view = await viewOf(part, options);
      if (view !== null) views.set(part, view);
    }
  }
  return views;
}

/** The assignment's view of a part, or why it could not be made; null when it has none. */
async function viewOf(part: PartResult, options: ReportOptions): Promise<ShownView | null> {
  if (!options.partView) return null;
  try {
    const view = await options.partView(part);
    return view && view.drawingProblem !== undefined ? { ...view, drawingProblem: reasonOf(view.drawingProblem) } : view;
  } catch (error) {
    return { drawingProblem: reasonOf(error) };
  }
}

/** What the submission's page shows of `submission`, its parts' views taken from `views`. */
export function submissionView(submission: SubmissionResult, views: ReadonlyMap<PartResult, ShownView>) {
  return {
    id: submission.id,
    total: formatPoints(submission.total),
    max: formatPoints(submission.max),
    statusLabel: SUBMISSION_STATUS_LABEL[submission.status],
    statusClass: submission.status,
    pending: hasPendingReview(submission),
    graderErrors: submission.parts.filter((part) => part.status === 'grader-error').map((part) => part.title),
    error: submission.status === 'error' ? (submission.error ?? 'the harness could not grade it') : null,
    noSubmission: submission.status === 'no-submission' ? (submission.error ?? 'no file of the assignment found') : null,
    intake: submission.intake,
    parts: submission.parts.map((part) => partView(part, views)),
    isolation: submission.isolation,
    output: submission.output,
  };
}

function partView(part: PartResult, views: ReadonlyMap<PartResult, ShownView>) {
  const status = PART_STATUS[part.status];
  const view = views.get(part);
  const plotSvg = view?.trustedSvg === undefined ? null : trustedSvg(view.trustedSvg);
  return {
    anchor: `part-${part.id.replace(/[^A-Za-z0-9_-]+/g, '-')}`,
    id: part.id,
    title: part.title,
    titleSegments: titleSegments(part.title),
    points: formatPoints(part.points),
    max: formatPoints(part.max),
    statusClass: part.status,
    statusLabel: status.label,
    statusIcon: status.icon,
    reason: part.reason ?? null,
    checks: part.checks.map((check) => ({
      name: check.name,
      ...checkResult(check),
      points: formatPoints(check.points),
      max: formatPoints(check.max),
      message: check.message,
    })),
    failures: part.checks.filter((check) => !check.passed && hasDetails(check)).map((check) => failureView(check, part.id, part.title)),
    trustedPlotSvg: plotSvg,
    plotCaption: view?.caption ?? null,
    plotWithheld: view !== undefined && (view.drawingProblem !== undefined || (view.trustedSvg !== undefined && plotSvg === null)),
    plotProblem: view?.drawingProblem ?? null,
    notes: view?.notes ?? [],
    review: part.review
      ? {
          file: part.review.file,
          text: part.review.text,
          missing: part.review.text === null,
          // A text that is no answer (the template unchanged, empty) is not shown, only why it counts as none.
          noAnswer: part.review.noAnswer === undefined ? null : NO_ANSWER_TEXT[part.review.noAnswer],
          manual: part.manual ? { points: formatPoints(part.manual.points), comment: part.manual.comment } : null,
          pending: isPendingReview(part),
        }
      : null,
  };
}

/** A failed check that still earned points (per-entry credit) says "partial", not "failed". */
function checkResult(check: CheckResult) {
  if (check.passed) return { resultClass: 'pass', resultLabel: 'passed', resultIcon: '✓' };
  if (check.points > 0) return { resultClass: 'partial', resultLabel: 'partial', resultIcon: '◐' };
  return { resultClass: 'fail', resultLabel: 'failed', resultIcon: '✗' };
}

function hasDetails(check: CheckResult): boolean {
  return Boolean(check.hint || check.counterexample || check.replay || check.matrix);
}

function failureView(check: CheckResult, partId: string, partTitle: string) {
  return {
    name: check.name,
    hint: check.hint ?? null,
    diagnosis: check.diagnosis ?? null,
    counterexample: check.counterexample ? counterexampleView(check.counterexample) : null,
    replay: check.replay
      ? {
          partId,
          options: `{ seed: ${check.replay.seed}, path: ${JSON.stringify(check.replay.path)} }`,
          local: localReplayOf(check) !== null,
        }
      : null,
    matrix: check.matrix ? matrixView(check.matrix, partTitle) : null,
  };
}
