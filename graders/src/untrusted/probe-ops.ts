/**
 * Small operations owned by the grader, used to test a student's Tensor.backward (Q1a) without
 * depending on the student's (or the reference's) ops.ts. Each one has an obvious backward rule.
 */
import { NDArray, add, matmul, mul, scale, transpose } from 'framework:ndarray';
import { Tensor } from 'framework:tensor';

/** The probe graph language: a list of nodes, each referring to earlier ones by index. */
export type ProbeNode =
  | { op: 'leaf'; value: { shape: number[]; data: (number | null)[] } }
  | { op: 'plus' | 'times' | 'matmul'; args: [number, number] }
  | { op: 'scale'; args: [number]; factor: number }
  /** `depth` scale nodes in a row (a deep chain, sent compactly). */
  | { op: 'scale-chain'; args: [number]; factor: number; depth: number }
  | { op: 'sum'; args: [number] };

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

/** Builds the graph with the student's Tensor as the base class; returns every node. */
export function buildProbeGraph(nodes: ProbeNode[], makeLeaf: (value: NDArray) => Tensor): Tensor[] {
  const built: Tensor[] = [];
  for (const node of nodes) {
    const arg = (k: number): Tensor => built[(node as { args: number[] }).args[k]];
    switch (node.op) {
      case 'leaf':
        built.push(makeLeaf(new NDArray(node.value.shape, node.value.data.map(Number))));
        break;
      case 'plus':
        built.push(new Plus(arg(0), arg(1)));
        break;
      case 'times':
        built.push(new Times(arg(0), arg(1)));
        break;
      case 'matmul':
        built.push(new MatTimes(arg(0), arg(1)));
        break;
      case 'scale':
        built.push(new Scale(arg(0), node.factor));
        break;
      case 'scale-chain': {
        let link = arg(0);
        for (let k = 0; k < Math.min(node.depth, 100_000); k++) link = new Scale(link, node.factor);
        built.push(link);
        break;
      }
      case 'sum':
        built.push(new Sum(arg(0)));
        break;
    }
  }
  return built;
}
