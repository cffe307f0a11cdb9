/**
 * Q1(b)'s known mistakes: for each operation, what a backward rule with that mistake returns, and
 * the hint that names it; then the mistakes that a gradient's shape or sign shows by itself. The
 * judge (q1b-judge.ts) names a mistake only when it is confirmed on the case shown
 * (trusted/checks/confirmed-mistake.ts).
 */
import {
  NDArray,
  broadcastTo,
  formatShape,
  matmul,
  mul,
  reducedShape,
  reductionCount,
  scale,
  sum,
  sumToShape,
  transpose,
} from '@assignment-11/reference/src/ndarray.js';
import { Sigmoid } from '@assignment-11/reference/src/ops.js';
import { Input } from '@assignment-11/reference/src/tensor.js';
import { safe } from './attempt.js';

/** The gradients a backward rule returns on one case, one per input; null where a model would not produce an array. */
export type OpGradients = (inputs: NDArray[], upstream: NDArray, axes?: number[]) => (NDArray | null)[];

/** A diagnosis and the hint that names it. */
export interface NamedMistake {
  id: string;
  hint: string;
}

/** A mistake an operation's backward rule can make, listed once per operation. */
export interface OpMistake extends NamedMistake {
  /**
   * The ways of making it: one model, or several that are the same mistake (a mask inverted with
   * `<` or with `<=`) and share its diagnosis, so that they never stand in each other's way; the
   * hint is true of each.
   */
  models: OpGradients[];
  /**
   * An error that names this mistake by itself when the student's code throws one matching it
   * (and no model throws the very same message).
   */
  namedByError?: RegExp;
}

/** Every operation can ignore its upstream gradient: `reference` is the right backward rule, here fed ones. */
export const upstreamIgnored = (reference: OpGradients): OpMistake => ({
  id: 'upstream-ignored',
  hint: 'The gradient ignores the upstream gradient: multiply your local derivative by `upstream` (chain rule).',
  models: [(inputs, upstream, axes) => reference(inputs, NDArray.ones(upstream.shape), axes)],
});

/**
 * An input with fewer axes than the upstream gradient summed over the TRAILING axes it lacks
 * (instead of the leading ones, where broadcasting puts them); `beforeSum` gives each input's
 * gradient before any summing.
 */
const trailingAxesSummed = (opName: string, beforeSum: (inputs: NDArray[], upstream: NDArray) => NDArray[]): OpMistake => ({
  id: 'broadcast-summed-wrong-axes',
  hint:
    `${opName} broadcasts its inputs: an input's gradient is summed over exactly the axes that input was broadcast along, ` +
    'the LEADING axes it lacks and the axes where it has length 1 (kept), e.g. with sumToShape(gradient, input.shape); ' +
    'yours is summed over the trailing axes instead.',
  models: [
    (inputs, upstream) =>
      beforeSum(inputs, upstream).map((full, k) =>
        safe(() => {
          const missing = full.shape.length - inputs[k].shape.length;
          const trailing = Array.from({ length: missing }, (_, i) => inputs[k].shape.length + i);
          return missing > 0 ? sum(full, trailing) : sumToShape(full, inputs[k].shape);
        }),
      ),
  ],
});

/** The upstream gradient with ReduceMean's reduced axes put back with length 1, broadcast to x's shape. */
const spreadOverX = (x: NDArray, g: NDArray, axes?: number[]): NDArray =>
  broadcastTo(g.reshape(reducedShape(x.shape, axes, true)), x.shape);

/** ReduceMean divided by the length of one reduced axis (the one `pick` picks) instead of the count of all of them. */
const dividedByOneAxis =
  (pick: (axes: number[]) => number): OpGradients =>
  ([x], g, axes) => {
    const reduced = axes ?? x.shape.map((_, i) => i);
    if (reduced.length === 0) return [null];
    return [safe(() => scale(spreadOverX(x, g, axes), 1 / x.shape[pick(reduced)]))];
  };

const sigmoid = (x: NDArray): NDArray => new Sigmoid(new Input(x)).value;

/** The mistakes of each operation, in the order the judge tries them. */
export const OP_MISTAKES = {
  ReduceMean: [
    {
      id: 'mean-not-broadcast',
      hint:
        "ReduceMean's gradient has the shape of x, not of the upstream gradient: put the reduced axes back with length 1 " +
        "(upstream.reshape(reducedShape(x.shape, axes, true))), broadcast that to x's shape " +
        'and divide by the number of elements averaged.',
      models: [(_x, g) => [g]],
    },
    {
      id: 'mean-not-divided',
      hint:
        'ReduceMean averages: each input element gets 1/count of the upstream gradient, where count is the number of elements averaged. ' +
        'Your gradient is count times too large.',
      models: [([x], g, axes) => [safe(() => spreadOverX(x, g, axes))]],
    },
    {
      id: 'mean-divided-by-size',
      hint:
        "ReduceMean's gradient is 1/count times the upstream gradient, where count is the number of elements averaged into each output " +
        '(reductionCount(x.shape, axes)), not the size of the whole input: they differ when only some axes are reduced.',
      models: [([x], g, axes) => [safe(() => scale(spreadOverX(x, g, axes), 1 / x.size))]],
    },
    {
      id: 'mean-divided-by-one-axis',
      hint:
        "ReduceMean's gradient is 1/count times the upstream gradient, where count = reductionCount(x.shape, axes) is the number of " +
        'elements averaged into each output: the product of the lengths of ALL the reduced axes, not the length of one of them.',
      models: [dividedByOneAxis((axes) => axes[0]), dividedByOneAxis((axes) => axes[axes.length - 1])],
    },
    {
      id: 'mean-axes-not-kept',
      hint:
        "Before broadcasting the upstream gradient back to x's shape, put the reduced axes back with length 1 " +
        '(upstream.reshape(reducedShape(x.shape, axes, true))); otherwise its axes line up with the wrong axes of x.',
      models: [([x], g, axes) => [scale(broadcastTo(g, x.shape), 1 / reductionCount(x.shape, axes))]],
    },
  ],
  Add: [trailingAxesSummed('Add', (_inputs, g) => [g, g])],
  Mul: [
    trailingAxesSummed('Mul', ([a, b], g) => [mul(g, b), mul(g, a)]),
    {
      id: 'mul-own-operand',
      hint: "d(a*b)/da is b, not a: each input's gradient is the upstream gradient times the OTHER input.",
      models: [([a, b], g) => [safe(() => sumToShape(mul(g, a), a.shape)), safe(() => sumToShape(mul(g, b), b.shape))]],
    },
    {
      id: 'mul-uses-output',
      hint: "The gradient uses the product a*b (the op's own value); d(a*b)/da is b.",
      models: [
        ([a, b], g) => {
          const out = mul(a, b);
          return [safe(() => sumToShape(mul(g, out), a.shape)), safe(() => sumToShape(mul(g, out), b.shape))];
        },
      ],
    },
  ],
  MatMul: [
    {
      id: 'matmul-own-operand',
      hint:
        'For C = A B with upstream G, dA = G Bᵀ uses B, the OTHER input, and dB = Aᵀ G uses A; ' +
        "your gradients use each input's own value.",
      models: [([a, b], g) => [safe(() => matmul(g, transpose(a))), safe(() => matmul(transpose(b), g))]],
    },
    {
      id: 'matmul-transposes-swapped',
      hint:
        'For C = A B with upstream G: dA = G Bᵀ (shape of A) and dB = Aᵀ G (shape of B). Your transposes are on the wrong side ' +
        'or the wrong factor; check the shapes: [n,m]@[m,k] gives [n,k].',
      models: [([a, b], g) => [safe(() => transpose(matmul(g, transpose(b)))), safe(() => transpose(matmul(transpose(a), g)))]],
      // A shape error of matmul in MatMul's backward rule shows by itself that its factors do not fit.
      namedByError: /matmul/i,
    },
  ],
  ReLU: [
    {
      id: 'relu-gradient-at-zero',
      hint:
        'At exactly x = 0 the gradient of ReLU is taken to be 0 (the convention written in ops.ts): pass the upstream gradient only ' +
        'where x > 0, not where x >= 0.',
      models: [([x], g) => [g.map((v, i) => (x.data[i] >= 0 ? v : 0))]],
    },
    {
      id: 'relu-mask-inverted',
      hint:
        'ReLU passes the upstream gradient where the input is positive and blocks it where it is negative; ' +
        'your mask is the other way round.',
      models: [([x], g) => [g.map((v, i) => (x.data[i] < 0 ? v : 0))], ([x], g) => [g.map((v, i) => (x.data[i] <= 0 ? v : 0))]],
    },
    {
      id: 'relu-no-mask',
      hint:
        'Your ReLU passes the whole upstream gradient through, so nothing is blocked where x < 0. ' +
        '(A mask taken from the output with >= 0 does this: the output is never negative.) Pass it only where x > 0.',
      models: [(_x, g) => [g]],
    },
    {
      id: 'relu-uses-value',
      hint: "ReLU's derivative is 1 where x > 0 and 0 elsewhere: multiply the upstream gradient by that mask, not by relu(x).",
      models: [([x], g) => [g.map((v, i) => v * Math.max(x.data[i], 0))]],
    },
  ],
  Sigmoid: [
    {
      id: 'sigmoid-from-input',
      hint: "sigmoid'(x) = s(1 - s) with s = sigmoid(x), the op's value; you used x(1 - x) with the input.",
      models: [([x], g) => [g.map((v, i) => v * x.data[i] * (1 - x.data[i]))]],
    },
    {
      id: 'sigmoid-missing-factor',
      hint: "sigmoid'(x) is s(1 - s), a product of two factors; one of them is missing.",
      models: [
        ([x], g) => {
          const s = sigmoid(x);
          return [g.map((v, i) => v * s.data[i])];
        },
        ([x], g) => {
          const s = sigmoid(x);
          return [g.map((v, i) => v * (1 - s.data[i]))];
        },
      ],
    },
  ],
} satisfies Record<string, OpMistake[]>;

/** The forward value differs from the reference's: the given forward pass was edited. */
export const FORWARD_CHANGED: NamedMistake = { id: 'forward-changed', hint: 'The forward pass is given; restore it from the skeleton.' };

/** The right gradient, negated everywhere; `name` names the gradient (dL/dx). */
export const wrongSign = (name: string): NamedMistake => ({
  id: 'wrong-sign',
  hint: `${name} has the right size but the wrong sign everywhere.`,
});

/** The gradient for `input` has the shape `got` instead of the input's own, `inputShape`. */
const shapeMismatch = (input: string, got: readonly number[], inputShape: readonly number[]): string =>
  `The gradient for ${input} has shape ${formatShape(got)} but ${input} has shape ${formatShape(inputShape)}`;

/** An operation that broadcasts returned the upstream gradient's shape for an input that was broadcast. */
export const notSummedBack = (input: string, got: readonly number[], inputShape: readonly number[]): NamedMistake => ({
  id: 'broadcast-not-summed',
  hint: `${shapeMismatch(input, got, inputShape)}: sum it over the broadcast axes with sumToShape(gradient, ${input}.shape).`,
});

/** An operation that broadcasts returned any other wrong shape for an input. */
export const summedOverWrongAxes = (input: string, got: readonly number[], inputShape: readonly number[]): NamedMistake => ({
  id: 'broadcast-summed-wrong-axes',
  hint:
    `${shapeMismatch(input, got, inputShape)}: sum the gradient over exactly the axes ${input} was broadcast along ` +
    `(the leading axes ${input} lacks, and the axes where ${input} has length 1, kept), e.g. with sumToShape(gradient, ${input}.shape).`,
});

/** An operation that does not broadcast returned a gradient of the wrong shape. */
export const wrongGradientShape = (input: string, got: readonly number[], inputShape: readonly number[]): NamedMistake => ({
  id: 'gradient-shape',
  hint: `${shapeMismatch(input, got, inputShape)}: a gradient always has the shape of its input.`,
});
