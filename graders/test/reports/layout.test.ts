/**
 * The HTML report's layout in a real browser (Debian's Chromium through playwright-core), on the
 * demo class as the real command grades it, at a TA's 1280 px screen and a 390 px phone. Not by
 * pixels: by what the page does. The page never scrolls sideways; the class table fits 1280 px,
 * and where it cannot fit it scrolls inside its own box with the student column kept in view;
 * headings, notes and titles wrap between words, never inside one; Q3's matrices and Q1d's plot
 * stay in their own boxes, the plot at a size its labels can be read at; axe finds nothing serious.
 * Screenshots go to /tmp/assignment-11-report-screenshots for a human to look at.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AxeBuilder } from '@axe-core/playwright';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT, foldersIn, runGrade, type GradeRun } from '../cli/run-grade.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const SCREENSHOTS = join(tmpdir(), 'assignment-11-report-screenshots');
const WIDTHS = [1280, 390] as const;
/** The class page, a student page with Q3's wrong matrices, Q1d's plot and answers for review, and the untouched skeleton's. */
const PAGES = ['index.html', 'q3-kernel-flipped.html', 'untouched-skeleton.html'] as const;

let run: GradeRun;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) throw new Error(`The browser tests need Chromium at ${CHROMIUM}. Install it with: apt-get update && apt-get install -y chromium`);
  run = await runGrade(foldersIn(join(ROOT, 'submissions')));
  mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  if (run?.out) rmSync(run.out, { recursive: true, force: true });
});

async function open(name: string, width: number): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  const page = await context.newPage();
  await page.goto(pathToFileURL(join(run.out, name)).href, { waitUntil: 'load' });
  return page;
}

/** How far the page scrolls sideways: 0 when nothing is wider than the screen. */
function pageOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

/**
 * The places under `selector` where the browser broke a line inside a word ("Ten|sor"): a character
 * that starts a new line although the one before it ends no word (not a space, ".", "-" or "/").
 * Found in the page's own layout, character by character; elements not shown at this width are skipped.
 */
function wordsBroken(page: Page, selector: string): Promise<string[]> {
  return page.evaluate((selector) => {
    const broken: string[] = [];
    const range = document.createRange();
    for (const root of document.querySelectorAll(selector)) {
      if (root.getClientRects().length === 0) continue;
      const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode() as Text | null; node !== null; node = walker.nextNode() as Text | null) {
        let previousTop: number | null = null;
        for (let i = 0; i < node.data.length; i++) {
          range.setStart(node, i);
          range.setEnd(node, i + 1);
          const top = range.getClientRects()[0]?.top;
          const wordGoesOn = i > 0 && !/[\s./-]/.test(node.data[i - 1]) && !/\s/.test(node.data[i]);
          if (top !== undefined && previousTop !== null && top > previousTop + 2 && wordGoesOn) {
            broken.push(`${root.textContent?.trim()}: a line starts at "${node.data.slice(i)}"`);
          }
          if (top !== undefined) previousTop = top;
        }
      }
    }
    return broken;
  }, selector);
}

async function seriousAxeViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations
    .filter((violation) => violation.impact === 'serious' || violation.impact === 'critical')
    .map((violation) => `${violation.id} (${violation.impact}): ${violation.help}\n  ${violation.nodes.map((node) => node.target.join(' ')).join('\n  ')}`);
}

describe('the report pages of the demo class, at 1280 and 390 px, in Chromium', () => {
  it('graded the demo class', () => {
    expect(run.exitCode, run.stderr).toBe(0);
  });

  for (const width of WIDTHS) {
    for (const name of PAGES) {
      it(`${name} at ${width} px: no sideways scrolling of the page, no serious axe violation`, async () => {
        const page = await open(name, width);
        await page.screenshot({ path: join(SCREENSHOTS, `layout-${name.replace('.html', '')}-${width}.png`), fullPage: true });
        expect(await pageOverflow(page)).toBeLessThanOrEqual(0);
        expect(await seriousAxeViolations(page)).toEqual([]);
        await page.context().close();
      });
    }

    it(`index.html at ${width} px: headings, notes, ids and titles wrap between words, never inside one`, async () => {
      const page = await open('index.html', width);
      for (const selector of ['table.students thead th', 'table.students td', 'table.students th.col-id', 'table.rates tbody th', 'table.rates td.rate-title']) {
        expect(await wordsBroken(page, selector), selector).toEqual([]);
      }
      await page.context().close();
    });

    it(`index.html at ${width} px: the class table scrolls in its own box, the student column staying in view`, async () => {
      const page = await open('index.html', width);
      const box = page.locator('.table-scroll').filter({ has: page.locator('table.students') });
      const sizes = await box.evaluate((element) => ({ scroll: element.scrollWidth, client: element.clientWidth }));
      // A TA's screen holds the whole table; a phone scrolls it.
      if (width === 1280) expect(sizes.scroll).toBeLessThanOrEqual(sizes.client);
      else expect(sizes.scroll).toBeGreaterThan(sizes.client);
      await box.evaluate((element) => element.scrollTo({ left: element.scrollWidth }));
      const scrolled = await box.evaluate((element) => element.scrollLeft);
      if (width === 390) expect(scrolled).toBeGreaterThan(0);
      const viewport = page.viewportSize()!.width;
      const boxLeft = await box.evaluate((element) => element.getBoundingClientRect().left);
      const ids = await page.locator('table.students th.col-id').evaluateAll((cells) => cells.map((cell) => ({ text: cell.textContent?.trim() ?? '', left: cell.getBoundingClientRect().left, right: cell.getBoundingClientRect().right })));
      expect(ids.length).toBe(1 + foldersIn(join(ROOT, 'submissions')).length);
      for (const id of ids) {
        expect(id.left, id.text).toBeGreaterThanOrEqual(Math.floor(boxLeft));
        expect(id.right, id.text).toBeLessThanOrEqual(viewport);
      }
      // The last part's column is the one now in view beside them.
      const last = await page.locator('table.students thead th').last().evaluate((cell) => cell.getBoundingClientRect().right);
      expect(last).toBeLessThanOrEqual(viewport);
      await box.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(SCREENSHOTS, `layout-index-${width}-scrolled.png`) });
      await page.context().close();
    });

    it(`q3-kernel-flipped.html at ${width} px: Q3's matrices stay in their own boxes, Q1d's plot is wide enough to read`, async () => {
      const page = await open('q3-kernel-flipped.html', width);
      const viewport = page.viewportSize()!.width;
      const matrices = await page.locator('.matrix-scroll').evaluateAll((boxes) => boxes.map((box) => box.getBoundingClientRect().right));
      expect(matrices.length).toBeGreaterThan(0);
      for (const right of matrices) expect(right).toBeLessThanOrEqual(viewport);
      const plot = await page.locator('figure.plot').evaluate((figure) => {
        const box = figure.querySelector('.plot-scroll')!;
        const svg = figure.querySelector('svg')!;
        return { figure: figure.clientWidth, box: box.getBoundingClientRect().right, svg: svg.getBoundingClientRect().width, drawn: svg.viewBox.baseVal.width };
      });
      expect(plot.box).toBeLessThanOrEqual(viewport);
      // Full width on a wide screen; on a phone at least 70% of the size it was drawn at, its box scrolling.
      if (width === 1280) expect(plot.svg).toBeGreaterThanOrEqual(plot.figure - 2);
      expect(plot.svg).toBeGreaterThanOrEqual(Math.min(plot.figure - 2, 0.7 * plot.drawn));
      await page.context().close();
    });
  }
});
