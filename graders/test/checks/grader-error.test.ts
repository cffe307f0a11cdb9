/**
 * A judge that throws, or a part whose grading throws, costs that part alone: it becomes
 * `grader-error` (0 points, flagged for a TA, with the reason), never an error of the whole
 * submission. The judges themselves are total (judges-total.test.ts); these feed the wrappers a
 * judge and a part grader that do throw.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OracleRequest, OracleResponse } from '../../src/shared/protocol.js';
import type { CaseVerdict } from '../../src/trusted/checks/case-verdict.js';
import { checkResult } from '../../src/trusted/checks/check-result.js';
import { checkProperty, type PropertySpec, type RunRequests } from '../../src/trusted/checks/property.js';
import { graderErrorReason, judgeFailureMessage } from '../../src/trusted/checks/judge-failure.js';
import { gradedOrGraderError, partFromChecks } from '../../src/trusted/score-part.js';
import type { PartResult } from '../../src/trusted/result.js';
import type { RubricPart } from '../../src/trusted/rubric.js';

/** A child that answers every request with the number it was sent, doubled. */
const doublingChild: RunRequests = async (requests) => ({
  kind: 'answer',
  responses: requests.map((request): OracleResponse => ({ result: 2 * (request.x as number) })),
});

function spec(judge: (x: number, response: OracleResponse) => CaseVerdict): PropertySpec<number> {
  return { arbitrary: fc.integer({ min: 0, max: 1000 }), toRequest: (x) => ({ x }), judge, seed: 42, runs: 30 };
}

describe('checkProperty', () => {
  it('ends a check whose judge throws on a sampled case as a grader error, with what it threw', async () => {
    const outcome = await checkProperty(
      spec((x) => {
        if (x > 100) throw new TypeError("Cannot read properties of undefined (reading 'id')");
        return { ok: true };
      }),
      doublingChild,
    );
    expect(outcome).toEqual({ kind: 'grader-error', message: "TypeError: Cannot read properties of undefined (reading 'id')" });
    expect(checkResult('gradient', 1, outcome, 'agrees')).toEqual({
      name: 'gradient',
      passed: false,
      points: 0,
      max: 1,
      message: "the grader failed while judging this check: TypeError: Cannot read properties of undefined (reading 'id')",
    });
  });

  it('ends a check whose judge throws only while shrinking as a grader error, and asks the child nothing more', async () => {
    // The first message is answered with numbers, wrong from 100 on; a case asked alone (shrinking) gets an answer the judge does not expect.
    const runs: OracleRequest[][] = [];
    const run: RunRequests = async (requests) => {
      runs.push(requests);
      const shrinking = runs.length > 1;
      const answer = (x: number) => (shrinking ? 'unexpected' : x < 100 ? 2 * x : 2 * x + 1);
      return { kind: 'answer', responses: requests.map((request): OracleResponse => ({ result: answer(request.x as number) })) };
    };
    const outcome = await checkProperty(
      spec((x, response) => {
        const result = (response as { result: unknown }).result;
        if (typeof result !== 'number') throw new RangeError('a kind of answer the judge did not expect');
        return { ok: result === 2 * x, message: 'wrong' };
      }),
      run,
    );
    expect(outcome).toEqual({ kind: 'grader-error', message: 'RangeError: a kind of answer the judge did not expect' });
    // The sampled cases in one message, then the one smaller case that made the judge throw; no shrinking after it.
    expect(runs.map((requests) => requests.length)).toEqual([30, 1]);
  });

  it('describes anything a judge throws in one bounded line', () => {
    expect(judgeFailureMessage(Object.create(null))).toBe('threw an object');
    expect(judgeFailureMessage('x'.repeat(10_000)).length).toBeLessThanOrEqual(301);
    expect(judgeFailureMessage(new Error(`line one\nline two ${'y'.repeat(1000)}`))).toMatch(/^Error: line one line two y+…$/);
    expect(graderErrorReason('TypeError: x')).toBe('the grader failed while judging this part: TypeError: x');
  });
});

describe('partFromChecks', () => {
  const checks = [
    { id: 'a', points: 0.5 },
    { id: 'b', points: 0.5 },
  ];
  const part: RubricPart = { id: 'Q1a', title: 'Q1(a) Tensor.backward', file: 'src/tensor.ts', max: 1, checks };

  it('gives no points to a part one of whose checks the grader failed to judge, and says why', () => {
    const passed = checkResult('a', 0.5, { kind: 'passed', runs: 10 }, 'agrees');
    const failure = { kind: 'grader-error', message: 'TypeError: x is undefined' } as const;
    const result = partFromChecks(part, [passed, checkResult('b', 0.5, failure, 'agrees')], [{ kind: 'passed', runs: 10 }, failure]);
    expect(result).toMatchObject({
      points: 0,
      max: 1,
      status: 'grader-error',
      reason: 'the grader failed while judging this part: TypeError: x is undefined',
    });
    expect(result.checks.map((check) => [check.name, check.passed, check.points, check.max])).toEqual([
      ['a', true, 0, 0.5],
      ['b', false, 0, 0.5],
    ]);
  });
});

describe('gradedOrGraderError', () => {
  const manual = { points: 0.5, file: 'answers/q1d.md', what: 'comment on the plot' };
  const part: RubricPart = { id: 'Q1d', title: 'Q1(d) linear regression', file: 'src/linear-regression.ts', max: 1, manual };
  const review = { file: 'answers/q1d.md', text: 'The loss falls.' };

  it('makes a part whose grading throws a grader error worth 0, flagged with the reason, keeping the text a TA scores', async () => {
    const result = await gradedOrGraderError(
      part,
      async () => {
        throw new TypeError('Cannot convert object to primitive value');
      },
      review,
    );
    expect(result).toEqual({
      id: 'Q1d',
      title: 'Q1(d) linear regression',
      points: 0,
      max: 1,
      status: 'grader-error',
      reason: 'the grader failed while judging this part: TypeError: Cannot convert object to primitive value',
      checks: [],
      review,
    });
  });

  it('leaves a part graded without an exception as it is', async () => {
    const graded: PartResult = { id: 'Q1d', title: part.title, points: 0.5, max: 1, status: 'pending', checks: [] };
    expect(await gradedOrGraderError(part, async () => graded, review)).toBe(graded);
  });
});
