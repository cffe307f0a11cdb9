/**
 * Q1(b): the backward rules of ReduceMean, Add, Mul, MatMul, ReLU and Sigmoid.
 *
 * Each rule is called directly through `inputGradients(upstream)`, so these tests do not need
 * Q1(a)'s `Tensor.backward`. Run one op with e.g. `npm test -- -t "Q1(b) Mul"` (a regular
 * expression, in which Q1(b) matches the test names' Q1b).
 */
import fc from 'fast-check';
import { describe } from 'vitest';
import {
  Add,
  Input,
  MatMul,
  Mul,
  NDArray,
  ReLU,
  ReduceMean,
  Sigmoid,
  add,
  matmul,
  mean,
  mul,
  reducedShape,
  type Tensor,
} from '../src/index.js';
import { assertAllClose, assertNumbersClose, graderTolerance } from './support/all-close.js';
import {
  anyValue,
  awayFromZero,
  broadcastOperands,
  elementwiseOperand,
  matmulShapes,
  ndarray,
  shape,
  shapeAndAxes,
  upstreamGradient,
} from './support/arbitraries.js';
import { checkGradients } from './support/gradient-check.js';
import { partTest } from './support/not-implemented.js';
import { runs } from './support/runs.js';

/** The gradients an op's backward rule returns for `upstream` (shapes checked by inputGradients). */
const gradientsOf = (op: Tensor, upstream: NDArray) => () => op.inputGradients(upstream);

describe('Q1b ReduceMean', () => {
  const test = partTest(() => new ReduceMean(new Input([[1, 2]])).inputGradients(NDArray.scalar(1)));
  const forward = (axes?: number[]) => (x: NDArray) => new ReduceMean(new Input(x), axes).value;

  test('the value is the mean over the given axes', () => {
    fc.assert(
      fc.property(shapeAndAxes.chain(({ shape, axes }) => fc.record({ x: ndarray(shape), axes: fc.constant(axes) })), ({ x, axes }) => {
        assertAllClose(forward(axes)(x), mean(x, axes), `Q1(b) ReduceMean of x ${x}: the value`, graderTolerance);
      }),
      runs(),
    );
  });

  test('dL/dx matches finite differences, mean over all axes', () => {
    const cases = shape().chain((s) => fc.record({ x: ndarray(s), upstream: upstreamGradient([]) }));
    fc.assert(
      fc.property(cases, ({ x, upstream }) => {
        const op = new ReduceMean(new Input(x));
        checkGradients({ what: 'Q1(b) ReduceMean over all axes', inputs: { x }, forward: forward(), upstream, backward: gradientsOf(op, upstream) });
      }),
      runs(),
    );
  });

  test('dL/dx matches finite differences, mean over some axes', () => {
    const cases = shapeAndAxes.chain(({ shape, axes = [0] }) =>
      fc.record({ x: ndarray(shape), axes: fc.constant(axes), upstream: upstreamGradient(reducedShape(shape, axes)) }),
    );
    fc.assert(
      fc.property(cases, ({ x, axes, upstream }) => {
        const op = new ReduceMean(new Input(x), axes);
        checkGradients({
          what: `Q1(b) ReduceMean over axes [${axes.join(',')}]`,
          inputs: { x },
          forward: forward(axes),
          upstream,
          backward: gradientsOf(op, upstream),
        });
      }),
      runs(),
    );
  });
});

describe('Q1b Add', () => {
  const test = partTest(() => new Add(new Input([[1, 2]]), new Input([3])).inputGradients(NDArray.ones([1, 2])));
  const forward = (a: NDArray, b: NDArray) => new Add(new Input(a), new Input(b)).value;

  test('the value is a + b, broadcast', () => {
    fc.assert(
      fc.property(broadcastOperands, ({ a, b }) => assertAllClose(forward(a, b), add(a, b), `Q1(b) Add of a ${a} and b ${b}: the value`, graderTolerance)),
      runs(),
    );
  });

  test('dL/da and dL/db match finite differences, for equal and broadcast shapes', () => {
    fc.assert(
      fc.property(broadcastOperands, ({ a, b, upstream }) => {
        const op = new Add(new Input(a), new Input(b));
        checkGradients({ what: 'Q1(b) Add', inputs: { a, b }, forward, upstream, backward: gradientsOf(op, upstream) });
      }),
      runs(),
    );
  });
});

describe('Q1b Mul', () => {
  const test = partTest(() => new Mul(new Input([[1, 2]]), new Input([3])).inputGradients(NDArray.ones([1, 2])));
  const forward = (a: NDArray, b: NDArray) => new Mul(new Input(a), new Input(b)).value;

  test('the value is a * b, broadcast', () => {
    fc.assert(
      fc.property(broadcastOperands, ({ a, b }) => assertAllClose(forward(a, b), mul(a, b), `Q1(b) Mul of a ${a} and b ${b}: the value`, graderTolerance)),
      runs(),
    );
  });

  test('dL/da and dL/db match finite differences, for equal and broadcast shapes', () => {
    fc.assert(
      fc.property(broadcastOperands, ({ a, b, upstream }) => {
        const op = new Mul(new Input(a), new Input(b));
        checkGradients({ what: 'Q1(b) Mul', inputs: { a, b }, forward, upstream, backward: gradientsOf(op, upstream) });
      }),
      runs(),
    );
  });
});

describe('Q1b MatMul', () => {
  const test = partTest(() => new MatMul(new Input([[1, 2]]), new Input([[3], [4]])).inputGradients(NDArray.ones([1, 1])));
  const forward = (a: NDArray, b: NDArray) => new MatMul(new Input(a), new Input(b)).value;
  const cases = matmulShapes.chain(([sa, sb]) => fc.record({ a: ndarray(sa), b: ndarray(sb), upstream: upstreamGradient([sa[0], sb[1]]) }));

  test('the value is the matrix product a @ b', () => {
    fc.assert(
      fc.property(cases, ({ a, b }) => assertAllClose(forward(a, b), matmul(a, b), `Q1(b) MatMul of a ${a} and b ${b}: the value`, graderTolerance)),
      runs(),
    );
  });

  test('dL/da and dL/db match finite differences, for non-square matrices', () => {
    fc.assert(
      fc.property(cases, ({ a, b, upstream }) => {
        const op = new MatMul(new Input(a), new Input(b));
        checkGradients({ what: 'Q1(b) MatMul', inputs: { a, b }, forward, upstream, backward: gradientsOf(op, upstream) });
      }),
      runs(),
    );
  });
});

describe('Q1b ReLU', () => {
  const test = partTest(() => new ReLU(new Input([1, -1])).inputGradients(NDArray.ones([2])));
  const forward = (x: NDArray) => new ReLU(new Input(x)).value;

  test('the value is max(x, 0)', () => {
    fc.assert(
      fc.property(elementwiseOperand(anyValue), ({ x }) => {
        assertAllClose(forward(x), x.map((v) => Math.max(v, 0)), `Q1(b) ReLU of x ${x}: the value`, graderTolerance);
      }),
      runs(),
    );
  });

  test('dL/dx matches finite differences, for x at least 0.1 away from 0', () => {
    fc.assert(
      fc.property(elementwiseOperand(awayFromZero), ({ x, upstream }) => {
        const op = new ReLU(new Input(x));
        checkGradients({ what: 'Q1(b) ReLU', inputs: { x }, forward, upstream, backward: gradientsOf(op, upstream) });
      }),
      runs(),
    );
  });

  test('dL/dx is 0 where x is exactly 0 (the convention in ops.ts)', () => {
    const [gradient] = new ReLU(new Input([0, 0])).inputGradients(NDArray.from([2, -3]));
    assertNumbersClose(gradient, [0, 0], 'Q1(b) ReLU at x = [0, 0] with upstream gradient [2, -3]: dL/dx');
  });
});

describe('Q1b Sigmoid', () => {
  const test = partTest(() => new Sigmoid(new Input([1, -1])).inputGradients(NDArray.ones([2])));
  const forward = (x: NDArray) => new Sigmoid(new Input(x)).value;

  test('the value is 1 / (1 + exp(-x))', () => {
    fc.assert(
      fc.property(elementwiseOperand(anyValue), ({ x }) => {
        assertAllClose(forward(x), x.map((v) => 1 / (1 + Math.exp(-v))), `Q1(b) Sigmoid of x ${x}: the value`, graderTolerance);
      }),
      runs(),
    );
  });

  test('dL/dx matches finite differences', () => {
    fc.assert(
      fc.property(elementwiseOperand(anyValue), ({ x, upstream }) => {
        const op = new Sigmoid(new Input(x));
        checkGradients({ what: 'Q1(b) Sigmoid', inputs: { x }, forward, upstream, backward: gradientsOf(op, upstream) });
      }),
      runs(),
    );
  });
});
