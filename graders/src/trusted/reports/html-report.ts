/**
 * The HTML report: `index.html` (the class) and one `<page>.html` per submission, rendered with
 * Handlebars from the templates next to this file.
 *
 * Every value a template prints goes through Handlebars' escaping ({{ }}), so student text (ids,
 * output, review answers, messages, counterexample values) can never become markup. The only raw
 * values ({{{ }}}) are named `trusted…`: the CSS and the sort script from this folder, the charts
 * drawn here from numbers, and the assignment's plots drawn by the trusted parent. On top of that, each
 * page carries a Content-Security-Policy that allows no network and no script but its own.
 *
 * Pages are self-contained (styles, script and charts inline) and deterministic: no dates or
 * timings, so the same ClassResult gives the same bytes.
 *
 * Each page is drawn on its own: a page that cannot be drawn (its rendering throws, or it would be
 * larger than HTML_PAGE_MAX_BYTES) is replaced by a short page saying why, and every other page is
 * still written. A plot that cannot be drawn is left out of its page, which says why.
 */
import { createHash } from 'node:crypto';
import Handlebars from 'handlebars';
import type { CheckResult, ClassResult, Counterexample, LocalReplay, MatrixComparison, PartResult, PartStatus, SubmissionResult, SubmissionStatus } from '../result.js';
import { boundedLocalReplay } from '../result-bounds.js';
import { passRateChartSvg, scoreHistogramSvg } from './charts.js';
import { classStatistics, graderErrorParts, hasPendingReview, isPendingReview, partRates, sortedSubmissions } from './class-summary.js';
import { formatPoints } from './format-points.js';
import { templateFile } from './template-files.js';
import { pageNames } from './page-names.js';
import type { ReportFile } from './report-file.js';
import type { ReportOptions } from './report-formats.js';
import type { PartView } from '../assignment.js';
import { cutText } from '../cut-text.js';
import { NO_ANSWER_TEXT } from '../manual-answer.js';
import { counterexampleTitle } from './part-feedback.js';

export const HTML_INDEX_NAME = 'index.html';

/** The largest page written (README, Security, "Bounds"); a larger one is replaced by a page saying why. */
export const HTML_PAGE_MAX_BYTES = 4 * 1024 * 1024;

/** A part's plot as drawn, or why it could not be. */
/** A part's extra view as the page shows it, the drawing checked again (see trustedSvg). */
type ShownView = PartView;

/** A submission's status in words, on the class table and its page. */
const SUBMISSION_STATUS_LABEL: Record<SubmissionStatus, string> = { graded: 'graded', 'no-submission': 'no submission', error: 'error' };

const PART_STATUS: Record<PartStatus, { label: string; icon: string; note: string }> = {
  passed: { label: 'passed', icon: '✓', note: '' },
  partial: { label: 'partial credit', icon: '◐', note: '' },
  failed: { label: 'failed', icon: '✗', note: '' },
  'not-implemented': { label: 'not implemented', icon: '∅', note: 'not impl.' },
  crashed: { label: 'crashed', icon: '!', note: 'crashed' },
  timeout: { label: 'timed out', icon: '◷', note: 'timeout' },
  missing: { label: 'file missing', icon: '?', note: 'missing' },
  pending: { label: 'pending TA review', icon: '…', note: 'pending' },
  'no-answer': { label: 'no answer', icon: '∅', note: 'no answer' },
  'grader-error': { label: 'grader error', icon: '⚠', note: 'grader error' },
};

interface Templates {
  classPage: Handlebars.TemplateDelegate;
  submissionPage: Handlebars.TemplateDelegate;
  css: string;
  sortScript: string;
}

let templates: Templates | undefined;

function loadTemplates(): Templates {
  if (templates) return templates;
  const handlebars = Handlebars.create();
  handlebars.registerPartial('layout', templateFile('layout.hbs'));
  // strict: a name the view model lacks is a bug in this file, not an empty string on a page.
  const options = { strict: true } as const;
  templates = {
    classPage: handlebars.compile(templateFile('class.hbs'), options),
    submissionPage: handlebars.compile(templateFile('submission.hbs'), options),
    css: templateFile('report.css').trim(),
    sortScript: templateFile('sort-table.js').trim(),
  };
  return templates;
}

/** Allows inline styles (the CSS, the SVGs) and, if given, exactly one inline script; nothing else. */
function contentSecurityPolicy(script: string | null): string {
  const scriptSource = script === null ? "'none'" : `'sha256-${createHash('sha256').update(script).digest('base64')}'`;
  return `default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src ${scriptSource}; base-uri 'none'; form-action 'none'`;
}

export async function renderHtmlReport(result: ClassResult, options: ReportOptions = {}): Promise<ReportFile[]> {
  const { classPage, submissionPage, css, sortScript } = loadTemplates();
  const submissions = sortedSubmissions(result);
  const names = pageNames(submissions.map((submission) => submission.id));
  const page = {
    assignment: result.rubric.name,
    seed: result.seed,
    rubricVersion: result.rubric.version,
    trustedCss: css,
  };

  // The assignment's views of its parts (a plot drawn from a training run's numbers, a note for the TA).
  const views = new Map<PartResult, ShownView>();
  for (const submission of submissions) {
    for (const part of submission.parts) {
      const view = await viewOf(part, options);
      if (view !== null) views.set(part, view);
    }
  }

  const statistics = classStatistics(result);
  const rates = partRates(result);
  const gradedTotals = submissions.filter((submission) => submission.status === 'graded').map((submission) => submission.total);
  const classTitle = `${result.rubric.name}: class results (seed ${result.seed}, rubric version ${result.rubric.version})`;
  // The class page grows with the class (a row per submission), so only its drawing can fail it, not its size.
  const index = await pageOrWhyNot(classTitle, css, classIndexLines(submissions, names), Number.POSITIVE_INFINITY, async () => classPage({
    ...page,
    title: classTitle,
    pageClass: 'page-class',
    csp: contentSecurityPolicy(sortScript),
    trustedScript: sortScript,
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
      return { id: part.id, title: part.title, max: formatPoints(part.max), group: split ? part.id.slice(0, dot + 1) : part.id, name: split ? part.id.slice(dot + 1) : '' };
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
  }));

  const files: ReportFile[] = [{ name: HTML_INDEX_NAME, content: index }];
  for (const submission of submissions) {
    const title = `${submission.id}: ${result.rubric.name} results`;
    const summary = `${formatPoints(submission.total)} / ${formatPoints(submission.max)} points (${submission.status}); results.json holds the whole result.`;
    const content = await pageOrWhyNot(title, css, [{ text: summary }], HTML_PAGE_MAX_BYTES, async () =>
      submissionPage({
        ...page,
        title,
        pageClass: 'page-submission',
        csp: contentSecurityPolicy(null),
        trustedScript: null,
        ...submissionView(submission, views),
      }),
    );
    files.push({ name: names.get(submission.id)!, content });
  }
  return files;
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

function reasonOf(error: unknown): string {
  return cutText(error instanceof Error ? error.message : String(error), 2000);
}

/** A line of a stand-in page: plain text, a link when `href` is given. */
interface StandInLine {
  text: string;
  href?: string;
}

/**
 * `draw()`'s page, or, when it throws or its page would be larger than `maxBytes`, a stand-in page
 * with `title`, the reason and `lines`, built here without templates.
 */
async function pageOrWhyNot(title: string, css: string, lines: readonly StandInLine[], maxBytes: number, draw: () => Promise<string>): Promise<string> {
  let reason: string;
  try {
    const content = await draw();
    const bytes = Buffer.byteLength(content);
    if (bytes <= maxBytes) return content;
    reason = `it would be ${(bytes / 1024 / 1024).toFixed(1)} MiB, more than the ${maxBytes / 1024 / 1024} MiB a page may be`;
  } catch (error) {
    reason = reasonOf(error);
  }
  const text = (value: string) => Handlebars.escapeExpression(value);
  const line = ({ text: words, href }: StandInLine) => (href === undefined ? `<p>${text(words)}</p>` : `<p><a href="${text(href)}">${text(words)}</a></p>`);
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(null)}">`,
    '<meta name="referrer" content="no-referrer">',
    `<title>${text(title)}</title>`,
    `<style>\n${css}\n</style>`,
    '</head>',
    '<body>',
    '<main id="main">',
    `<h1>${text(title)}</h1>`,
    `<p class="callout callout--error">This page could not be drawn: ${text(reason)}</p>`,
    ...lines.map(line),
    '</main>',
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** What the class page's stand-in lists: each submission's points, linked to its page. */
function classIndexLines(submissions: readonly SubmissionResult[], names: ReadonlyMap<string, string>): StandInLine[] {
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

function submissionView(submission: SubmissionResult, views: ReadonlyMap<PartResult, ShownView>) {
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

/** A title's pieces, cut after dots, so that "P1 Name.method" wraps on a phone without splitting words (<wbr> between them). */
function titleSegments(title: string): string[] {
  return title.split(/(?<=\.)(?=\S)/);
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

function counterexampleView(counterexample: Counterexample) {
  const hasExpected = counterexample.expected !== undefined;
  const hasGot = counterexample.got !== undefined;
  return {
    title: counterexampleTitle(counterexample),
    expression: counterexample.expression,
    shapes: Object.entries(counterexample.shapes).map(([name, shape]) => ({ name, shape: `[${shape.join(', ')}]` })),
    inputs: Object.entries(counterexample.inputs).map(([name, value]) => ({ name, value: formatValue(value) })),
    where: counterexample.where ?? null,
    hasComparison: hasExpected || hasGot,
    expected: hasExpected ? formatValue(counterexample.expected) : '(not recorded)',
    got: hasGot ? formatValue(counterexample.got) : '(not recorded)',
    localReplay: localReplayOf({ counterexample }),
  };
}

/**
 * The case as the student runs it (a snippet and a test file), when the assignment wrote one and it
 * is whole: results from an older cache or a shard may lack it or hold something else.
 */
function localReplayOf(check: Pick<CheckResult, 'counterexample'>): LocalReplay | null {
  return boundedLocalReplay(check.counterexample?.localReplay) ?? null;
}

/**
 * Compact JSON-like text for plain data, with the rows of a matrix on their own lines. Unlike
 * JSON.stringify it shows NaN and Infinity as such (a student's NaN is the clue, not `null`).
 */
export function formatValue(value: unknown): string {
  if (Array.isArray(value) && value.length > 0 && value.every(Array.isArray)) {
    return `[\n${value.map((row) => `  ${formatValue(row)}`).join(',\n')}\n]`;
  }
  return formatInline(value);
}

function formatInline(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (value === undefined) return 'undefined';
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(formatInline).join(', ')}]`;
  if (typeof value === 'object') {
    return `{ ${Object.entries(value).map(([key, entry]) => `${key}: ${formatInline(entry)}`).join(', ')} }`;
  }
  return String(value);
}

/**
 * Exact-answer matrices: the student's with the wrong entries marked and, only when the answers were
 * released (`grade --release-answers`), the expected one beside it. Without it the page holds no
 * expected value, not even in the text for screen readers.
 */
function matrixView(matrix: MatrixComparison, partTitle: string) {
  const wrongAt = (row: number, column: number) => matrix.wrong?.[row]?.[column] === true;
  const released = matrix.expected;
  const expected =
    released === undefined
      ? null
      : matrixTable(`Expected matrix, ${partTitle}`, released, (row, column, value) => ({
          text: formatPoints(value),
          cellClass: wrongAt(row, column) ? 'differs' : '',
          wrong: false,
          expected: null,
        }));
  const got =
    matrix.got === null
      ? null
      : matrixTable(`Your matrix, ${partTitle}`, matrix.got, (row, column, value) => ({
          text: value === null ? '–' : formatPoints(value),
          cellClass: wrongAt(row, column) ? 'wrong' : '',
          wrong: wrongAt(row, column),
          expected: released === undefined ? null : expectedEntry(released, row, column),
        }));
  // `wrong` has the expected matrix's shape whenever there is an answer to compare.
  const expectedShape = released ?? matrix.wrong;
  const entries = expectedShape ? expectedShape.reduce((count, row) => count + row.length, 0) : 0;
  const wrongCount = matrix.wrong ? matrix.wrong.flat().filter(Boolean).length : 0;
  const shape = (rows: readonly unknown[][]) => `${rows.length}×${rows[0]?.length ?? 0}`;
  const where = released === undefined ? 'in your answer' : 'in your answer and outlined in the expected matrix';
  const expectedSize = expectedShape ? `; the expected one is ${shape(expectedShape)}` : '';
  let summary: string;
  if (matrix.got === null) summary = 'No matrix was found in your answer for this part.';
  else if (matrix.wrong === null) summary = `Your matrix is ${shape(matrix.got)}${expectedSize}.`;
  else if (wrongCount === 1) summary = `1 of ${entries} entries is wrong; it is marked ✗ ${where}.`;
  else summary = `${wrongCount} of ${entries} entries are wrong; they are marked ✗ ${where}.`;
  const withheld = released === undefined && wrongCount > 0 ? WITHHELD_NOTE : null;
  return { summary, withheld, expected, got };
}

const WITHHELD_NOTE = 'The expected values are not shown until your TA releases the answers.';

/** A released expected entry as the page shows it, for the student's entry at (row, column). */
function expectedEntry(released: number[][], row: number, column: number): string {
  const value = released[row]?.[column];
  return value === undefined ? 'no entry' : formatPoints(value);
}

function matrixTable<T, Cell>(label: string, rows: readonly (readonly T[])[], cell: (row: number, column: number, value: T) => Cell) {
  const width = Math.max(0, ...rows.map((row) => row.length));
  return {
    label,
    columns: Array.from({ length: width }, (_, column) => column),
    rows: rows.map((values, row) => ({ index: row, cells: values.map((value, column) => cell(row, column, value)) })),
  };
}

/**
 * A part's plot comes from the trusted parent, but it is drawn from the student's run, so it is
 * only embedded when it is a bare SVG without scripts, event handlers, embedded documents or
 * links; otherwise the page says the plot could not be shown.
 */
export function trustedSvg(svg: string): string | null {
  const trimmed = svg.trim();
  const unsafe = /<\s*(script|foreignObject|iframe|object|embed|a|use|image)\b|\son[a-z]+\s*=|javascript:|\bhref\s*=|url\(\s*['"]?\s*(?!#)/i;
  return /^<svg[\s>]/i.test(trimmed) && /<\/svg>$/i.test(trimmed) && !unsafe.test(trimmed) ? trimmed : null;
}
