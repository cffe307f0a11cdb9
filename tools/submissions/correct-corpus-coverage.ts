/**
 * Correct solutions written differently from the reference, for the wider case generators (large
 * strides, Sigmoid far from 0, reuse inside one operation, helper modules with their own names).
 */
import type { Variant } from './variants.js';
import {
  OPS,
  CONV,
  ACCUMULATE,
  SEED,
  ADD,
  MUL,
  RELU,
  SIGMOID,
  KERNEL_GRADIENT,
  IMAGE_FULL,
  IMAGE_PAD,
  patch,
  backwardBody,
} from './anchors.js';

export const COVERAGE_CORRECT: Variant[] = [
  {
    id: 'correct-conv-own-dilation-any-stride',
    mistake:
      'none: a hand-written dilation of (h - 1) * s + 1 rows, dL/dK as the correlation of the used part of V (without its (H - kh) mod s unused rows), dL/dV padded with those rows',
    patches: [
      patch(
        CONV,
        'export class Conv2d extends Tensor {',
        `/** Inserts stride - 1 zeros between neighbouring entries: (h - 1) * stride + 1 rows and likewise columns. */
function spread(g: NDArray, stride: number): NDArray {
  const [h, w] = g.shape;
  const rows = (h - 1) * stride + 1;
  const cols = (w - 1) * stride + 1;
  const out = new NDArray([rows, cols]);
  for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) out.data[i * stride * cols + j * stride] = g.data[i * w + j];
  return out;
}

export class Conv2d extends Tensor {`,
      ),
      patch(
        CONV,
        KERNEL_GRADIENT,
        `const [h, w] = this.image.shape;
    // The last (H - kh) mod s rows and (W - kw) mod s columns of V are never under a window.
    const used = crop(this.image.value, h - ((h - kh) % this.stride), w - ((w - kw) % this.stride));
    return correlate2d(used, spread(upstream, this.stride));`,
      ),
      patch(CONV, IMAGE_FULL, 'const [kh, kw] = this.kernel.shape;\n    const touched = convolve2dFull(spread(upstream, this.stride), this.kernel.value);'),
      patch(CONV, IMAGE_PAD, 'return pad(touched, 0, 0, (h - kh) % this.stride, (w - kw) % this.stride);'),
    ],
    expectedPoints: {},
  },
  {
    id: 'correct-sigmoid-two-factors',
    mistake: "none: sigmoid'(x) = sigmoid(x) sigmoid(-x), with sigmoid(-x) = 1 / (1 + exp(x)) computed directly (accurate where 1 - s would cancel)",
    patches: [patch(OPS, SIGMOID, 'g * this.value.data[i] / (1 + Math.exp(this.x.value.data[i]))')],
    expectedPoints: {},
  },
  {
    id: 'correct-backward-kahn-distinct-consumers',
    mistake: "none: Kahn's algorithm counting each tensor's distinct consumers, and one count down per distinct input after each backward rule",
    patches: backwardBody(`    // The distinct tensors that use each tensor; it is ready once each of them has passed its gradient.
    const consumers = new Map<Tensor, Set<Tensor>>();
    const reached = new Set<Tensor>([this]);
    const pending: Tensor[] = [this];
    while (pending.length > 0) {
      const tensor = pending.pop()!;
      for (const input of tensor.inputs) {
        if (!consumers.has(input)) consumers.set(input, new Set());
        consumers.get(input)!.add(tensor);
        if (!reached.has(input)) {
          reached.add(input);
          pending.push(input);
        }
      }
    }
    const waiting = new Map([...consumers].map(([tensor, users]) => [tensor, users.size]));
    for (const tensor of reached) if (tensor.inputs.length > 0) tensor.grad = null;
    ${SEED}
    const ready: Tensor[] = [this];
    while (ready.length > 0) {
      const tensor = ready.pop()!;
      if (tensor.inputs.length === 0) continue;
      const gradients = tensor.inputGradients(tensor.grad!);
      tensor.inputs.forEach((input, k) => {
        ${ACCUMULATE}
      });
      for (const input of new Set(tensor.inputs)) {
        const left = waiting.get(input)! - 1;
        waiting.set(input, left);
        if (left === 0) ready.push(input);
      }
    }`),
    expectedPoints: {},
  },
  {
    id: 'correct-broadcast-index-scatter',
    mistake: "none: Add's and Mul's gradients summed back by index arithmetic, each element of the output adding into the element of the input it was read from",
    patches: [
      patch(
        OPS,
        '/** a + b, elementwise with broadcasting. */',
        `/** Sums a gradient of the broadcast shape back to \`shape\`: each element adds into the element of \`shape\` it was read from. */
function reduceTo(gradient: NDArray, shape: Shape): NDArray {
  const out = new NDArray(shape);
  const offset = gradient.rank - shape.length;
  for (let flat = 0; flat < gradient.size; flat++) {
    let rest = flat;
    let target = 0;
    let stride = 1;
    for (let axis = gradient.rank - 1; axis >= offset; axis--) {
      const index = rest % gradient.shape[axis];
      rest = Math.floor(rest / gradient.shape[axis]);
      const length = shape[axis - offset];
      target += (length === 1 ? 0 : index) * stride;
      stride *= length;
    }
    out.data[target] += gradient.data[flat];
  }
  return out;
}

/** a + b, elementwise with broadcasting. */`,
      ),
      patch(OPS, "import { Tensor } from './tensor.js';", "import type { Shape } from './ndarray.js';\nimport { Tensor } from './tensor.js';"),
      patch(OPS, ADD, 'return [reduceTo(upstream, this.a.shape), reduceTo(upstream, this.b.shape)];'),
      patch(OPS, MUL, 'return [reduceTo(mul(upstream, this.b.value), this.a.shape), reduceTo(mul(upstream, this.a.value), this.b.shape)];'),
    ],
    expectedPoints: {},
  },
  {
    id: 'correct-topo-sort-helper-modules',
    mistake:
      "none: Tensor.backward takes its topological order from a module of the student's own, src/topo_sort.ts, and adds up contributions with another, src/graph.utils.ts",
    patches: [
      {
        file: 'src/topo_sort.ts',
        content: `/** The order in which a backward pass visits a graph. */
import type { Tensor } from './tensor.js';

/** The tensors \`root\` depends on, itself included, each after every tensor it was computed from. */
export function topologicalOrder(root: Tensor): Tensor[] {
  const order: Tensor[] = [];
  const seen = new Set<Tensor>([root]);
  // A frame is a tensor and the index of its next input to visit; no recursion, as graphs may be deep.
  const frames: Array<[Tensor, number]> = [[root, 0]];
  while (frames.length > 0) {
    const frame = frames[frames.length - 1];
    const [tensor, next] = frame;
    if (next < tensor.inputs.length) {
      frame[1] = next + 1;
      const input = tensor.inputs[next];
      if (!seen.has(input)) {
        seen.add(input);
        frames.push([input, 0]);
      }
    } else {
      frames.pop();
      order.push(tensor);
    }
  }
  return order;
}
`,
      },
      {
        file: 'src/graph.utils.ts',
        content: `/** Adding up the gradient contributions a tensor receives from its consumers. */
import { add, type NDArray } from './ndarray.js';

/** \`total\` plus \`contribution\`, or \`contribution\` itself when nothing was added yet (\`total\` is null). */
export function accumulated(total: NDArray | null, contribution: NDArray): NDArray {
  return total === null ? contribution : add(total, contribution);
}
`,
      },
      patch(
        'src/tensor.ts',
        "import { NotImplemented } from './not-implemented.js';",
        "import { NotImplemented } from './not-implemented.js';\nimport { accumulated } from './graph.utils.js';\nimport { topologicalOrder } from './topo_sort.js';",
      ),
      ...backwardBody(`    const order = topologicalOrder(this);
    for (const tensor of order) if (tensor.inputs.length > 0) tensor.grad = null;
    this.grad = accumulated(this.grad, gradient ?? NDArray.ones(this.shape));
    for (const tensor of [...order].reverse()) {
      if (tensor.grad === null || tensor.inputs.length === 0) continue;
      const gradients = tensor.inputGradients(tensor.grad);
      tensor.inputs.forEach((input, k) => {
        input.grad = accumulated(input.grad, gradients[k]);
      });
    }`),
    ],
    expectedPoints: {},
  },
  {
    id: 'correct-relu-mul-mask',
    mistake: "none: ReLU's gradient as mul(upstream, mask) with a mask of 1s and 0s, which gives -0 where the upstream gradient is negative and x is not positive",
    patches: [
      patch(
        OPS,
        `return [upstream.map((g, i) => ${RELU})];`,
        'const mask = this.x.value.map((v) => (v > 0 ? 1 : 0));\n    return [mul(upstream, mask)];',
      ),
    ],
    expectedPoints: {},
  },
];
