/**
 * The grader's probe operations for the Q1(a) checks: small operations with obvious backward
 * rules, built on any framework's Tensor. The child builds them on the student's Tensor (so that
 * neither the student's nor the reference's ops.ts is involved); the parent builds the very same
 * operations on the reference Tensor when it replays a known mistake of Tensor.backward, because
 * some mistakes depend on the exact arrays an operation hands back (Plus gives both inputs the
 * same upstream array, as a student's Add may). trusted/replay/probe-classes.ts writes the same
 * classes as source for the student's page, to replay a failed case: change both together.
 *
 * Types only come from the framework here; the classes are made from what the caller passes in.
 */
import type { NDArray } from 'framework:ndarray';
import type { Tensor } from 'framework:tensor';
import type { ProbeMakers } from './probe-graph.js';

/** The parts of a framework the probe operations are made of. */
export interface ProbeFramework {
  Tensor: typeof Tensor;
  NDArray: typeof NDArray;
  add(a: NDArray, b: NDArray): NDArray;
  mul(a: NDArray, b: NDArray): NDArray;
  matmul(a: NDArray, b: NDArray): NDArray;
  scale(a: NDArray, factor: number): NDArray;
  transpose(a: NDArray): NDArray;
}

type Operations = Omit<ProbeMakers<Tensor>, 'leaf'>;

function makeOperations(f: ProbeFramework): Operations {
  class Plus extends f.Tensor {
    constructor(a: Tensor, b: Tensor) {
      super(f.add(a.value, b.value), [a, b]);
    }
    override backwardRule(upstream: NDArray): NDArray[] {
      return [upstream, upstream];
    }
  }

  class Times extends f.Tensor {
    constructor(
      readonly a: Tensor,
      readonly b: Tensor,
    ) {
      super(f.mul(a.value, b.value), [a, b]);
    }
    override backwardRule(upstream: NDArray): NDArray[] {
      return [f.mul(upstream, this.b.value), f.mul(upstream, this.a.value)];
    }
  }

  class MatTimes extends f.Tensor {
    constructor(
      readonly a: Tensor,
      readonly b: Tensor,
    ) {
      super(f.matmul(a.value, b.value), [a, b]);
    }
    override backwardRule(upstream: NDArray): NDArray[] {
      return [f.matmul(upstream, f.transpose(this.b.value)), f.matmul(f.transpose(this.a.value), upstream)];
    }
  }

  class Scale extends f.Tensor {
    constructor(
      x: Tensor,
      readonly factor: number,
    ) {
      super(f.scale(x.value, factor), [x]);
    }
    override backwardRule(upstream: NDArray): NDArray[] {
      return [f.scale(upstream, this.factor)];
    }
  }

  class Sum extends f.Tensor {
    constructor(readonly x: Tensor) {
      super(f.NDArray.scalar(x.value.data.reduce((total, v) => total + v, 0)), [x]);
    }
    override backwardRule(upstream: NDArray): NDArray[] {
      return [f.NDArray.full(this.x.shape, upstream.item())];
    }
  }

  return {
    plus: (a, b) => new Plus(a, b),
    times: (a, b) => new Times(a, b),
    matmul: (a, b) => new MatTimes(a, b),
    scale: (x, factor) => new Scale(x, factor),
    sum: (x) => new Sum(x),
  };
}

const operationsByTensor = new WeakMap<typeof Tensor, Operations>();

/** Makes the probe graph's nodes with `framework`'s Tensor as the base class (leaves are `makeLeaf`'s). */
export function probeMakers(framework: ProbeFramework, makeLeaf: (value: NDArray) => Tensor): ProbeMakers<Tensor> {
  let operations = operationsByTensor.get(framework.Tensor);
  if (!operations) operationsByTensor.set(framework.Tensor, (operations = makeOperations(framework)));
  return { leaf: (shape, data) => makeLeaf(new framework.NDArray(shape, data)), ...operations };
}
