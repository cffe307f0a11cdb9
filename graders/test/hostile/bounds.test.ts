/**
 * Bounds on everything a submission sends, through the real `grade` command (docs/security.md,
 * "Bounds"): the parent cuts every string and list of an answer as it reads it, whatever field
 * carries it, Q1(d)'s numbers are range-checked before anything draws them, every output file stays
 * within its documented size, one page that cannot be drawn says why while the class's reports are
 * still written, and the exit codes stay 0, 2 and 1 whatever happens.
 */
import { mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { makeRegressionData } from '../../../reference/src/linear-regression.js';
import { renderRegressionPlot } from '../../../reference/src/plot.js';
import { writeSubmission } from '../../../tools/submissions/make-submission.js';
import { DEMO_VARIANTS } from '../../../tools/submissions/variants.js';
import { WIRE_BOUNDS, readAnswer } from '../../src/trusted/answer.js';
import { TRAINING_BOUNDS } from '../../src/assignments/assignment-11/trusted/q1d-regression.js';
import { RESULT_BOUNDS } from '../../src/trusted/result-bounds.js';
import type { ClassResult, SubmissionResult } from '../../src/trusted/result.js';
import { GRADESCOPE_BOUNDS } from '../../src/trusted/reports/gradescope-report.js';
import { HTML_PAGE_MAX_BYTES } from '../../src/trusted/reports/html-report.js';
import { JUNIT_BOUNDS } from '../../src/trusted/reports/junit-report.js';
import { reviewPageMaxBytes } from '../../src/trusted/reports/review-report.js';
import { MARKDOWN_BOUNDS, TRUNCATED_NOTE } from '../../src/trusted/reports/markdown-report.js';
import { ROOT, fullMarks, pointsByPart, runGrade, type GradeRun } from '../cli/run-grade.js';
import { BOUNDS_VARIANTS } from './bounds-variants.js';

const GRADE = join(ROOT, 'graders', 'bin', 'grade.js');
const FORMATS = ['--format', 'html,csv,json,junit,markdown,gradescope'];
const MiB = 1024 * 1024;
/** The rubric's output cap, in characters. */
const OUTPUT_CHARS = 64 * 1024;

/** Every file under `dir`, with its size in bytes. */
function filesUnder(dir: string): { path: string; bytes: number }[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' })
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isFile())
    .map((path) => ({ path: relative(dir, path), bytes: statSync(path).size }));
}

/** The longest string anywhere in `value`. */
function longestString(value: unknown): number {
  if (typeof value === 'string') return value.length;
  if (typeof value !== 'object' || value === null) return 0;
  let longest = 0;
  for (const item of Object.values(value)) longest = Math.max(longest, longestString(item));
  return longest;
}

/** The size every output file may have for a class of `count` submissions (docs/security.md, "Bounds"). */
function expectWithinBounds(out: string, count: number): void {
  for (const { path, bytes } of filesUnder(out)) {
    if (path === 'summary.md') expect(bytes, path).toBeLessThan(MARKDOWN_BOUNDS.totalBytes + 1);
    else if (path === 'junit.xml') expect(bytes, path).toBeLessThan(count * (6 * JUNIT_BOUNDS.suiteChars + 64 * 1024));
    else if (path.startsWith('gradescope/'))
      expect(bytes, path).toBeLessThan(6 * (GRADESCOPE_BOUNDS.outputChars + 13 * GRADESCOPE_BOUNDS.testOutputChars) + 64 * 1024);
    // The review page lists the class's answers: each bounded, two manual items a submission at most.
    else if (path === 'review.html') expect(bytes, path).toBeLessThanOrEqual(reviewPageMaxBytes(2 * count));
    else if (path.endsWith('.html')) expect(bytes, path).toBeLessThanOrEqual(HTML_PAGE_MAX_BYTES);
    // results.json, grades.csv, timings.json and the cache's entries (each one submission's result).
    else expect(bytes, path).toBeLessThan(count * 2 * MiB);
  }
}

describe('bounded values before rendering, one cap at the wire', () => {
  let folder: string;
  let first: GradeRun;
  let result: ClassResult;
  const ids = ['complete', ...BOUNDS_VARIANTS.map((v) => v.id)];

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'bounds-'));
    writeSubmission(
      DEMO_VARIANTS.find((v) => v.id === 'complete')!,
      join(folder, 'complete'),
    );
    for (const variant of BOUNDS_VARIANTS) writeSubmission(variant, join(folder, variant.id));
    first = await runGrade([...FORMATS, ...ids.map((id) => join(folder, id))]);
    expect(first.exitCode, first.stderr).toBe(0);
    result = first.results();
  }, 600_000);

  const submission = (id: string): SubmissionResult => result.submissions.find((s) => s.id === id)!;

  it('the complete solution in the same run still gets full marks', () => {
    expect(pointsByPart(result, 'complete')).toEqual(fullMarks(result));
  });

  for (const variant of BOUNDS_VARIANTS) {
    it(`${variant.id}: ${variant.mistake}: loses exactly its own part`, () => {
      expect(submission(variant.id).status).toBe('graded');
      expect(pointsByPart(result, variant.id)).toEqual({ ...fullMarks(result), ...variant.expectedPoints });
    });
  }

  it('a huge loss is a failed Q1(d) with a clear message, and no plot data is kept', () => {
    const q1d = submission('huge-loss').parts.find((p) => p.id === 'Q1d')!;
    expect(q1d.status).toBe('failed');
    expect(q1d.checks[0].message).toBe(
      `training returned a loss of 1.700e+308 at epoch 1; a loss beyond ${TRAINING_BOUNDS.loss.toExponential()} means the training diverged`,
    );
    expect(q1d.checks[0].hint).toMatch(/check the gradients/);
    expect(q1d.extension?.training).toBeUndefined();
    for (const name of ['index.html', 'results.json', 'grades.csv', 'junit.xml', 'summary.md', 'huge-loss.html'])
      expect(statSync(join(first.out, name)).size, name).toBeGreaterThan(0);
  });

  it("a 128 KiB class name in mse's graph is cut in the parent: the check's message stays short", () => {
    const q1c = submission('huge-op-name').parts.find((p) => p.id === 'Q1c')!;
    expect(q1c.checks[0].message).toMatch(/^mse used unknown operation S+…/);
    expect(q1c.checks[0].message.length).toBeLessThanOrEqual(RESULT_BOUNDS.textChars);
    expect(q1c.checks[0].diagnosis).toBe('mse-not-from-ops');
  });

  it("an error's 4 MiB name and message are cut in the parent, however the child sent them", () => {
    const relu = submission('huge-error-name').parts.find((p) => p.id === 'Q1b.ReLU')!;
    const message = relu.checks[0].message;
    // The name is cut to its bound, the message of the check to the result's.
    expect(message).toMatch(new RegExp(`threw N{${WIRE_BOUNDS.nameChars - 40},${WIRE_BOUNDS.nameChars}}… \\(\\d+ characters cut\\): m+`));
    expect(message.length).toBeLessThanOrEqual(RESULT_BOUNDS.textChars);
  });

  it('a crafted result (nested huge error, deep list, many keys and items) reaches no output whole', () => {
    const sigmoid = submission('crafted-result').parts.find((p) => p.id === 'Q1b.Sigmoid')!;
    expect(sigmoid.checks[0].passed).toBe(false);
    for (const s of result.submissions) {
      for (const part of s.parts) {
        for (const text of [part.reason ?? '', ...part.checks.flatMap((c) => [c.message, c.hint ?? ''])])
          expect(text.length).toBeLessThanOrEqual(RESULT_BOUNDS.textChars);
      }
      expect(s.output.length).toBeLessThanOrEqual(OUTPUT_CHARS);
    }
    // No string anywhere in results.json is longer than the output cap (the student's own files are small here).
    expect(longestString(result)).toBeLessThanOrEqual(OUTPUT_CHARS);
    for (const { path } of filesUnder(first.out))
      expect(readFileSync(join(first.out, path), 'utf8'), path).not.toMatch(/T{3000}|E{3000}|M{3000}|N{3000}|m{3000}|S{3000}/);
  });

  it('every output file stays within its documented bound, summary.md under 1 MiB', () => {
    expectWithinBounds(first.out, ids.length);
    expect(statSync(join(first.out, 'summary.md')).size).toBeLessThan(MiB);
    for (const id of ids) expect(readFileSync(join(first.out, `${id}.html`), 'utf8')).not.toContain('This page could not be drawn');
  });

  it('a second run, from the cache, completes with the same results', async () => {
    const again = await runGrade([...FORMATS, ...ids.map((id) => join(folder, id))], { out: first.out });
    expect(again.exitCode, again.stderr).toBe(0);
    expect(again.resultsText()).toBe(first.resultsText());
    expect(statSync(join(first.out, 'index.html')).size).toBeGreaterThan(0);
  }, 300_000);

  it('a page that cannot be drawn says why, and the class reports are still written (grade merge of a damaged result)', async () => {
    const damaged = JSON.parse(first.resultsText()) as ClassResult;
    // A training run out of bounds, as a cache or a shard written by an older grader could hold it.
    const q1d = damaged.submissions.find((s) => s.id === 'huge-loss')!.parts.find((p) => p.id === 'Q1d')!;
    q1d.extension = { training: { weight: 2.5, bias: -1, losses: [1.7e308, 1] } };
    // A failed check whose counterexample has no shapes: every renderer of its findings throws on it.
    const sigmoid = damaged.submissions.find((s) => s.id === 'crafted-result')!.parts.find((p) => p.id === 'Q1b.Sigmoid')!;
    sigmoid.checks[0] = {
      ...sigmoid.checks[0],
      passed: false,
      counterexample: { expression: 'Sigmoid(x)', shapes: null as never, inputs: {} },
    };
    const shard = mkdtempSync(join(tmpdir(), 'bounds-shard-'));
    writeFileSync(join(shard, 'results.json'), JSON.stringify(damaged));
    const out = mkdtempSync(join(tmpdir(), 'bounds-merged-'));
    const merged = await execa(process.execPath, [GRADE, 'merge', '--out', out, ...FORMATS, shard], { reject: false });
    expect(merged.exitCode, merged.stderr).toBe(0);
    for (const name of ['index.html', 'results.json', 'grades.csv', 'junit.xml', 'summary.md'])
      expect(statSync(join(out, name)).size, name).toBeGreaterThan(0);
    expect(readFileSync(join(out, 'crafted-result.html'), 'utf8')).toContain('This page could not be drawn: ');
    expect(readFileSync(join(out, 'complete.html'), 'utf8')).not.toContain('could not be drawn');
    const page = readFileSync(join(out, 'huge-loss.html'), 'utf8');
    expect(page).not.toContain('This page could not be drawn');
    expect(page).toContain('The plot of your run could not be shown here: training returned a loss of 1.700e+308 at epoch 1');
    expect(readFileSync(join(out, 'summary.md'), 'utf8')).toContain('These findings could not be written: ');
    expect(readFileSync(join(out, 'junit.xml'), 'utf8')).toContain("this submission's result could not be written here: ");
    expect(readFileSync(join(out, 'gradescope', 'crafted-result', 'results.json'), 'utf8')).toContain(
      'Your results could not be written here',
    );
  }, 120_000);

  it('the summary of a large class with long findings is cut per submission and in all, under 1 MiB', async () => {
    const template = JSON.parse(first.resultsText()) as ClassResult;
    const long = `| [x](y) *z* ${'<&>'.repeat(600)}`;
    const crafted = template.submissions.find((s) => s.id === 'crafted-result')!;
    const many: SubmissionResult[] = Array.from({ length: 150 }, (_, i) => ({
      ...crafted,
      id: `student-${String(i).padStart(3, '0')}`,
      parts: crafted.parts.map((part) => ({
        ...part,
        status: 'failed',
        points: 0,
        checks: part.checks.map((c) => ({ ...c, passed: false, points: 0, message: long, hint: long })),
      })),
    }));
    const shard = mkdtempSync(join(tmpdir(), 'bounds-class-'));
    writeFileSync(join(shard, 'results.json'), JSON.stringify({ ...template, submissions: many }));
    const out = mkdtempSync(join(tmpdir(), 'bounds-class-out-'));
    const merged = await execa(process.execPath, [GRADE, 'merge', '--out', out, ...FORMATS, shard], { reject: false });
    expect(merged.exitCode, merged.stderr).toBe(0);
    const summary = readFileSync(join(out, 'summary.md'), 'utf8');
    expect(Buffer.byteLength(summary)).toBeLessThanOrEqual(MARKDOWN_BOUNDS.totalBytes);
    expect(summary.trimEnd().endsWith(TRUNCATED_NOTE)).toBe(true);
    expect(summary).toContain(`- ${TRUNCATED_NOTE}`);
    for (const section of summary.split('\n#### ').slice(1))
      expect(Buffer.byteLength(section)).toBeLessThanOrEqual(MARKDOWN_BOUNDS.submissionBytes + 100);
    expectWithinBounds(out, many.length);
  }, 120_000);
});

describe('readAnswer: one cap at the wire', () => {
  const NONCE = 'a'.repeat(32);
  const BUNDLE = 'q1b/oracle.js';
  /** A message as Node's IPC channel gives it (JSON text, parsed). */
  const message = (responses: unknown[]): unknown =>
    JSON.parse(JSON.stringify({ type: 'answer', nonce: NONCE, bundle: BUNDLE, responses }));
  const read = (responses: unknown[]) => readAnswer(message(responses), NONCE, BUNDLE, responses.length);
  const huge = 'x'.repeat(10 << 20);

  /** The deepest level of arrays and objects in `value`. */
  const depthOf = (value: unknown): number => {
    if (typeof value !== 'object' || value === null) return 0;
    let deepest = 0;
    for (const item of Object.values(value)) deepest = Math.max(deepest, depthOf(item));
    return 1 + deepest;
  };

  it('keeps an honest answer as it is, without copying it', () => {
    const answer = message([{ result: { value: { shape: [2], data: [1, null] }, gradients: [{ notAnArray: 'null' }] } }]) as {
      responses: { result: unknown }[];
    };
    expect(readAnswer(answer, NONCE, BUNDLE, 1)![0]).toEqual({ result: answer.responses[0].result });
    expect((readAnswer(answer, NONCE, BUNDLE, 1)![0] as { result: unknown }).result).toBe(answer.responses[0].result);
  });

  it("cuts an error's name, message and part, at the top and nested in a result", () => {
    const error = { name: huge, message: huge, part: huge };
    const [top, nested] = read([{ error }, { result: { kernel: { error } } }])!;
    const cutError = { name: expect.stringMatching(/… \(\d+ characters cut\)$/), message: expect.any(String), part: expect.any(String) };
    expect(top).toEqual({ error: cutError });
    expect(nested).toEqual({ result: { kernel: { error: cutError } } });
    const { name, message: text, part } = (top as { error: { name: string; message: string; part: string } }).error;
    expect([name.length, text.length, part.length]).toEqual([WIRE_BOUNDS.nameChars, WIRE_BOUNDS.stringChars, WIRE_BOUNDS.nameChars]);
  });

  it('refuses the whole answer when an error, at any depth, is not { name, message, part? } of strings', () => {
    expect(read([{ result: { image: { error: { name: 7, message: 'x' } } } }])).toBeNull();
    expect(read([{ result: [[{ error: 'boom' }]] }])).toBeNull();
  });

  it('cuts strings, lists, objects and nesting in a result, whatever field carries them', () => {
    let deep: unknown[] = [];
    for (let i = 0; i < 2000; i++) deep = [deep];
    const keys = Object.fromEntries(Array.from({ length: 100_000 }, (_, i) => [`k${i}`, i]));
    const [response] = read([{ result: { text: huge, items: new Array(2_000_000).fill(0), deep, keys, strings: [huge, [huge]] } }])!;
    const result = (response as { result: Record<string, unknown> }).result;
    expect(longestString(result)).toBe(WIRE_BOUNDS.stringChars);
    expect((result.items as unknown[]).length).toBe(WIRE_BOUNDS.arrayItems);
    expect(Object.keys(result.keys as object)).toHaveLength(WIRE_BOUNDS.objectKeys);
    expect(depthOf(result)).toBeLessThanOrEqual(WIRE_BOUNDS.depth);
    // Deep lists no longer break what writes the results (JSON.stringify recurses).
    expect(() => JSON.stringify(result)).not.toThrow();
  });
});

describe('the plot of Q1(d) with numbers at and past the bounds', () => {
  it('draws a loss of 1.7e308, one that rounds to 0, and the largest line the bounds let through', async () => {
    const data = makeRegressionData();
    const { coefficient, loss } = TRAINING_BOUNDS;
    for (const training of [
      { weight: 2.5, bias: -1, losses: [1.7e308, 1] },
      { weight: 2.5, bias: -1, losses: [Number.MIN_VALUE] },
      { weight: coefficient, bias: -coefficient, losses: [loss, Number.MIN_VALUE] },
    ]) {
      expect(await renderRegressionPlot(data, training)).toMatch(/^<svg[\s\S]*<\/svg>$/);
    }
  });
});

describe('exit codes whatever happens', () => {
  /** Runs `grade args` with `preload` (ES module source) imported first, to plant a failure. */
  async function gradeWith(preload: string, args: string[]) {
    const file = join(mkdtempSync(join(tmpdir(), 'preload-')), 'preload.mjs');
    writeFileSync(file, preload);
    return execa(process.execPath, ['--import', file, GRADE, ...args], { cwd: ROOT, reject: false, env: { NO_COLOR: '1' } });
  }

  it('an error thrown where nothing catches it is a harness failure: exit 1 with a message', async () => {
    // Writing the help schedules an exception outside any promise main awaits.
    const preload = `const write = process.stdout.write.bind(process.stdout);
process.stdout.write = (...args) => {
  setImmediate(() => { throw new Error('planted failure'); });
  return write(...args);
};`;
    const run = await gradeWith(preload, ['--help']);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('grade: the harness failed: Error: planted failure');
  });

  it('a run that stops before main returns (a promise that never settles) exits with 1, not 13', async () => {
    // Every atomic write waits forever: main never returns, and nothing else keeps the process alive.
    const preload = `import fs from 'node:fs/promises';
import { syncBuiltinESMExports } from 'node:module';
fs.rename = () => new Promise(() => {});
syncBuiltinESMExports();`;
    const shard = mkdtempSync(join(tmpdir(), 'exit-shard-'));
    writeFileSync(
      join(shard, 'results.json'),
      JSON.stringify({ seed: 1, rubric: { name: 'A', version: '1', max: 0, parts: [] }, submissions: [] }),
    );
    const run = await gradeWith(preload, ['merge', '--out', mkdtempSync(join(tmpdir(), 'exit-out-')), shard]);
    expect(run.exitCode).toBe(1);
    expect(run.stderr).toContain('grade: the harness failed: it stopped before it finished');
  });
});
