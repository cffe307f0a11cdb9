/**
 * Answers that once made a judge throw, and with it the whole submission an error at 0/20, graded
 * through the real command: an honest bug (a gradient with the upstream's shape in an op that does
 * not broadcast) loses its own part and what Q1(d)'s training loses with it; a hostile mse whose
 * graph names a node "constructor" gets a verdict. A part the grader cannot judge is flagged as a
 * grader error on the page and in the terminal line, and the other parts are graded as usual.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { writeSubmission } from '../../../tools/submissions/make-submission.js';
import type { Variant } from '../../../tools/submissions/variants.js';
import type { PartResult } from '../../src/trusted/result.js';
import { ROOT, foldersIn, fullMarks, pointsByPart, runGrade, type GradeRun } from './run-grade.js';

const REDUCE_MEAN_RULE = 'return [scale(broadcastTo(kept, this.x.shape), 1 / reductionCount(this.x.shape, this.axes))];';
const MATMUL_RULE = 'return [matmul(upstream, transpose(this.b.value)), matmul(transpose(this.a.value), upstream)];';

/** Honest bugs: a gradient with the upstream's shape, in ops that do not broadcast. Both also stop Q1(d)'s training. */
const HONEST: Variant[] = [
  {
    id: 'reducemean-returns-upstream',
    mistake: 'ReduceMean.backwardRule returns [upstream]',
    patches: [{ file: 'src/ops.ts', find: REDUCE_MEAN_RULE, replace: 'return [upstream];' }],
    expectedPoints: { 'Q1b.ReduceMean': 0, Q1d: 0 },
  },
  {
    id: 'matmul-returns-upstream',
    mistake: 'MatMul.backwardRule returns [upstream, upstream]',
    patches: [{ file: 'src/ops.ts', find: MATMUL_RULE, replace: 'return [upstream, upstream];' }],
    expectedPoints: { 'Q1b.MatMul': 0, Q1d: 0 },
  },
];

/**
 * mse squares the residual with a class of its own named `constructor` (a key every object has),
 * and makes the Q1(c) oracle report that node's kind as the bare class name. Training still works.
 */
const CONSTRUCTOR_NODE: Variant = {
  id: 'mse-node-named-constructor',
  mistake: 'mse builds a node whose kind the child reports as "constructor"',
  patches: [
    {
      file: 'src/losses.ts',
      find: "import type { Tensor } from './tensor.js';",
      replace: `import { Tensor } from './tensor.js';
import { mul, scale, type NDArray } from './ndarray.js';

// The oracle describes an unknown operation as "unknown operation <class name>"; keep only the name.
const trim = String.prototype.trim;
String.prototype.trim = function (this: string): string {
  const text = trim.call(this);
  return text.startsWith('unknown operation ') ? text.slice('unknown operation '.length) : text;
};

/** x * x. */
class constructor extends Tensor {
  constructor(readonly x: Tensor) {
    super(mul(x.value, x.value), [x]);
  }

  override backwardRule(upstream: NDArray): NDArray[] {
    return [scale(mul(upstream, this.x.value), 2)];
  }
}`,
    },
    {
      file: 'src/losses.ts',
      find: 'return new ReduceMean(new Mul(residual, residual));',
      replace: 'return new ReduceMean(new constructor(residual));',
    },
  ],
  expectedPoints: { Q1c: 0 },
};

const part = (run: GradeRun, id: string, partId: string): PartResult =>
  run
    .results()
    .submissions.find((s) => s.id === id)!
    .parts.find((p) => p.id === partId)!;

describe('judges that once threw, through the real command', () => {
  let run: GradeRun;
  beforeAll(async () => {
    const folder = mkdtempSync(join(tmpdir(), 'judge-failures-'));
    for (const variant of [...HONEST, CONSTRUCTOR_NODE]) writeSubmission(variant, join(folder, variant.id));
    run = await runGrade(foldersIn(folder));
  }, 300_000);

  it('grades every submission (no error), each losing only the parts its bug is in', () => {
    expect(run.exitCode).toBe(0);
    const result = run.results();
    expect(result.submissions.map((s) => [s.id, s.status])).toEqual([...HONEST, CONSTRUCTOR_NODE].map((v) => [v.id, 'graded']).sort());
    for (const variant of [...HONEST, CONSTRUCTOR_NODE])
      expect(pointsByPart(result, variant.id)).toEqual({ ...fullMarks(result), ...variant.expectedPoints });
    expect(result.submissions.flatMap((s) => s.parts).filter((p) => p.status === 'grader-error')).toEqual([]);
  });

  it('names the ReduceMean mistake and says why the training failed', () => {
    const reduceMean = part(run, 'reducemean-returns-upstream', 'Q1b.ReduceMean');
    expect(reduceMean.status).toBe('failed');
    expect(reduceMean.checks[0]).toMatchObject({
      diagnosis: 'mean-not-broadcast',
      message: expect.stringMatching(/^dL\/dx has shape \[.*\], expected \[.*\]$/),
    });
    expect(part(run, 'reducemean-returns-upstream', 'Q1d').checks[0].message).toMatch(/ReduceMean: the gradient for input 0 has shape/);
    expect(part(run, 'matmul-returns-upstream', 'Q1b.MatMul').status).toBe('failed');
  });

  it('judges a node of kind "constructor" as an operation ops.ts does not have', () => {
    expect(part(run, 'mse-node-named-constructor', 'Q1c')).toMatchObject({ status: 'failed', points: 0 });
    expect(part(run, 'mse-node-named-constructor', 'Q1c').checks[0]).toMatchObject({
      diagnosis: 'mse-not-from-ops',
      message: 'mse used constructor, which is not one of the operations of ops.ts',
    });
  });

  it('prints each score without an error', () => {
    expect(run.stderr).toMatch(/reducemean-returns-upstream: 16\/20 \(\+2\.5 pending\)$/m);
    expect(run.stderr).not.toMatch(/: error:|\(grader error in /);
    expect(run.stderr).toMatch(/^3 submission\(s\): 0 graded, 3 pending review, 0 no submission, 0 errors, 0 grader errors$/m);
  });
});

describe('a part the grader cannot judge, through the real command', () => {
  let run: GradeRun;
  beforeAll(async () => {
    // A test assignment whose part "broken" throws while it is graded (graders/test/fixtures/assignment-faulty).
    const fixture = join(ROOT, 'graders', 'test', 'fixtures', 'assignment-faulty');
    run = await runGrade(['--assignment', fixture, join(fixture, 'submissions', 'alice')]);
  }, 300_000);

  it('grades the submission: that part is a grader error worth 0 with the reason, the others count', () => {
    expect(run.exitCode).toBe(0);
    const [submission] = run.results().submissions;
    expect(submission).toMatchObject({ status: 'graded', total: 1, max: 2 });
    expect(submission.parts.find((p) => p.id === 'sound')).toMatchObject({ status: 'passed', points: 1 });
    expect(submission.parts.find((p) => p.id === 'broken')).toMatchObject({
      status: 'grader-error',
      points: 0,
      reason: 'the grader failed while judging this part: Error: this part cannot be judged',
    });
  });

  it('says so in the terminal line and on the pages', () => {
    expect(run.stderr).toContain('alice: 1/2 (grader error in broken)');
    const index = readFileSync(join(run.out, 'index.html'), 'utf8');
    expect(index).toContain('<span class="badge badge--grader-error">grader error</span>');
    const page = readFileSync(join(run.out, 'alice.html'), 'utf8');
    expect(page).toContain('The grader failed on part of this submission');
    expect(page).toContain('this part cannot be judged');
  });
});
