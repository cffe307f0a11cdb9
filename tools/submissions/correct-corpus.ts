/**
 * Correct solutions written differently from the reference: other formulas, other data flow,
 * other code structure. None may lose a point on any seed: graders/test/corpus/correct-corpus.test.ts
 * grades them on a few seeds, `npm run stress` on 200.
 */
import { correlate2d } from '../../reference/src/convolution-primitives.js';
import { NDArray } from '../../reference/src/ndarray.js';
import { Q3_IMAGE, Q3_KERNELS } from '../../reference/src/q3-image.js';
import type { Patch, Variant } from './variants.js';
import { COVERAGE_CORRECT } from './correct-corpus-coverage.js';

const TENSOR = 'src/tensor.ts';
const OPS = 'src/ops.ts';
const LOSSES = 'src/losses.ts';
const CONV = 'src/conv.ts';

const patch = (file: string, find: string, replace: string): Patch => ({ file, find, replace });

const ORDER = `    const order: Tensor[] = [];
    const visited = new Set<Tensor>();
    const stack: Array<{ tensor: Tensor; inputsDone: boolean }> = [{ tensor: this, inputsDone: false }];
    while (stack.length > 0) {
      const { tensor, inputsDone } = stack.pop()!;
      if (inputsDone) {
        order.push(tensor);
      } else if (!visited.has(tensor)) {
        visited.add(tensor);
        stack.push({ tensor, inputsDone: true });
        for (const input of tensor.inputs) stack.push({ tensor: input, inputsDone: false });
      }
    }`;
const ACCUMULATE = 'input.grad = input.grad === null ? gradients[k] : add(input.grad, gradients[k]);';
const PASS = `    for (const tensor of order) if (tensor.inputs.length > 0) tensor.grad = null;
    this.grad = add(this.grad ?? NDArray.zeros(this.shape), gradient ?? NDArray.ones(this.shape));
    for (let i = order.length - 1; i >= 0; i--) {
      const tensor = order[i];
      if (tensor.grad === null || tensor.inputs.length === 0) continue;
      const gradients = tensor.inputGradients(tensor.grad);
      tensor.inputs.forEach((input, k) => {
        ${ACCUMULATE}
      });
    }`;

const REDUCE_MEAN = `    const kept = upstream.reshape(reducedShape(this.x.shape, this.axes, true));
    return [scale(broadcastTo(kept, this.x.shape), 1 / reductionCount(this.x.shape, this.axes))];`;
const ADD = 'return [sumToShape(upstream, this.a.shape), sumToShape(upstream, this.b.shape)];';
const MUL = 'return [sumToShape(mul(upstream, this.b.value), this.a.shape), sumToShape(mul(upstream, this.a.value), this.b.shape)];';
const MATMUL = 'return [matmul(upstream, transpose(this.b.value)), matmul(transpose(this.a.value), upstream)];';
const RELU = 'return [upstream.map((g, i) => (this.x.value.data[i] > 0 ? g : 0))];';
const SIGMOID = 'return [upstream.map((g, i) => g * this.value.data[i] * (1 - this.value.data[i]))];';
const MSE = 'const residual = new Add(prediction, new Neg(target));\n  return new ReduceMean(new Mul(residual, residual));';
const KERNEL_GRADIENT = `    const [kh, kw] = this.kernel.shape;
    // When (H - kh) is not a multiple of the stride, the last rows of V are never used and the
    // correlation is larger than K: its top-left kh x kw block is the gradient.
    return crop(correlate2d(this.image.value, dilate(upstream, this.stride)), kh, kw);`;
const IMAGE_GRADIENT = `    const [h, w] = this.image.shape;
    const touched = convolve2dFull(dilate(upstream, this.stride), this.kernel.value);
    // Rows and columns of V that no output position reached get a zero gradient.
    return pad(touched, 0, 0, h - touched.shape[0], w - touched.shape[1]);`;
const CONV_IMPORTS = "import { convolve2dFull, correlate2d, crop, dilate, pad } from './convolution-primitives.js';";

/** answers/q3.json with the right numbers, written the way `format` writes a matrix. */
function q3Written(format: (rows: number[][]) => string, keysReversed = false): string {
  const image = NDArray.from(Q3_IMAGE);
  const matrix = (name: 'k1' | 'k2'): number[][] => correlate2d(image, NDArray.from(Q3_KERNELS[name].kernel), Q3_KERNELS[name].stride).toNested() as number[][];
  const entries = [`"k1":${format(matrix('k1'))}`, `"k2" :  ${format(matrix('k2'))}`];
  return `{${(keysReversed ? entries.reverse() : entries).join(',\n\n')}}`;
}

const BASE_CORRECT: Variant[] = [
  {
    id: 'correct-sigmoid-exp-form',
    mistake: "none: sigmoid'(x) = exp(-|x|) / (1 + exp(-|x|))^2, the stable form of exp(-x) / (1 + exp(-x))^2 (the derivative is even)",
    patches: [
      patch(
        OPS,
        SIGMOID,
        `const out = new NDArray(upstream.shape);
    for (let i = 0; i < out.size; i++) {
      const e = Math.exp(-Math.abs(this.x.value.data[i]));
      out.data[i] = (upstream.data[i] * e) / ((1 + e) * (1 + e));
    }
    return [out];`,
      ),
    ],
    expectedPoints: {},
  },
  {
    id: 'correct-sigmoid-tanh',
    mistake: "none: sigmoid(x) = (1 + tanh(x/2)) / 2, so sigmoid'(x) = (1 - tanh(x/2)^2) / 4",
    patches: [patch(OPS, SIGMOID, 'return [upstream.map((g, i) => (g * (1 - Math.tanh(this.x.value.data[i] / 2) ** 2)) / 4)];')],
    expectedPoints: {},
  },
  {
    id: 'correct-in-place-arrays',
    mistake: 'none: gradients written into preallocated arrays with loops, and Tensor.backward adding in place into a copy of its own',
    patches: [
      patch(
        TENSOR,
        ACCUMULATE,
        `if (input.grad === null) {
          input.grad = new NDArray(input.shape, gradients[k].data); // a copy: another tensor may hold gradients[k]
        } else {
          for (let j = 0; j < input.grad.size; j++) input.grad.data[j] += gradients[k].data[j];
        }`,
      ),
      patch(
        OPS,
        REDUCE_MEAN,
        `    const gradient = broadcastTo(upstream.reshape(reducedShape(this.x.shape, this.axes, true)), this.x.shape);
    const count = this.x.value.size / Math.max(1, this.value.size);
    for (let i = 0; i < gradient.size; i++) gradient.data[i] /= count;
    return [gradient];`,
      ),
      patch(
        OPS,
        RELU,
        `const gradient = new NDArray(upstream.shape);
    for (let i = 0; i < gradient.size; i++) if (this.x.value.data[i] > 0) gradient.data[i] = upstream.data[i];
    return [gradient];`,
      ),
      patch(
        OPS,
        SIGMOID,
        `const gradient = new NDArray(upstream.shape, upstream.data);
    for (let i = 0; i < gradient.size; i++) gradient.data[i] *= this.value.data[i] * (1 - this.value.data[i]);
    return [gradient];`,
      ),
    ],
    expectedPoints: {},
  },
  {
    id: 'correct-topological-sort-recursive',
    mistake: 'none: the topological order by a recursive depth-first search',
    patches: [
      patch(
        TENSOR,
        ORDER,
        `    const order: Tensor[] = [];
    const visited = new Set<Tensor>();
    const visit = (tensor: Tensor): void => {
      if (visited.has(tensor)) return;
      visited.add(tensor);
      for (const input of tensor.inputs) visit(input);
      order.push(tensor);
    };
    visit(this);`,
      ),
    ],
    expectedPoints: {},
  },
  {
    id: 'correct-backward-gradient-map',
    mistake: 'none: Tensor.backward collects the gradients of one pass in a Map (Kahn-style order by counting consumers), then stores them',
    patches: [
      patch(
        TENSOR,
        `${ORDER}\n\n${PASS}`,
        `    // How many times each tensor is used as an input, over the graph reachable from this one.
    const uses = new Map<Tensor, number>();
    const reached = new Set<Tensor>([this]);
    const pending = [this as Tensor];
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
    // A tensor is ready once all of its uses have passed it their gradient.
    const gradients = new Map<Tensor, NDArray>([[this, gradient ?? NDArray.ones(this.shape)]]);
    const ready: Tensor[] = [this];
    while (ready.length > 0) {
      const tensor = ready.pop()!;
      const total = gradients.get(tensor)!;
      if (tensor.inputs.length === 0) {
        tensor.grad = tensor.grad === null ? total : add(tensor.grad, total);
        continue;
      }
      tensor.grad = total;
      const parts = tensor.inputGradients(total);
      tensor.inputs.forEach((input, k) => {
        const known = gradients.get(input);
        gradients.set(input, known === undefined ? parts[k] : add(known, parts[k]));
        const left = uses.get(input)! - 1;
        uses.set(input, left);
        if (left === 0) ready.push(input);
      });
    }`,
      ),
    ],
    expectedPoints: {},
  },
  {
    id: 'correct-matmul-transpose-helper',
    mistake: 'none: MatMul with a hand-written transpose helper and dB computed as (Gᵀ A)ᵀ',
    patches: [
      patch(
        OPS,
        MATMUL,
        'return [matmul(upstream, transposed(this.b.value)), transposed(matmul(transposed(upstream), this.a.value))];',
      ),
      patch(
        OPS,
        '/** The matrix product a @ b of an [n,k] and a [k,m] matrix. */',
        `/** The transpose of a matrix, element by element. */
function transposed(m: NDArray): NDArray {
  const [rows, cols] = m.shape;
  const out = new NDArray([cols, rows]);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out.data[j * rows + i] = m.data[i * cols + j];
  return out;
}

/** The matrix product a @ b of an [n,k] and a [k,m] matrix. */`,
      ),
    ],
    expectedPoints: {},
  },
  {
    id: 'correct-helper-file',
    mistake: 'none: Add and Mul sum broadcast gradients with their own helper in a new file, src/broadcast-gradients.ts',
    patches: [
      {
        file: 'src/broadcast-gradients.ts',
        content: `/** Gradients of broadcasting operations, summed back to an operand's shape. */
import { sum, type NDArray, type Shape } from './ndarray.js';

/** Sums \`gradient\` over the leading axes \`shape\` lacks, then over the axes where \`shape\` has length 1. */
export function unbroadcast(gradient: NDArray, shape: Shape): NDArray {
  let g = gradient;
  while (g.rank > shape.length) g = sum(g, [0]);
  const ones = shape.flatMap((length, axis) => (length === 1 && g.shape[axis] !== 1 ? [axis] : []));
  return ones.length > 0 ? sum(g, ones, true) : g;
}
`,
      },
      patch(OPS, ADD, 'return [unbroadcast(upstream, this.a.shape), unbroadcast(upstream, this.b.shape)];'),
      patch(OPS, MUL, 'return [unbroadcast(mul(upstream, this.b.value), this.a.shape), unbroadcast(mul(upstream, this.a.value), this.b.shape)];'),
      patch(OPS, "import { Tensor } from './tensor.js';", "import { Tensor } from './tensor.js';\nimport { unbroadcast } from './broadcast-gradients.js';"),
    ],
    expectedPoints: {},
  },
  {
    id: 'correct-reducemean-index-loops',
    mistake: 'none: ReduceMean backward by index arithmetic: each input element reads the upstream element it was averaged into',
    patches: [
      patch(
        OPS,
        REDUCE_MEAN,
        `    const shape = this.x.shape;
    const reduced = new Set((this.axes ?? shape.map((_, axis) => axis)).map((axis) => (axis < 0 ? axis + shape.length : axis)));
    const kept = shape.map((length, axis) => (reduced.has(axis) ? 1 : length));
    let count = 1;
    for (const axis of reduced) count *= shape[axis];
    const gradient = new NDArray(shape);
    for (let flat = 0; flat < gradient.size; flat++) {
      // The multi-index of this element, then the flat index of its output element.
      let rest = flat;
      let target = 0;
      let stride = 1;
      for (let axis = shape.length - 1; axis >= 0; axis--) {
        const index = rest % shape[axis];
        rest = Math.floor(rest / shape[axis]);
        if (!reduced.has(axis)) {
          target += index * stride;
          stride *= kept[axis];
        }
      }
      gradient.data[flat] = upstream.data[target] / count;
    }
    return [gradient];`,
      ),
    ],
    expectedPoints: {},
  },
  {
    id: 'correct-relu-output-mask-and-mse-rewritten',
    mistake: 'none: the ReLU mask taken from the output (> 0), and mse as the mean of (target - prediction)^2 with its axes listed',
    patches: [
      patch(OPS, RELU, 'return [upstream.map((g, i) => g * (this.value.data[i] > 0 ? 1 : 0))];'),
      patch(
        LOSSES,
        MSE,
        'const residual = new Add(new Neg(prediction), target);\n  const squared = new Mul(residual, residual);\n  return new ReduceMean(squared, prediction.shape.map((_, axis) => axis));',
      ),
    ],
    expectedPoints: {},
  },
  {
    id: 'correct-conv-explicit-loops',
    mistake: 'none: both convolution gradients written as explicit loops instead of the primitives (flagged for review: Q2 asks for convolutions)',
    patches: [
      patch(
        CONV,
        KERNEL_GRADIENT,
        `    const [kh, kw] = this.kernel.shape;
    const w = this.image.shape[1];
    const [oh, ow] = upstream.shape;
    const s = this.stride;
    const gradient = new NDArray([kh, kw]);
    for (let m = 0; m < kh; m++) {
      for (let n = 0; n < kw; n++) {
        let total = 0;
        for (let i = 0; i < oh; i++) for (let j = 0; j < ow; j++) total += upstream.data[i * ow + j] * this.image.value.data[(s * i + m) * w + s * j + n];
        gradient.data[m * kw + n] = total;
      }
    }
    return gradient;`,
      ),
      patch(
        CONV,
        IMAGE_GRADIENT,
        `    const [h, w] = this.image.shape;
    const [kh, kw] = this.kernel.shape;
    const [oh, ow] = upstream.shape;
    const s = this.stride;
    const gradient = new NDArray([h, w]);
    for (let i = 0; i < oh; i++) {
      for (let j = 0; j < ow; j++) {
        const g = upstream.data[i * ow + j];
        for (let m = 0; m < kh; m++) for (let n = 0; n < kw; n++) gradient.data[(s * i + m) * w + s * j + n] += g * this.kernel.value.data[m * kw + n];
      }
    }
    return gradient;`,
      ),
    ],
    expectedPoints: {},
  },
  {
    id: 'correct-conv-correlate-flipped',
    mistake: 'none: dL/dV as a correlation of the padded, dilated gradient with the flipped kernel; dL/dK by correlating each stride phase',
    patches: [
      patch(
        CONV,
        IMAGE_GRADIENT,
        `    const [h, w] = this.image.shape;
    const [kh, kw] = this.kernel.shape;
    const touched = correlate2d(pad(dilate(upstream, this.stride), kh - 1, kw - 1), flip(this.kernel.value));
    return pad(touched, 0, 0, h - touched.shape[0], w - touched.shape[1]);`,
      ),
      patch(
        CONV,
        KERNEL_GRADIENT,
        `    const [kh, kw] = this.kernel.shape;
    const [h, w] = this.image.shape;
    // Only the part of V that the outputs reached, so the correlation is exactly kh x kw.
    const dilated = dilate(upstream, this.stride);
    const used = crop(this.image.value, Math.min(h, dilated.shape[0] + kh - 1), Math.min(w, dilated.shape[1] + kw - 1));
    return correlate2d(used, dilated);`,
      ),
      patch(CONV, CONV_IMPORTS, "import { correlate2d, crop, dilate, flip, pad } from './convolution-primitives.js';"),
    ],
    expectedPoints: {},
  },
  {
    id: 'correct-q3-written-differently',
    mistake: 'none: Q3 with 5.0 for 5, exponents, the keys in the other order, other spaces and line breaks',
    patches: [
      {
        file: 'answers/q3.json',
        content: q3Written(
          (rows) => `[\n${rows.map((row) => `\t[ ${row.map((x) => (x === 10 ? '1e1' : Number.isInteger(x) && x % 2 !== 0 ? x.toFixed(1) : String(x))).join(' ,')} ]`).join(',\n')}\n]`,
          true,
        ),
      },
    ],
    expectedPoints: {},
  },
];

/** Every correct-but-different submission: the base ones and those for the wider case generators. */
export const CORRECT_CORPUS: Variant[] = [...BASE_CORRECT, ...COVERAGE_CORRECT];
