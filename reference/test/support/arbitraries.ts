/**
 * The generators every test draws from: small shapes, values kept away from kinks, broadcasting
 * pairs, non-square matrices, convolution sizes and random upstream gradients.
 */
import fc from 'fast-check';
import { NDArray, broadcastShapes, sizeOf, type Shape } from '../../src/index.js';

// ---------------------------------------------------------------------------------------------
// Values

/**
 * A double in [min, max] rounded to two decimals, so that a shrunk counterexample reads 0.01 or
 * -1.5 rather than 1.0000000000000002e-5.
 */
export function twoDecimals(min: number, max: number): fc.Arbitrary<number> {
  return fc.double({ min, max, noNaN: true }).map((v) => Math.round(v * 100) / 100 || 0);
}

/** Any value: [-3, 3]. */
export const anyValue = twoDecimals(-3, 3);

/** At least 0.1 away from 0, so that a finite difference never steps across the kink of ReLU. */
export const awayFromZero = fc.oneof(twoDecimals(0.1, 3), twoDecimals(-3, -0.1));

/** At least 0.5, where sqrt is smooth. */
export const positiveValue = twoDecimals(0.5, 3);

// ---------------------------------------------------------------------------------------------
// Shapes

export interface ShapeConstraints {
  /** Fewest axes (default 1). */
  minRank?: number;
  /** Most axes (default 3). */
  maxRank?: number;
  /** Longest axis (default 4); every axis is at least 1 long. */
  maxLength?: number;
}

export const axisLength = (maxLength = 4): fc.Arbitrary<number> => fc.integer({ min: 1, max: maxLength });

export function shape(constraints: ShapeConstraints = {}): fc.Arbitrary<Shape> {
  const { minRank = 1, maxRank = 3, maxLength = 4 } = constraints;
  return fc.array(axisLength(maxLength), { minLength: minRank, maxLength: maxRank });
}

/**
 * Two shapes that broadcast together, one case of each kind a backward rule must sum back:
 * (n,1) & (m), (m) & (n,m), (1) & (n,m), () & (n,m), (1,m) & (n,1), and equal shapes.
 * Either operand may be the smaller one.
 */
export const broadcastPair: fc.Arbitrary<[Shape, Shape]> = fc
  .tuple(
    fc.oneof(
      fc.tuple(axisLength(), axisLength()).map(([n, m]): [Shape, Shape] => [[n, 1], [m]]),
      fc.tuple(axisLength(), axisLength()).map(([n, m]): [Shape, Shape] => [[m], [n, m]]),
      fc.tuple(axisLength(), axisLength()).map(([n, m]): [Shape, Shape] => [[1], [n, m]]),
      fc.tuple(axisLength(), axisLength()).map(([n, m]): [Shape, Shape] => [[], [n, m]]),
      fc.tuple(axisLength(), axisLength()).map(([n, m]): [Shape, Shape] => [[1, m], [n, 1]]),
      shape().map((s): [Shape, Shape] => [s, s]),
    ),
    fc.boolean(),
  )
  .map(([[a, b], swap]) => (swap ? [b, a] : [a, b]));

/** [n,k] and [k,m] with n != k and k != m: a square matrix would hide transposes on the wrong side. */
export const matmulShapes: fc.Arbitrary<[Shape, Shape]> = fc
  .tuple(axisLength(), axisLength(), axisLength())
  .filter(([n, k, m]) => n !== k && k !== m)
  .map(([n, k, m]) => [
    [n, k],
    [k, m],
  ]);

/** A shape with a non-empty set of its axes to reduce, or `undefined` for all of them. */
export const shapeAndAxes: fc.Arbitrary<{ shape: Shape; axes: number[] | undefined }> = shape().chain((s) =>
  fc.record({
    shape: fc.constant(s),
    axes: fc.option(
      fc.subarray(
        s.map((_, axis) => axis),
        { minLength: 1 },
      ),
      { nil: undefined },
    ),
  }),
);

export interface ConvolutionSize {
  image: Shape;
  kernel: Shape;
  stride: number;
}

/** An image of up to 7x7 and a kernel of up to 3x3 that fits in it. */
export function convolutionSize(stride: number): fc.Arbitrary<ConvolutionSize> {
  return fc
    .tuple(axisLength(3), axisLength(3))
    .chain(([kh, kw]) =>
      fc.tuple(fc.integer({ min: kh, max: 7 }), fc.integer({ min: kw, max: 7 })).map(([h, w]) => ({ image: [h, w], kernel: [kh, kw], stride })),
    );
}

// ---------------------------------------------------------------------------------------------
// Arrays

/** An array of `shape` filled from `values`. */
export function ndarray(shape: Shape, values: fc.Arbitrary<number> = anyValue): fc.Arbitrary<NDArray> {
  const size = sizeOf(shape);
  return fc.array(values, { minLength: size, maxLength: size }).map((data) => new NDArray(shape, data));
}

/** dL/dOutput for an output of `shape`. Random, so a backward rule that ignores it fails. */
export function upstreamGradient(shape: Shape): fc.Arbitrary<NDArray> {
  return ndarray(shape, anyValue);
}

/** Two arrays that broadcast together, and an upstream gradient of their broadcast shape. */
export const broadcastOperands: fc.Arbitrary<{ a: NDArray; b: NDArray; upstream: NDArray }> = broadcastPair.chain(([sa, sb]) =>
  fc.record({ a: ndarray(sa), b: ndarray(sb), upstream: upstreamGradient(broadcastShapes(sa, sb)) }),
);

/** An array of any small shape, drawn from `values`, and an upstream gradient of the same shape. */
export function elementwiseOperand(values: fc.Arbitrary<number> = anyValue): fc.Arbitrary<{ x: NDArray; upstream: NDArray }> {
  return shape().chain((s) => fc.record({ x: ndarray(s, values), upstream: upstreamGradient(s) }));
}
