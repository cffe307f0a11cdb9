/**
 * Wrong submissions whose mistakes only show on cases that the documented contracts allow beyond
 * the reference's own needs: strides of 3 and more, non-square images and kernels, Sigmoid far from
 * 0, intermediates used twice by one operation, skip connections, rank-mismatched broadcasting.
 * Each of them kept its points with the narrower generators (strides 1 and 2, Sigmoid on [-3, 3],
 * one operand broadcast at a time, reuse only of leaves within one operation, inputs of rank 1 and
 * more); docs/validity.md has the table of contracts and generators.
 */
import type { Variant } from './variants.js';
import {
  OPS,
  LOSSES,
  CONV,
  ACCUMULATE,
  SEED,
  ADD,
  MUL,
  SIGMOID,
  OPS_IMPORTS,
  MSE,
  KERNEL_GRADIENT,
  IMAGE_FULL,
  IMAGE_PAD,
  patch,
  backwardBody,
} from './anchors.js';

/** Where a helper of conv.ts goes: before the class. */
const CONV_CLASS = 'export class Conv2d extends Tensor {';

export const COVERAGE_WRONG: Variant[] = [
  // Q1(a) Tensor.backward ---------------------------------------------------------------------
  {
    id: 'wrong-backward-kahn-distinct-inputs',
    mistake:
      "Kahn's algorithm counting a tensor's uses per input slot but counting down once per distinct input: r in r * r never becomes ready",
    patches: backwardBody(`    // How many times each tensor is used as an input; it is ready once every use has passed its gradient.
    const uses = new Map<Tensor, number>();
    const reached = new Set<Tensor>([this]);
    const pending: Tensor[] = [this];
    while (pending.length > 0) {
      const tensor = pending.pop()!;
      for (const input of tensor.inputs) {
        uses.set(input, (uses.get(input) ?? 0) + 1);
        if (!reached.has(input)) {
          reached.add(input);
          pending.push(input);
        }
      }
    }
    for (const tensor of reached) if (tensor.inputs.length > 0) tensor.grad = null;
    ${SEED}
    const ready: Tensor[] = [this];
    while (ready.length > 0) {
      const tensor = ready.pop()!;
      if (tensor.grad === null || tensor.inputs.length === 0) continue;
      const gradients = tensor.inputGradients(tensor.grad);
      tensor.inputs.forEach((input, k) => {
        ${ACCUMULATE}
      });
      for (const input of new Set(tensor.inputs)) {
        const left = uses.get(input)! - 1;
        uses.set(input, left);
        if (left === 0) ready.push(input);
      }
    }`),
    // Leaves add what reaches them, so x * x is right; an intermediate r in r * r is never processed.
    // mse builds exactly that (residual * residual), so the regression trains nothing.
    expectedPoints: { Q1a: 1.5, Q1d: 0 },
  },

  // Q1(b) Add and Mul -----------------------------------------------------------------------------
  {
    id: 'wrong-add-one-side-broadcast',
    mistake: 'Add assumes that at most one input is broadcast and gives the other one the upstream gradient as it is ([3,1] + [1,4] gives b a [3,4] gradient)',
    patches: [
      patch(OPS, ADD, 'return sameShape(this.a.shape, this.shape) ? [upstream, sumToShape(upstream, this.b.shape)] : [sumToShape(upstream, this.a.shape), upstream];'),
      patch(OPS, OPS_IMPORTS, `  sameShape,\n${OPS_IMPORTS}`),
    ],
    expectedPoints: { 'Q1b.Add': 0 },
    expectedDiagnoses: { 'Q1b.Add': 'broadcast-not-summed' },
  },
  {
    id: 'wrong-mul-one-side-broadcast',
    mistake: 'Mul sums the gradient back only for the input whose shape differs from the output, assuming the other one has the output\'s shape',
    patches: [
      patch(
        OPS,
        MUL,
        `const da = mul(upstream, this.b.value);
    const db = mul(upstream, this.a.value);
    return sameShape(this.a.shape, this.shape) ? [da, sumToShape(db, this.b.shape)] : [sumToShape(da, this.a.shape), db];`,
      ),
      patch(OPS, OPS_IMPORTS, `  sameShape,\n${OPS_IMPORTS}`),
    ],
    expectedPoints: { 'Q1b.Mul': 0 },
    expectedDiagnoses: { 'Q1b.Mul': 'broadcast-not-summed' },
  },

  // Q1(b) Sigmoid ---------------------------------------------------------------------------------
  {
    id: 'wrong-sigmoid-cut-beyond-5',
    mistake: "Sigmoid's gradient is set to 0 where |x| > 5, as if sigmoid were flat there (sigmoid'(5) is about 0.0066)",
    patches: [patch(OPS, SIGMOID, '(Math.abs(this.x.value.data[i]) > 5 ? 0 : g * this.value.data[i] * (1 - this.value.data[i]))')],
    expectedPoints: { 'Q1b.Sigmoid': 0 },
  },
  {
    id: 'wrong-sigmoid-clamped-input',
    mistake: "Sigmoid's derivative recomputed from x clamped to [-6, 6] (to keep exp from overflowing), so it stays at sigmoid'(6) beyond",
    patches: [
      patch(
        OPS,
        `return [upstream.map((g, i) => ${SIGMOID})];`,
        `// exp(-x) overflows for very negative x: clamp x first.
    return [upstream.map((g, i) => {
      const x = Math.min(6, Math.max(-6, this.x.value.data[i]));
      const s = 1 / (1 + Math.exp(-x));
      return g * s * (1 - s);
    })];`,
      ),
    ],
    expectedPoints: { 'Q1b.Sigmoid': 0 },
  },

  // Q1(c) mse -------------------------------------------------------------------------------------
  {
    id: 'wrong-mse-batch-mean-first',
    mistake: 'mse averages over the first (batch) axis, then over the rest: the same number for inputs of rank 1 and more, but a scalar prediction has no axis 0',
    patches: [
      patch(
        LOSSES,
        MSE,
        'const residual = new Add(prediction, new Neg(target));\n  // The mean over the batch axis, then over the features.\n  return new ReduceMean(new ReduceMean(new Mul(residual, residual), [0]));',
      ),
    ],
    expectedPoints: { Q1c: 0 },
  },

  // Q2 Conv2d -------------------------------------------------------------------------------------
  {
    id: 'wrong-conv-dilate-one-zero',
    mistake: 'both gradients spread the upstream gradient with one zero between entries for any stride above 1 (right for stride 2 only)',
    patches: [
      patch(
        CONV,
        CONV_CLASS,
        `/** The upstream gradient spread out for a strided convolution: a zero between neighbouring entries. */
function spread(upstream: NDArray, stride: number): NDArray {
  return stride === 1 ? upstream : dilate(upstream, 2);
}

${CONV_CLASS}`,
      ),
      patch(CONV, KERNEL_GRADIENT, 'return crop(correlate2d(this.image.value, spread(upstream, this.stride)), kh, kw);'),
      patch(CONV, IMAGE_FULL, 'const touched = convolve2dFull(spread(upstream, this.stride), this.kernel.value);'),
    ],
    expectedPoints: { 'Q2.kernel': 1.5, 'Q2.input': 1.5 },
  },
  {
    id: 'wrong-conv-own-dilate-size',
    mistake:
      'a hand-written dilation of h * s - 1 rows and columns, (h - 1) * s + 1 only for s = 2: at s >= 3 one zero row and column too many',
    patches: [
      patch(
        CONV,
        CONV_CLASS,
        `/** Inserts stride - 1 zeros between neighbouring entries of the upstream gradient. */
function spread(upstream: NDArray, stride: number): NDArray {
  if (stride === 1) return upstream;
  const [h, w] = upstream.shape;
  const out = new NDArray([h * stride - 1, w * stride - 1]);
  for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) out.data[stride * i * out.shape[1] + stride * j] = upstream.data[i * w + j];
  return out;
}

${CONV_CLASS}`,
      ),
      patch(CONV, KERNEL_GRADIENT, 'return crop(correlate2d(this.image.value, spread(upstream, this.stride)), kh, kw);'),
      patch(CONV, IMAGE_FULL, 'const touched = convolve2dFull(spread(upstream, this.stride), this.kernel.value);'),
    ],
    // dL/dV survives: the extra zero row and column end up in the padding (pad with a negative
    // count drops them), so only dL/dK fails.
    expectedPoints: { 'Q2.kernel': 1.5 },
  },
  {
    id: 'wrong-conv-kernel-drops-one-row',
    mistake: 'dL/dK drops one row (and one column) of the correlation when it is larger than K, instead of cropping it to K\'s shape: V can have up to s - 1 unused rows',
    patches: [
      patch(
        CONV,
        KERNEL_GRADIENT,
        `const full = correlate2d(this.image.value, dilate(upstream, this.stride));
    // With a stride, the last row (or column) of V may be unused, which makes the correlation one larger than K.
    return crop(full, full.shape[0] > kh ? full.shape[0] - 1 : full.shape[0], full.shape[1] > kw ? full.shape[1] - 1 : full.shape[1]);`,
      ),
    ],
    expectedPoints: { 'Q2.kernel': 1.5 },
    expectedDiagnoses: { 'Q2.kernel': 'conv-gradient-shape' },
  },
  {
    id: 'wrong-conv-input-pads-one-row',
    mistake: 'dL/dV adds at most one zero row and one zero column for the part of V that no output position reached (enough for stride 2, not for 3)',
    patches: [patch(CONV, IMAGE_PAD, 'return pad(touched, 0, 0, h > touched.shape[0] ? 1 : 0, w > touched.shape[1] ? 1 : 0);')],
    expectedPoints: { 'Q2.input': 1.5 },
    expectedDiagnoses: { 'Q2.input': 'conv-gradient-shape' },
  },
];
