/**
 * The grader's probe operations (shared/probe-ops.ts) on the student's Tensor, used to test a
 * student's Tensor.backward (Q1a) without depending on the student's (or the reference's) ops.ts.
 */
import { NDArray, add, matmul, mul, scale, transpose } from 'framework:ndarray';
import { Tensor } from 'framework:tensor';
import type { ProbeMakers } from '../shared/probe-graph.js';
import { probeMakers as makers } from '../shared/probe-ops.js';

/** Makes the probe graph's nodes with the student's Tensor as the base class (leaves are `makeLeaf`'s). */
export function probeMakers(makeLeaf: (value: NDArray) => Tensor): ProbeMakers<Tensor> {
  return makers({ Tensor, NDArray, add, mul, matmul, scale, transpose }, makeLeaf);
}
