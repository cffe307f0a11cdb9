/**
 * Judging one array the child returned against the one the parent expected: shape first, then
 * every element with the rubric's tolerance. The verdict says in words where they differ.
 */
import { formatShape, sameShape, type NDArray } from '@assignment-11/reference/src/ndarray.js';
import { describeNonArray, readWireArray } from './wire-arrays.js';
import { firstMismatch, type Tolerance } from '../../../trusted/checks/tolerance.js';

export type ArrayVerdict =
  | { ok: true; array: NDArray }
  | { ok: false; kind: 'not-an-array' | 'shape' | 'values'; message: string; array: NDArray | null; index?: number };

function indexText(shape: readonly number[], flat: number): string {
  const index: number[] = [];
  for (let axis = shape.length - 1; axis >= 0; axis--) {
    index.unshift(flat % shape[axis]);
    flat = Math.floor(flat / shape[axis]);
  }
  return `[${index.join(',')}]`;
}

/** Compares `got` (raw from the child) with `expected`; `what` names it, e.g. "dL/db". */
export function compareArray(what: string, got: unknown, expected: NDArray, tolerance: Tolerance): ArrayVerdict {
  const array = readWireArray(got);
  if (array === null)
    return {
      ok: false,
      kind: 'not-an-array',
      array: null,
      message: `${what} is ${describeNonArray(got)}, expected an NDArray of shape ${formatShape(expected.shape)}`,
    };
  if (!sameShape(array.shape, expected.shape)) {
    return {
      ok: false,
      kind: 'shape',
      array,
      message: `${what} has shape ${formatShape(array.shape)}, expected ${formatShape(expected.shape)}`,
    };
  }
  const index = firstMismatch(array.data, expected.data, tolerance);
  if (index >= 0) {
    return {
      ok: false,
      kind: 'values',
      array,
      index,
      message: `${what}${indexText(array.shape, index)} is ${array.data[index]}, expected ${expected.data[index]} (|difference| > ${tolerance.atol} + ${tolerance.rtol} * |expected|)`,
    };
  }
  return { ok: true, array };
}

/** Whether `candidate` equals `array` within the tolerance (for recognising known mistakes). */
export function matches(array: NDArray | null | undefined, candidate: NDArray | null | undefined, tolerance: Tolerance): boolean {
  if (!array || !candidate || !sameShape(array.shape, candidate.shape)) return false;
  return firstMismatch(array.data, candidate.data, tolerance) < 0;
}

export function whereText(what: string, verdict: ArrayVerdict): string {
  if (verdict.ok || verdict.array === null) return what;
  return verdict.index === undefined ? what : `${what}${indexText(verdict.array.shape, verdict.index)}`;
}
