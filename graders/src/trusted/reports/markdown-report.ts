/**
 * `summary.md`: the class as GitHub-flavoured Markdown, for a pull request's job summary
 * (`$GITHUB_STEP_SUMMARY`), an issue or a wiki: a score table (one row per submission, one column
 * per part) and, per submission, the checks that failed with their hints and, where the assignment
 * wrote one, a test that replays the failing case in the student's project.
 *
 * Ids, messages and hints may carry a student's text (a folder name, an exception message), so
 * every such string goes through `markdownText`: on one line, with the characters that start
 * emphasis, code, links, images, math and table cells backslash-escaped and `<`, `>`, `&` as
 * entities, it can neither break the table nor become a link, an image or HTML. What GitHub links
 * by itself (bare URLs, `www.`, e-mail addresses, @mentions, #123) is broken by an invisible word
 * joiner, so a student's text mentions no one and links nowhere. It always follows text of ours on
 * its line, so it cannot start a heading or a list either.
 *
 * GitHub takes at most 1 MiB of a job summary, so the summary is bounded (MARKDOWN_BOUNDS): each
 * submission's findings, then the whole, are cut at a line and end with TRUNCATED_NOTE.
 */
import type { ClassResult, LocalReplay, SubmissionResult } from '../result.js';
import { classStatistics, graderErrorParts, hasPendingReview, sortedSubmissions } from './class-summary.js';
import { formatPoints } from './format-points.js';
import { PART_STATUS_LABEL, earnedAutomaticPoints, partFindings, pendingPoints, pointsOf } from './part-feedback.js';
import type { ReportFile } from './report-file.js';

export const MARKDOWN_REPORT_NAME = 'summary.md';

/** The bounds of the summary (docs/security.md, "Bounds"). */
export const MARKDOWN_BOUNDS = {
  /** Bytes of one submission's findings under "What to fix". */
  submissionBytes: 16 * 1024,
  /** Bytes of the whole summary: under GitHub's 1 MiB (1,048,576), with room for what grade:pr adds after it. */
  totalBytes: 1_000_000,
} as const;

/** The last line of a summary, or of a submission's findings, that had to be cut. */
export const TRUNCATED_NOTE = '… truncated, see the HTML report';

/**
 * The first of `lines` that fit in `maxBytes` (each with its line break), then `note`, or all of
 * them when they fit. Cut at a line, the Markdown stays whole (the note follows a blank line, so
 * that it cannot become a row of a table cut short).
 */
function withinBytes(lines: readonly string[], maxBytes: number, note: string): string[] {
  const bytes = (line: string) => Buffer.byteLength(line) + 1;
  let total = 0;
  for (const line of lines) total += bytes(line);
  if (total <= maxBytes) return [...lines];
  const ending = ['', note];
  let left = maxBytes - ending.reduce((sum, line) => sum + bytes(line), 0);
  const kept: string[] = [];
  for (const line of lines) {
    left -= bytes(line);
    if (left < 0) break;
    kept.push(line);
  }
  return [...kept, ...ending];
}

/**
 * Invisible and not whitespace: inside a word that GitHub would turn into a link (`http://`,
 * `www.`, an e-mail address, an @mention, an #issue), it breaks the pattern and changes nothing
 * that shows. A backslash escape would not do: GitHub finds e-mail addresses, mentions and
 * issue references in the text after escapes are resolved.
 */
const WORD_JOINER = '\u2060';

/** Student text as inline Markdown that renders exactly as written, and links nowhere. */
export function markdownText(text: string): string {
  return (
    text
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
      .replace(/[\\`*_[\]!|~$]/g, (ch) => `\\${ch}`)
      .replace(/&/g, '&amp;')
      .replace(/</g, '&lt;')
      .replace(/>/g, '&gt;')
      // GitHub's autolinks (GFM's extended autolinks, mentions, issue references), each broken.
      .replace(/:(?=\/\/)/g, `:${WORD_JOINER}`)
      .replace(/(www)(?=\.)/gi, `$1${WORD_JOINER}`)
      .replace(/(GH-)(?=\d)/gi, `$1${WORD_JOINER}`)
      .replace(/[@#]/g, (ch) => `${ch}${WORD_JOINER}`)
  );
}

/** A part's cell: its points, marked when it fell short. */
function partCell(submission: SubmissionResult, partId: string): string {
  const part = submission.parts.find((p) => p.id === partId);
  if (!part) return '–';
  if (earnedAutomaticPoints(part)) return part.status === 'pending' ? `${formatPoints(part.points)} …` : formatPoints(part.points);
  return `${formatPoints(part.points)} ${part.status === 'grader-error' ? '⚠' : '✗'}`;
}

function statusCell(submission: SubmissionResult): string {
  if (submission.status === 'error') return 'not graded';
  if (submission.status === 'no-submission') return 'no submission';
  if (graderErrorParts(submission).length > 0) return 'grader error: a TA will check it';
  return hasPendingReview(submission) ? 'pending TA review' : 'graded';
}

export interface MarkdownSummaryOptions {
  /** The heading's text (default: "<assignment>: grades"). */
  title?: string;
}

/** What to fix in one submission: a heading and a list, within MARKDOWN_BOUNDS.submissionBytes. */
function findingsSection(submission: SubmissionResult): string[] {
  const lines = [`#### ${markdownText(submission.id)}${submission.status === 'graded' ? ` (${pointsOf(submission.total, submission.max)})` : ''}`, ''];
  try {
    lines.push(...findingLines(submission));
  } catch (error) {
    // One submission whose result cannot be written here does not stop the summary.
    lines.push(`- These findings could not be written: ${markdownText(error instanceof Error ? error.message : String(error))}`);
  }
  return [...withinBytes(lines, MARKDOWN_BOUNDS.submissionBytes, `- ${TRUNCATED_NOTE}`), ''];
}

/** A plain relative path, shown in a code span as it is; anything else is not named. */
const PLAIN_PATH = /^[\w.-]+(\/[\w.-]+)*$/;

/**
 * The failing case as the student runs it: the test to save, in a fenced code block under the
 * finding. One string of several lines, so that the summary's cut at a line never leaves the fence
 * open. The fence is longer than any run of backticks in the test, which stays code, inert.
 */
function localReplayLines(replay: LocalReplay): string {
  const file = PLAIN_PATH.test(replay.file) ? replay.file : null;
  const longest = Math.max(2, ...[...replay.test.matchAll(/`+/g)].map((run) => run[0].length));
  const fence = '`'.repeat(longest + 1);
  const where = file === null ? 'save this test in your project\'s test folder and run it with vitest' : `save this test as \`${file}\` and run \`npx vitest run ${file}\``;
  return [
    `    - Run it yourself (the hidden check is the grader's, not in your project): ${where}.`,
    '',
    `      ${fence}ts`,
    ...replay.test.trimEnd().split('\n').map((line) => (line === '' ? '' : `      ${line}`)),
    `      ${fence}`,
  ].join('\n');
}

function findingLines(submission: SubmissionResult): string[] {
  const lines: string[] = [];
  if (submission.status === 'error') lines.push(`- Not graded: ${markdownText(submission.error ?? 'the harness could not grade it')}`);
  if (submission.status === 'no-submission') lines.push(`- No submission (0 points): ${markdownText(submission.error ?? 'no file of the assignment found')}`);
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
      if (finding.counterexample) lines.push(`    - ${finding.counterexampleTitle ?? 'Smallest failing case'}: ${markdownText(finding.counterexample)}`);
      if (finding.hint) lines.push(`    - Hint: ${markdownText(finding.hint)}`);
      if (finding.localReplay) lines.push(localReplayLines(finding.localReplay));
    }
  }
  return lines;
}

/** The summary as one Markdown string (also used for the pull-request job summary), within MARKDOWN_BOUNDS.totalBytes. */
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
        (s) => `| ${markdownText(s.id)} | ${s.status === 'graded' ? pointsOf(s.total, s.max) : '–'} | ${parts.map((p) => partCell(s, p.id)).join(' | ')} | ${statusCell(s)} |`,
      ),
      '',
      `Part maxima: ${parts.map((p) => `${markdownText(p.id)} ${formatPoints(p.max)}`).join(', ')}. ✗ marks a part short of its points, … a part waiting for a TA, ⚠ a part the grader failed to judge (0 until a TA checks it).`,
      '',
    );
  }
  const withFindings = submissions.filter((s) => s.status !== 'graded' || s.intake.length > 0 || s.parts.some((p) => !earnedAutomaticPoints(p) || pendingPoints(p) > 0));
  if (withFindings.length > 0) {
    lines.push('### What to fix', '');
    for (const submission of withFindings) lines.push(...findingsSection(submission));
  }
  // Cut before the final line break, which is added back.
  return `${withinBytes(lines, MARKDOWN_BOUNDS.totalBytes - 1, TRUNCATED_NOTE).join('\n').trimEnd()}\n`;
}

export function renderMarkdownReport(result: ClassResult): ReportFile[] {
  return [{ name: MARKDOWN_REPORT_NAME, content: markdownSummary(result) }];
}
