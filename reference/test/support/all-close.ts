/**
 * Elementwise comparison of two arrays, shapes first, with a message that says where they differ.
 * Numbers are compared as numbers, never as bit patterns: -0 passes for 0.
 */
import { NDArray, formatShape, sameShape, type Nested, type Shape } from '../../src/index.js';
import { CheckFailure } from './check-failure.js';

export interface Tolerance {
  /** Absolute part of the allowed difference. */
  atol: number;
  /** Relative part, a fraction of |expected|. */
  rtol: number;
}

/** For values computed two ways in float64 without finite differences: only rounding may differ. */
export const roundingTolerance: Tolerance = { atol: 1e-10, rtol: 1e-9 };

/**
 * The grader's tolerance (graders/rubric.json): the numbers your code computes are compared with
 * it, so a value these tests accept is one the grader accepts too.
 */
export const graderTolerance: Tolerance = { atol: 1e-5, rtol: 1e-3 };

/** For copies, where nothing may change but the sign of a zero. */
export const exactly: Tolerance = { atol: 0, rtol: 0 };

/** Whether `actual` passes for `expected`: |actual - expected| <= atol + rtol * |expected|. */
export function isClose(actual: number, expected: number, tolerance: Tolerance): boolean {
  return Math.abs(actual - expected) <= tolerance.atol + tolerance.rtol * Math.abs(expected);
}

/** The multi-index of the element at a flat, row-major offset, e.g. "[1,0]". */
export function formatIndex(shape: Shape, offset: number): string {
  const index: number[] = [];
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index.unshift(offset % shape[axis]);
    offset = Math.floor(offset / shape[axis]);
  }
  return `[${index.join(',')}]`;
}

/**
 * Throws a CheckFailure unless `actual` has the shape of `expected` and every element is close.
 * `what` opens the message, e.g. "Q1(b) Add with a [2,1] and b [3]: the value".
 */
export function assertAllClose(actual: NDArray, expected: NDArray, what: string, tolerance = roundingTolerance): void {
  if (!sameShape(actual.shape, expected.shape)) {
    throw new CheckFailure(`${what} has shape ${formatShape(actual.shape)}, expected ${formatShape(expected.shape)}`);
  }
  for (let i = 0; i < actual.size; i++) {
    if (!isClose(actual.data[i], expected.data[i], tolerance)) {
      const where = actual.rank === 0 ? '' : ` at ${formatIndex(actual.shape, i)}`;
      throw new CheckFailure(`${what} differs${where}: got ${actual.data[i]}, expected ${expected.data[i]}`);
    }
  }
}

/**
 * Throws a CheckFailure unless `actual` is an NDArray holding the numbers `expected` writes out
 * (nested lists, or one number for a scalar), each within `tolerance`. For a small worked
 * example: `assertNumbersClose(x.grad, [-1, -10], 'x.grad after y.backward([1, 10])')`.
 */
export function assertNumbersClose(actual: NDArray | null | undefined, expected: Nested, what: string, tolerance = graderTolerance): void {
  const wanted = NDArray.from(expected);
  if (!(actual instanceof NDArray)) {
    const got = actual === null || actual === undefined ? String(actual) : typeof actual;
    throw new CheckFailure(`${what} is ${got}, expected an NDArray ${JSON.stringify(expected)}`);
  }
  assertAllClose(actual, wanted, what, tolerance);
}
