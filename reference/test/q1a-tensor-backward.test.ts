/**
 * Q1(a): Tensor.backward. The graphs here are built from the given Neg and Sqrt and from three
 * small operations defined below, so these tests do not need any of Q1(b).
 */
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { Input, NDArray, Neg, Sqrt, Tensor, Variable, add, mul, scale, type Shape } from '../src/index.js';
import { assertNumbersClose } from './support/all-close.js';
import { anyValue, awayFromZero, ndarray, positiveValue, shape, upstreamGradient } from './support/arbitraries.js';
import { checkGradients } from './support/gradient-check.js';
import { partTest } from './support/not-implemented.js';
import { runs } from './support/runs.js';

/** factor * x. */
class Scale extends Tensor {
  constructor(
    readonly x: Tensor,
    readonly factor: number,
  ) {
    super(scale(x.value, factor), [x]);
  }

  override backwardRule(upstream: NDArray): NDArray[] {
    return [scale(upstream, this.factor)];
  }
}

/** a + b, for equal shapes. */
class Plus extends Tensor {
  constructor(a: Tensor, b: Tensor) {
    super(add(a.value, b.value), [a, b]);
  }

  override backwardRule(upstream: NDArray): NDArray[] {
    return [upstream.map((g) => g), upstream.map((g) => g)];
  }
}

/** a * b, for equal shapes. */
class Times extends Tensor {
  constructor(
    readonly a: Tensor,
    readonly b: Tensor,
  ) {
    super(mul(a.value, b.value), [a, b]);
  }

  override backwardRule(upstream: NDArray): NDArray[] {
    return [mul(upstream, this.b.value), mul(upstream, this.a.value)];
  }
}

/**
 * Builds the graph `build` on Variables holding `inputs`, runs backward(upstream) from its output
 * and compares the leaves' grads with finite differences of the same graph.
 */
function checkGraph(what: string, inputs: Record<string, NDArray>, upstream: NDArray, build: (...leaves: Tensor[]) => Tensor): void {
  checkGradients({
    what: `Q1(a) Tensor.backward on ${what}`,
    inputs,
    upstream,
    forward: (...values) => build(...values.map((value) => new Input(value))).value,
    backward: () => {
      const leaves = Object.values(inputs).map((value) => new Variable(value));
      build(...leaves).backward(new NDArray(upstream.shape, upstream.data));
      return leaves.map((leaf) => leaf.grad);
    },
  });
}

/** Arrays drawn from each of `values`, all of one small shape, and an upstream gradient of that shape. */
function sameShapeCase(...values: fc.Arbitrary<number>[]): fc.Arbitrary<{ xs: NDArray[]; upstream: NDArray }> {
  return shape().chain((s: Shape) => fc.record({ xs: fc.tuple(...values.map((v) => ndarray(s, v))), upstream: upstreamGradient(s) }));
}

describe('Q1a Tensor.backward', () => {
  const test = partTest(() => new Neg(new Variable([1, 2])).backward(NDArray.ones([2])));

  test('a scalar output is seeded with the gradient 1', () => {
    const x = new Variable(2);
    const y = new Scale(x, 3);
    y.backward();
    assertNumbersClose(y.grad, 1, 'y.grad after y.backward(), y = 3x');
    assertNumbersClose(x.grad, 3, 'x.grad after y.backward(), y = 3x');

    const w = new Variable([[5]]);
    new Neg(w).backward();
    assertNumbersClose(w.grad, [[-1]], 'w.grad after (-w).backward() for w of shape [1,1]');
  });

  test('a non-scalar output needs a gradient, and the error names its shape', () => {
    const y = new Neg(new Variable([
      [1, 2, 3],
      [4, 5, 6],
    ]));
    expect(() => y.backward()).toThrow('[2,3]');
  });

  test('the gradient runs down a chain to its start', () => {
    const cases = fc.record({
      factors: fc.array(fc.constantFrom(-2, -1, 0.5, 2), { minLength: 1, maxLength: 60 }),
      operand: sameShapeCase(anyValue),
    });
    fc.assert(
      fc.property(cases, ({ factors, operand: { xs, upstream } }) => {
        checkGraph(`a chain of ${factors.length} Scale and Neg`, { x: xs[0] }, upstream, (x) =>
          factors.reduce((t, factor, i) => (i % 2 === 0 ? new Scale(t, factor) : new Neg(new Scale(t, factor))), x),
        );
      }),
      runs(),
    );
  });

  test('a tensor used twice by one operation gets both contributions (x + x, x * x)', () => {
    fc.assert(
      fc.property(sameShapeCase(anyValue), ({ xs: [x], upstream }) => {
        checkGraph('x + x', { x }, upstream, (t) => new Plus(t, t));
        checkGraph('x * x', { x }, upstream, (t) => new Times(t, t));
      }),
      runs(),
    );
  });

  test('a diamond: h = 2x feeds two branches that meet again; h is finished before x', () => {
    const x = new Variable([1, 2]);
    const h = new Scale(x, 2);
    const y = new Plus(new Neg(new Scale(new Scale(h, 3), 0.5)), h); // y = -1.5 h + h = -0.5 h = -x
    y.backward(NDArray.from([1, 10]));
    assertNumbersClose(h.grad, [-0.5, -5], 'h.grad, y = -(0.5 (3h)) + h, upstream [1, 10]');
    assertNumbersClose(x.grad, [-1, -10], 'x.grad, y = -(0.5 (3h)) + h with h = 2x, upstream [1, 10]');

    fc.assert(
      fc.property(sameShapeCase(positiveValue), ({ xs: [x], upstream }) => {
        checkGraph('h = sqrt(x), y = h * h + 3 (-h)', { x }, upstream, (t) => {
          const root = new Sqrt(t);
          return new Plus(new Times(root, root), new Scale(new Neg(root), 3));
        });
      }),
      runs(),
    );
  });

  test('every leaf of a graph with several leaves gets its own gradient', () => {
    fc.assert(
      fc.property(sameShapeCase(anyValue, awayFromZero, anyValue), ({ xs: [a, b, c], upstream }) => {
        checkGraph('a * b + 2c - b', { a, b, c }, upstream, (ta, tb, tc) => new Plus(new Plus(new Times(ta, tb), new Scale(tc, 2)), new Neg(tb)));
      }),
      runs(),
    );
  });

  test('a second backward() adds the same gradients to the leaves again and recomputes the others', () => {
    const x = new Variable([1, 2]);
    const h = new Times(x, x);
    const y = new Plus(new Neg(h), new Scale(h, 3)); // y = 2 x^2
    const upstream = NDArray.from([1, -1]);
    y.backward(upstream);
    assertNumbersClose(x.grad, [4, -8], 'x.grad after one y.backward([1, -1]), y = 2x^2 at x = [1, 2]');
    assertNumbersClose(h.grad, [2, -2], 'h.grad after one y.backward([1, -1]), y = -h + 3h');
    y.backward(upstream);
    assertNumbersClose(x.grad, [8, -16], 'x.grad after a second y.backward([1, -1]): doubled');
    assertNumbersClose(h.grad, [2, -2], 'h.grad after a second y.backward([1, -1]): recomputed, not doubled');
  });
});
