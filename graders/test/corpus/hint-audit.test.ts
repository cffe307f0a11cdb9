/**
 * The audit that the corpus tests and `npm run sweep` apply to every result (tools/stress/hint-audit.ts)
 * fails where it must: a diagnosis not named, a name the variant does not list, points lost in the
 * wrong part, a hint whose shapes or whose "what differs" sentence disagree with its counterexample.
 */
import { describe, expect, it } from 'vitest';
import type { CheckResult, PartResult, SubmissionResult } from '../../src/trusted/result.js';
import { auditCorrect, auditWrong, hintProblems } from '../../../tools/stress/hint-audit.js';
import type { Variant } from '../../../tools/submissions/variants.js';

const tolerance = { atol: 1e-5, rtol: 1e-3 };

const failed = (fields: Partial<CheckResult>): CheckResult => ({
  name: 'gradient',
  passed: false,
  points: 0,
  max: 1,
  message: 'wrong',
  ...fields,
});
const part = (id: string, points: number, checks: CheckResult[]): PartResult => ({
  id,
  title: id,
  points,
  max: 1,
  status: points === 1 ? 'passed' : 'failed',
  checks,
});
const submission = (parts: PartResult[]): SubmissionResult => ({
  id: 'x',
  total: 0,
  max: 0,
  status: 'graded',
  intake: [],
  isolation: [],
  output: '',
  parts,
});

const addCase = {
  expression: 'Add(a, b)',
  shapes: { a: [2, 1], b: [2], upstream: [2, 2] },
  inputs: {},
  where: 'dL/da[0,0]',
  expected: [[1], [2]],
  got: [
    [2, 2],
    [3, 3],
  ],
};
const variant: Variant = {
  id: 'x',
  mistake: 'not summed',
  patches: [],
  expectedPoints: { 'Q1b.Add': 0 },
  expectedDiagnoses: { 'Q1b.Add': 'broadcast-not-summed' },
  possibleDiagnoses: { 'Q1b.Add': ['broadcast-summed-wrong-axes'] },
};

describe('auditWrong', () => {
  it('accepts the expected points and diagnosis, and a possible one beside it', () => {
    const parts = [
      part('Q1b.Add', 0, [
        failed({
          diagnosis: 'broadcast-not-summed',
          hint: 'The gradient for a has shape [2,2] but a has shape [2,1]: sum it.',
          counterexample: addCase,
        }),
      ]),
      part('Q1b.Mul', 1, []),
    ];
    expect(auditWrong(variant, submission(parts), tolerance)).toEqual([]);
    parts[0].checks.push(failed({ diagnosis: 'broadcast-summed-wrong-axes' }));
    expect(auditWrong(variant, submission(parts), tolerance)).toEqual([]);
  });

  it('reports a missing diagnosis, a name not listed, and points lost elsewhere', () => {
    const problems = auditWrong(
      variant,
      submission([part('Q1b.Add', 0, [failed({ diagnosis: 'upstream-ignored' })]), part('Q1b.Mul', 0, [failed({})])]),
      tolerance,
    );
    expect(problems).toEqual([
      'Q1b.Add: not named broadcast-not-summed (named: upstream-ignored)',
      'Q1b.Add "gradient": named upstream-ignored, which the variant does not list (broadcast-not-summed, broadcast-summed-wrong-axes)',
      'Q1b.Mul: 0/1 points, expected 1 (wrong)',
    ]);
  });
});

describe('auditCorrect', () => {
  it('reports a point lost and any diagnosis', () => {
    expect(auditCorrect(submission([part('Q1b.Add', 1, [])]))).toEqual([]);
    expect(auditCorrect(submission([part('Q1b.Add', 0, [failed({ diagnosis: 'wrong-sign' })])]))).toEqual([
      'Q1b.Add: 0/1 points, a false failure (wrong)',
      'Q1b.Add "gradient": named wrong-sign',
    ]);
  });
});

describe('hintProblems', () => {
  it('finds a shape in the hint that is not a shape of the case, and a wrong shape for a named input', () => {
    expect(
      hintProblems(failed({ hint: 'The gradient for a has shape [2,2] but a has shape [2,1].', counterexample: addCase }), tolerance),
    ).toEqual([]);
    expect(
      hintProblems(failed({ hint: 'The gradient for a has shape [2,2] but a has shape [1].', counterexample: addCase }), tolerance),
    ).toEqual([
      'the hint writes the shape [1], which is no shape of its counterexample ([2,1] [2] [2,2])',
      'the hint says a has shape [1]; in its counterexample it has [2,1]',
    ]);
  });

  it('checks a "what differs" sentence against the expected and received entries', () => {
    const ratio = { ...addCase, where: 'dL/db[0]', expected: [1, 2, 3], got: [-1, 2, -3] };
    const check = (hint: string) => hintProblems(failed({ hint, counterexample: ratio }), tolerance);
    expect(
      check('dL/db differs from the expected value in 2 of 3 entries; each of them is -1 times the expected value (the opposite sign).'),
    ).toEqual([]);
    expect(
      check('dL/db differs from the expected value in 3 of 3 entries; each of them is -1 times the expected value (the opposite sign).'),
    ).toEqual(['the hint says 3 entries differ, the counterexample shows 2']);
    expect(check('dL/db differs from the expected value in 2 of 3 entries; each of them is 2 times the expected value.')).toEqual([
      'the hint says 2 times the expected value, but entry 0 is -1 against 1',
    ]);
    expect(check('dL/db differs from the expected value in 2 of 3 entries; each of them is 0 where the expected value is not.')).toEqual([
      'the hint says 0, but a differing entry is not 0',
    ]);
    expect(check('dL/da differs from the expected value in 2 of 3 entries, not by one common factor.')).toEqual([
      'the hint is about dL/da, its counterexample about dL/db[0]',
    ]);
    // A named mistake's hint is not a "what differs" sentence.
    expect(
      hintProblems(failed({ diagnosis: 'wrong-sign', hint: 'dL/db is 5 times the expected value.', counterexample: ratio }), tolerance),
    ).toEqual([]);
  });
});
