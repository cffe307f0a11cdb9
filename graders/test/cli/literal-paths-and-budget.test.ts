/**
 * Two guards on what a class costs and whom it grades, through the real `grade` command:
 * - folder arguments are taken exactly as given (the shell expands patterns, grade never does), so
 *   a folder named like a pattern is graded as itself, and two folders with one name are refused,
 *   by `grade`, by `grade merge` and in the pull-request script;
 * - a submission has a budget of wall time and CPU time, and shrinking a failure has a bound:
 *   answers held back just under the run's time limit, on cases that keep failing, cost the
 *   budget and no more; the parts not finished say why, and such a result is not cached.
 * Every outcome is judged by the reason the result records, never by a clock.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execa } from 'execa';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeSubmission } from '../../../tools/submissions/make-submission.js';
import { DEMO_VARIANTS, type Variant } from '../../../tools/submissions/variants.js';
import type { ClassResult, SubmissionResult } from '../../src/trusted/result.js';
import { ROOT, runGrade } from './run-grade.js';

const GRADE = join(ROOT, 'graders', 'bin', 'grade.js');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');
const COMPLETE = DEMO_VARIANTS.find((v) => v.id === 'complete')!;
const SKELETON = DEMO_VARIANTS.find((v) => v.id === 'untouched-skeleton')!;
/** Folder names that glob, extglob and brace patterns would expand into other folders. */
const PATTERN_NAMES = ['@(complete)', '*', '[a-z]*', '{a,b}'];

interface JsonSummary {
  submissions: { id: string; total: number; status: string; cached: boolean }[];
}

const summaryOf = (stdout: string): JsonSummary => JSON.parse(stdout) as JsonSummary;

/** A rubric like graders/rubric.json with `limits` changed, in a temporary file. */
function rubricWith(limits: Record<string, number>): string {
  const rubric = JSON.parse(readFileSync(join(ROOT, 'graders', 'rubric.json'), 'utf8')) as { limits: Record<string, number> };
  Object.assign(rubric.limits, limits);
  const file = join(mkdtempSync(join(tmpdir(), 'rubric-')), 'rubric.json');
  writeFileSync(file, JSON.stringify(rubric));
  return file;
}

describe('folders are taken exactly as given', () => {
  let classDir: string;
  beforeAll(() => {
    classDir = mkdtempSync(join(tmpdir(), 'literal-paths-'));
    // Complete solutions under the names the patterns match, untouched skeletons under the patterns' names.
    for (const name of ['complete', 'a', 'b', 'alice']) writeSubmission(COMPLETE, join(classDir, name));
    for (const name of PATTERN_NAMES) writeSubmission(SKELETON, join(classDir, name));
  });

  it('grades folders named @(complete), *, [a-z]* and {a,b} as themselves, and nothing else', async () => {
    const run = await runGrade(['--only', 'Q3.k1', '--json', ...PATTERN_NAMES.map((name) => join(classDir, name))]);
    expect(run.exitCode, run.stderr).toBe(0);
    const summary = summaryOf(run.stdout);
    expect(summary.submissions.map((s) => s.id).sort()).toEqual([...PATTERN_NAMES].sort());
    // Each is its own untouched skeleton, not the complete solution its name would match.
    for (const s of summary.submissions) expect(s, s.id).toMatchObject({ status: 'graded', total: 0 });
    expect(
      run
        .results()
        .submissions.map((s) => s.id)
        .sort(),
    ).toEqual([...PATTERN_NAMES].sort());
  }, 120_000);

  it('refuses two folders with the same name (one id for two students), naming both paths', async () => {
    const other = join(mkdtempSync(join(tmpdir(), 'literal-paths-other-')), 'alice');
    writeSubmission(COMPLETE, other);
    const alice = join(classDir, 'alice');
    for (const [first, second] of [
      [alice, other],
      [alice, alice],
      [alice, `${alice}/`],
    ]) {
      const run = await runGrade(['--only', 'Q3.k1', first, join(classDir, 'a'), second]);
      expect(run.exitCode, run.stderr).toBe(2);
      expect(run.stderr).toContain('have the same name');
      expect(run.stderr).toContain(`"alice": ${first} and ${second}`);
      expect(run.stderr).not.toContain('"a"');
    }
  }, 60_000);

  it('grade merge refuses a shard output that holds the same id twice', async () => {
    const shard = await runGrade(['--only', 'Q3.k1', '--shard', '1/1', join(classDir, 'alice')]);
    expect(shard.exitCode, shard.stderr).toBe(0);
    // As a grader that expanded patterns itself could write it.
    const result = shard.results();
    result.submissions.push(structuredClone(result.submissions[0]));
    writeFileSync(join(shard.out, 'results.json'), JSON.stringify(result));
    const mergedOut = mkdtempSync(join(tmpdir(), 'merged-'));
    const merged = await execa(process.execPath, [GRADE, 'merge', '--out', mergedOut, shard.out], { reject: false });
    expect(merged.exitCode).toBe(2);
    expect(merged.stderr).toContain(`submission "alice" is in ${join(shard.out, 'results.json')} twice`);
  }, 60_000);

  it('the pull-request script grades a changed folder named "*" as itself, not every submission', async () => {
    const repo = mkdtempSync(join(tmpdir(), 'literal-paths-pr-'));
    const git = (...args: string[]) => execa('git', ['-C', repo, ...args]);
    await git('init', '-q', '-b', 'main');
    await git('config', 'user.email', 'ta@example.org');
    await git('config', 'user.name', 'TA');
    writeSubmission(COMPLETE, join(repo, 'submissions', 'complete'));
    await git('add', '-A');
    await git('commit', '-q', '-m', 'base');
    for (const name of ['*', '@(complete)']) writeSubmission(SKELETON, join(repo, 'submissions', name));
    await git('add', '-A');
    await git('commit', '-q', '-m', 'pull request');
    const out = mkdtempSync(join(tmpdir(), 'literal-paths-pr-out-'));
    const script = join(ROOT, 'graders', 'src', 'integrations', 'github-pr.ts');
    const pr = await execa(TSX, [script, '--repo', repo, '--base', 'HEAD~1', '--out', out, '--fail-under', '50'], {
      cwd: ROOT,
      reject: false,
      env: { GITHUB_STEP_SUMMARY: '', GITHUB_OUTPUT: '', GITHUB_BASE_REF: '' },
    });
    // Both skeletons score 0: the check fails; no other submission's score stands in for theirs.
    expect(pr.exitCode, pr.stdout + pr.stderr).toBe(1);
    const result = JSON.parse(readFileSync(join(out, 'results.json'), 'utf8')) as ClassResult;
    expect(result.submissions.map((s) => [s.id, s.total])).toEqual([
      ['*', 0],
      ['@(complete)', 0],
    ]);
  }, 180_000);
});

/**
 * The reference with `rules` of ops.ts replaced; ops.ts gets call counters and `holdBack(ms)`,
 * which holds an answer back using no CPU.
 */
function opsPatched(id: string, rules: { find: string; replace: string }[]): Variant {
  const header = "import { Tensor } from './tensor.js';";
  return {
    id,
    mistake: 'holds answers back just under the time limit',
    patches: [
      {
        file: 'src/ops.ts',
        find: header,
        replace: [
          header,
          'const held = new Int32Array(new SharedArrayBuffer(4));',
          'const holdBack = (ms: number): void => void Atomics.wait(held, 0, 0, ms);',
          'let addCalls = 0;',
          'let mulCalls = 0;',
        ].join('\n'),
      },
      ...rules.map((rule) => ({ file: 'src/ops.ts', ...rule })),
    ],
    expectedPoints: {},
  };
}

const ADD_RULE = 'return [sumToShape(upstream, this.a.shape), sumToShape(upstream, this.b.shape)];';
const MUL_RULE = 'return [sumToShape(mul(upstream, this.b.value), this.a.shape), sumToShape(mul(upstream, this.a.value), this.b.shape)];';
/** Q1b.Add's random cases in the rubric: the calls of its first run; later calls are shrinking. */
const ADD_RUNS = 60;

describe('a budget per submission, and a bound on shrinking', () => {
  const part = (submission: SubmissionResult, id: string) => submission.parts.find((p) => p.id === id)!;

  it('stops a submission whose answers are held back at its budget; the parts not finished say so; it is graded again', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'budget-'));
    // Add: wrong answers, so its failure is shrunk, and each shrinking case is held back 25 s, just
    // under the run's limit of 30 s. Mul: right answers, the first held back the same way.
    writeSubmission(
      opsPatched('holds-back', [
        { find: ADD_RULE, replace: `if (++addCalls > ${ADD_RUNS}) holdBack(25_000);\n    return [upstream, upstream];` },
        { find: MUL_RULE, replace: `if (mulCalls++ === 0) holdBack(25_000);\n    ${MUL_RULE}` },
      ]),
      join(dir, 'holds-back'),
    );
    writeSubmission(COMPLETE, join(dir, 'complete'));
    const rubric = rubricWith({ timeoutSeconds: 30, submissionSeconds: 10 });
    const out = mkdtempSync(join(tmpdir(), 'budget-out-'));
    const args = ['--rubric', rubric, '--only', 'Q1b.Add,Q1b.Mul', '--json', join(dir, 'holds-back'), join(dir, 'complete')];

    const first = await runGrade(args, { out });
    expect(first.exitCode, first.stderr).toBe(0);
    const held = first.results().submissions.find((s) => s.id === 'holds-back')!;
    const budget = "the submission's time budget (10 s) ran out";
    // Add finished with a known failure: it keeps it, with the case found before the budget ran out.
    expect(part(held, 'Q1b.Add')).toMatchObject({ status: 'failed', points: 0 });
    expect(part(held, 'Q1b.Add').checks[0].counterexample).toBeDefined();
    expect(part(held, 'Q1b.Add').checks[0].message).toContain(`shrinking stopped early, as ${budget}`);
    // Mul's answer was held back when the budget ran out: not finished, for that reason, not the run's limit.
    expect(part(held, 'Q1b.Mul')).toMatchObject({ status: 'timeout', points: 0, reason: `${budget} before this part finished` });
    // The complete solution beside it is graded as usual.
    expect(first.results().submissions.find((s) => s.id === 'complete')!.total).toBe(2);

    const second = await runGrade(args, { out });
    expect(second.exitCode, second.stderr).toBe(0);
    const cached = Object.fromEntries(summaryOf(second.stdout).submissions.map((s) => [s.id, s.cached]));
    expect(cached).toEqual({ complete: true, 'holds-back': false });
  }, 180_000);

  it("stops a submission whose children spend its CPU time budget, even within the run's time limit", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cpu-budget-'));
    const busy = `for (const end = Date.now() + 25_000; Date.now() < end; );\n    ${MUL_RULE}`;
    writeSubmission(opsPatched('busy', [{ find: MUL_RULE, replace: busy }]), join(dir, 'busy'));
    const rubric = rubricWith({ timeoutSeconds: 30, submissionCpuSeconds: 1 });
    const run = await runGrade(['--rubric', rubric, '--only', 'Q1b.Mul', join(dir, 'busy')]);
    expect(run.exitCode, run.stderr).toBe(0);
    expect(part(run.results().submissions[0], 'Q1b.Mul')).toMatchObject({
      status: 'timeout',
      reason: "the submission's CPU time budget (1 s) ran out before this part finished",
    });
  }, 120_000);

  it("stops shrinking after the rubric's shrinkRuns: the check still fails with its case, and the result is cached", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'shrink-bound-'));
    writeSubmission(opsPatched('wrong-add', [{ find: ADD_RULE, replace: 'return [upstream, upstream];' }]), join(dir, 'wrong-add'));
    const out = mkdtempSync(join(tmpdir(), 'shrink-bound-out-'));
    const args = ['--rubric', rubricWith({ shrinkRuns: 2 }), '--only', 'Q1b.Add', '--json', join(dir, 'wrong-add')];

    const first = await runGrade(args, { out });
    expect(first.exitCode, first.stderr).toBe(0);
    const add = part(first.results().submissions[0], 'Q1b.Add');
    expect(add.status).toBe('failed');
    expect(add.checks[0].counterexample).toBeDefined();
    expect(add.checks[0].message).toContain('shrinking stopped early, as it reached 2 runs');
    // The bound is a count, not a time: the same result every time, so it is kept.
    const second = await runGrade(args, { out });
    expect(summaryOf(second.stdout).submissions[0].cached).toBe(true);
    expect(second.resultsText()).toBe(first.resultsText());
  }, 120_000);
});

describe('the rubric', () => {
  it('has a budget per submission and a bound on shrinking, with the defaults when a rubric leaves them out', async () => {
    const rubric = JSON.parse(readFileSync(join(ROOT, 'graders', 'rubric.json'), 'utf8')) as { limits: Record<string, number> };
    const defaults = { submissionSeconds: 180, submissionCpuSeconds: 120, shrinkRuns: 100 };
    expect(rubric.limits).toMatchObject(defaults);
    const { loadRubric } = await import('../../src/trusted/load-rubric.js');
    const { assignment } = await import('../../src/assignments/assignment-11/index.js');
    const dir = mkdtempSync(join(tmpdir(), 'rubric-defaults-'));
    const { submissionSeconds: _w, submissionCpuSeconds: _c, shrinkRuns: _s, ...older } = rubric.limits;
    writeFileSync(join(dir, 'rubric.json'), JSON.stringify({ ...rubric, limits: older }));
    expect(loadRubric(assignment, join(dir, 'rubric.json')).limits).toMatchObject(defaults);
    mkdirSync(join(dir, 'bad'));
    writeFileSync(join(dir, 'bad', 'rubric.json'), JSON.stringify({ ...rubric, limits: { ...rubric.limits, submissionSeconds: 0 } }));
    expect(() => loadRubric(assignment, join(dir, 'bad', 'rubric.json'))).toThrow(/limits\.submissionSeconds/);
  });
});
