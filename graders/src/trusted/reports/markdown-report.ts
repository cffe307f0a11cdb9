/**
 * `summary.md`: the class as GitHub-flavoured Markdown, for a pull request's job summary
 * (`$GITHUB_STEP_SUMMARY`), an issue or a wiki: a score table (one row per submission, one column
 * per part) and, per submission, the checks that failed with their hints.
 *
 * Ids, messages and hints may carry a student's text (a folder name, an exception message), so
 * every such string goes through `markdownText`: on one line, with the characters that start
 * emphasis, code, links, images and table cells backslash-escaped and `<`, `>`, `&` as entities,
 * it can neither break the table nor become a link, an image or HTML. It always follows text of
 * ours on its line, so it cannot start a heading or a list either.
 */
import type { ClassResult, SubmissionResult } from '../result.js';
import { classStatistics, hasPendingReview, sortedSubmissions } from './class-summary.js';
import { formatPoints } from './format-points.js';
import { PART_STATUS_LABEL, earnedAutomaticPoints, partFindings, pendingPoints, pointsOf } from './part-feedback.js';
import type { ReportFile } from './report-file.js';

export const MARKDOWN_REPORT_NAME = 'summary.md';

/** Student text as inline Markdown that renders exactly as written. */
export function markdownText(text: string): string {
  return text
    .replace(/[\r\n\t\v\f\u2028\u2029]+/g, ' ')
    .replace(/[\\`*_[\]!|~]/g, (ch) => `\\${ch}`)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
}

/** A part's cell: its points, marked when it fell short. */
function partCell(submission: SubmissionResult, partId: string): string {
  const part = submission.parts.find((p) => p.id === partId);
  if (!part) return '–';
  if (earnedAutomaticPoints(part)) return part.status === 'pending' ? `${formatPoints(part.points)} …` : formatPoints(part.points);
  return `${formatPoints(part.points)} ✗`;
}

function statusCell(submission: SubmissionResult): string {
  if (submission.status === 'error') return 'not graded';
  return hasPendingReview(submission) ? 'pending TA review' : 'graded';
}

export interface MarkdownSummaryOptions {
  /** The heading's text (default: "<assignment>: grades"). */
  title?: string;
}

/** The summary as one Markdown string (also used for the pull-request job summary). */
export function markdownSummary(result: ClassResult, options: MarkdownSummaryOptions = {}): string {
  const submissions = sortedSubmissions(result);
  const parts = result.rubric.parts;
  const statistics = classStatistics(result);
  const lines: string[] = [
    `## ${markdownText(options.title ?? `${result.rubric.name}: grades`)}`,
    '',
    `${submissions.length} submission(s), rubric version ${markdownText(result.rubric.version)}, seed ${result.seed}` +
      (statistics.mean === null ? '.' : `; mean ${formatPoints(statistics.mean)}/${formatPoints(result.rubric.max)}, median ${formatPoints(statistics.median!)}.`),
    '',
  ];
  if (submissions.length > 0) {
    lines.push(
      `| Submission | Total | ${parts.map((p) => markdownText(p.id)).join(' | ')} | Status |`,
      `| --- | ---: | ${parts.map(() => '---:').join(' | ')} | --- |`,
      ...submissions.map(
        (s) => `| ${markdownText(s.id)} | ${s.status === 'error' ? '–' : pointsOf(s.total, s.max)} | ${parts.map((p) => partCell(s, p.id)).join(' | ')} | ${statusCell(s)} |`,
      ),
      '',
      `Part maxima: ${parts.map((p) => `${markdownText(p.id)} ${formatPoints(p.max)}`).join(', ')}. ✗ marks a part short of its points, … a part waiting for a TA.`,
      '',
    );
  }
  const withFindings = submissions.filter((s) => s.status === 'error' || s.intake.length > 0 || s.parts.some((p) => !earnedAutomaticPoints(p) || pendingPoints(p) > 0));
  if (withFindings.length > 0) {
    lines.push('### What to fix', '');
    for (const submission of withFindings) {
      lines.push(`#### ${markdownText(submission.id)}${submission.status === 'error' ? '' : ` (${pointsOf(submission.total, submission.max)})`}`, '');
      if (submission.status === 'error') lines.push(`- Not graded: ${markdownText(submission.error ?? 'the harness could not grade it')}`);
      for (const problem of submission.intake) lines.push(`- ${markdownText(problem.file)} was not read: ${markdownText(problem.problem)}`);
      for (const part of submission.parts) {
        const pending = pendingPoints(part);
        if (earnedAutomaticPoints(part)) {
          if (pending > 0) lines.push(`- **${markdownText(part.title)}**: ${formatPoints(pending)} point(s) wait for a TA's score`);
          continue;
        }
        lines.push(`- **${markdownText(part.title)}** (${pointsOf(part.points, part.max)}, ${PART_STATUS_LABEL[part.status]})`);
        for (const finding of partFindings(part)) {
          lines.push(`  - ${finding.check === null ? '' : `${markdownText(finding.check)}: `}${markdownText(finding.message)}`);
          if (finding.counterexample) lines.push(`    - Smallest failing case: ${markdownText(finding.counterexample)}`);
          if (finding.hint) lines.push(`    - Hint: ${markdownText(finding.hint)}`);
        }
      }
      lines.push('');
    }
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

export function renderMarkdownReport(result: ClassResult): ReportFile[] {
  return [{ name: MARKDOWN_REPORT_NAME, content: markdownSummary(result) }];
}
