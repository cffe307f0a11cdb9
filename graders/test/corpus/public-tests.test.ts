/**
 * Every correct-but-different solution (tools/submissions/correct-corpus.ts, the coverage ones
 * included) passes the students' public tests too, in the project a student is given: a public
 * test may not fail code the grader gives full marks. One of them returns -0 from ReLU's backward
 * rule (`mul(upstream, mask)`), which the tests must take for 0. A wrong submission runs beside
 * them and must fail, in the tests of its own part only, so that the run can be seen to fail.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { graderTolerance } from '../../../reference/test/support/all-close.js';
import { gradientTolerance } from '../../../reference/test/support/gradient-check.js';
import { CORRECT_CORPUS } from '../../../tools/submissions/correct-corpus.js';
import { DEMO_VARIANTS } from '../../../tools/submissions/variants.js';
import { publicTestFiles, runPublicTests, type PublicTestsOutcome } from './public-tests-run.js';

/** A wrong submission: its Sigmoid derivative is written with the input instead of the output. */
const WRONG = DEMO_VARIANTS.find((variant) => variant.id === 'sigmoid-from-input')!;

/** The correct variant whose ReLU gradient holds -0. */
const NEGATIVE_ZERO = 'correct-relu-mul-mask';

let scratch = '';
let outcomes: Map<string, PublicTestsOutcome>;

beforeAll(async () => {
  scratch = mkdtempSync(join(tmpdir(), 'public-tests-'));
  outcomes = await runPublicTests([...CORRECT_CORPUS, WRONG], scratch);
}, 1_200_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('the public tests on the correct corpus', () => {
  it("compare with the grader's tolerance (graders/rubric.json)", () => {
    const rubricText = readFileSync(new URL('../../rubric.json', import.meta.url), 'utf8');
    const rubric = JSON.parse(rubricText) as { tolerance: { atol: number; rtol: number; step: number } };
    expect(graderTolerance).toEqual({ atol: rubric.tolerance.atol, rtol: rubric.tolerance.rtol });
    expect(gradientTolerance).toEqual(rubric.tolerance);
  });

  it(`include ${NEGATIVE_ZERO}, whose ReLU gradient really is -0 where x <= 0 and the upstream gradient is negative`, async () => {
    expect(CORRECT_CORPUS.map((variant) => variant.id)).toContain(NEGATIVE_ZERO);
    const src = (file: string) => pathToFileURL(join(outcomes.get(NEGATIVE_ZERO)!.folder, 'src', file)).href;
    const { ReLU } = (await import(src('ops.ts'))) as typeof import('../../../reference/src/ops.js');
    const { Input } = (await import(src('tensor.ts'))) as typeof import('../../../reference/src/tensor.js');
    const { NDArray } = (await import(src('ndarray.ts'))) as typeof import('../../../reference/src/ndarray.js');
    const [gradient] = new ReLU(new Input([0, -1])).inputGradients(NDArray.from([-2, -3]));
    const written = [...gradient.data].map((v) => (Object.is(v, -0) ? '-0' : String(v)));
    expect(written, 'dL/dx for x = [0, -1] and the upstream gradient [-2, -3]').toEqual(['-0', '-0']);
  });

  for (const variant of CORRECT_CORPUS) {
    it(`${variant.id}: every public test passes (${variant.mistake})`, () => {
      const outcome = outcomes.get(variant.id)!;
      expect(outcome.files, 'the public test files that ran').toEqual(publicTestFiles());
      expect(outcome.failures, outcome.failures.join('\n\n')).toEqual([]);
      expect(outcome.passed.length).toBeGreaterThan(0);
    });
  }

  it(`a wrong submission fails them, in its own part only (${WRONG.id}: ${WRONG.mistake})`, () => {
    const outcome = outcomes.get(WRONG.id)!;
    expect(outcome.files).toEqual(publicTestFiles());
    expect(outcome.failures.length).toBeGreaterThan(0);
    const sigmoidGradient = /^test\/q1b-ops\.test\.ts > Q1b Sigmoid > dL\/dx matches finite differences/;
    for (const failure of outcome.failures) expect(failure).toMatch(sigmoidGradient);
    expect(outcome.passed.some((name) => name.startsWith('test/q1b-ops.test.ts > Q1b ReLU'))).toBe(true);
  });
});
