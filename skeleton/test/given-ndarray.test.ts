/** The given numeric layer, checked against plain loops over multi-indices. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  NDArray,
  ShapeError,
  add,
  broadcastShapes,
  matmul,
  mean,
  reducedShape,
  sizeOf,
  sumToShape,
  transpose,
  type Shape,
} from '../src/index.js';
import { assertAllClose, exactly } from './support/all-close.js';
import { broadcastOperands, matmulShapes, ndarray, shape, shapeAndAxes } from './support/arbitraries.js';
import { runs } from './support/runs.js';

/** Every multi-index of `shape`, in row-major order. */
function indicesOf(shape: Shape): number[][] {
  let indices: number[][] = [[]];
  for (const length of shape) indices = indices.flatMap((index) => Array.from({ length }, (_, i) => [...index, i]));
  return indices;
}

/** The index into an array of `shape` that broadcasting reads for `index` of the larger output. */
function broadcastIndex(index: readonly number[], shape: Shape): number[] {
  const offset = index.length - shape.length;
  return shape.map((length, axis) => (length === 1 ? 0 : index[offset + axis]));
}

/** The row-major offset of `index` in an array of `shape`. */
function offsetOf(index: readonly number[], shape: Shape): number {
  return index.reduce((offset, i, axis) => offset * shape[axis] + i, 0);
}

describe('Given: NDArray', () => {
  test('NDArray.from and toNested are inverses', () => {
    fc.assert(
      fc.property(
        shape({ minRank: 0 }).chain((s) => ndarray(s)),
        (a) => {
          const back = NDArray.from(a.toNested());
          expect(back.shape).toEqual(a.shape);
          assertAllClose(back, a, `NDArray.from(${a}.toNested())`, exactly);
        },
      ),
      runs(),
    );
  });

  test('add broadcasts as NumPy does', () => {
    fc.assert(
      fc.property(broadcastOperands, ({ a, b }) => {
        const out = broadcastShapes(a.shape, b.shape);
        const expected = new NDArray(
          out,
          indicesOf(out).map((index) => a.get(...broadcastIndex(index, a.shape)) + b.get(...broadcastIndex(index, b.shape))),
        );
        assertAllClose(add(a, b), expected, `add(${a}, ${b})`);
      }),
      runs(),
    );
  });

  test('shapes that do not broadcast are a ShapeError naming both shapes', () => {
    expect(() => broadcastShapes([2, 3], [4])).toThrow(ShapeError);
    expect(() => broadcastShapes([2, 3], [4])).toThrow('[2,3] and [4]');
  });

  test('sumToShape adds up every element that broadcasting read from the same place', () => {
    fc.assert(
      fc.property(broadcastOperands, ({ a, b, upstream }) => {
        for (const operand of [a, b]) {
          const expected = NDArray.zeros(operand.shape);
          for (const index of indicesOf(upstream.shape)) {
            expected.data[offsetOf(broadcastIndex(index, operand.shape), operand.shape)] += upstream.get(...index);
          }
          assertAllClose(sumToShape(upstream, operand.shape), expected, `sumToShape(${upstream}, [${operand.shape.join(',')}])`);
        }
      }),
      runs(),
    );
  });

  test('matmul equals the triple loop', () => {
    const cases = matmulShapes.chain(([sa, sb]) => fc.tuple(ndarray(sa), ndarray(sb)));
    fc.assert(
      fc.property(cases, ([a, b]) => {
        const [n, k] = a.shape;
        const m = b.shape[1];
        const expected = NDArray.zeros([n, m]);
        for (let i = 0; i < n; i++) {
          for (let j = 0; j < m; j++) for (let p = 0; p < k; p++) expected.data[i * m + j] += a.get(i, p) * b.get(p, j);
        }
        assertAllClose(matmul(a, b), expected, `matmul(${a}, ${b})`);
      }),
      runs(),
    );
  });

  test('transpose swaps rows and columns', () => {
    fc.assert(
      fc.property(
        shape({ minRank: 2, maxRank: 2 }).chain((s) => ndarray(s)),
        (a) => {
          const t = transpose(a);
          expect(t.shape).toEqual([a.shape[1], a.shape[0]]);
          const expected = NDArray.zeros([a.shape[1], a.shape[0]]);
          for (const [i, j] of indicesOf(a.shape)) expected.data[j * a.shape[0] + i] = a.get(i, j);
          assertAllClose(t, expected, `transpose(${a})`, exactly);
        },
      ),
      runs(),
    );
  });

  test('mean over some or all axes averages every group of elements, and drops the reduced axes', () => {
    const cases = shapeAndAxes.chain(({ shape, axes }) => fc.record({ x: ndarray(shape), axes: fc.constant(axes) }));
    fc.assert(
      fc.property(cases, ({ x, axes }) => {
        const kept = reducedShape(x.shape, axes, true);
        const totals = NDArray.zeros(kept);
        for (const index of indicesOf(x.shape)) totals.data[offsetOf(broadcastIndex(index, kept), kept)] += x.get(...index);
        const count = x.size / sizeOf(kept);
        const expected = totals.map((total) => total / count).reshape(reducedShape(x.shape, axes));
        assertAllClose(mean(x, axes), expected, `mean(${x}, ${axes === undefined ? 'all axes' : `[${axes.join(',')}]`})`);
      }),
      runs(),
    );
  });
});
