import { assignment } from '../../src/assignments/assignment-11/index.js';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClassResult, PartResult } from '../../src/trusted/result.js';
import { isPendingReview } from '../../src/trusted/reports/class-summary.js';
import {
  canonicalClassResult,
  formatPoints,
  guardFormula,
  pageNames,
  renderCsvReport,
  writeFileAtomic,
  writeReports,
} from '../../src/trusted/reports/index.js';
import { formatValue } from '../../src/trusted/reports/counterexample-view.js';
import { trustedSvg } from '../../src/trusted/reports/trusted-svg.js';
import { classResultFixture, HOSTILE_ID, PLOTS, SCRIPT } from './class-result-fixture.js';

const HOSTILE_PAGE = pageNames([HOSTILE_ID]).get(HOSTILE_ID)!;

let outDir: string;

beforeEach(async () => {
  outDir = await mkdtemp(join(tmpdir(), 'reports-'));
});

afterEach(async () => {
  await rm(outDir, { recursive: true, force: true });
});

const read = (name: string) => readFile(join(outDir, name), 'utf8');

describe('writeReports', () => {
  it('writes every format into the folder and returns the paths', async () => {
    const paths = await writeReports(outDir, classResultFixture(), undefined, { partView: assignment.partView });
    // The review page's math needs KaTeX's stylesheet and fonts, written last, into assets/katex/.
    const assets = paths.filter((path) => path.startsWith(join(outDir, 'assets', 'katex') + '/'));
    expect(assets.map((path) => path.slice(outDir.length + 1))).toEqual(expect.arrayContaining(['assets/katex/katex.min.css', 'assets/katex/fonts/KaTeX_Main-Regular.woff2']));
    expect(paths.slice(0, -assets.length)).toEqual(['index.html', HOSTILE_PAGE, 'ada.html', 'ben.html', 'review.html', 'grades.csv', 'results.json'].map((name) => join(outDir, name)));
    expect((await readdir(outDir)).sort()).toEqual(['ada.html', 'assets', 'ben.html', HOSTILE_PAGE, 'grades.csv', 'index.html', 'results.json', 'review.html'].sort());
  });

  it('writes only the formats asked for, into a folder it creates', async () => {
    const nested = join(outDir, 'reports', 'run-1');
    expect(await writeReports(nested, classResultFixture(), ['csv'])).toEqual([join(nested, 'grades.csv')]);
    expect(await readdir(nested)).toEqual(['grades.csv']);
  });

  it('rejects an unknown format before writing anything', async () => {
    await expect(writeReports(outDir, classResultFixture(), ['html', 'pdf' as never])).rejects.toThrow(
      'writeReports: unknown report format "pdf"; expected one of html, csv, json, gradescope, classroom, junit, markdown.',
    );
    expect(await readdir(outDir)).toEqual([]);
  });

  it('handles a class with no submissions', async () => {
    const empty: ClassResult = { ...classResultFixture(), submissions: [] };
    const paths = await writeReports(outDir, empty);
    expect(paths.map((path) => path.slice(outDir.length + 1)).filter((name) => !name.startsWith('assets/'))).toEqual(['index.html', 'review.html', 'grades.csv', 'results.json']);
    expect(await read('review.html')).toContain('No answer waits for a TA’s score.');
    expect((await read('grades.csv')).split('\r\n')).toHaveLength(2);
    expect(await read('index.html')).toContain('<div class="stat"><dt>Mean total</dt><dd>–</dd></div>');
  });

  it('gives the same bytes on a second run, for every file', async () => {
    const first = await writeReports(outDir, classResultFixture());
    const contents = await Promise.all(first.map((path) => readFile(path)));
    const second = await writeReports(outDir, classResultFixture());
    expect(second).toEqual(first);
    for (const [index, path] of second.entries()) {
      expect((await readFile(path)).equals(contents[index]), path).toBe(true);
    }
  });
});

describe('grades.csv', () => {
  it('has a header, a row per submission by id, rounded points, RFC 4180 quoting and a formula guard', async () => {
    await writeReports(outDir, classResultFixture(), ['csv']);
    expect(await read('grades.csv')).toBe(
      [
        'id,Q1a,Q1b.ReduceMean,Q1b.Add,Q1b.Mul,Q1b.MatMul,Q1b.ReLU,Q1b.Sigmoid,Q1c,Q1d,Q2.kernel,Q2.input,Q2.derivation,Q3.k1,Q3.k2,total,max,status',
        `"'=cmd|""calc"",x",,,,,,,,,,,,,,,0,20,error`,
        'ada,2,1,1,1,1,1,1,1,1,2,2,2,2,2,20,20,graded',
        'ben,1.5,1,0,1,0,1,0,1,0.5,1.5,0,0,1.83,1.88,11.21,20,pending',
        '',
      ].join('\r\n'),
    );
  });

  it('guards text cells only: a negative number stays a number', () => {
    const result: ClassResult = {
      seed: 1,
      rubric: { name: 'A', version: '1', max: 1, parts: [{ id: 'P', title: 'P', max: 1 }] },
      submissions: [
        {
          id: '-1',
          total: -0.5,
          max: 1,
          status: 'graded',
          intake: [],
          isolation: [],
          output: '',
          parts: [{ id: 'P', title: 'P', points: -0.5, max: 1, status: 'failed', checks: [] }],
        },
        { id: '@x', total: 0.1 + 0.2, max: 1, status: 'graded', intake: [], isolation: [], output: '', parts: [] },
      ],
    };
    expect(renderCsvReport(result)[0].content).toBe("id,P,total,max,status\r\n'-1,-0.5,-0.5,1,graded\r\n'@x,,0.3,1,graded\r\n");
  });

  it('guards every formula prefix', () => {
    expect(['=1+1', '+1', '-A1', '@SUM(A1)', '\tx', '\rx', 'plain', ''].map(guardFormula)).toEqual([
      "'=1+1",
      "'+1",
      "'-A1",
      "'@SUM(A1)",
      "'\tx",
      "'\rx",
      'plain',
      '',
    ]);
  });

  it('formats points without float noise', () => {
    expect([1.5000000001, 2, 0.1 + 0.2, 2 * (33 / 36), -0.001, -1.25, Number.NaN].map(formatPoints)).toEqual(['1.5', '2', '0.3', '1.83', '0', '-1.25', '']);
  });
});

describe('results.json', () => {
  it('parses back to the class result, submissions by id (NaN becomes null, as in any JSON)', async () => {
    await writeReports(outDir, classResultFixture(), ['json']);
    const fixture = classResultFixture();
    const expected = JSON.parse(JSON.stringify({ ...fixture, submissions: [fixture.submissions[2], fixture.submissions[1], fixture.submissions[0]] }));
    const text = await read('results.json');
    expect(JSON.parse(text)).toEqual(expected);
    expect(text.endsWith('}\n')).toBe(true);
    expect(text).toBe(`${JSON.stringify(canonicalClassResult(fixture), null, 2)}\n`);
  });

  it('orders keys as the result model declares them, whatever order the grader used', () => {
    const fixture = classResultFixture();
    const scrambled = JSON.parse(JSON.stringify(fixture), (_key, value) =>
      value && typeof value === 'object' && !Array.isArray(value) ? Object.fromEntries(Object.entries(value).reverse()) : value,
    ) as ClassResult;
    // Free-form data (inputs, expected, got) keeps the grader's order, so restore that part.
    for (const [s, submission] of scrambled.submissions.entries()) {
      for (const [p, part] of submission.parts.entries()) {
        for (const [c, check] of part.checks.entries()) {
          const original = fixture.submissions[s].parts[p].checks[c].counterexample;
          if (check.counterexample && original) Object.assign(check.counterexample, { shapes: original.shapes, inputs: original.inputs });
        }
      }
    }
    const canonical = (result: ClassResult) => JSON.stringify(canonicalClassResult(result), null, 2);
    expect(canonical(scrambled)).toBe(canonical(JSON.parse(JSON.stringify(fixture))));
    expect(Object.keys(canonicalClassResult(scrambled))).toEqual(['seed', 'rubric', 'submissions']);
    expect(Object.keys(canonicalClassResult(scrambled).submissions[1].parts[0])).toEqual(['id', 'title', 'points', 'max', 'status', 'checks']);
  });
});

describe('HTML report', () => {
  beforeEach(async () => {
    await writeReports(outDir, classResultFixture(), ['html'], { partView: assignment.partView });
  });

  it('links every submission page from the index, and each page back to it', async () => {
    const index = await read('index.html');
    for (const name of ['ada.html', 'ben.html', HOSTILE_PAGE]) {
      expect(index).toContain(`<a href="${name}">`);
      expect(await read(name)).toContain('<a href="index.html">Class overview</a>');
    }
    expect(index).toContain('<title>Assignment 11: class results (seed 20260122, rubric version 1)</title>');
  });

  it('escapes student text everywhere: no raw script, handler or formula reaches a page', async () => {
    const escapedScript = '&lt;script&gt;alert(1)&lt;/script&gt;';
    const ben = await read('ben.html');
    expect(ben).toContain(escapedScript); // output, review text and a check message
    expect(ben).toContain('&lt;img src&#x3D;x onerror&#x3D;alert(2)&gt;');
    expect(ben).toContain('&quot;&#x3D;cmd&quot;');
    expect(await read(HOSTILE_PAGE)).toContain(escapedScript); // the error message
    expect(await read(HOSTILE_PAGE)).toContain('&#x3D;cmd|&quot;calc&quot;,x');
    for (const name of ['index.html', 'ada.html', 'ben.html', HOSTILE_PAGE]) {
      const html = await read(name);
      expect(html, name).not.toContain('<script>alert');
      expect(html, name).not.toContain('<img');
      expect(html.match(/<script\b/g)?.length ?? 0, name).toBe(name === 'index.html' ? 1 : 0);
    }
  });

  it('is self-contained: inline CSS, no external URL in any src, href or url()', async () => {
    for (const name of ['index.html', 'ada.html', 'ben.html', HOSTILE_PAGE]) {
      const html = await read(name);
      expect(html).toMatch(/<style>[\s\S]*--pass-bg[\s\S]*<\/style>/);
      expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src &#x27;none&#x27;;/);
      expect(html).not.toMatch(/\ssrc=/);
      expect(html).not.toMatch(/<link\b/);
      expect([...html.matchAll(/href="([^"]*)"/g)].map((match) => match[1]).filter((href) => /^[a-z]+:/i.test(href))).toEqual([]);
      expect(html).not.toMatch(/url\((?!#)/);
      expect(html).not.toMatch(/\b20\d\d-\d\d-\d\d\b/); // no dates
    }
  });

  it('shows the class overview: charts, a sortable table, pass rates and pending reviews', async () => {
    const index = await read('index.html');
    expect(index.match(/<h1\b/g)).toHaveLength(1);
    expect(index).toContain('<html lang="en">');
    expect(index.match(/<svg\b/g)).toHaveLength(2);
    expect(index).toContain('aria-sort="ascending"');
    expect(index).toContain('<span class="badge badge--pending">pending review</span>');
    expect(index).toContain('<td class="num" data-sort-value="1">1 of 2</td>');
    expect(index).toContain('<td class="num" data-sort-value="0.5">50%</td>');
  });

  it('shows a partial submission in full: hints, counterexamples, replay, matrices, plot, reviews, primitives', async () => {
    const ben = await read('ben.html');
    expect(ben.match(/<h1\b/g)).toHaveLength(1);
    expect(ben).toContain('<strong class="hint-label">Hint</strong> b was broadcast in the forward pass');
    expect(ben).toContain('<code class="shape">a: [2, 3]</code>');
    expect(ben).toContain('[\n  [0.25, -1, 2],\n  [1.5, 0, -0.75]\n]');
    expect(ben).toContain('[NaN, 0.25, 0.045177]');
    expect(ben).toContain('hidden property, { seed: 20260122, path: &quot;17:2:0&quot; }</code>');
    expect(ben).toContain('3 of 36 entries are wrong');
    expect(ben).toContain('<td class="wrong"><span class="mark" aria-hidden="true">✗</span>-2<span class="sr-only"> (wrong, expected 2)</span></td>');
    expect(ben).toContain('<td class="wrong"><span class="mark" aria-hidden="true">✗</span>–<span class="sr-only"> (wrong, expected 16)</span></td>');
    expect(ben).toContain(PLOTS.early);
    expect(ben).toContain('pending TA review</span> A TA will read this and add the points.');
    expect(ben).toContain('Your backward called correlate2d 1 time.');
    expect(ben).toContain('MatMul.backwardRule still throws NotImplemented(&quot;Q1(b) MatMul.backwardRule&quot;).');
    expect(ben).toContain('<code class="tag">process-group-kill</code>');

    const ada = await read('ada.html');
    expect(ada).toContain('<strong>TA score: 0.5 points.</strong> Good: you connected the final loss to the noise level.');
    expect(ada).toContain('Your backward called correlate2d 2 times and convolve2dFull 1 time.');
    expect(ada).not.toContain('class="failure"');
  });

  it('uses triple braces only for values named trusted…', async () => {
    const folder = new URL('../../src/trusted/reports/templates/', import.meta.url);
    for (const name of ['layout.hbs', 'class.hbs', 'submission.hbs']) {
      const template = await readFile(new URL(name, folder), 'utf8');
      for (const [raw] of template.matchAll(/\{\{\{[^}]*\}\}\}/g)) expect(raw, name).toMatch(/^\{\{\{trusted[A-Z]\w*\}\}\}$/);
      expect(template, name).not.toContain('{{&');
    }
  });
});

describe('trustedSvg', () => {
  it('embeds a plain SVG and withholds one with script, handlers or links', () => {
    expect(trustedSvg(PLOTS.trained)).toBe(PLOTS.trained); // clip paths (url(#clip1)) are fine
    expect(trustedSvg(`<svg><script>${SCRIPT}</script></svg>`)).toBeNull();
    expect(trustedSvg('<svg><rect onload="alert(1)"/></svg>')).toBeNull();
    expect(trustedSvg('<svg><a href="https://example.com"><text>x</text></a></svg>')).toBeNull();
    expect(trustedSvg('<svg><rect style="fill: url(https://example.com/x)"/></svg>')).toBeNull();
    expect(trustedSvg('<div></div>')).toBeNull();
  });
});

describe('formatValue', () => {
  it('prints matrices a row per line and keeps NaN and -0 visible', () => {
    expect(formatValue([[1, 2], [3, 4]])).toBe('[\n  [1, 2],\n  [3, 4]\n]');
    expect(formatValue([Number.NaN, Infinity, -0])).toBe('[NaN, Infinity, -0]');
    expect(formatValue({ a: '<b>', b: null })).toBe('{ a: "<b>", b: null }');
  });
});

describe('isPendingReview', () => {
  const q1d = (status: PartResult['status'], manual?: PartResult['manual']): PartResult => ({
    id: 'Q1d',
    title: 'Q1(d) linear regression',
    points: 0,
    max: 1,
    status,
    checks: [{ name: 'trains and plots', passed: false, points: 0, max: 0.5, message: 'the loss did not fall' }],
    review: { file: 'answers/q1d.md', text: 'my comment' },
    ...(manual ? { manual } : {}),
  });

  it('is pending when the part says so, or when a text has manual points but no TA score yet', () => {
    expect(isPendingReview({ ...q1d('pending'), review: undefined })).toBe(true);
    expect(isPendingReview(q1d('failed'))).toBe(true); // the comment's 0.5 points are still open
    expect(isPendingReview(q1d('crashed'))).toBe(true);
    expect(isPendingReview(q1d('failed', { points: 0.5, comment: 'ok' }))).toBe(false);
  });

  it('is not pending for a text whose points all come from checks', () => {
    const kernel = classResultFixture().submissions[1].parts.find((candidate) => candidate.id === 'Q2.kernel')!;
    const part = { ...kernel, review: { file: 'answers/notes.md', text: 'how I wrote it' } };
    expect(isPendingReview(part)).toBe(false);
  });

  it('is not pending for a text that is no answer (missing, empty, the template unchanged)', () => {
    for (const noAnswer of ['missing', 'empty', 'template'] as const) {
      expect(isPendingReview({ ...q1d('failed'), review: { file: 'answers/q1d.md', text: '', noAnswer } }), noAnswer).toBe(false);
    }
    const derivation: PartResult = { id: 'Q2.derivation', title: 'Q2 derivation', points: 0, max: 2, status: 'no-answer', checks: [], review: { file: 'answers/q2.md', text: '# Q2\n\n_Write your answer here._\n', noAnswer: 'template' } };
    expect(isPendingReview(derivation)).toBe(false);
    expect(isPendingReview({ ...derivation, status: 'pending', review: { file: 'answers/q2.md', text: 'dL/dK = V ⋆ G' } })).toBe(true);
  });
});

describe('pageNames', () => {
  it('keeps plain ids and gives other ids a slug with a hash, never index.html or a case clash', () => {
    const names = pageNames(['ada', 'index', 'Ben', 'ben', 'a b/c', '.hidden']);
    expect(names.get('ada')).toBe('ada.html');
    for (const id of ['index', 'Ben', 'ben', 'a b/c', '.hidden']) expect(names.get(id)).toMatch(/^[A-Za-z0-9][A-Za-z0-9._-]*-[0-9a-f]{8}\.html$/);
    expect(new Set([...names.values()].map((name) => name.toLowerCase())).size).toBe(6);
  });
});

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temporary file behind', async () => {
    const path = join(outDir, 'report.txt');
    await writeFile(path, 'old');
    await writeFileAtomic(path, 'new ✓');
    expect(await readFile(path, 'utf8')).toBe('new ✓');
    expect(await readdir(outDir)).toEqual(['report.txt']);
  });

  it('fails without leaving a temporary file when the target cannot be replaced', async () => {
    const folder = join(outDir, 'taken');
    await mkdir(folder);
    await writeFile(join(folder, 'file'), '');
    await expect(writeFileAtomic(folder, 'x')).rejects.toThrow(); // a file cannot replace a folder
    expect(await readdir(outDir)).toEqual(['taken']);
  });
});
