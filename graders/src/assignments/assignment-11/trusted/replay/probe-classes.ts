/**
 * The grader's probe operations (shared/probe-ops.ts) as source a student pastes: the same small
 * Tensor subclasses, written against the student's Tensor and the given numeric layer, so that a
 * Q1(a) case runs in the student's project exactly as it ran in the grader's child. Each one hands
 * back the very arrays probe-ops.ts does (Plus gives both inputs the same upstream array), since
 * some mistakes of Tensor.backward show only then.
 */
import type { ProbeNode } from '../../shared/probe-graph.js';

/** A probe operation: its class's source, what it imports from the framework, and how its values are named. */
export interface ProbeClass {
  className: string;
  /** Names of the student's src/index.ts the class uses (Tensor and NDArray are always imported). */
  imports: readonly string[];
  /** The class, one line per element. */
  source: readonly string[];
  /** The name of a tensor it makes, e.g. "product" (numbered when there are several). */
  valueName: string;
}

const PLUS: ProbeClass = {
  className: 'Plus',
  imports: ['add'],
  valueName: 'added',
  source: [
    '/** a + b; its backward rule hands the same upstream array to both inputs. */',
    'class Plus extends Tensor {',
    '  constructor(a: Tensor, b: Tensor) {',
    '    super(add(a.value, b.value), [a, b]);',
    '  }',
    '',
    '  override backwardRule(upstream: NDArray): NDArray[] {',
    '    return [upstream, upstream];',
    '  }',
    '}',
  ],
};

const TIMES: ProbeClass = {
  className: 'Times',
  imports: ['mul'],
  valueName: 'product',
  source: [
    '/** a * b, elementwise (same shapes). */',
    'class Times extends Tensor {',
    '  constructor(readonly a: Tensor, readonly b: Tensor) {',
    '    super(mul(a.value, b.value), [a, b]);',
    '  }',
    '',
    '  override backwardRule(upstream: NDArray): NDArray[] {',
    '    return [mul(upstream, this.b.value), mul(upstream, this.a.value)];',
    '  }',
    '}',
  ],
};

const MAT_TIMES: ProbeClass = {
  className: 'MatTimes',
  imports: ['matmul', 'transpose'],
  valueName: 'matrixProduct',
  source: [
    '/** The matrix product a @ b. */',
    'class MatTimes extends Tensor {',
    '  constructor(readonly a: Tensor, readonly b: Tensor) {',
    '    super(matmul(a.value, b.value), [a, b]);',
    '  }',
    '',
    '  override backwardRule(upstream: NDArray): NDArray[] {',
    '    return [matmul(upstream, transpose(this.b.value)), matmul(transpose(this.a.value), upstream)];',
    '  }',
    '}',
  ],
};

const SCALE: ProbeClass = {
  className: 'Scale',
  imports: ['scale'],
  valueName: 'scaled',
  source: [
    '/** x times a constant factor. */',
    'class Scale extends Tensor {',
    '  constructor(x: Tensor, readonly factor: number) {',
    '    super(scale(x.value, factor), [x]);',
    '  }',
    '',
    '  override backwardRule(upstream: NDArray): NDArray[] {',
    '    return [scale(upstream, this.factor)];',
    '  }',
    '}',
  ],
};

const SUM: ProbeClass = {
  className: 'Sum',
  imports: [],
  valueName: 'total',
  source: [
    '/** The sum of all elements of x: a scalar. */',
    'class Sum extends Tensor {',
    '  constructor(readonly x: Tensor) {',
    '    super(NDArray.scalar(x.value.data.reduce((total, v) => total + v, 0)), [x]);',
    '  }',
    '',
    '  override backwardRule(upstream: NDArray): NDArray[] {',
    '    return [NDArray.full(this.x.shape, upstream.item())];',
    '  }',
    '}',
  ],
};

/** The class that makes each kind of probe node (a chain is Scale again and again). */
export const PROBE_CLASSES: Record<Exclude<ProbeNode['op'], 'leaf'>, ProbeClass> = {
  plus: PLUS,
  times: TIMES,
  matmul: MAT_TIMES,
  scale: SCALE,
  'scale-chain': SCALE,
  sum: SUM,
};
