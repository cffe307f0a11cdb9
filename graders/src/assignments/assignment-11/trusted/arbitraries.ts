/**
 * The hidden checks' generators: shapes (with length-1 axes, vectors, non-square matrices and
 * broadcasting pairs) and values kept away from kinks and domain edges. Every value is a
 * fast-check arbitrary, so cases replay from a seed and shrink.
 */
import fc from 'fast-check';
import type { WireArray } from '../../../shared/protocol.js';

export type Values = 'any' | 'awayFromZero' | 'positive';

/**
 * A number in [-3, 3] with three decimals (readable in a counterexample, and shrinking to 0);
 * `awayFromZero`: |x| >= 0.1 (ReLU's kink); `positive`: in [0.5, 4] (Sqrt's domain).
 */
export function value(kind: Values = 'any'): fc.Arbitrary<number> {
  const thousandths = (min: number, max: number) => fc.integer({ min: min * 1000, max: max * 1000 }).map((k) => k / 1000);
  switch (kind) {
    case 'any':
      return thousandths(-3, 3);
    case 'positive':
      return thousandths(0, 3.5).map((x) => x + 0.5);
    case 'awayFromZero':
      // Shrinks towards -0.1: a minimal counterexample keeps a negative value where one fails.
      return fc.tuple(fc.boolean(), thousandths(0, 2.9)).map(([positive, x]) => (positive ? x + 0.1 : -(x + 0.1)));
  }
}

export function arrayOf(shape: number[], kind: Values = 'any'): fc.Arbitrary<WireArray> {
  const size = shape.reduce((a, b) => a * b, 1);
  return fc.array(value(kind), { minLength: size, maxLength: size }).map((data) => ({ shape, data }));
}

/**
 * Values away from 0 (`awayFromZero`), with one element in four set to exactly 0, where a
 * convention rather than a finite difference gives the gradient (ReLU's kink). Which elements are
 * 0 is drawn apart from the values, so that shrinking first makes them nonzero again: a
 * counterexample keeps an exact 0 only when the failure needs one.
 */
export function arrayWithZeros(shape: number[]): fc.Arbitrary<WireArray> {
  const size = shape.reduce((a, b) => a * b, 1);
  const zeroAt = fc.array(fc.integer({ min: 0, max: 3 }).map((k) => k === 3), { minLength: size, maxLength: size });
  return fc.tuple(arrayOf(shape, 'awayFromZero'), zeroAt).map(([array, zero]) => ({ shape, data: array.data.map((x, i) => (zero[i] ? 0 : x)) }));
}

/** An upstream gradient: random, or (one case in eight) all zeros. */
export function upstreamOf(shape: number[]): fc.Arbitrary<WireArray> {
  const size = shape.reduce((a, b) => a * b, 1);
  return fc.oneof(
    { weight: 7, arbitrary: arrayOf(shape) },
    { weight: 1, arbitrary: fc.constant({ shape, data: new Array<number>(size).fill(0) }) },
  );
}

const length = fc.integer({ min: 1, max: 4 });

export const shapeArb: fc.Arbitrary<number[]> = fc.array(length, { minLength: 0, maxLength: 3 });
export const nonEmptyShapeArb: fc.Arbitrary<number[]> = fc.array(length, { minLength: 1, maxLength: 3 });

/** Two shapes that broadcast together: equal, one a suffix of the other, or with length-1 axes. */
export const broadcastPairArb: fc.Arbitrary<[number[], number[]]> = fc
  .tuple(nonEmptyShapeArb, fc.array(fc.constantFrom('keep', 'one', 'drop'), { minLength: 3, maxLength: 3 }), fc.boolean())
  .map(([full, edits, swap]) => {
    // Derive the other shape from `full`: keep an axis, set it to 1, or drop leading axes.
    let other = full.map((n, i) => (edits[i] === 'one' ? 1 : n));
    const drop = edits.findIndex((e) => e !== 'drop');
    other = other.slice(Math.min(drop < 0 ? full.length : drop, full.length - 1));
    return swap ? [other, full] : [full, other];
  });

/** Two matrices that multiply: [n, k] and [k, m], rectangular more often than not. */
export const matmulShapesArb: fc.Arbitrary<[number[], number[]]> = fc
  .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }))
  .map(([n, k, m]) => [
    [n, k],
    [k, m],
  ]);
