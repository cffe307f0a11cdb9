/**
 * Submissions made from the reference by small patches: the demo submissions in submissions/
 * and the graders' test corpus. A patch replaces one exact piece of a student file (it must occur
 * exactly once, so a change to the reference that breaks a patch is caught at once).
 */

import { correlate2d, flip } from '../../reference/src/convolution-primitives.js';
import { NDArray } from '../../reference/src/ndarray.js';
import { Q3_IMAGE, Q3_KERNELS } from '../../reference/src/q3-image.js';

/** Replace one exact piece of a student file (it must occur exactly once), or the whole file. */
export type Patch = { file: string; find: string; replace: string } | { file: string; content: string };

/** answers/q3.json as a student would write it, with each result computed by `compute`. */
export function q3Answers(compute: (image: NDArray, kernel: NDArray, stride: number) => NDArray): string {
  const image = NDArray.from(Q3_IMAGE);
  const matrix = (name: 'k1' | 'k2'): string => {
    const { kernel, stride } = Q3_KERNELS[name];
    const rows = compute(image, NDArray.from(kernel), stride).toNested() as number[][];
    return `[\n${rows.map((row) => `    [${row.join(', ')}]`).join(',\n')}\n  ]`;
  };
  return `{\n  "k1": ${matrix('k1')},\n  "k2": ${matrix('k2')}\n}\n`;
}


export interface Variant {
  /** Folder name of the submission. */
  id: string;
  /** What the student got wrong, in a sentence. */
  mistake: string;
  /** Start from the skeleton's student files instead of the reference's. */
  fromSkeleton?: boolean;
  patches: Patch[];
  /** Points per part where they differ from full marks (Q1d's manual half is never autograded). */
  expectedPoints: Record<string, number>;
  /**
   * Diagnoses (hint ids) the report must show, by part; a list where the mistake honestly fits
   * either name and the seed's cases decide which one shows.
   */
  expectedDiagnoses?: Record<string, string | readonly string[]>;
  /**
   * Diagnoses a part may show on some seeds and not on others, by part: where only some of the
   * minimal cases that seeds give tell the mistake apart (docs/validity.md, "Hints: named only when
   * confirmed"). Any name a part shows must be listed here or in expectedDiagnoses.
   */
  possibleDiagnoses?: Record<string, readonly string[]>;
}

/** The diagnoses a variant accepts for a part, as a list. */
export function acceptedDiagnoses(expected: string | readonly string[]): readonly string[] {
  return typeof expected === 'string' ? [expected] : expected;
}

/** Every student part at 0: what an untouched skeleton earns. */
const NOTHING: Record<string, number> = {
  Q1a: 0,
  'Q1b.ReduceMean': 0,
  'Q1b.Add': 0,
  'Q1b.Mul': 0,
  'Q1b.MatMul': 0,
  'Q1b.ReLU': 0,
  'Q1b.Sigmoid': 0,
  Q1c: 0,
  Q1d: 0,
  'Q2.kernel': 0,
  'Q2.input': 0,
  'Q3.k1': 0,
  'Q3.k2': 0,
};

export const DEMO_VARIANTS: Variant[] = [
  { id: 'complete', mistake: 'none: the reference solution', patches: [], expectedPoints: {} },
  { id: 'untouched-skeleton', mistake: 'nothing done yet', fromSkeleton: true, patches: [], expectedPoints: NOTHING },
  {
    id: 'add-broadcast-not-summed',
    mistake: 'Add passes the upstream gradient to both inputs without summing it back over the broadcast axes',
    patches: [{ file: 'src/ops.ts', find: 'return [sumToShape(upstream, this.a.shape), sumToShape(upstream, this.b.shape)];', replace: 'return [upstream, upstream];' }],
    // The regression's bias is broadcast, so the end-to-end Q1d fails too, by design.
    expectedPoints: { 'Q1b.Add': 0, Q1d: 0 },
    expectedDiagnoses: { 'Q1b.Add': 'broadcast-not-summed' },
  },
  {
    id: 'matmul-transposes-swapped',
    mistake: "MatMul's gradients with the transposes on the wrong factors",
    patches: [
      {
        file: 'src/ops.ts',
        find: 'return [matmul(upstream, transpose(this.b.value)), matmul(transpose(this.a.value), upstream)];',
        replace: 'return [transpose(matmul(upstream, transpose(this.b.value))), transpose(matmul(transpose(this.a.value), upstream))];',
      },
    ],
    expectedPoints: { 'Q1b.MatMul': 0, Q1d: 0 },
    expectedDiagnoses: { 'Q1b.MatMul': 'matmul-transposes-swapped' },
  },
  {
    id: 'sigmoid-from-input',
    mistake: "Sigmoid's derivative written with the input x instead of the output s",
    patches: [{ file: 'src/ops.ts', find: 'g * this.value.data[i] * (1 - this.value.data[i])', replace: 'g * this.x.value.data[i] * (1 - this.x.value.data[i])' }],
    expectedPoints: { 'Q1b.Sigmoid': 0 },
    expectedDiagnoses: { 'Q1b.Sigmoid': 'sigmoid-from-input' },
  },
  {
    id: 'gradients-assigned',
    mistake: 'Tensor.backward assigns each input gradient instead of adding it to what is there',
    patches: [{ file: 'src/tensor.ts', find: 'input.grad = input.grad === null ? gradients[k] : add(input.grad, gradients[k]);', replace: 'input.grad = gradients[k];' }],
    // Reused tensors, diamonds, and a second backward() (which must add to the leaves) all fail.
    expectedPoints: { Q1a: 0.5 },
    expectedDiagnoses: { Q1a: 'gradient-assigned-not-accumulated' },
  },
  {
    id: 'q3-kernel-flipped',
    mistake: 'Q3 computed as a true convolution (kernel flipped)',
    patches: [{ file: 'answers/q3.json', content: q3Answers((image, kernel, stride) => correlate2d(image, flip(kernel), stride)) }],
    expectedPoints: { 'Q3.k1': -1, 'Q3.k2': -1 },
    expectedDiagnoses: { 'Q3.k1': 'kernel-flipped', 'Q3.k2': 'kernel-flipped' },
  },
  {
    id: 'mse-without-mean',
    mistake: 'mse sums the squared residuals instead of averaging them',
    patches: [{ file: 'src/losses.ts', find: 'return new ReduceMean(new Mul(residual, residual));', replace: 'return new Mul(new ReduceMean(new Mul(residual, residual)), new Input(NDArray.scalar(residual.value.size)));' }, { file: 'src/losses.ts', find: "import type { Tensor } from './tensor.js';", replace: "import { Input, type Tensor } from './tensor.js';\nimport { NDArray } from './ndarray.js';" }],
    // On two elements, the smallest failing case, a sum is also a division by n - 1: no mistake is
    // named, and the page says that mse is 2 times the expected value.
    expectedPoints: { Q1c: 0, Q1d: 0 },
  },
];

/** Broken submissions the grader must survive: each loses its own part only. */
export const BROKEN_VARIANTS: Variant[] = [
  {
    id: 'crashes-in-sigmoid',
    mistake: "Sigmoid's backward rule kills its own process",
    patches: [{ file: 'src/ops.ts', find: '    // sigmoid\'(x) = s (1 - s)', replace: '    process.exit(3);\n    // sigmoid\'(x) = s (1 - s)' }],
    expectedPoints: { 'Q1b.Sigmoid': 0 },
  },
  {
    id: 'hangs-in-relu',
    mistake: "ReLU's backward rule never returns",
    patches: [{ file: 'src/ops.ts', find: 'return [upstream.map((g, i) => (this.x.value.data[i] > 0 ? g : 0))];', replace: 'for (;;) {}' }],
    expectedPoints: { 'Q1b.ReLU': 0 },
  },
  {
    id: 'syntax-error-in-conv',
    mistake: 'conv.ts does not parse',
    patches: [{ file: 'src/conv.ts', find: 'const [h, w] = this.image.shape;', replace: 'const [h, w] = this.image.shape +;' }],
    expectedPoints: { 'Q2.kernel': 0, 'Q2.input': 0 },
  },
  {
    id: 'malformed-q3',
    mistake: 'answers/q3.json is not JSON',
    patches: [{ file: 'answers/q3.json', content: '{ "k1": [[1, 2, 3], \n' }],
    expectedPoints: { 'Q3.k1': 0, 'Q3.k2': 0 },
  },
];
