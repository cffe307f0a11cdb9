/**
 * Students' written answers on the TA's review page (review.html), which renders them: Markdown
 * through markdown-it, math through KaTeX. Each submission's `answers/q1d.md` is an attack: raw
 * HTML with scripts and handlers, links and images with unsafe schemes or relative paths, KaTeX's
 * commands that make links or load things, macro-expansion bombs, huge and negative sizes, lists,
 * quotes and braces nested thousands deep, a 200,000-character line, and a short macro that asks KaTeX for millions of tokens.
 * Graded through the real CLI beside an honest submission, the page is then opened in Chromium:
 * no script of theirs runs, no dialog opens, no request leaves the reports' folder, no element
 * carries a handler or an unsafe URL, no answer covers the form, every answer is there (rendered,
 * or shown as text saying why), and the honest one is rendered with its math.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSubmission } from '../../../tools/submissions/make-submission.js';
import type { Variant } from '../../../tools/submissions/variants.js';
import { runGrade, type GradeRun } from '../cli/run-grade.js';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Every payload sets this global or opens a dialog if it ever runs. */
const RAN = 'window.__answerRan=1;alert(1)';

const ATTACKS: Record<string, string> = {
  'raw-html': [
    '# Raw HTML',
    `<script>${RAN}</script>`,
    '',
    `<img src=x onerror="${RAN}">`,
    '',
    `<iframe src="javascript:${RAN}"></iframe> <object data="https://tracker.example/x"></object>`,
    '',
    `<a href="javascript:${RAN}">an HTML link</a> <svg onload="${RAN}"><image href="https://tracker.example/i.png"/></svg>`,
    '',
    '<style>main { display: none }</style> <link rel="stylesheet" href="https://tracker.example/s.css">',
    '',
    `<div onmouseover="${RAN}" style="position:fixed;inset:0">covering the page</div>`,
    '',
    '<!-- a comment, left out --> text after the comment',
  ].join('\n'),
  'links-and-images': [
    `[script](javascript:${RAN}) [upper](JAVASCRIPT:alert(1)) [entity](jav&#x09;ascript:alert(1)) [vb](vbscript:msgbox(1))`,
    '',
    '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [relative](../../reference/answers/q2.md) [file](file:///etc/passwd)',
    '',
    '<javascript:alert(1)> [reference][evil]',
    '',
    '[evil]: javascript:alert(1)',
    '',
    '[a web page](https://example.org/notes) [mail](mailto:ta@example.org)',
    '',
    '![tracker](https://tracker.example/pixel.png) ![plot](plots/linear-regression.svg) ![inline](data:image/svg+xml;base64,PHN2Zy8+)',
  ].join('\n'),
  'katex-commands': [
    `$\\href{javascript:${RAN}}{click}$ $\\url{javascript:alert(1)}$ $\\includegraphics{https://tracker.example/x.png}$`,
    '',
    '$\\htmlClass{x}{y}$ $\\htmlId{main}{y}$ $\\htmlStyle{position:fixed;inset:0}{y}$ $\\htmlData{foo=bar}{y}$',
    '',
    '$\\color{red;background:url(https://tracker.example/c.png)}{x}$',
    '',
    '$$\\href{https://tracker.example/display}{display}$$',
  ].join('\n'),
  'macro-bombs': [
    '$\\def\\a{\\a\\a}\\a$',
    '',
    `$\\newcommand\\boom{xx}${Array.from({ length: 40 }, (_, i) => `\\newcommand\\boom${'i'.repeat(i + 1)}{\\boom${'i'.repeat(i)}\\boom${'i'.repeat(i)}}`).join('')}\\boom${'i'.repeat(40)}$`,
    '',
    '$\\gdef\\c{\\c\\c}$ then $\\c$',
  ].join('\n'),
  'huge-sizes': [
    '$\\rule{100000em}{100000em}$ $\\kern100000em x$ $\\kern-100000em y$ $\\hspace{-100000em}z$',
    '',
    '$\\raisebox{100000em}{r}$ $\\rule[-100000em]{1em}{1em}$ $\\Huge\\sqrt{x}$',
  ].join('\n'),
  'deep-list': `${'- '.repeat(10_000)}deep list\n`,
  'deep-quote': `${'> '.repeat(10_000)}deep quote\n`,
  'deep-math-and-emphasis': [
    `$${'{'.repeat(5_000)}x${'}'.repeat(5_000)}$`,
    '',
    `${'*'.repeat(3_000)}x${'*'.repeat(3_000)} ${'['.repeat(3_000)}y ${'('.repeat(3_000)}z`,
  ].join('\n'),
  'long-lines': `A line with no space: ${'x'.repeat(200_000)}\n\nAnd one more paragraph.\n`,
  'long-macro': `$\\def\\b{${'x'.repeat(15_000)}}${'\\b'.repeat(1_000)}$\n`,
};

function attack(id: string, text: string): Variant {
  return {
    id,
    mistake: 'an answer made to attack the review page',
    patches: [{ file: 'answers/q1d.md', content: text }],
    expectedPoints: {},
  };
}

const HONEST: Variant = { id: 'honest', mistake: 'none', patches: [], expectedPoints: {} };

let base: string;
let run: GradeRun;
let browser: Browser;
let page: Page;
const dialogs: string[] = [];
const requests: string[] = [];
const consoleErrors: string[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM))
    throw new Error(`These tests need Chromium at ${CHROMIUM}. Install it with: apt-get update && apt-get install -y chromium`);
  base = mkdtempSync(join(tmpdir(), 'answer-rendering-'));
  writeSubmission(HONEST, join(base, HONEST.id));
  for (const [id, text] of Object.entries(ATTACKS)) writeSubmission(attack(id, text), join(base, id));
  const folders = [HONEST.id, ...Object.keys(ATTACKS)].sort().map((id) => join(base, id));
  run = await runGrade(['--only', 'Q1d', '--format', 'html,json', ...folders]);
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.on('dialog', (dialog) => {
    dialogs.push(dialog.message());
    void dialog.dismiss();
  });
  page.on('request', (request) => requests.push(request.url()));
  page.on('console', (message) => {
    if (message.type() === 'error' || message.type() === 'warning') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await page.goto(pathToFileURL(join(run.out, 'review.html')).href, { waitUntil: 'load' });
  await page.evaluate(() => document.fonts.ready);
}, 600_000);

afterAll(async () => {
  await browser?.close();
  if (base) rmSync(base, { recursive: true, force: true });
  if (run) rmSync(run.out, { recursive: true, force: true });
});

/** The answer box of a submission's item, as text and as HTML. */
async function answerOf(id: string): Promise<{ text: string; html: string }> {
  const answer = page.locator(`article.review-item[data-id="${id}"] .answer`);
  return { text: await answer.innerText(), html: await answer.innerHTML() };
}

describe('students’ answers on the review page (grade, then Chromium)', () => {
  it('grades every submission and lists each one’s answer, the honest one rendered with its math', async () => {
    expect(run.exitCode, run.stderr).toBe(0);
    const ids = await page.locator('article.review-item').evaluateAll((items) => items.map((item) => item.getAttribute('data-id')));
    expect(ids).toEqual([HONEST.id, ...Object.keys(ATTACKS)].sort());
    const honest = await answerOf(HONEST.id);
    expect(await page.locator('article[data-id="honest"] .answer .katex').count()).toBeGreaterThanOrEqual(9);
    expect(honest.text).toContain('The loss curve.');
    expect(honest.html).not.toContain('callout');
  });

  it('runs no script of theirs: no dialog, no handler, only the page’s own script', async () => {
    expect(dialogs).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __answerRan?: number }).__answerRan)).toBeUndefined();
    const found = await page.evaluate(() => {
      const handlers = [...document.querySelectorAll('*')].flatMap((element) =>
        [...element.attributes]
          .filter((attribute) => attribute.name.toLowerCase().startsWith('on'))
          .map((attribute) => `${element.tagName} ${attribute.name}`),
      );
      const scripts = [...document.querySelectorAll('script')].map((script) => script.src || 'inline');
      return { handlers, scripts };
    });
    expect(found).toEqual({ handlers: [], scripts: ['inline'] });
    expect(consoleErrors).toEqual([]);
  });

  it('leaves no unsafe URL in any attribute, and no element that loads something, in any answer', async () => {
    const found = await page.evaluate(() => {
      // An attribute that makes the browser load something, or that holds a URL of a scheme that runs or reads.
      const loading = new Set(['src', 'srcset', 'data', 'action', 'formaction', 'poster', 'background', 'xlink:href', 'ping']);
      const unsafe = [...document.querySelectorAll('*')].flatMap((element) =>
        [...element.attributes]
          .filter(
            ({ name, value }) =>
              /^\s*(javascript|data|vbscript|file):/i.test(value) ||
              loading.has(name.toLowerCase()) ||
              (name === 'style' && /url\(/i.test(value)) ||
              (name === 'href' && element.tagName !== 'A' && element.tagName !== 'LINK'),
          )
          .map(({ name, value }) => `${element.tagName} ${name}=${value.slice(0, 60)}`),
      );
      const loaders = [
        ...document.querySelectorAll(
          '.answer :is(img, iframe, object, embed, video, audio, link, style, form, input, image, foreignObject, use)',
        ),
      ].map((element) => element.tagName);
      const links = [...document.querySelectorAll('.answer a')].map((link) => link.getAttribute('href'));
      return { unsafe, loaders, links };
    });
    expect(found.unsafe).toEqual([]);
    expect(found.loaders).toEqual([]);
    // Only http(s) and mailto links survive; an image is a link to its address, never loaded.
    expect(found.links).toEqual(['https://example.org/notes', 'mailto:ta@example.org', 'https://tracker.example/pixel.png']);
  });

  it('makes no request outside the reports: only the page, KaTeX’s stylesheet and its fonts', () => {
    const outside = requests.filter((url) => !url.startsWith(pathToFileURL(run.out).href));
    expect(outside).toEqual([]);
    expect(requests.some((url) => url.endsWith('/assets/katex/katex.min.css'))).toBe(true);
  });

  it('shows raw HTML and unsafe links as the text they are, and KaTeX’s refused commands as marked source', async () => {
    const html = await answerOf('raw-html');
    expect(html.text).toContain(`<script>${RAN}</script>`);
    expect(html.text).toContain('<img src=x onerror=');
    expect(html.text).toContain('text after the comment');
    expect(html.text).not.toContain('a comment, left out');
    const links = await answerOf('links-and-images');
    expect(links.text).toContain(`[script](javascript:${RAN})`);
    expect(links.text).toContain('[relative](../../reference/answers/q2.md)');
    expect(links.text).toContain('image: tracker');
    const katex = await answerOf('katex-commands');
    expect(katex.html).not.toMatch(/<a\s/);
    expect(await page.locator('article[data-id="katex-commands"] .answer .katex-error').count()).toBeGreaterThanOrEqual(1);
  });

  it('stops macro bombs at KaTeX’s expansion limit, each formula on its own', async () => {
    const errors = await page
      .locator('article[data-id="macro-bombs"] .answer .katex-error')
      .evaluateAll((spans) => spans.map((span) => span.getAttribute('title')));
    expect(errors.length).toBeGreaterThanOrEqual(3);
    for (const title of errors) expect(title).toMatch(/Too many expansions/);
  });

  it('keeps huge sizes, deep nesting and long lines inside the answer’s box: no overflow, nothing covers the form', async () => {
    for (const width of [1280, 390]) {
      await page.setViewportSize({ width, height: 900 });
      expect(
        await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth),
        `at ${width} px`,
      ).toBeLessThanOrEqual(0);
      const covered = await page.evaluate(async () => {
        const hidden: string[] = [];
        for (const input of document.querySelectorAll<HTMLElement>('.review-points, .review-comment, .review-download')) {
          input.scrollIntoView({ block: 'center' });
          await new Promise(requestAnimationFrame);
          const box = input.getBoundingClientRect();
          const top = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
          if (top !== input) hidden.push(`${input.id || input.className} under ${top?.tagName}.${top?.className}`);
        }
        return hidden;
      });
      expect(covered, `at ${width} px`).toEqual([]);
      // No answer stretches the page: each box is at most a window high (60rem on a short one), however tall its content.
      const tallest = await page
        .locator('.answer')
        .evaluateAll((boxes) => Math.max(...boxes.map((box) => box.getBoundingClientRect().height)));
      expect(tallest, `at ${width} px`).toBeLessThanOrEqual(960);
    }
    // Braces 5,000 deep: rendered, or, past what the worker's stack holds, shown as marked source; lists and quotes nest
    // no deeper than markdown-it allows.
    expect(await page.locator('article[data-id="deep-math-and-emphasis"] .answer :is(.katex, .math-error)').count()).toBe(1);
    expect(await page.locator('article[data-id="deep-list"] .answer ul').count()).toBeLessThanOrEqual(100);
    expect(await page.locator('article[data-id="deep-quote"] .answer blockquote').count()).toBeLessThanOrEqual(100);
    const long = await answerOf('long-lines');
    expect(long.text).toMatch(/Only the first [\d,]+ characters of this answer are shown here/);
  });

  it('shows an answer that runs the renderer out of time or memory as escaped text, saying why', async () => {
    const macro = await answerOf('long-macro');
    expect(macro.text).toMatch(
      /This answer is shown as plain text: (it took longer than \d+ s to render|it needed more than \d+ MiB of memory)\./,
    );
    expect(macro.text).toContain('\\def\\b{xxxx');
    expect(await page.locator('article[data-id="long-macro"] .answer .katex').count()).toBe(0);
  });
});
