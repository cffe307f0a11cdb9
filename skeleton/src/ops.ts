/**
 * Q1(b): the operations. Each one computes its value in the constructor (the forward pass) and
 * returns, in `backwardRule`, the gradient of the loss with respect to each of its inputs, given
 * `upstream`, the gradient with respect to its own value.
 *
 * `Neg` and `Sqrt` are complete and show the pattern.
 */
import {
  add,
  NDArray,
  broadcastTo,
  div,
  matmul,
  mean,
  mul,
  neg,
  reducedShape,
  reductionCount,
  scale,
  sumToShape,
  transpose,
} from './ndarray.js';
import { Tensor } from './tensor.js';
import { NotImplemented } from './not-implemented.js';

/** -x. Worked example: the derivative of -x is -1, so the gradient is -upstream. */
export class Neg extends Tensor {
  constructor(readonly x: Tensor) {
    super(neg(x.value), [x]);
  }

  override backwardRule(upstream: NDArray): NDArray[] {
    return [neg(upstream)];
  }
}

/** sqrt(x), elementwise. Worked example: d sqrt(x)/dx = 1 / (2 sqrt(x)), and sqrt(x) is our value. */
export class Sqrt extends Tensor {
  constructor(readonly x: Tensor) {
    super(x.value.map(Math.sqrt), [x]);
  }

  override backwardRule(upstream: NDArray): NDArray[] {
    return [div(upstream, scale(this.value, 2))];
  }
}

/** The mean over `axes` (all axes, giving a scalar, when omitted). Reduced axes are dropped. */
export class ReduceMean extends Tensor {
  readonly axes: readonly number[] | undefined;

  constructor(readonly x: Tensor, axes?: readonly number[]) {
    super(mean(x.value, axes), [x]);
    this.axes = axes;
  }

  override backwardRule(upstream: NDArray): NDArray[] {
    // TODO: Q1(b) ReduceMean.backwardRule
    throw new NotImplemented('Q1(b) ReduceMean.backwardRule');
  }
}

/** a + b, elementwise with broadcasting. */
export class Add extends Tensor {
  constructor(readonly a: Tensor, readonly b: Tensor) {
    super(add(a.value, b.value), [a, b]);
  }

  override backwardRule(upstream: NDArray): NDArray[] {
    // TODO: Q1(b) Add.backwardRule
    throw new NotImplemented('Q1(b) Add.backwardRule');
  }
}

/** a * b, elementwise with broadcasting. */
export class Mul extends Tensor {
  constructor(readonly a: Tensor, readonly b: Tensor) {
    super(mul(a.value, b.value), [a, b]);
  }

  override backwardRule(upstream: NDArray): NDArray[] {
    // TODO: Q1(b) Mul.backwardRule
    throw new NotImplemented('Q1(b) Mul.backwardRule');
  }
}

/** The matrix product a @ b of an [n,k] and a [k,m] matrix. */
export class MatMul extends Tensor {
  constructor(readonly a: Tensor, readonly b: Tensor) {
    super(matmul(a.value, b.value), [a, b]);
  }

  override backwardRule(upstream: NDArray): NDArray[] {
    // TODO: Q1(b) MatMul.backwardRule
    throw new NotImplemented('Q1(b) MatMul.backwardRule');
  }
}

/** max(x, 0), elementwise. At exactly 0 the gradient is taken to be 0. */
export class ReLU extends Tensor {
  constructor(readonly x: Tensor) {
    super(x.value.map((v) => (v > 0 ? v : 0)), [x]);
  }

  override backwardRule(upstream: NDArray): NDArray[] {
    // TODO: Q1(b) ReLU.backwardRule
    throw new NotImplemented('Q1(b) ReLU.backwardRule');
  }
}

/** 1 / (1 + exp(-x)), elementwise. */
export class Sigmoid extends Tensor {
  constructor(readonly x: Tensor) {
    super(x.value.map((v) => 1 / (1 + Math.exp(-v))), [x]);
  }

  override backwardRule(upstream: NDArray): NDArray[] {
    // TODO: Q1(b) Sigmoid.backwardRule
    throw new NotImplemented('Q1(b) Sigmoid.backwardRule');
  }
}
