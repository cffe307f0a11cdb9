/**
 * A hint names a mistake only when the case shown confirms it (confirmed-mistake.ts): the
 * mistake's model gives the student's answer, and the right answer and every other diagnosis's
 * model are far from it. A failed check whose minimal case confirms nothing redraws the case's
 * values (redraw-confirmation.ts), and shows the redrawn case together with its own verdict; when
 * no redrawn case confirms a mistake either, the minimal case is shown with what differs, and no
 * cause.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OracleRequest, OracleResponse } from '../../src/shared/protocol.js';
import { confirmedByError, confirmedMistake, DISCRIMINATION_FACTOR, type Answer } from '../../src/trusted/checks/confirmed-mistake.js';
import { explained, type CaseVerdict } from '../../src/trusted/checks/case-verdict.js';
import { checkProperty, type PropertySpec, type RunRequests } from '../../src/trusted/checks/property.js';
import { CONFIRMATIONS, REDRAWS } from '../../src/trusted/checks/redraw-confirmation.js';
import { seededRandom } from '../../src/trusted/checks/seeded-random.js';
import { whatDiffers } from '../../src/trusted/checks/what-differs.js';

const tolerance = { atol: 1e-5, rtol: 1e-3 };
const vector = (...data: number[]) => ({ shape: [data.length], data });
const model = (diagnosis: string, ...data: number[]) => ({ diagnosis, answer: [vector(...data)] as Answer, mistake: diagnosis });

describe('confirmedMistake', () => {
  it('names the mistake whose model gives the answer when the right answer and the other diagnoses are far from it', () => {
    const got = [vector(2, -4)];
    const right = [vector(1, -2)];
    expect(confirmedMistake(got, right, [model('doubled', 2, -4), model('negated', -1, 2)], tolerance)?.mistake).toBe('doubled');
  });

  it('names none where the right answer is within the discrimination factor of the answer (a case too small to tell)', () => {
    // A difference of 0.001 is 100 times atol + rtol * |x| at most: not far enough.
    const got = [vector(0.002)];
    expect(DISCRIMINATION_FACTOR * (tolerance.atol + tolerance.rtol * 0.001)).toBeGreaterThan(0.001);
    expect(confirmedMistake(got, [vector(0.001)], [model('doubled', 0.002)], tolerance)).toBeUndefined();
  });

  it("names none where models of two diagnoses give the answer, but models of one diagnosis do not stand in each other's way", () => {
    const got = [vector(3)];
    expect(confirmedMistake(got, [vector(1)], [model('tripled', 3), model('plus-two', 3)], tolerance)).toBeUndefined();
    expect(confirmedMistake(got, [vector(1)], [model('tripled', 3), model('tripled', 3.0000001)], tolerance)?.diagnosis).toBe('tripled');
  });

  it('names none where another diagnosis is close to the answer without fitting it', () => {
    expect(confirmedMistake([vector(3)], [vector(1)], [model('tripled', 3), model('near', 3.05)], tolerance)).toBeUndefined();
  });

  it('takes a model that throws or a shape that differs as far, and an error only when the models that throw it share a diagnosis', () => {
    const got = [vector(3)];
    const threw = { diagnosis: 'threw', answer: null, mistake: 'threw' };
    const otherShape = { diagnosis: 'matrix', answer: [{ shape: [1, 1], data: [3] }] as Answer, mistake: 'matrix' };
    expect(confirmedMistake(got, [vector(1)], [model('tripled', 3), threw, otherShape], tolerance)?.diagnosis).toBe('tripled');
    const models = [
      { diagnosis: 'a', thrown: 'shapes [2] and [3] do not match', mistake: 'a' },
      { diagnosis: 'b', thrown: null, mistake: 'b' },
    ];
    expect(confirmedByError('shapes [2] and [3] do not match', models)).toBe('a');
    expect(
      confirmedByError('shapes [2] and [3] do not match', [
        ...models,
        { diagnosis: 'c', thrown: 'shapes [2] and [3] do not match', mistake: 'c' },
      ]),
    ).toBeUndefined();
  });
});

describe('whatDiffers', () => {
  it('says how many entries differ and the factor they share, or that they are 0', () => {
    expect(whatDiffers('dL/dx', vector(-1, 2, -3, 4), vector(1, 2, 3, 4), tolerance)).toBe(
      'dL/dx differs from the expected value in 2 of 4 entries; each of them is -1 times the expected value (the opposite sign).',
    );
    expect(whatDiffers('dL/dx', vector(0, 0, 3), vector(1, 2, 3), tolerance)).toBe(
      'dL/dx differs from the expected value in 2 of 3 entries; each of them is 0 where the expected value is not.',
    );
    expect(whatDiffers('dL/dx', vector(0.5), vector(0), tolerance)).toBe('dL/dx is not 0 where the expected value is 0.');
    expect(whatDiffers('mse(prediction, target)', vector(2.5), vector(1.25), tolerance)).toBe(
      'mse(prediction, target) is 2 times the expected value.',
    );
    expect(whatDiffers('dL/dV', vector(1, 1.5), vector(3, 4.5), tolerance)).toBe(
      'dL/dV differs from the expected value in 2 of 2 entries; each of them is 1/3 of the expected value.',
    );
  });

  it('says only how many entries differ when one does without a readable pattern', () => {
    expect(whatDiffers('dL/dx', vector(1, 2, 3.01), vector(1, 2, 3), tolerance)).toBe(
      'dL/dx differs from the expected value in 1 of 3 entries.',
    );
  });

  it('names no factor that does not hold in every differing entry, nor a factor of 1', () => {
    expect(whatDiffers('dL/db', vector(1, 1.002), vector(1.002, 1), tolerance)).toBe(
      'dL/db differs from the expected value in 2 of 2 entries, not by one common factor.',
    );
    expect(whatDiffers('dL/db', vector(2, 3), vector(1, 1), tolerance)).toBe(
      'dL/db differs from the expected value in 2 of 2 entries, not by one common factor.',
    );
    expect(whatDiffers('dL/db', vector(1, 2), vector(1, 2), tolerance)).toBeUndefined();
  });
});

describe('seededRandom', () => {
  it('gives the same numbers for the same seed and stream, others for another', () => {
    const draw = (seed: number, stream: number) => Array.from({ length: 5 }, seededRandom(seed, stream));
    expect(draw(7, 0)).toEqual(draw(7, 0));
    expect(draw(7, 0)).not.toEqual(draw(7, 1));
    expect(draw(7, 0)).not.toEqual(draw(8, 0));
    expect(draw(7, 0).every((x) => x >= 0 && x < 1)).toBe(true);
  });
});

/**
 * A check of f(x) = x with a student whose answer is 3x: "tripled" is confirmed only where |x| is
 * far above the tolerance, and "cubed" (x^3) agrees with "tripled" at x = ±√3. Shrinking goes to
 * x = 0.0001, too small to confirm anything.
 */
function tripledCheck(
  redraw?: PropertySpec<number>['redraw'],
  arbitrary = fc.integer({ min: 1, max: 30000 }).map((k) => k / 10000),
): PropertySpec<number> {
  const judge = (x: number, response: OracleResponse): CaseVerdict => {
    const got = (response as { result: number }).result;
    if (Math.abs(got - x) <= tolerance.atol + tolerance.rtol * Math.abs(x)) return { ok: true };
    const confirmed = confirmedMistake([vector(got)], [vector(x)], [model('tripled', 3 * x), model('cubed', x ** 3)], tolerance);
    const counterexample = { expression: 'f(x)', shapes: { x: [] }, inputs: { x }, expected: x, got };
    return {
      ok: false,
      message: 'wrong',
      counterexample,
      ...explained(
        confirmed && { diagnosis: confirmed.diagnosis, hint: `you tripled ${x}` },
        whatDiffers('f(x)', vector(got), vector(x), tolerance),
      ),
    };
  };
  return { arbitrary, toRequest: (x) => ({ x }), judge, seed: 11, runs: 20, ...(redraw ? { redraw } : {}) };
}

/** The student, run in the process: it triples x. */
function tripling(asked: OracleRequest[][]): RunRequests {
  return async (requests) => {
    asked.push(requests);
    return { kind: 'answer', responses: requests.map((request): OracleResponse => ({ result: 3 * (request.x as number) })) };
  };
}

describe('checkProperty with a redraw', () => {
  it('shows the minimal case, with what differs and no diagnosis, when there is no redraw', async () => {
    const outcome = await checkProperty(tripledCheck(), tripling([]));
    expect(outcome.kind).toBe('failed');
    if (outcome.kind !== 'failed') return;
    expect(outcome.verdict.counterexample?.inputs).toEqual({ x: 0.0001 });
    expect(outcome.verdict.diagnosis).toBeUndefined();
    expect(outcome.verdict.hint).toBe('f(x) is 3 times the expected value.');
  });

  it('shows the first redrawn case that confirms a mistake confirmed twice, with its own hint, the same on every run', async () => {
    // Attempt 0 gives x = √3, where "tripled" and "cubed" agree; attempts 1 and 2 give x in [2, 4].
    const redraw = (_minimal: number, random: () => number, attempt: number): number =>
      attempt === 0 ? Math.sqrt(3) : 1 + Math.round(random() * 10) / 10 + attempt;
    const asked: OracleRequest[][] = [];
    const outcome = await checkProperty(tripledCheck(redraw), tripling(asked));
    expect(outcome.kind).toBe('failed');
    if (outcome.kind !== 'failed') return;
    const shown = outcome.verdict.counterexample?.inputs as { x: number };
    expect(CONFIRMATIONS).toBe(2);
    expect(outcome.verdict.diagnosis).toBe('tripled');
    expect(outcome.verdict.hint).toBe(`you tripled ${shown.x}`);
    // The three redraws were run in the child, one at a time, after shrinking; the first confirming one is shown.
    const redrawn = asked.slice(-3).map((requests) => requests.map((r) => r.x));
    expect(redrawn.map((xs) => xs.length)).toEqual([1, 1, 1]);
    expect(redrawn[0]).toEqual([Math.sqrt(3)]);
    expect(shown.x).toBe(redrawn[1][0]);
    expect(await checkProperty(tripledCheck(redraw), tripling([]))).toEqual(outcome);
  });

  it('names no mistake that only one case confirms: the minimal case is shown with what differs', async () => {
    // The minimal case 2 confirms "tripled"; every redrawn case is √3, where "cubed" agrees, and repeats are not run again.
    const asked: OracleRequest[][] = [];
    const outcome = await checkProperty(
      tripledCheck(() => Math.sqrt(3), fc.constant(2)),
      tripling(asked),
    );
    if (outcome.kind !== 'failed') throw new Error(`expected a failure, got ${outcome.kind}`);
    expect(outcome.verdict.counterexample?.inputs).toEqual({ x: 2 });
    expect(outcome.verdict.diagnosis).toBeUndefined();
    expect(outcome.verdict.hint).toBe('f(x) is 3 times the expected value.');
    expect(asked.map((requests) => requests.length)).toEqual([20, 1]);
  });

  it('shows the minimal case with what differs when no redrawn case confirms a mistake, after at most REDRAWS tries', async () => {
    const asked: OracleRequest[][] = [];
    const outcome = await checkProperty(
      tripledCheck(() => Math.sqrt(3)),
      tripling(asked),
    );
    if (outcome.kind !== 'failed') throw new Error(`expected a failure, got ${outcome.kind}`);
    expect(outcome.verdict.counterexample?.inputs).toEqual({ x: 0.0001 });
    expect(outcome.verdict.diagnosis).toBeUndefined();
    expect(outcome.verdict.hint).toBe('f(x) is 3 times the expected value.');
    // The same redrawn case is asked once; every attempt is at most one run.
    expect(asked.filter((requests) => requests.length === 1 && requests[0].x === Math.sqrt(3))).toHaveLength(1);
    expect(REDRAWS).toBeGreaterThanOrEqual(2);
  });

  it('keeps some of the bound for redrawn cases when shrinking would use it all', async () => {
    const redraw = (_minimal: number, _random: () => number, attempt: number): number => 2 + attempt;
    const asked: OracleRequest[][] = [];
    // A student who triples x only above 1: shrinking searches for the edge, a case at a time.
    const triplingAboveOne: RunRequests = async (requests) => {
      asked.push(requests);
      return {
        kind: 'answer',
        responses: requests.map((request): OracleResponse => ({
          result: (request.x as number) > 1 ? 3 * (request.x as number) : (request.x as number),
        })),
      };
    };
    const outcome = await checkProperty(tripledCheck(redraw), triplingAboveOne, { runs: 8, spent: () => null });
    if (outcome.kind !== 'failed') throw new Error(`expected a failure, got ${outcome.kind}`);
    expect(outcome.shrinkingStopped).toBe('it reached 8 runs (2 of them kept for redrawn cases)');
    expect(outcome.verdict.diagnosis).toBe('tripled');
    // The sampled cases, then at most 8 cases one at a time.
    expect(asked.slice(1).every((requests) => requests.length === 1)).toBe(true);
    expect(asked.length - 1).toBeLessThanOrEqual(8);
  });

  it('counts redrawn cases against the shrinking bound: none is run once it is reached', async () => {
    const asked: OracleRequest[][] = [];
    const outcome = await checkProperty(
      tripledCheck(() => 2, fc.constant(0.0001)),
      tripling(asked),
      { runs: 0, spent: () => null },
    );
    if (outcome.kind !== 'failed') throw new Error(`expected a failure, got ${outcome.kind}`);
    // The sampled cases in one message, and nothing after it.
    expect(asked).toHaveLength(1);
    expect(outcome.verdict.diagnosis).toBeUndefined();
    // Nothing was left to shrink: the bound stopped only the redrawing, which the message does not call shrinking.
    expect(outcome.shrinkingStopped).toBeUndefined();
    const redraw = (_minimal: number, _random: () => number, attempt: number): number => 2 + attempt;
    const limited = await checkProperty(tripledCheck(redraw, fc.constant(0.0001)), tripling([]), { runs: 1, spent: () => null });
    if (limited.kind !== 'failed') throw new Error(`expected a failure, got ${limited.kind}`);
    // One redrawn case confirms "tripled" once: not enough to name it.
    expect(limited.verdict.diagnosis).toBeUndefined();
    const enough = await checkProperty(tripledCheck(redraw, fc.constant(0.0001)), tripling([]), { runs: 2, spent: () => null });
    if (enough.kind !== 'failed') throw new Error(`expected a failure, got ${enough.kind}`);
    expect(enough.verdict.diagnosis).toBe('tripled');
    expect(enough.verdict.counterexample?.inputs).toEqual({ x: 2 });
  });
});
