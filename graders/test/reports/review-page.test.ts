/**
 * The review page as a TA uses it, in a real browser (Debian's Chromium through playwright-core):
 * the demo class is graded through the real command, review.html lists every answer waiting for a
 * score with its Markdown and math rendered (KaTeX) and the part's plot beside it, loads from
 * file:// with no request outside the reports, fits 1280 and 390 px and passes axe; points and
 * comments filled in for some answers download as manual-grades.csv, which `grade --manual` then
 * merges; the page shows those scores afterwards and downloads them again as they were.
 * Screenshots go to /tmp/assignment-11-report-screenshots for a human to look at.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assignment } from '../../src/assignments/assignment-11/index.js';
import { loadRubric } from '../../src/trusted/load-rubric.js';
import { isPendingReview } from '../../src/trusted/reports/class-summary.js';
import { manualItemsOf, renderReviewReport, writeReports } from '../../src/trusted/reports/index.js';
import type { ClassResult } from '../../src/trusted/result.js';
import { ROOT, foldersIn, runGrade, type GradeRun } from '../cli/run-grade.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOTS = join(tmpdir(), 'assignment-11-report-screenshots');
const FOLDERS = foldersIn(join(ROOT, 'submissions'));

/** What the TA enters: points and a comment (with a comma, quotes and a character beyond ASCII) per student. */
const SCORES: Record<string, { points: string; comment: string }> = {
  complete: { points: '0.5', comment: 'Clear: the fit, the noise floor and the learning rate, each explained.' },
  'gradients-assigned': { points: '0.25', comment: 'The "flat" loss is right; the floor is σ², say why.' },
};

let out: string;
let first: GradeRun;
/** The class as the first run graded it (the third test grades it again, with the TA's scores, into the same folder). */
let firstResult: ClassResult;
let browser: Browser;
let work: string;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`The browser tests need Chromium at ${CHROMIUM}. Install it with: apt-get update && apt-get install -y chromium`);
  out = mkdtempSync(join(tmpdir(), 'review-page-'));
  work = mkdtempSync(join(tmpdir(), 'review-page-download-'));
  first = await runGrade([...FOLDERS], { out });
  firstResult = first.results();
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  for (const folder of [out, work]) if (folder) rmSync(folder, { recursive: true, force: true });
});

interface Opened {
  page: Page;
  problems: { consoleErrors: string[]; outside: string[]; failed: string[] };
}

async function openReview(width = 1280): Promise<Opened> {
  const context = await browser.newContext({ viewport: { width, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const problems: Opened['problems'] = { consoleErrors: [], outside: [], failed: [] };
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => problems.consoleErrors.push(error.message));
  page.on('request', (request) => {
    if (!request.url().startsWith(pathToFileURL(out).href)) problems.outside.push(request.url());
  });
  page.on('requestfailed', (request) => problems.failed.push(`${request.url()}: ${request.failure()?.errorText}`));
  await page.goto(pathToFileURL(join(out, 'review.html')).href, { waitUntil: 'load' });
  await page.evaluate(() => document.fonts.ready);
  return { page, problems };
}

/** The answers that wait for a TA, by the results: [id, part] of each, parts in rubric order, ids sorted. */
function pendingItems(result: ClassResult): [string, string][] {
  const order = result.rubric.parts.map((part) => part.id);
  return result.rubric.parts.flatMap(({ id: partId }) =>
    result.submissions
      .filter((s) => s.status === 'graded')
      .flatMap((s) => s.parts.filter((part) => part.id === partId && isPendingReview(part) && typeof part.review?.text === 'string').map((part): [string, string] => [s.id, part.id]))
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
  ).filter(([, part]) => order.includes(part));
}

async function itemsOnPage(page: Page): Promise<[string, string][]> {
  return page.locator('article.review-item').evaluateAll((items) => items.map((item) => [item.getAttribute('data-id')!, item.getAttribute('data-part')!] as [string, string]));
}

/**
 * axe's preload of the stylesheets would fetch KaTeX's, which the page's Content-Security-Policy (no
 * connect-src) refuses: axe reads the styles as the page applied them instead.
 */
async function seriousAxeViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).options({ preload: false }).analyze();
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help}\n  ${violation.nodes.map((node) => node.target.join(' ')).join('\n  ')}`);
}

/** Clicks a download button and returns the file's text, or null when no download starts within a few seconds. */
async function download(page: Page): Promise<string | null> {
  const started = page.waitForEvent('download', { timeout: 5_000 }).catch(() => null);
  await page.locator('button.review-download').first().click();
  const file = await started;
  if (file === null) return null;
  expect(file.suggestedFilename()).toBe('manual-grades.csv');
  const path = join(work, `download-${Date.now()}.csv`);
  await file.saveAs(path);
  return readFileSync(path, 'utf8');
}

describe('the review page (review.html) of the demo class, in Chromium', () => {
  it('lists every answer waiting for a score, rendered with KaTeX, the plot beside it, and links to each student', async () => {
    expect(first.exitCode, first.stderr).toBe(0);
    const expected = pendingItems(firstResult);
    expect(expected.length).toBeGreaterThan(0);
    const { page, problems } = await openReview();
    expect(await itemsOnPage(page)).toEqual(expected);
    const students = new Set(expected.map(([id]) => id));
    await expect(page.locator('.review-count').innerText()).resolves.toContain(`${expected.length} answers wait for a TA’s score, from ${students.size} students`);

    // Markdown and math are rendered, in each of the complete solution's answers: headings, bold text and KaTeX's
    // markup, no `$` left of the source.
    const answers = page.locator('article.review-item[data-id="complete"] .answer');
    expect(await answers.count()).toBe(expected.filter(([id]) => id === 'complete').length);
    for (const answer of await answers.all()) {
      expect(await answer.locator('h4, strong').count()).toBeGreaterThan(0);
      expect(await answer.locator('.katex').count()).toBeGreaterThanOrEqual(9);
      expect(await answer.innerText()).not.toContain('$');
    }
    // KaTeX's fonts came from the reports' folder.
    expect(await page.evaluate(() => [...document.fonts].some((font) => font.family === 'KaTeX_Main' && font.status === 'loaded'))).toBe(true);
    // The part's view beside the answer: the plot of the part whose result holds a training run.
    const plotted = firstResult.submissions.find((s) => s.id === 'complete')!.parts.find((p) => p.extension?.training !== undefined)!.id;
    expect(await page.locator(`article.review-item[data-id="complete"][data-part="${plotted}"] .review-view svg`).count()).toBe(1);

    // Each student's link opens their page, at the part.
    for (const href of await page.locator('.review-students a, article.review-item h3 a').evaluateAll((links) => links.map((link) => link.getAttribute('href')!))) {
      expect(existsSync(join(out, href.split('#')[0])), href).toBe(true);
    }
    expect(problems).toEqual({ consoleErrors: [], outside: [], failed: [] });
    await page.context().close();

    const index = await browser.newPage();
    await index.goto(pathToFileURL(join(out, 'index.html')).href);
    expect(await index.locator('a[href="review.html"]').count()).toBe(1);
    await index.close();
  });

  it('has no horizontal overflow at 1280 and 390 px', { timeout: 600_000 }, async () => {
    for (const width of [1280, 390]) {
      const { page, problems } = await openReview(width);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `at ${width} px`).toBeLessThanOrEqual(0);
      await page.screenshot({ path: join(SCREENSHOTS, `review-${width}.png`), fullPage: true });
      expect(problems.consoleErrors).toEqual([]);
      await page.context().close();
    }
  });

  it('has no serious axe violation at 1280 and 390 px: a pending answer with its plot, one without, one scored', { timeout: 900_000 }, async () => {
    // axe reads every element, and KaTeX makes thousands per answer: the page of two students holds every kind of item.
    const two = firstResult.submissions.filter((s) => s.id === 'complete' || s.id === 'add-broadcast-not-summed');
    const part = pendingItems(firstResult).find(([id]) => id === 'complete')![1];
    const scored = two.map((s) => (s.id !== 'complete' ? s : { ...s, parts: s.parts.map((p) => (p.id === part ? { ...p, status: 'passed' as const, manual: { points: 0.25, comment: 'Good.' } } : p)) }));
    const small = join(work, 'two-students');
    await writeReports(small, { ...firstResult, submissions: scored }, ['html'], { partView: assignment.partView, manualItems: manualItemsOf(loadRubric(assignment)) });
    for (const width of [1280, 390]) {
      const context = await browser.newContext({ viewport: { width, height: 900 } });
      const page = await context.newPage();
      await page.goto(pathToFileURL(join(small, 'review.html')).href, { waitUntil: 'load' });
      expect(await page.locator('.badge', { hasText: 'scored' }).count()).toBe(1);
      expect(await page.locator('.review-view').count()).toBeGreaterThan(0);
      expect(await seriousAxeViolations(page), `at ${width} px`).toEqual([]);
      await context.close();
    }
  });

  it('downloads the filled-in scores as manual-grades.csv, which grade --manual merges', { timeout: 600_000 }, async () => {
    const { page, problems } = await openReview();
    // The first manual part on the page: its answers of the students in SCORES are scored.
    const part = (await page.locator('article.review-item').first().getAttribute('data-part'))!;
    const itemOf = (p: Page, id: string) => p.locator(`article.review-item[data-id="${id}"][data-part="${part}"]`);
    const fill = async (id: string, points: string, comment: string) => {
      const item = itemOf(page, id);
      await item.locator('.review-points').fill(points);
      await item.locator('.review-comment').fill(comment);
    };
    // Points above the part's manual points are refused by the form: nothing is downloaded.
    await fill('complete', '0.75', SCORES.complete.comment);
    expect(await download(page)).toBeNull();
    await expect(page.locator('#review-status').innerText()).resolves.toMatch(/^Not downloaded/);
    for (const [id, score] of Object.entries(SCORES)) await fill(id, score.points, score.comment);
    await expect(page.locator('#review-progress').innerText()).resolves.toBe(`2 of ${await page.locator('article.review-item').count()} answers have points.`);

    const csv = await download(page);
    expect(csv).toBe(
      [
        'id,part,points,comment',
        `complete,${part},0.5,"${SCORES.complete.comment}"`,
        `gradients-assigned,${part},0.25,"The ""flat"" loss is right; the floor is σ², say why."`,
        '',
      ].join('\r\n'),
    );
    expect(problems.consoleErrors).toEqual([]);
    await page.context().close();

    const path = join(work, 'manual-grades.csv');
    writeFileSync(path, csv!);
    const second = await runGrade(['--manual', path, ...FOLDERS], { out });
    expect(second.exitCode, second.stderr).toBe(0);
    const result = second.results();
    for (const [id, score] of Object.entries(SCORES)) {
      const scored = result.submissions.find((s) => s.id === id)!.parts.find((p) => p.id === part);
      expect(scored?.manual, id).toEqual({ points: Number(score.points), comment: score.comment });
    }
    expect(pendingItems(result)).toEqual(pendingItems(firstResult).filter(([id, p]) => !(Object.hasOwn(SCORES, id) && p === part)));

    // The page now shows them as scored, filled in, and downloads them again as they were.
    const again = await openReview();
    const scoredItem = itemOf(again.page, 'complete');
    const max = await scoredItem.locator('.review-points').getAttribute('max');
    await expect(scoredItem.locator('.badge').innerText()).resolves.toBe(`scored ${SCORES.complete.points} / ${max}`);
    await expect(scoredItem.locator('.review-points').inputValue()).resolves.toBe('0.5');
    expect(await download(again.page)).toBe(csv);
    await again.page.context().close();
  });

  it('says why a part view could not be drawn, on its answer only, and draws the rest', async () => {
    const failing = async () => {
      throw new Error('the drawing <failed>');
    };
    const [page] = await renderReviewReport(firstResult, { partView: failing, manualItems: manualItemsOf(loadRubric(assignment)) });
    const items = pendingItems(firstResult).length;
    expect(page.content.match(/<article class="review-item"/g)).toHaveLength(items);
    expect(page.content.match(/The part's view could not be shown: the drawing &lt;failed&gt;\./g)).toHaveLength(items);
  });

  it('draws the same bytes from the same class', async () => {
    const result = firstResult;
    const options = { partView: assignment.partView, manualItems: manualItemsOf(loadRubric(assignment)) };
    const [a] = await renderReviewReport(result, options);
    const [b] = await renderReviewReport(result, options);
    expect(a.content).toBe(b.content);
  });
});
