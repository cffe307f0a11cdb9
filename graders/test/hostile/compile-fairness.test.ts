/**
 * One submission's compile costs no other submission anything. Through the real CLI, three
 * submissions graded together (--jobs 3): a complete solution with 20 helper modules made to keep
 * esbuild's parser busy for seconds each (a type argument list nested thousands deep, which it
 * then rejects), beside submissions/complete and submissions/gradients-assigned. The rubric gives
 * the compile of a whole submission 1 s of CPU time, and a submission 60 s of wall time: the
 * helpers together would take about 100 s, so a grader that made the others wait for them, or
 * counted that wait against their time, would take their points (one compile queue for all, with a
 * limit per file, gave the complete solution 4/20). The attacker loses its own code parts, each
 * saying which files were not compiled and why; the verdict is CPU time, the files' own, so the
 * result is cached like any compile error and served from the cache the next time.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeSubmission } from '../../../tools/submissions/make-submission.js';
import { DEMO_VARIANTS } from '../../../tools/submissions/variants.js';
import type { ClassResult } from '../../src/trusted/result.js';
import { ROOT, fullMarks, pointsByPart, runGrade, type GradeRun } from '../cli/run-grade.js';

const ATTACKER = 'a-slow-compile';
const HELPERS = Array.from({ length: 20 }, (_, i) => `src/h${String(i).padStart(2, '0')}.ts`);
/** About 5 s of esbuild's CPU time per helper (measured: 5.5 s; 0.4 s at 2,000 deep, 2.1 s at 5,000), five times the limit. */
const DEPTH = 7000;
/** The parts that run the student's code: every one of them gets the student's helper modules. */
const CODE_PARTS = [
  ...['Q1a', 'Q1b.ReduceMean', 'Q1b.Add', 'Q1b.Mul', 'Q1b.MatMul', 'Q1b.ReLU', 'Q1b.Sigmoid'],
  ...['Q1c', 'Q1d', 'Q2.kernel', 'Q2.input'],
];
const GRADIENTS_ASSIGNED = DEMO_VARIANTS.find((v) => v.id === 'gradients-assigned')!;

interface JsonSummary {
  submissions: { id: string; total: number; status: string; cached: boolean }[];
}

/** graders/rubric.json with `limits` changed, written into `dir`. */
function rubricWith(dir: string, limits: Record<string, number>): string {
  const rubric = JSON.parse(readFileSync(join(ROOT, 'graders', 'rubric.json'), 'utf8')) as { limits: Record<string, number> };
  Object.assign(rubric.limits, limits);
  const file = join(dir, 'rubric.json');
  writeFileSync(file, JSON.stringify(rubric));
  return file;
}

describe('a submission whose files take esbuild long to compile, graded beside others', () => {
  let base: string;
  let args: string[];
  let first: GradeRun;
  let result: ClassResult;

  beforeAll(async () => {
    base = mkdtempSync(join(tmpdir(), 'compile-fairness-'));
    const helpers = HELPERS.map((file, i) => ({ file, content: `export const x${i} = ${'f<'.repeat(DEPTH)}x${'>()'.repeat(DEPTH)};\n` }));
    writeSubmission({ id: ATTACKER, mistake: ATTACKER, patches: helpers, expectedPoints: {} }, join(base, ATTACKER));
    const rubric = rubricWith(base, { compileCpuSeconds: 1, submissionSeconds: 60 });
    const folders = [join(base, ATTACKER), join(ROOT, 'submissions', 'complete'), join(ROOT, 'submissions', 'gradients-assigned')];
    args = ['--jobs', '3', '--rubric', rubric, '--json', '--quiet', ...folders];
    first = await runGrade(args, { out: join(base, 'out') });
    result = first.results();
  }, 300_000);

  afterAll(() => {
    rmSync(base, { recursive: true, force: true });
  });

  it('completes with exit code 0', () => {
    expect(first.exitCode, first.stderr).toBe(0);
    expect(result.submissions.map((s) => s.id)).toEqual([ATTACKER, 'complete', 'gradients-assigned']);
  });

  it('grades the others as if alone: full marks, and the usual points', () => {
    expect(pointsByPart(result, 'complete')).toEqual(fullMarks(result));
    expect(pointsByPart(result, 'gradients-assigned')).toEqual({ ...fullMarks(result), ...GRADIENTS_ASSIGNED.expectedPoints });
  });

  it("costs the attacker its code parts only, naming the files stopped by the compile's CPU time limit and those not compiled", () => {
    const zero = Object.fromEntries(CODE_PARTS.map((part) => [part, 0]));
    expect(pointsByPart(result, ATTACKER)).toEqual({ ...fullMarks(result), ...zero });
    const attacker = result.submissions.find((s) => s.id === ATTACKER)!;
    // The first helper is stopped; the others are not compiled, nor is a file of the submission's that a later part needs.
    const refused = HELPERS.slice(1).join(', ').replaceAll('.', '\\.').replaceAll('/', '\\/');
    for (const id of CODE_PARTS) {
      const reason = attacker.parts.find((p) => p.id === id)!.reason ?? '';
      expect(reason, id).toMatch(/^could not compile: /);
      expect(reason, id).toMatch(/(^|could not compile: )src\/h00\.ts: esbuild did not finish within 1 s of CPU time,/m);
      const notCompiled = new RegExp(`(^|could not compile: )(src/[a-z-]+\\.ts, )*${refused}: not compiled: .* 1 s of CPU time`, 'm');
      expect(reason, id).toMatch(notCompiled);
    }
  });

  it('serves every submission from the cache the next time, the attacker too, with the same results', async () => {
    const again = await runGrade(args, { out: first.out });
    expect(again.exitCode, again.stderr).toBe(0);
    const summary = JSON.parse(again.stdout) as JsonSummary;
    expect(summary.submissions.map((s) => [s.id, s.cached])).toEqual([
      [ATTACKER, true],
      ['complete', true],
      ['gradients-assigned', true],
    ]);
    expect(again.resultsText()).toBe(first.resultsText());
  }, 120_000);
});
