/**
 * The view model of the class page (`index.html`): the class's statistics and charts, a row per
 * submission with its points per part, and each part's pass rate; and what the page's stand-in
 * lists when the page cannot be drawn.
 */
import type { ClassResult, SubmissionResult } from '../result.js';
import { passRateChartSvg, scoreHistogramSvg } from './charts.js';
import { classStatistics, graderErrorParts, hasPendingReview, isPendingReview, partRates } from './class-summary.js';
import { formatPoints } from './format-points.js';
import type { StandInLine } from './html-page.js';
import { PART_STATUS, SUBMISSION_STATUS_LABEL } from './status-labels.js';
import { titleSegments } from './title-segments.js';

/**
 * What the class page shows of `result`: `submissions` in the order of its rows, each linked to its
 * page by `names` (submission id to file name).
 */
export async function classPageView(result: ClassResult, submissions: readonly SubmissionResult[], names: ReadonlyMap<string, string>) {
  const statistics = classStatistics(result);
  const rates = partRates(result);
  const gradedTotals = submissions.filter((submission) => submission.status === 'graded').map((submission) => submission.total);
  return {
    trustedHistogramSvg: await scoreHistogramSvg(gradedTotals, result.rubric.max),
    trustedPassRateSvg: await passRateChartSvg(rates),
    max: formatPoints(result.rubric.max),
    stats: {
      ...statistics,
      mean: statistics.mean === null ? '–' : formatPoints(statistics.mean),
      median: statistics.median === null ? '–' : formatPoints(statistics.median),
    },
    // "P1.long" is shown on two lines ("P1." over "long") to keep many part columns narrow.
    parts: result.rubric.parts.map((part) => {
      const dot = part.id.indexOf('.');
      const split = dot > 0 && dot < part.id.length - 1;
      return {
        id: part.id,
        title: part.title,
        max: formatPoints(part.max),
        group: split ? part.id.slice(0, dot + 1) : part.id,
        name: split ? part.id.slice(dot + 1) : '',
      };
    }),
    rows: submissions.map((submission) => classRow(submission, result, names.get(submission.id)!)),
    rates: rates.map((rate, order) => ({
      ...rate,
      order,
      idSegments: titleSegments(rate.id),
      titleSegments: titleSegments(rate.title),
      passRate: `${Math.round(rate.passRate * 100)}%`,
      passRateSort: rate.passRate,
      mean: formatPoints(rate.meanPoints),
      meanSort: rate.meanPoints,
      max: formatPoints(rate.max),
    })),
  };
}

/** What the class page's stand-in lists: each submission's points, linked to its page. */
export function classIndexLines(submissions: readonly SubmissionResult[], names: ReadonlyMap<string, string>): StandInLine[] {
  return submissions.map((s) => ({ text: `${s.id}: ${formatPoints(s.total)} / ${formatPoints(s.max)} points`, href: names.get(s.id) }));
}

function classRow(submission: SubmissionResult, result: ClassResult, href: string) {
  const pending = hasPendingReview(submission);
  const graderError = graderErrorParts(submission).length > 0;
  return {
    id: submission.id,
    href,
    rowClass: submission.status === 'graded' ? '' : `row-${submission.status}`,
    total: formatPoints(submission.total),
    totalSort: submission.total,
    // Like grades.csv: a part the grader failed to judge, or a manual item still open, is what the TA must see.
    statusLabel: graderError ? 'grader error' : pending ? 'pending review' : SUBMISSION_STATUS_LABEL[submission.status],
    statusClass: graderError ? 'grader-error' : pending ? 'pending' : submission.status,
    parts: result.rubric.parts.map(({ id }) => {
      const part = submission.parts.find((candidate) => candidate.id === id);
      if (!part) return { text: '–', sort: '', statusClass: 'none', note: '' };
      return {
        text: formatPoints(part.points),
        sort: part.points,
        statusClass: part.status,
        note: PART_STATUS[part.status].note || (isPendingReview(part) ? 'pending' : ''),
      };
    }),
  };
}
