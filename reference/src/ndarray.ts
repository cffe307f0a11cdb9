/**
 * The numeric layer: an n-dimensional array of float64 numbers (a shape plus a flat, row-major
 * Float64Array) and the handful of operations the autograd framework needs.
 *
 * This file is given: you do not need to change it. It is written to be read, not to be fast.
 */

/** A shape: the length of each axis. `[]` is a scalar, `[3]` a vector, `[2, 3]` a 2x3 matrix. */
export type Shape = readonly number[];

/** A nested array of numbers, e.g. `[[1, 2], [3, 4]]`, used to write arrays by hand. */
export type Nested = number | Nested[];

export class ShapeError extends Error {
  override name = 'ShapeError';
}

export class NDArray {
  readonly shape: Shape;
  readonly data: Float64Array;

  constructor(shape: Shape, data?: Float64Array | readonly number[]) {
    for (const length of shape) {
      if (!Number.isInteger(length) || length < 0) {
        throw new ShapeError(`invalid shape ${formatShape(shape)}: every axis length must be a whole number >= 0`);
      }
    }
    this.shape = [...shape];
    const size = sizeOf(shape);
    if (data === undefined) {
      this.data = new Float64Array(size);
    } else {
      if (data.length !== size) {
        throw new ShapeError(`shape ${formatShape(shape)} needs ${size} numbers, got ${data.length}`);
      }
      this.data = Float64Array.from(data);
    }
  }

  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }

  /** Number of axes. */
  get rank(): number {
    return this.shape.length;
  }

  static zeros(shape: Shape): NDArray {
    return new NDArray(shape);
  }

  static full(shape: Shape, value: number): NDArray {
    return new NDArray(shape, new Float64Array(sizeOf(shape)).fill(value));
  }

  static ones(shape: Shape): NDArray {
    return NDArray.full(shape, 1);
  }

  static scalar(value: number): NDArray {
    return new NDArray([], [value]);
  }

  /** Builds an array from nested lists: `NDArray.from([[1, 2], [3, 4]])` has shape [2, 2]. */
  static from(nested: Nested): NDArray {
    const shape: number[] = [];
    let level: Nested = nested;
    while (Array.isArray(level)) {
      shape.push(level.length);
      level = level[0] as Nested;
    }
    const flat: number[] = [];
    const collect = (value: Nested): void => {
      if (Array.isArray(value)) value.forEach(collect);
      else flat.push(value);
    };
    collect(nested);
    return new NDArray(shape, flat);
  }

  /** The element at a multi-index, e.g. `a.get(1, 2)` for a matrix. */
  get(...index: number[]): number {
    return this.data[offsetOf(this.shape, index)];
  }

  /** The array as nested lists (the inverse of `NDArray.from`). */
  toNested(): Nested {
    const build = (axis: number, offset: number): Nested => {
      if (axis === this.rank) return this.data[offset];
      const stride = sizeOf(this.shape.slice(axis + 1));
      return Array.from({ length: this.shape[axis] }, (_, i) => build(axis + 1, offset + i * stride));
    };
    return build(0, 0);
  }

  /** The only element of a one-element array. */
  item(): number {
    if (this.size !== 1) throw new ShapeError(`item() needs exactly one element, shape is ${formatShape(this.shape)}`);
    return this.data[0];
  }

  /** A new array with `fn` applied to every element. */
  map(fn: (value: number, index: number) => number): NDArray {
    const out = new NDArray(this.shape);
    for (let i = 0; i < this.size; i++) out.data[i] = fn(this.data[i], i);
    return out;
  }

  /** The same numbers under another shape with as many elements. */
  reshape(shape: Shape): NDArray {
    if (sizeOf(shape) !== this.size) {
      throw new ShapeError(`cannot reshape ${formatShape(this.shape)} (${this.size} elements) to ${formatShape(shape)}`);
    }
    return new NDArray(shape, this.data);
  }

  toString(): string {
    return `NDArray${formatShape(this.shape)} ${JSON.stringify(this.toNested())}`;
  }
}

/** `[2,3]` as text, for messages. */
export function formatShape(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

export function sizeOf(shape: Shape): number {
  return shape.reduce((product, length) => product * length, 1);
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((length, axis) => length === b[axis]);
}

function stridesOf(shape: Shape): number[] {
  const strides = new Array<number>(shape.length);
  let stride = 1;
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    strides[axis] = stride;
    stride *= shape[axis];
  }
  return strides;
}

function offsetOf(shape: Shape, index: readonly number[]): number {
  if (index.length !== shape.length) {
    throw new ShapeError(`index [${index.join(',')}] has ${index.length} axes, shape ${formatShape(shape)} has ${shape.length}`);
  }
  let offset = 0;
  const strides = stridesOf(shape);
  index.forEach((i, axis) => {
    if (!Number.isInteger(i) || i < 0 || i >= shape[axis]) {
      throw new ShapeError(`index [${index.join(',')}] is out of bounds for shape ${formatShape(shape)}`);
    }
    offset += i * strides[axis];
  });
  return offset;
}

// ---------------------------------------------------------------------------------------------
// Broadcasting (NumPy rules): align shapes on the right; two lengths are compatible when they are
// equal or one of them is 1, and the result takes the larger one.

export function broadcastShapes(a: Shape, b: Shape): Shape {
  const rank = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let k = 0; k < rank; k++) {
    const la = a[a.length - rank + k] ?? 1;
    const lb = b[b.length - rank + k] ?? 1;
    if (la !== lb && la !== 1 && lb !== 1) {
      throw new ShapeError(`shapes ${formatShape(a)} and ${formatShape(b)} cannot be broadcast together`);
    }
    out.push(la === 1 ? lb : la);
  }
  return out;
}

/** For each element of `outShape`, the offset of the element of an array of `shape` broadcast to it. */
function broadcastOffsets(shape: Shape, outShape: Shape): Int32Array {
  const offsets = new Int32Array(sizeOf(outShape));
  const strides = stridesOf(shape);
  const rank = outShape.length;
  // A broadcast axis (length 1 or missing) has stride 0: the same element is reused along it.
  const inStrides = outShape.map((_, k) => {
    const axis = shape.length - rank + k;
    return axis < 0 || shape[axis] === 1 ? 0 : strides[axis];
  });
  const index = new Array<number>(rank).fill(0);
  for (let i = 0, offset = 0; i < offsets.length; i++) {
    offsets[i] = offset;
    for (let axis = rank - 1; axis >= 0; axis--) {
      index[axis]++;
      offset += inStrides[axis];
      if (index[axis] < outShape[axis]) break;
      offset -= inStrides[axis] * index[axis];
      index[axis] = 0;
    }
  }
  return offsets;
}

/** Applies `fn` elementwise to `a` and `b` after broadcasting them to a common shape. */
export function elementwise(a: NDArray, b: NDArray, fn: (x: number, y: number) => number): NDArray {
  if (sameShape(a.shape, b.shape)) {
    // The common case, without broadcasting: element i with element i.
    const out = new NDArray(a.shape);
    for (let i = 0; i < out.size; i++) out.data[i] = fn(a.data[i], b.data[i]);
    return out;
  }
  const shape = broadcastShapes(a.shape, b.shape);
  const out = new NDArray(shape);
  const offsetsA = broadcastOffsets(a.shape, shape);
  const offsetsB = broadcastOffsets(b.shape, shape);
  for (let i = 0; i < out.size; i++) out.data[i] = fn(a.data[offsetsA[i]], b.data[offsetsB[i]]);
  return out;
}

export const add = (a: NDArray, b: NDArray): NDArray => elementwise(a, b, (x, y) => x + y);
export const sub = (a: NDArray, b: NDArray): NDArray => elementwise(a, b, (x, y) => x - y);
export const mul = (a: NDArray, b: NDArray): NDArray => elementwise(a, b, (x, y) => x * y);
export const div = (a: NDArray, b: NDArray): NDArray => elementwise(a, b, (x, y) => x / y);
export const neg = (a: NDArray): NDArray => a.map((x) => -x);
export const scale = (a: NDArray, factor: number): NDArray => a.map((x) => x * factor);

/** `a` repeated along its broadcast axes to `shape`. */
export function broadcastTo(a: NDArray, shape: Shape): NDArray {
  const target = broadcastShapes(a.shape, shape);
  if (!sameShape(target, shape)) {
    throw new ShapeError(`cannot broadcast ${formatShape(a.shape)} to ${formatShape(shape)}`);
  }
  const offsets = broadcastOffsets(a.shape, shape);
  const out = new NDArray(shape);
  for (let i = 0; i < out.size; i++) out.data[i] = a.data[offsets[i]];
  return out;
}

/**
 * Sums a gradient that was broadcast back to the shape of the operand it belongs to.
 * If `x` of shape [3] was broadcast to [2,3] in the forward pass, the gradient arriving for the
 * result has shape [2,3]; each element of `x` was used twice, so its gradient is the sum over
 * axis 0: `sumToShape(grad, [3])`.
 */
export function sumToShape(grad: NDArray, shape: Shape): NDArray {
  if (!sameShape(broadcastShapes(shape, grad.shape), grad.shape)) {
    throw new ShapeError(`a gradient of shape ${formatShape(grad.shape)} cannot be summed to shape ${formatShape(shape)}`);
  }
  if (sameShape(shape, grad.shape)) return new NDArray(shape, grad.data);
  const out = new NDArray(shape);
  if (out.size === 1) {
    // Everything sums into one element.
    out.data[0] = grad.data.reduce((total, x) => total + x, 0);
    return out;
  }
  const offsets = broadcastOffsets(shape, grad.shape);
  for (let i = 0; i < grad.size; i++) out.data[offsets[i]] += grad.data[i];
  return out;
}

// ---------------------------------------------------------------------------------------------
// Reductions

function normaliseAxes(shape: Shape, axes: readonly number[] | undefined): number[] {
  if (axes === undefined) return shape.map((_, axis) => axis);
  const normalised = axes.map((axis) => (axis < 0 ? axis + shape.length : axis));
  for (const axis of normalised) {
    if (!Number.isInteger(axis) || axis < 0 || axis >= shape.length) {
      throw new ShapeError(`axes [${axes.join(',')}] are out of range for shape ${formatShape(shape)}`);
    }
  }
  return [...new Set(normalised)].sort((x, y) => x - y);
}

/** The shape left after reducing `axes`; with `keepDims` the reduced axes stay with length 1. */
export function reducedShape(shape: Shape, axes?: readonly number[], keepDims = false): Shape {
  const reduced = normaliseAxes(shape, axes);
  if (keepDims) return shape.map((length, axis) => (reduced.includes(axis) ? 1 : length));
  return shape.filter((_, axis) => !reduced.includes(axis));
}

/** Sum over `axes` (all axes when omitted). */
export function sum(a: NDArray, axes?: readonly number[], keepDims = false): NDArray {
  const kept = sumToShape(a, reducedShape(a.shape, axes, true));
  return keepDims ? kept : kept.reshape(reducedShape(a.shape, axes));
}

/** Mean over `axes` (all axes when omitted). */
export function mean(a: NDArray, axes?: readonly number[], keepDims = false): NDArray {
  const count = a.size / sizeOf(reducedShape(a.shape, axes));
  return scale(sum(a, axes, keepDims), 1 / count);
}

/** How many elements each output element of a reduction over `axes` averages. */
export function reductionCount(shape: Shape, axes?: readonly number[]): number {
  return sizeOf(shape) / sizeOf(reducedShape(shape, axes));
}

// ---------------------------------------------------------------------------------------------
// Matrices

function assertMatrix(a: NDArray, what: string): void {
  if (a.rank !== 2) throw new ShapeError(`${what} needs a matrix (2 axes), got shape ${formatShape(a.shape)}`);
}

/** Matrix product of [n,k] and [k,m]. The i-k-j loop order walks both operands row by row. */
export function matmul(a: NDArray, b: NDArray): NDArray {
  assertMatrix(a, 'matmul');
  assertMatrix(b, 'matmul');
  const [n, k] = a.shape;
  const [k2, m] = b.shape;
  if (k !== k2) {
    throw new ShapeError(`matmul of ${formatShape(a.shape)} and ${formatShape(b.shape)}: inner lengths ${k} and ${k2} differ`);
  }
  const out = new NDArray([n, m]);
  for (let i = 0; i < n; i++) {
    for (let p = 0; p < k; p++) {
      const aip = a.data[i * k + p];
      for (let j = 0; j < m; j++) out.data[i * m + j] += aip * b.data[p * m + j];
    }
  }
  return out;
}

/** Transpose of a matrix. */
export function transpose(a: NDArray): NDArray {
  assertMatrix(a, 'transpose');
  const [n, m] = a.shape;
  const out = new NDArray([m, n]);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) out.data[j * n + i] = a.data[i * m + j];
  return out;
}
