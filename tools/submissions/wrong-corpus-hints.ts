/**
 * Wrong submissions whose mistake agrees with the right answer, or with another mistake, on small
 * or degenerate cases: their hint must be confirmed on a discriminating case. Each one was given a
 * wrong name before hints had to be confirmed (the name of a mistake that fitted the minimal case,
 * or the first sampled case, but is not the one made); where no known mistake fits, the page says
 * only what differs, and the variant lists no diagnosis: any name shown would be a wrong one.
 */
import type { Variant } from './variants.js';
import { OPS, LOSSES, CONV, TENSOR, RESET, SIGMOID, REDUCE_MEAN, MATMUL, MSE, LOSSES_IMPORTS, KERNEL_GRADIENT, CONV_IMPORTS, patch } from './anchors.js';

export const HINT_WRONG: Variant[] = [
  {
    id: 'wrong-mse-negated',
    mistake: 'mse returns the negative of the mean squared residual',
    patches: [patch(LOSSES, MSE, 'const residual = new Add(prediction, new Neg(target));\n  return new Neg(new ReduceMean(new Mul(residual, residual)));')],
    // Was told that the gradient does not flow through the graph: on a tiny residual the value is
    // within atol of the right one and only the (negated) gradient differs. Gradient ascent diverges.
    expectedPoints: { Q1c: 0, Q1d: 0 },
    expectedDiagnoses: { Q1c: 'mse-negated' },
  },
  {
    id: 'wrong-mse-divided-by-n-minus-1',
    mistake: 'mse divides the sum of squares by n - 1 (by n for a single element), as an unbiased variance does',
    patches: [
      patch(
        LOSSES,
        MSE,
        'const residual = new Add(prediction, new Neg(target));\n  const n = residual.value.size;\n  return new Mul(new ReduceMean(new Mul(residual, residual)), new Input(NDArray.scalar(n > 1 ? n / (n - 1) : 1)));',
      ),
      patch(LOSSES, LOSSES_IMPORTS, "import { Input, type Tensor } from './tensor.js';\nimport { NDArray } from './ndarray.js';"),
    ],
    // Was told "you summed them": with two elements, n - 1 = 1 and the sum is what it gives. The
    // smallest failing case has two elements, where the two mistakes are the same: neither is named.
    expectedPoints: { Q1c: 0 },
  },
  {
    id: 'wrong-sigmoid-tanh-half',
    mistake: "Sigmoid's derivative written through tanh as (1 - tanh(x/2)^2) / 2, which is 2 s (1 - s): a factor 1/2 where 1/4 belongs",
    patches: [patch(OPS, SIGMOID, 'g * (1 - Math.tanh(this.x.value.data[i] / 2) ** 2) / 2')],
    // Was told that one of the factors of s (1 - s) is missing: at x = 0 both give 1/2. No known
    // mistake gives 2 s (1 - s); the page says that the gradient is 2 times the expected value.
    expectedPoints: { 'Q1b.Sigmoid': 0 },
  },
  {
    id: 'wrong-reducemean-first-axis-count',
    mistake: 'ReduceMean divides by the length of the first reduced axis, not by the number of elements averaged',
    patches: [patch(OPS, REDUCE_MEAN, 'return [scale(broadcastTo(kept, this.x.shape), 1 / this.x.shape[this.axes?.[0] ?? 0])];')],
    // Was told that it does not divide at all, also beside a case where it divides by 2 instead of 6.
    // Where the first reduced axis has length 1 it indeed does not: there the two mistakes are the
    // same and neither is named; where that axis is longer, this one is.
    expectedPoints: { 'Q1b.ReduceMean': 0 },
    possibleDiagnoses: { 'Q1b.ReduceMean': ['mean-divided-by-one-axis'] },
  },
  {
    id: 'wrong-matmul-own-operand',
    mistake: "MatMul multiplies the upstream gradient by each input's own value: dA = G Aᵀ and dB = Bᵀ G",
    patches: [patch(OPS, MATMUL, 'return [matmul(upstream, transpose(this.a.value)), matmul(transpose(this.b.value), upstream)];')],
    // Was told that its transposes are on the wrong side, from the shape error a non-square case
    // throws; on 1 x 1 matrices it differs only in the values, which tell the two apart.
    expectedPoints: { 'Q1b.MatMul': 0, Q1d: 0 },
    expectedDiagnoses: { 'Q1b.MatMul': 'matmul-own-operand' },
  },
  {
    id: 'wrong-conv-kernel-upstream-flipped',
    mistake: 'dL/dK correlates V with the flipped (dilated) upstream gradient instead of the gradient as it is',
    patches: [
      patch(CONV, KERNEL_GRADIENT, 'return crop(correlate2d(this.image.value, flip(dilate(upstream, this.stride))), kh, kw);'),
      patch(CONV, CONV_IMPORTS, "import { convolve2dFull, correlate2d, crop, dilate, flip, pad } from './convolution-primitives.js';"),
    ],
    // Was told that dL/dK is flipped, or not dilated, by whichever mistake fitted a small case.
    expectedPoints: { 'Q2.kernel': 0 },
  },
  {
    id: 'wrong-backward-resets-leaves-only',
    mistake: 'the reset at the start of backward() has its condition inverted: it resets the leaves and keeps the intermediate gradients',
    patches: [patch(TENSOR, RESET, 'for (const tensor of order) if (tensor.inputs.length === 0) tensor.grad = null;')],
    // Was given the chain check's list of possible causes (the seed, a second pass, long chains);
    // no known mistake makes both of these, and the page says by what factor the leaves' gradients are off.
    expectedPoints: { Q1a: 1.5 },
  },
];
