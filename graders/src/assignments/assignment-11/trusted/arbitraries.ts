/**
 * The hidden checks' generators: shapes (scalars, vectors, non-square matrices and rank-3 arrays,
 * with length-1 axes, and broadcasting pairs of any ranks), values kept away from kinks and domain
 * edges, and upstream gradients whose entries are never near 0, so that the expected gradients are
 * far above the rubric's atol (docs/validity.md, "Values far above the tolerance"). Every value is
 * a fast-check arbitrary, so cases replay from a seed and shrink.
 */
import fc from 'fast-check';
import type { WireArray } from '../../../shared/protocol.js';

/**
 * `any`: [-3, 3]; `awayFromZero`: |x| in [0.1, 3] (ReLU's kink); `positive`: [0.5, 4] (Sqrt's
 * domain); `wide`: [-10, 10], where Sigmoid is nearly flat but its derivative (down to 4.5e-5) is
 * still computed to full relative precision and resolved by the finite differences.
 */
export type Values = 'any' | 'awayFromZero' | 'positive' | 'wide';

/**
 * A number in [min, max] with three decimals (readable in a counterexample); shrinks towards the
 * bound nearest 0. Drawn uniformly (fast-check's bias would make one value in eight lie within
 * 0.01 of 0, where products and differences fall towards atol).
 */
function thousandths(min: number, max: number): fc.Arbitrary<number> {
  return fc.noBias(fc.integer({ min: Math.round(min * 1000), max: Math.round(max * 1000) })).map((k) => k / 1000);
}

/** A number with |x| in [min, max] and either sign; shrinks towards `shrinkTo` times min. */
function signed(min: number, max: number, shrinkTo: 1 | -1): fc.Arbitrary<number> {
  return fc.tuple(fc.boolean(), thousandths(min, max)).map(([flipped, x]) => (flipped ? -shrinkTo : shrinkTo) * x);
}

/** A number of the given kind, shrinking to 0 where 0 is allowed. */
export function value(kind: Values = 'any'): fc.Arbitrary<number> {
  switch (kind) {
    case 'any':
      return thousandths(-3, 3);
    case 'positive':
      return thousandths(0, 3.5).map((x) => x + 0.5);
    case 'awayFromZero':
      // Shrinks towards -0.1: a minimal counterexample keeps a negative value where one fails.
      return signed(0.1, 3, -1);
    case 'wide':
      return thousandths(-10, 10);
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
  const zeroAt = fc.array(
    fc.integer({ min: 0, max: 3 }).map((k) => k === 3),
    { minLength: size, maxLength: size },
  );
  return fc
    .tuple(arrayOf(shape, 'awayFromZero'), zeroAt)
    .map(([array, zero]) => ({ shape, data: array.data.map((x, i) => (zero[i] ? 0 : x)) }));
}

/**
 * An upstream gradient: every entry of magnitude in [0.5, 3], either sign (shrinking to 0.5). Never
 * 0, so that a gradient is the upstream times a local derivative that shows: with an all-zero
 * upstream every gradient is 0 and any answer of the right shape that is 0 there passes.
 */
export function upstreamOf(shape: number[]): fc.Arbitrary<WireArray> {
  const size = shape.reduce((a, b) => a * b, 1);
  return fc.array(signed(0.5, 3, 1), { minLength: size, maxLength: size }).map((data) => ({ shape, data }));
}

/** The least |slope x factor| that liftedUpstream makes: 2000 times the rubric's atol of 1e-5. */
export const LIFTED_GRADIENT = 0.02;

/**
 * `unit` (from upstreamOf) with each entry multiplied by the smallest factor of 1, 2 or 5 times a
 * power of ten that lifts |slope(x_i)| to at least LIFTED_GRADIENT. Where an elementwise op is
 * nearly flat the upstream is large (Sigmoid at x = 10 has slope 4.5e-5: the factor is 500), so
 * that the expected gradient, upstream times slope, stays far above atol and a derivative cut to 0
 * there fails. The entries keep three decimals.
 */
export function liftedUpstream(unit: WireArray, x: WireArray, slope: (x: number) => number): WireArray {
  return {
    shape: unit.shape,
    data: unit.data.map((u, i) => roundedToThousandths(Number(u) * liftFor(Math.abs(slope(Number(x.data[i])))))),
  };
}

function liftFor(slope: number): number {
  if (slope >= LIFTED_GRADIENT || !(slope > 0)) return 1;
  const needed = LIFTED_GRADIENT / slope;
  const power = 10 ** Math.floor(Math.log10(needed));
  return [1, 2, 5, 10].map((m) => m * power).find((factor) => factor >= needed)!;
}

const roundedToThousandths = (x: number): number => Math.round(x * 1000) / 1000;

/**
 * Two arrays of one shape, [second + residual, second], with |residual| in [0.25, 3] and either
 * sign in every entry: they differ everywhere by far more than atol (mse's prediction and target).
 */
export function arraysApart(shape: number[]): fc.Arbitrary<[WireArray, WireArray]> {
  const size = shape.reduce((a, b) => a * b, 1);
  return fc
    .tuple(arrayOf(shape), fc.array(signed(0.25, 3, 1), { minLength: size, maxLength: size }))
    .map(([second, residual]) => [{ shape, data: second.data.map((x, i) => roundedToThousandths(Number(x) + residual[i])) }, second]);
}

const length = fc.integer({ min: 1, max: 4 });

/** Shapes of rank 0 (a scalar) to 3, each axis of length 1 to 4. */
export const shapeArb: fc.Arbitrary<number[]> = fc.array(length, { minLength: 0, maxLength: 3 });
export const nonEmptyShapeArb: fc.Arbitrary<number[]> = fc.array(length, { minLength: 1, maxLength: 3 });

/** A shape with no broadcasting: [s, s], of any rank from a scalar to 3. */
const sameShapes: fc.Arbitrary<[number[], number[]]> = shapeArb.map((shape) => [shape, shape]);

/**
 * One operand broadcast: the other has the result's shape, this one the same axes each kept or set
 * to 1, less 0 to 3 leading axes (so down to a scalar); either one may be the broadcast one.
 */
const oneSide: fc.Arbitrary<[number[], number[]]> = fc
  .tuple(nonEmptyShapeArb, fc.array(fc.constantFrom('keep', 'one', 'drop'), { minLength: 3, maxLength: 3 }), fc.boolean())
  .map(([full, edits, swap]) => {
    const leading = edits.findIndex((edit) => edit !== 'drop');
    const other = full.map((n, i) => (edits[i] === 'one' ? 1 : n)).slice(Math.min(leading < 0 ? 3 : leading, full.length));
    return swap ? [other, full] : [full, other];
  });

/**
 * Both operands broadcast, so that neither has the result's shape: each axis of a result of rank 2
 * or 3 (lengths 2 to 4) is kept by a (b has 1 there), by b, or by both, with at least one axis
 * for a alone and one for b alone ([3,1] with [1,4]); then each operand may lose its leading
 * length-1 axes ([4] with [2,3,1]: a rank mismatch on top of length-1 axes on both sides).
 */
const bothSides: fc.Arbitrary<[number[], number[]]> = fc
  .tuple(
    fc.array(fc.integer({ min: 2, max: 4 }), { minLength: 2, maxLength: 3 }),
    fc.array(fc.constantFrom('a', 'b', 'both'), { minLength: 3, maxLength: 3 }),
    fc.boolean(),
    fc.boolean(),
    fc.boolean(),
  )
  .map(([full, drawn, dropA, dropB, swap]) => {
    const owners = drawn.slice(0, full.length);
    if (!owners.includes('a')) owners[0] = 'a';
    if (!owners.includes('b')) owners[owners.includes('both') ? owners.indexOf('both') : owners.length - 1] = 'b';
    const a = full.map((n, i) => (owners[i] === 'b' ? 1 : n));
    const b = full.map((n, i) => (owners[i] === 'a' ? 1 : n));
    const pair: [number[], number[]] = [dropA ? withoutLeadingOnes(a) : a, dropB ? withoutLeadingOnes(b) : b];
    return swap ? [pair[1], pair[0]] : pair;
  });

/** A vector ([n] or [1]) with an array of rank 3 whose last axis is n or 1, either way round. */
const vectorAndRank3: fc.Arbitrary<[number[], number[]]> = fc
  .tuple(length, fc.boolean(), fc.tuple(length, length), fc.boolean(), fc.boolean())
  .map(([n, vectorOne, [p, q], arrayOne, swap]) => {
    const vector = [vectorOne ? 1 : n];
    const array = [p, q, arrayOne && !vectorOne ? 1 : n];
    return swap ? [array, vector] : [vector, array];
  });

function withoutLeadingOnes(shape: number[]): number[] {
  const first = shape.findIndex((n) => n !== 1);
  return first < 0 ? [] : shape.slice(first);
}

/**
 * Two shapes that broadcast together (NumPy's rules, as ndarray.ts documents them): the same shape
 * (first, where shrinking goes first), one operand broadcast (either one, down to a scalar), both
 * at once, or a vector with a rank-3 array. Either operand may have fewer axes than the other.
 */
export const broadcastPairArb: fc.Arbitrary<[number[], number[]]> = fc.oneof(
  { withCrossShrink: true },
  { weight: 1, arbitrary: sameShapes },
  { weight: 2, arbitrary: oneSide },
  { weight: 2, arbitrary: bothSides },
  { weight: 1, arbitrary: vectorAndRank3 },
);

/** Two matrices that multiply: [n, k] and [k, m], rectangular more often than not. */
export const matmulShapesArb: fc.Arbitrary<[number[], number[]]> = fc
  .tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }))
  .map(([n, k, m]) => [
    [n, k],
    [k, m],
  ]);
