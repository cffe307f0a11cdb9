/**
 * A student's text in the reports that other programs read. Folder names are chosen to run as
 * spreadsheet formulas (`=HYPERLINK(...)`, `-1+1`, `@SUM(1)`, behind a tab, a space or a quote,
 * or after a `;` for spreadsheets that use it as the separator), and one submission prints and
 * throws text made to become links, images, HTML, mentions, references, math, terminal colours
 * and workflow commands. Through the real CLI: grades.csv has no cell either kind of spreadsheet
 * would run, and the Markdown summary links nothing. Through `npm run grade:pr` on a pull request
 * with such folders: the job summary links, mentions and shows nothing of theirs but text, and the
 * annotations carry the text as inert data.
 */
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSubmission } from '../../../tools/submissions/make-submission.js';
import type { Variant } from '../../../tools/submissions/variants.js';
import { ROOT, runGrade, type GradeRun } from '../cli/run-grade.js';
import { autolinks, cmarkGfm, formulaCells, runnerCommands, spreadsheetCells } from './readers.js';

/** What marks the loud submission's output: it stays out of the job summary. */
const PRINTED = 'printed-not-thrown';
/** What the loud submission prints and throws. */
const LOUD_TEXT =
  'see http://evil.example/x, www.evil.example or me@evil.example; [link](http://x) <img src=x onerror=alert(1)> ' +
  '@someone #1 GH-2 $\\href{http://x}{y}$ **bold** \u001b[31mred\u001b[0m\n::error::forged\n##[warning]forged too';
const LOUD: Variant = {
  id: 'loud',
  mistake: "Sigmoid's rule prints and throws text made to become markup, links and workflow commands",
  patches: [
    {
      file: 'src/ops.ts',
      find: 'return [upstream.map((g, i) => g * this.value.data[i] * (1 - this.value.data[i]))];',
      replace: `console.log(${JSON.stringify(`${PRINTED} ${LOUD_TEXT}`)});\n    throw new Error(${JSON.stringify(LOUD_TEXT)});`,
    },
  ],
  expectedPoints: { 'Q1b.Sigmoid': 0 },
};
const UNTOUCHED: Variant = { id: 'untouched', mistake: '', fromSkeleton: true, patches: [], expectedPoints: {} };

/** Folder names a spreadsheet would run, and the id cell grades.csv must hold for each (guarded: text). */
const FORMULA_IDS: [id: string, cell: string][] = [
  ['=HYPERLINK("https:evil.example","open")', `'=HYPERLINK("https:evil.example","open")`],
  ['-1+1', "'-1+1"],
  ['@SUM(1)', "'@SUM(1)"],
  ['+1', "'+1"],
  ['\t=1+1', "'\t=1+1"],
  [' =1+1', "' =1+1"],
  ['"=1+1', `'"=1+1`],
  ['x;=1+1', 'x;=1+1'],
];

/** No link, image or raw HTML of a student's in Markdown, by the rules and, where installed, by GitHub's renderer. */
function expectInert(markdown: string): void {
  expect(autolinks(markdown)).toEqual([]);
  const html = cmarkGfm(markdown);
  if (html !== null) {
    expect(html).not.toMatch(/<a\s|<img|<script|<iframe/i);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
  }
}

describe('student text in grades.csv and the Markdown summary (grade)', () => {
  let base: string;
  let run: GradeRun;

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'report-injection-'));
    for (const [id] of FORMULA_IDS) writeSubmission(UNTOUCHED, join(base, id));
    writeSubmission(LOUD, join(base, LOUD.id));
    const folders = [...FORMULA_IDS.map(([id]) => join(base, id)), join(base, LOUD.id)];
    run = await runGrade(['--format', 'csv,markdown,json', '--only', 'Q1b.Sigmoid', ...folders]);
  }, 300_000);

  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('grades every folder under its own name', () => {
    expect(run.exitCode, run.stderr).toBe(0);
    expect(
      run
        .results()
        .submissions.map((s) => s.id)
        .sort(),
    ).toEqual([...FORMULA_IDS.map(([id]) => id), LOUD.id].sort());
  });

  it('writes each id as text, in one cell, for a comma-separated spreadsheet', () => {
    const rows = spreadsheetCells(readFileSync(join(run.out, 'grades.csv'), 'utf8'), ',');
    const header = rows[0];
    expect(header).toEqual(['id', 'Q1b.Sigmoid', 'total', 'max', 'status']);
    for (const row of rows) expect(row, row[0]).toHaveLength(header.length);
    expect(
      rows
        .slice(1)
        .map((row) => row[0])
        .sort(),
    ).toEqual([...FORMULA_IDS.map(([, cell]) => cell), LOUD.id].sort());
    expect(formulaCells(rows)).toEqual([]);
  });

  it('leaves no cell that a spreadsheet with ";" between cells would run', () => {
    const rows = spreadsheetCells(readFileSync(join(run.out, 'grades.csv'), 'utf8'), ';');
    expect(rows.length).toBe(FORMULA_IDS.length + 2);
    expect(formulaCells(rows)).toEqual([]);
  });

  it('puts the thrown text in the Markdown summary as text that links nowhere', () => {
    const summary = readFileSync(join(run.out, 'summary.md'), 'utf8');
    expect(summary).toContain('threw Error: see http:\u2060//evil.example/x');
    expect(summary).toContain('@\u2060someone');
    expectInert(summary);
    // Every line is ours: a table row, a heading, a list item or a sentence of ours, never one a student started;
    // indented six spaces, a line of the test that replays a failed case, in a fenced block under its finding.
    const ours = /^(\| |#{2,4} |- | {2}- | {4}- |\d+ submission\(s\), |Part maxima: | {6})/;
    expect(summary.split('\n').filter((line) => line !== '' && !ours.test(line))).toEqual([]);
  });
});

describe("student text in a pull request's job summary and annotations (npm run grade:pr)", () => {
  const PR_IDS = ['@someone', '<img src=x onerror=alert(1)>', 'www.evil.example', '::error::forged', '-1+1'];
  let base: string;
  let stdout: string;
  let summary: string;
  let exitCode: number;

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'report-injection-pr-'));
    const repo = join(base, 'repo');
    await execa('git', ['init', '-q', '-b', 'main', repo]);
    const git = (...args: string[]) => execa('git', ['-C', repo, '-c', 'user.email=ta@example.edu', '-c', 'user.name=TA', ...args]);
    writeFileSync(join(repo, 'README.md'), 'Course submissions\n');
    await git('add', '-A');
    await git('commit', '-q', '-m', 'base');
    const baseCommit = (await git('rev-parse', 'HEAD')).stdout;
    mkdirSync(join(repo, 'submissions'));
    writeSubmission(LOUD, join(repo, 'submissions', LOUD.id));
    writeSubmission(UNTOUCHED, join(base, 'untouched'));
    for (const id of PR_IDS) cpSync(join(base, 'untouched'), join(repo, 'submissions', id), { recursive: true });
    await git('add', '-A');
    await git('commit', '-q', '-m', 'pull request');

    const files = join(base, 'github');
    mkdirSync(files);
    writeFileSync(join(files, 'summary.md'), '');
    writeFileSync(join(files, 'output'), '');
    const script = join(ROOT, 'graders', 'src', 'integrations', 'github-pr.ts');
    const run = await execa(
      join(ROOT, 'node_modules', '.bin', 'tsx'),
      [script, '--repo', repo, '--base', baseCommit, '--out', join(base, 'out')],
      {
        cwd: ROOT,
        reject: false,
        env: { GITHUB_STEP_SUMMARY: join(files, 'summary.md'), GITHUB_OUTPUT: join(files, 'output'), GITHUB_BASE_REF: '' },
      },
    );
    stdout = run.stdout;
    exitCode = run.exitCode ?? -1;
    summary = readFileSync(join(files, 'summary.md'), 'utf8');
  }, 300_000);

  afterAll(() => rmSync(base, { recursive: true, force: true }));

  it('grades every changed folder', () => {
    expect(exitCode, stdout).toBe(0);
    for (const id of [LOUD.id, ...PR_IDS]) expect(stdout).toContain(`${id}: `);
  });

  it('writes the job summary with the ids and the thrown text as text: no link, mention, image or HTML', () => {
    expect(summary).toContain('| @\u2060someone |');
    expect(summary).toContain('| &lt;img src=x onerror=alert(1)&gt; |');
    expect(summary).toContain('| www\u2060.evil.example |');
    expect(summary).toContain('threw Error: see http:\u2060//evil.example/x');
    expect(summary).not.toContain(PRINTED);
    expectInert(summary);
  });

  it('issues only its own commands: the printed and thrown ones are text, in a stop-commands block or as inert data', () => {
    const commands = runnerCommands(stdout);
    for (const command of commands) expect(['group', 'endgroup', 'stop-commands', 'error', 'notice'], command.name).toContain(command.name);
    expect(commands.filter((c) => c.data.startsWith('forged'))).toEqual([]);
    // What it printed reaches the log, as text in a stop-commands block.
    expect(stdout).toContain(`${PRINTED} see http://evil.example/x`);
    const sigmoid = commands.find((c) => c.name === 'error' && c.properties.file === `submissions/${LOUD.id}/src/ops.ts`)!;
    expect(sigmoid.properties.title).toBe('Q1(b) Sigmoid.backwardRule (0/1)');
    expect(sigmoid.data).toContain('threw Error: see http://evil.example/x');
    // Terminal colour codes are shown, not applied, in every command's data and properties.
    expect(sigmoid.data).toContain('\\u001b[31mred');
    for (const command of commands) expect([command.data, ...Object.values(command.properties)].join('\n')).not.toContain('\u001b');
    // The ids reach the annotations as the file's path only, each escaped as a property.
    expect(commands.filter((c) => c.name === 'error').map((c) => c.properties.file?.split('/')[1])).toEqual(expect.arrayContaining(PR_IDS));
  });
});
