/**
 * The HTML report in a real browser (Debian's Chromium through playwright-core): every page loads
 * from file:// without console errors or network requests, has no serious or critical axe
 * violations, and the class table sorts when a column header is clicked. Screenshots go to
 * /tmp/assignment-11-report-screenshots for a human to look at.
 */
import { assignment } from '../../src/assignments/assignment-11/index.js';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeReports } from '../../src/trusted/reports/index.js';
import { classResultFixture } from './class-result-fixture.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOTS = join(tmpdir(), 'assignment-11-report-screenshots');

let browser: Browser;
let outDir: string;
let htmlPages: string[];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`The browser tests need Chromium at ${CHROMIUM}. Install it with: apt-get update && apt-get install -y chromium`);
  }
  outDir = await mkdtemp(join(tmpdir(), 'report-browser-'));
  // The review page has a browser test of its own, with the class graded through the command (review-page.test.ts).
  const written = await writeReports(outDir, classResultFixture(), ['html'], { partView: assignment.partView });
  htmlPages = written.filter((path) => path.endsWith('.html') && !path.endsWith('/review.html'));
  await mkdir(SCREENSHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (outDir) await rm(outDir, { recursive: true, force: true });
});

interface PageProblems {
  consoleErrors: string[];
  failedRequests: string[];
  networkRequests: string[];
}

async function open(path: string, width = 1280): Promise<{ page: Page; problems: PageProblems }> {
  // A context per page: axe needs one to run its checks across frames.
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  const problems: PageProblems = { consoleErrors: [], failedRequests: [], networkRequests: [] };
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') problems.consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => problems.consoleErrors.push(error.message));
  page.on('requestfailed', (request) => problems.failedRequests.push(`${request.url()}: ${request.failure()?.errorText}`));
  page.on('request', (request) => {
    if (!request.url().startsWith('file://')) problems.networkRequests.push(request.url());
  });
  await page.goto(pathToFileURL(path).href, { waitUntil: 'load' });
  return { page, problems };
}

async function seriousAxeViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help}\n  ${violation.nodes.map((node) => node.target.join(' ')).join('\n  ')}`);
}

async function studentOrder(page: Page): Promise<string[]> {
  return page.locator('table.students tbody th[scope="row"]').allTextContents();
}

describe('HTML report in Chromium', () => {
  it('loads every page from file:// with no console errors, failed or network requests, and no serious axe violations', async () => {
    expect(htmlPages.length).toBe(4);
    for (const path of htmlPages) {
      const { page, problems } = await open(path);
      expect(problems, path).toEqual({ consoleErrors: [], failedRequests: [], networkRequests: [] });
      expect(await page.locator('h1').count(), path).toBe(1);
      expect(await page.locator('main').count(), path).toBe(1);
      expect(await seriousAxeViolations(page), path).toEqual([]);
      const name = path.split('/').pop()!.replace(/\.html$/, '');
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
      await page.context().close();
    }
    // axe takes seconds a page alone, and much longer on a loaded 2-core machine.
  }, 600_000);

  it('sorts the class table by the clicked column and updates aria-sort', async () => {
    const { page, problems } = await open(join(outDir, 'index.html'));
    const ids = classResultFixture().submissions.map((submission) => submission.id);
    const byId = [...ids].sort((a, b) => (a < b ? -1 : 1));
    expect(await studentOrder(page)).toEqual(byId);

    const total = page.locator('table.students thead th', { hasText: 'Total' });
    await total.getByRole('button').click();
    expect(await total.getAttribute('aria-sort')).toBe('ascending');
    expect(await page.locator('table.students thead th[aria-sort]').count()).toBe(1);
    expect(await studentOrder(page)).toEqual(['=cmd|"calc",x', 'ben', 'ada']);

    await total.getByRole('button').click();
    expect(await total.getAttribute('aria-sort')).toBe('descending');
    expect(await studentOrder(page)).toEqual(['ada', 'ben', '=cmd|"calc",x']);

    // A part column: the error submission has no parts, so it goes last in both directions.
    const q3 = page.locator('table.students thead th', { hasText: 'Q3.k1' });
    await q3.getByRole('button').click();
    expect(await studentOrder(page)).toEqual(['ben', 'ada', '=cmd|"calc",x']);
    await q3.getByRole('button').click();
    expect(await studentOrder(page)).toEqual(['ada', 'ben', '=cmd|"calc",x']);

    const student = page.locator('table.students thead th', { hasText: 'Student' });
    await student.getByRole('button').click();
    expect(await studentOrder(page)).toEqual(byId);
    expect(await page.locator('#sort-status').textContent()).toBe('Sorted by Student, ascending.');

    await page.screenshot({ path: join(SCREENSHOTS, 'index-sorted.png'), fullPage: true });
    expect(problems.consoleErrors).toEqual([]);
    await page.context().close();
  });

  it('stays readable on a narrow screen', async () => {
    const { page, problems } = await open(join(outDir, 'ben.html'), 420);
    expect(problems.consoleErrors).toEqual([]);
    await page.screenshot({ path: join(SCREENSHOTS, 'ben-narrow.png'), fullPage: true });
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await page.context().close();
  });
});
