/**
 * Small operations owned by the grader, used to test a student's Tensor.backward (Q1a) without
 * depending on the student's (or the reference's) ops.ts. Each one has an obvious backward rule.
 */
import { NDArray, add, matmul, mul, scale, transpose } from 'framework:ndarray';
import { Tensor } from 'framework:tensor';
import type { ProbeMakers } from '../shared/probe-graph.js';

class Plus extends Tensor {
  constructor(a: Tensor, b: Tensor) {
    super(add(a.value, b.value), [a, b]);
  }
  override backwardRule(upstream: NDArray): NDArray[] {
    return [upstream, upstream];
  }
}

class Times extends Tensor {
  constructor(readonly a: Tensor, readonly b: Tensor) {
    super(mul(a.value, b.value), [a, b]);
  }
  override backwardRule(upstream: NDArray): NDArray[] {
    return [mul(upstream, this.b.value), mul(upstream, this.a.value)];
  }
}

class MatTimes extends Tensor {
  constructor(readonly a: Tensor, readonly b: Tensor) {
    super(matmul(a.value, b.value), [a, b]);
  }
  override backwardRule(upstream: NDArray): NDArray[] {
    return [matmul(upstream, transpose(this.b.value)), matmul(transpose(this.a.value), upstream)];
  }
}

class Scale extends Tensor {
  constructor(x: Tensor, readonly factor: number) {
    super(scale(x.value, factor), [x]);
  }
  override backwardRule(upstream: NDArray): NDArray[] {
    return [scale(upstream, this.factor)];
  }
}

class Sum extends Tensor {
  constructor(readonly x: Tensor) {
    super(NDArray.scalar(x.value.data.reduce((total, v) => total + v, 0)), [x]);
  }
  override backwardRule(upstream: NDArray): NDArray[] {
    return [NDArray.full(this.x.shape, upstream.item())];
  }
}

/** Makes the probe graph's nodes with the student's Tensor as the base class (leaves are `makeLeaf`'s). */
export function probeMakers(makeLeaf: (value: NDArray) => Tensor): ProbeMakers<Tensor> {
  return {
    leaf: (shape, data) => makeLeaf(new NDArray(shape, data)),
    plus: (a, b) => new Plus(a, b),
    times: (a, b) => new Times(a, b),
    matmul: (a, b) => new MatTimes(a, b),
    scale: (x, factor) => new Scale(x, factor),
    sum: (x) => new Sum(x),
  };
}
