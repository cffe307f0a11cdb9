/**
 * `review.html`: the manual items of the whole class on one page, for the TA to score. For each of
 * the rubric's manual items (review-items.ts), each student's answer, rendered (Markdown and math,
 * render-answer.ts, in a worker: rendered-answers.ts), beside the assignment's view of the part (a
 * plot) where it has one, with inputs for the points and a comment; a script turns them into
 * `manual-grades.csv` for `grade --manual`. KaTeX's stylesheet and fonts are shipped beside it
 * (katex-assets.ts), so it works offline from file://.
 *
 * The answers are the students' text: what the page shows of them is the renderer's output only,
 * which keeps no HTML of theirs, no link but http(s) and mailto and no image (render-answer.ts). An
 * answer that cannot be rendered within its bounds is shown as escaped text, saying why, and the
 * rest of the page is drawn as usual. The page's Content-Security-Policy allows its own script (by
 * hash), styles and fonts from the reports' folder, and nothing else: no network, no other script.
 *
 * Deterministic like the other pages: the same class gives the same bytes (an answer that runs out
 * of the time budget is the one exception, and a realistic answer needs a small part of it).
 */
import { createHash } from 'node:crypto';
import { templateFile } from './template-files.js';
import { pageOrWhyNot, reasonOf } from './html-page.js';
import Handlebars from 'handlebars';
import type { PartView } from '../assignment.js';
import type { ClassResult, PartResult } from '../result.js';
import { cutText } from '../cut-text.js';
import { sortedSubmissions } from './class-summary.js';
import { formatPoints } from './format-points.js';
import { trustedSvg } from './trusted-svg.js';
import { KATEX_STYLESHEET } from './katex-assets.js';
import { pageNames } from './page-names.js';
import { ANSWER_RENDER_BOUNDS, cutAnswer } from './answer-bounds.js';
import { renderAnswers, type RenderedAnswer } from './rendered-answers.js';
import type { ReportFile } from './report-file.js';
import type { ReportOptions } from './report-formats.js';
import { reviewGroups, type ReviewItem } from './review-items.js';

export const REVIEW_PAGE_NAME = 'review.html';

interface Templates {
  page: Handlebars.TemplateDelegate;
  css: string;
  script: string;
}

let templates: Templates | undefined;

function loadTemplates(): Templates {
  if (templates) return templates;
  templates = {
    page: Handlebars.create().compile(templateFile('review.hbs'), { strict: true }),
    css: `${templateFile('report.css').trim()}\n${templateFile('review.css').trim()}`,
    script: templateFile('review-form.js').trim(),
  };
  return templates;
}

function contentSecurityPolicy(script: string): string {
  const hash = createHash('sha256').update(script).digest('base64');
  return `default-src 'none'; style-src 'self' 'unsafe-inline'; font-src 'self'; script-src 'sha256-${hash}'; base-uri 'none'; form-action 'none'`;
}

const plural = (count: number, one: string, many: string): string => `${count} ${count === 1 ? one : many}`;
const characters = new Intl.NumberFormat('en-US');

/** The assignment's view of a part, as the page shows it; null when there is none to show. */
async function viewOf(part: PartResult, options: ReportOptions) {
  if (!options.partView) return null;
  let view: PartView | null;
  try {
    view = await options.partView(part);
  } catch (error) {
    return { trustedSvg: null, caption: null, problem: reasonOf(error), notes: [] };
  }
  if (view === null) return null;
  const svg = view.trustedSvg === undefined ? null : trustedSvg(view.trustedSvg);
  const problem = view.drawingProblem !== undefined ? cutText(view.drawingProblem, 2000) : view.trustedSvg !== undefined && svg === null ? 'the drawing holds more than a plain SVG' : null;
  if (svg === null && problem === null && (view.notes ?? []).length === 0) return null;
  return { trustedSvg: svg, caption: view.caption ?? null, problem, notes: view.notes ?? [] };
}

/** The cut note under an answer rendered only in part. */
function cutNote(cutChars: number, shownChars: number): string | null {
  if (cutChars === 0) return null;
  return `Only the first ${characters.format(shownChars)} characters of this answer are shown here (${characters.format(cutChars)} more are not; the review page shows at most ${characters.format(ANSWER_RENDER_BOUNDS.inputChars)}). The student's page has the whole file.`;
}

/** How the part's automatic checks did, for the TA's context ("checks: 1 of 1 passed (0.5 of 0.5 points)"); null without checks. */
function checksSentence(part: PartResult): string | null {
  if (part.checks.length === 0) return null;
  const passed = part.checks.filter((check) => check.passed).length;
  const points = part.checks.reduce((sum, check) => sum + check.points, 0);
  const max = part.checks.reduce((sum, check) => sum + check.max, 0);
  return `checks: ${passed} of ${part.checks.length} passed (${formatPoints(points)} of ${formatPoints(max)} ${max === 1 ? 'point' : 'points'})`;
}

async function itemView(item: ReviewItem, key: number, rendered: RenderedAnswer, cut: { text: string; cutChars: number }, href: string, options: ReportOptions) {
  return {
    key,
    id: item.submission.id,
    partId: item.part.id,
    // The part's anchor on the student's page, as submission-page-view.ts names it.
    href: `${href}#part-${item.part.id.replace(/[^A-Za-z0-9_-]+/g, '-')}`,
    order: item.csvOrder,
    file: item.file,
    pending: item.pending,
    max: formatPoints(item.points),
    scoredPoints: item.part.manual ? formatPoints(item.part.manual.points) : '',
    points: item.part.manual ? formatPoints(item.part.manual.points) : '',
    comment: item.part.manual?.comment ?? '',
    trustedAnswerHtml: 'html' in rendered ? rendered.html : null,
    problem: 'problem' in rendered ? rendered.problem : null,
    rawText: 'problem' in rendered ? cut.text : null,
    cutNote: cutNote(cut.cutChars, cut.text.length),
    checks: checksSentence(item.part),
    view: await viewOf(item.part, options),
  };
}

/**
 * What one answer may add to the review page: its rendering (at most `outputChars` characters,
 * 3 bytes each at worst) with its frame, plot and form fields.
 */
export const REVIEW_ITEM_MAX_BYTES = 3 * ANSWER_RENDER_BOUNDS.outputChars + 256 * 1024;

/**
 * The review page's bound: it lists the whole class, so it grows with the answers (the demo's
 * seven come to about 1.8 MB), each one bounded; past it the page says why and points to the CSV.
 */
export function reviewPageMaxBytes(items: number): number {
  return 1024 * 1024 + items * REVIEW_ITEM_MAX_BYTES;
}

/** The review page, or, when it cannot be drawn, a short page saying why (the other reports are written all the same). */
export async function renderReviewReport(result: ClassResult, options: ReportOptions = {}): Promise<ReportFile[]> {
  let css = '';
  try {
    css = loadTemplates().css;
  } catch {
    // The templates are what failed: the stand-in page goes without its styles.
  }
  const lines = [
    { text: "The answers waiting for a score are listed in manual-grades.pending.csv, beside this page; each student's page shows them." },
    { text: 'Class overview', href: 'index.html' },
  ];
  const items = reviewGroups(result, options.manualItems).reduce((sum, group) => sum + group.pending.length + group.scored.length, 0);
  const content = await pageOrWhyNot(`${result.rubric.name}: manual review`, css, lines, reviewPageMaxBytes(items), () =>
    reviewPage(result, options),
  );
  return [{ name: REVIEW_PAGE_NAME, content }];
}

async function reviewPage(result: ClassResult, options: ReportOptions): Promise<string> {
  const { page, css, script } = loadTemplates();
  const groups = reviewGroups(result, options.manualItems);
  const items = groups.flatMap((group) => [...group.pending, ...group.scored]);
  const cuts = items.map((item) => cutAnswer(item.text));
  const rendered = await renderAnswers(cuts.map((cut) => cut.text));
  const names = pageNames(sortedSubmissions(result).map((submission) => submission.id));

  const views = new Map<ReviewItem, Awaited<ReturnType<typeof itemView>>>();
  for (const [index, item] of items.entries()) {
    views.set(item, await itemView(item, index, rendered[index], cuts[index], names.get(item.submission.id)!, options));
  }
  const pending = items.filter((item) => item.pending);
  const pendingByStudent = new Map<string, number>();
  for (const item of pending) pendingByStudent.set(item.submission.id, (pendingByStudent.get(item.submission.id) ?? 0) + 1);
  const students = [...pendingByStudent].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const scored = items.length - pending.length;
  const waiting = pending.length === 0 ? 'No answer waits for a TA’s score' : `${plural(pending.length, 'answer waits', 'answers wait')} for a TA’s score, from ${plural(students.length, 'student', 'students')}`;

  return page({
    title: `${result.rubric.name}: manual review`,
    csp: contentSecurityPolicy(script),
    katexStylesheet: KATEX_STYLESHEET,
    trustedCss: css,
    trustedScript: script,
    assignment: result.rubric.name,
    seed: result.seed,
    rubricVersion: result.rubric.version,
    countSentence: `${waiting}${scored > 0 ? `; ${plural(scored, 'answer is', 'answers are')} scored already` : ''}.`,
    itemCount: items.length,
    students: students.map(([id, count]) => ({ id, href: names.get(id)!, items: plural(count, 'answer', 'answers') })),
    groups: groups.map((group) => ({
      anchor: `review-${group.partId.replace(/[^A-Za-z0-9_-]+/g, '-')}`,
      title: group.title,
      what: group.what,
      points: formatPoints(group.points),
      pointsWord: group.points === 1 ? 'point' : 'points',
      countSentence: `${plural(group.pending.length, 'answer waits', 'answers wait')}${group.scored.length > 0 ? `, ${group.scored.length} scored` : ''}.`,
      items: [...group.pending, ...group.scored].map((item) => views.get(item)!),
    })),
  });
}
