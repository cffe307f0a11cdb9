/**
 * The graders' test corpus of realistic wrong submissions: each one is the reference with one
 * mistake that students make (the bug table of gradient checking, and more), and says exactly how
 * many points it must lose in which part. graders/test/corpus/wrong-corpus.test.ts grades them all.
 *
 * Q1d trains with the student's whole framework, so a bug in an operation, in mse or in
 * Tensor.backward that the regression goes through can cost Q1d's autograded half too. That is by
 * design, and every such variant lists Q1d: 0.
 *
 * Not here: Sqrt's derivative without the 1/2. Sqrt (like Neg) is given complete in ops.ts as a
 * worked example; no part grades it and neither mse nor the regression uses it, so a student who
 * breaks it loses nothing, rightly: the graders grade what the assignment asks for.
 */
import { correlate2d, flip, pad } from '../../reference/src/convolution-primitives.js';
import { NDArray, transpose } from '../../reference/src/ndarray.js';
import { Q3_IMAGE, Q3_KERNELS } from '../../reference/src/q3-image.js';
import { q3Answers, type Variant } from './variants.js';
import {
  TENSOR,
  OPS,
  LOSSES,
  CONV,
  Q3,
  ACCUMULATE,
  SEED,
  RESET,
  REVERSE_LOOP,
  VISITED,
  SCALAR_CHECK,
  REDUCE_MEAN,
  ADD,
  MUL,
  MATMUL,
  RELU,
  SIGMOID,
  OPS_IMPORTS,
  MSE,
  LOSSES_IMPORTS,
  KERNEL_GRADIENT,
  IMAGE_FULL,
  IMAGE_PAD,
  CONV_IMPORTS,
  patch,
  backwardBody,
} from './anchors.js';
import { COVERAGE_WRONG } from './wrong-corpus-coverage.js';
import { HINT_WRONG } from './wrong-corpus-hints.js';


// ---------------------------------------------------------------------------------------------
// Q3 answers with a mistake.

const q3Image = NDArray.from(Q3_IMAGE);
const q3Correct = (name: 'k1' | 'k2'): number[][] => correlate2d(q3Image, NDArray.from(Q3_KERNELS[name].kernel), Q3_KERNELS[name].stride).toNested() as number[][];

/** answers/q3.json with the given matrices (the correct ones where not given). */
function q3File(matrices: { k1?: number[][]; k2?: number[][] }): string {
  const format = (rows: number[][]): string => `[\n${rows.map((row) => `    [${row.join(', ')}]`).join(',\n')}\n  ]`;
  return `{\n  "k1": ${format(matrices.k1 ?? q3Correct('k1'))},\n  "k2": ${format(matrices.k2 ?? q3Correct('k2'))}\n}\n`;
}

/** The correct matrix with some entries changed by `delta`. */
function withSlips(name: 'k1' | 'k2', slips: [number, number, number][]): number[][] {
  const rows = q3Correct(name).map((row) => [...row]);
  for (const [i, j, delta] of slips) rows[i][j] += delta;
  return rows;
}

const k1Kernel = (): NDArray => NDArray.from(Q3_KERNELS.k1.kernel);

// ---------------------------------------------------------------------------------------------

const BASE_WRONG: Variant[] = [
  // Q1(a) Tensor.backward ---------------------------------------------------------------------
  {
    id: 'wrong-backward-assigns',
    mistake: 'each input gradient is assigned instead of added to what is there',
    patches: [patch(TENSOR, ACCUMULATE, 'input.grad = gradients[k];')],
    // Fails reused tensors, diamonds, and a second backward(), which must add to the leaves.
    expectedPoints: { Q1a: 0.5 },
    expectedDiagnoses: { Q1a: 'gradient-assigned-not-accumulated' },
  },
  {
    id: 'wrong-backward-no-visited-set',
    mistake: 'the depth-first search has no visited set, so a tensor reached twice is processed twice',
    patches: [patch(TENSOR, VISITED, '} else {')],
    // Only an intermediate tensor reached twice is processed twice: in the diamonds, and r in r * r.
    expectedPoints: { Q1a: 1 },
    expectedDiagnoses: { Q1a: 'no-visited-set' },
  },
  {
    id: 'wrong-backward-breadth-first',
    mistake: 'tensors are processed in breadth-first order from the output, not in reverse topological order',
    patches: backwardBody(`    const order: Tensor[] = [];
    const seen = new Set<Tensor>([this]);
    const queue: Tensor[] = [this];
    while (queue.length > 0) {
      const tensor = queue.shift()!;
      order.unshift(tensor);
      for (const input of tensor.inputs) {
        if (!seen.has(input)) {
          seen.add(input);
          queue.push(input);
        }
      }
    }
    ${RESET}
    ${SEED}
    ${REVERSE_LOOP}
      if (tensor.grad === null || tensor.inputs.length === 0) continue;
      const gradients = tensor.inputGradients(tensor.grad);
      tensor.inputs.forEach((input, k) => {
        ${ACCUMULATE}
      });
    }`),
    expectedPoints: { Q1a: 1.5 },
    expectedDiagnoses: { Q1a: 'not-topological-order' },
  },
  {
    id: 'wrong-backward-propagates-on-first-visit',
    mistake: 'a depth-first walk passes each tensor\'s gradient on when it is first reached, before all its consumers have added theirs',
    patches: backwardBody(`    for (const tensor of walkFrom(this)) if (tensor.inputs.length > 0) tensor.grad = null;
    ${SEED}
    const visited = new Set<Tensor>();
    const visit = (tensor: Tensor): void => {
      if (visited.has(tensor)) return;
      visited.add(tensor);
      if (tensor.grad !== null && tensor.inputs.length > 0) {
        const gradients = tensor.inputGradients(tensor.grad);
        tensor.inputs.forEach((input, k) => {
          ${ACCUMULATE}
        });
      }
      for (const input of tensor.inputs) visit(input);
    };
    visit(this);`).concat([
      patch(TENSOR, 'export class Tensor {', `function walkFrom(root: Tensor): Tensor[] {\n  const found = new Set<Tensor>();\n  const stack = [root];\n  while (stack.length > 0) {\n    const tensor = stack.pop()!;\n    if (found.has(tensor)) continue;\n    found.add(tensor);\n    stack.push(...tensor.inputs);\n  }\n  return [...found];\n}\n\nexport class Tensor {`),
    ]),
    expectedPoints: { Q1a: 1.5 },
    expectedDiagnoses: { Q1a: 'not-topological-order' },
  },
  {
    id: 'wrong-backward-not-reversed',
    mistake: 'the topological order is walked from the leaves to the output instead of backwards',
    patches: [patch(TENSOR, REVERSE_LOOP, 'for (const tensor of order) {')],
    expectedPoints: { Q1a: 0, Q1d: 0 },
    expectedDiagnoses: { Q1a: 'no-gradient-reaches-leaves' },
  },
  {
    id: 'wrong-backward-not-seeded',
    mistake: 'the output is not seeded with the gradient 1, so every gradient stays 0',
    patches: [patch(TENSOR, SEED, 'this.grad = gradient ?? NDArray.zeros(this.shape);')],
    // Every scalar output fails; the chain check passes an explicit gradient, which is used.
    expectedPoints: { Q1a: 0.5, Q1d: 0 },
    expectedDiagnoses: { Q1a: 'not-seeded' },
  },
  {
    id: 'wrong-backward-ignores-gradient-argument',
    mistake: 'backward(gradient) seeds the output with ones even when a gradient is given',
    patches: [patch(TENSOR, SEED, 'this.grad = add(this.grad ?? NDArray.zeros(this.shape), NDArray.ones(this.shape));')],
    expectedPoints: { Q1a: 1.5 },
    expectedDiagnoses: { Q1a: 'explicit-gradient-ignored' },
  },
  {
    id: 'wrong-backward-resets-leaves',
    mistake: 'every gradient, the leaves\' too, is reset at the start of backward(), so a second call does not add to the leaves',
    patches: [patch(TENSOR, RESET, 'for (const tensor of order) tensor.grad = null;')],
    // Only the second backward() shows it, on the chain, which reuses no tensor: there assigning
    // instead of adding gives the same gradients, so neither mistake is named (the page says that
    // the leaves' gradients are 1/2 of the expected ones).
    expectedPoints: { Q1a: 1.5 },
  },
  {
    id: 'wrong-backward-keeps-intermediate-gradients',
    mistake: 'the gradients of intermediate tensors are not reset, so a second backward() adds stale ones',
    patches: [patch(TENSOR, RESET, '')],
    expectedPoints: { Q1a: 1.5 },
    expectedDiagnoses: { Q1a: 'intermediate-gradients-kept' },
  },
  {
    id: 'wrong-backward-resets-mid-pass',
    mistake: 'an intermediate tensor\'s gradient is reset each time a consumer passes it a gradient, in the middle of the pass',
    patches: [patch(TENSOR, ACCUMULATE, `if (input.inputs.length > 0) input.grad = null;\n        ${ACCUMULATE}`)],
    // An intermediate tensor with two uses keeps only the last: in the diamonds, and r in r * r.
    expectedPoints: { Q1a: 1 },
    expectedDiagnoses: { Q1a: 'gradient-reset-mid-pass' },
  },
  {
    id: 'wrong-backward-accumulates-into-shared-array',
    mistake: 'gradients are added in place into the array that was stored first, which an operation may share with another tensor',
    patches: [
      patch(
        TENSOR,
        ACCUMULATE,
        'if (input.grad === null) input.grad = gradients[k];\n        else for (let j = 0; j < input.grad.size; j++) input.grad.data[j] += gradients[k].data[j];',
      ),
    ],
    expectedPoints: { Q1a: 1 },
    expectedDiagnoses: { Q1a: 'gradient-array-shared' },
  },
  {
    id: 'wrong-backward-no-scalar-check',
    mistake: 'the given check is deleted: backward() on a non-scalar output without a gradient seeds it with ones instead of failing',
    patches: [patch(TENSOR, SCALAR_CHECK, `    if (gradient === undefined && this.value.size !== 1 && false) {\n      throw new ShapeError(`)],
    expectedPoints: { Q1a: 1.5 },
    expectedDiagnoses: { Q1a: 'missing-gradient-accepted' },
  },

  // Q1(b) ReduceMean ----------------------------------------------------------------------------
  {
    id: 'wrong-reducemean-not-divided',
    mistake: 'ReduceMean passes the upstream gradient on without dividing it by the count',
    patches: [patch(OPS, REDUCE_MEAN, 'return [broadcastTo(kept, this.x.shape)];')],
    expectedPoints: { 'Q1b.ReduceMean': 0, Q1d: 0 },
    expectedDiagnoses: { 'Q1b.ReduceMean': 'mean-not-divided' },
  },
  {
    id: 'wrong-reducemean-divided-by-size',
    mistake: 'ReduceMean divides by the number of all elements instead of the number averaged (wrong when only some axes are reduced)',
    patches: [patch(OPS, REDUCE_MEAN, 'return [scale(broadcastTo(kept, this.x.shape), 1 / this.x.value.size)];')],
    expectedPoints: { 'Q1b.ReduceMean': 0 },
    expectedDiagnoses: { 'Q1b.ReduceMean': 'mean-divided-by-size' },
  },
  {
    id: 'wrong-reducemean-axes-not-kept',
    mistake: 'ReduceMean broadcasts the upstream gradient without first putting the reduced axes back as length 1',
    patches: [patch(OPS, 'const kept = upstream.reshape(reducedShape(this.x.shape, this.axes, true));', 'const kept = upstream;')],
    expectedPoints: { 'Q1b.ReduceMean': 0 },
    expectedDiagnoses: { 'Q1b.ReduceMean': 'mean-axes-not-kept' },
  },
  {
    id: 'wrong-reducemean-ignores-upstream',
    mistake: 'ReduceMean returns 1/count everywhere, ignoring the upstream gradient',
    patches: [patch(OPS, REDUCE_MEAN, 'return [NDArray.full(this.x.shape, 1 / reductionCount(this.x.shape, this.axes))];')],
    expectedPoints: { 'Q1b.ReduceMean': 0 },
    expectedDiagnoses: { 'Q1b.ReduceMean': 'upstream-ignored' },
  },

  // Q1(b) Add -----------------------------------------------------------------------------------
  {
    id: 'wrong-add-not-summed',
    mistake: 'Add passes the upstream gradient to both inputs without summing it over the broadcast axes',
    patches: [patch(OPS, ADD, 'return [upstream, upstream];')],
    expectedPoints: { 'Q1b.Add': 0, Q1d: 0 },
    expectedDiagnoses: { 'Q1b.Add': 'broadcast-not-summed' },
  },
  {
    id: 'wrong-add-only-b-summed',
    mistake: 'Add sums the gradient back to b\'s shape but not to a\'s',
    patches: [patch(OPS, ADD, 'return [upstream, sumToShape(upstream, this.b.shape)];')],
    expectedPoints: { 'Q1b.Add': 0 },
    expectedDiagnoses: { 'Q1b.Add': 'broadcast-not-summed' },
  },
  {
    id: 'wrong-add-sums-leading-axes-only',
    mistake: 'Add sums over the leading axes a shorter input lacks, but not over its length-1 axes',
    patches: [
      patch(OPS, ADD, 'return [this.a.shape, this.b.shape].map((shape) => (upstream.rank > shape.length ? sum(upstream, [...Array(upstream.rank - shape.length).keys()]) : upstream));'),
      patch(OPS, OPS_IMPORTS, `  sum,\n${OPS_IMPORTS}`),
    ],
    expectedPoints: { 'Q1b.Add': 0 },
    // The gradient keeps b's length-1 axes unsummed and, where b has fewer axes, sums the leading
    // ones: "not summed" where b has b's rank, "summed over the wrong axes" where it has fewer.
    // Both hints say to sum over exactly the broadcast axes; the seed's first case picks the name.
    expectedDiagnoses: { 'Q1b.Add': ['broadcast-not-summed', 'broadcast-summed-wrong-axes'] },
  },
  {
    id: 'wrong-add-sums-trailing-axes',
    mistake: 'Add sums over the trailing axes instead of the leading ones a shorter input lacks',
    patches: [
      patch(OPS, ADD, 'return [this.a.shape, this.b.shape].map((shape) => (upstream.rank > shape.length ? sum(upstream, [...Array(upstream.rank - shape.length).keys()].map((i) => shape.length + i)) : sumToShape(upstream, shape)));'),
      patch(OPS, OPS_IMPORTS, `  sum,\n${OPS_IMPORTS}`),
    ],
    expectedPoints: { 'Q1b.Add': 0, Q1d: 0 },
    expectedDiagnoses: { 'Q1b.Add': 'broadcast-summed-wrong-axes' },
  },
  {
    id: 'wrong-add-ignores-upstream',
    mistake: 'Add returns ones (summed to each shape), ignoring the upstream gradient',
    patches: [patch(OPS, ADD, 'return [sumToShape(NDArray.ones(this.shape), this.a.shape), sumToShape(NDArray.ones(this.shape), this.b.shape)];')],
    expectedPoints: { 'Q1b.Add': 0, Q1d: 0 },
    expectedDiagnoses: { 'Q1b.Add': 'upstream-ignored' },
  },

  // Q1(b) Mul -----------------------------------------------------------------------------------
  {
    id: 'wrong-mul-not-summed',
    mistake: 'Mul does not sum its gradients over the broadcast axes',
    patches: [patch(OPS, MUL, 'return [mul(upstream, this.b.value), mul(upstream, this.a.value)];')],
    expectedPoints: { 'Q1b.Mul': 0 },
    expectedDiagnoses: { 'Q1b.Mul': 'broadcast-not-summed' },
  },
  {
    id: 'wrong-mul-own-operand',
    mistake: 'Mul multiplies each input\'s gradient by that input instead of the other one',
    patches: [patch(OPS, MUL, 'return [sumToShape(mul(upstream, this.a.value), this.a.shape), sumToShape(mul(upstream, this.b.value), this.b.shape)];')],
    // The regression's only Mul is residual * residual, where both inputs are the same tensor.
    expectedPoints: { 'Q1b.Mul': 0 },
    expectedDiagnoses: { 'Q1b.Mul': 'mul-own-operand' },
  },
  {
    id: 'wrong-mul-uses-output',
    mistake: 'Mul multiplies the upstream gradient by its own output a*b',
    patches: [patch(OPS, MUL, 'return [sumToShape(mul(upstream, this.value), this.a.shape), sumToShape(mul(upstream, this.value), this.b.shape)];')],
    expectedPoints: { 'Q1b.Mul': 0, Q1d: 0 },
    expectedDiagnoses: { 'Q1b.Mul': 'mul-uses-output' },
  },
  {
    id: 'wrong-mul-ignores-upstream',
    mistake: 'Mul returns the other input (summed to shape), ignoring the upstream gradient',
    patches: [patch(OPS, MUL, 'return [sumToShape(broadcastTo(this.b.value, this.shape), this.a.shape), sumToShape(broadcastTo(this.a.value, this.shape), this.b.shape)];')],
    expectedPoints: { 'Q1b.Mul': 0, Q1d: 0 },
    expectedDiagnoses: { 'Q1b.Mul': 'upstream-ignored' },
  },

  // Q1(b) MatMul --------------------------------------------------------------------------------
  {
    id: 'wrong-matmul-results-transposed',
    mistake: 'MatMul\'s gradients have the shapes of the transposed inputs',
    patches: [patch(OPS, MATMUL, 'return [transpose(matmul(upstream, transpose(this.b.value))), transpose(matmul(transpose(this.a.value), upstream))];')],
    expectedPoints: { 'Q1b.MatMul': 0, Q1d: 0 },
    expectedDiagnoses: { 'Q1b.MatMul': 'matmul-transposes-swapped' },
  },
  {
    id: 'wrong-matmul-factors-swapped',
    mistake: 'MatMul multiplies the factors of each gradient in the wrong order (Bᵀ G instead of G Bᵀ)',
    patches: [patch(OPS, MATMUL, 'return [matmul(transpose(this.b.value), upstream), matmul(upstream, transpose(this.a.value))];')],
    expectedPoints: { 'Q1b.MatMul': 0, Q1d: 0 },
    expectedDiagnoses: { 'Q1b.MatMul': 'matmul-transposes-swapped' },
  },
  {
    id: 'wrong-matmul-db-transposed',
    mistake: 'MatMul computes dB as Gᵀ A, the transpose of Aᵀ G',
    patches: [patch(OPS, MATMUL, 'return [matmul(upstream, transpose(this.b.value)), matmul(transpose(upstream), this.a.value)];')],
    // In the regression w is [1,1], where a matrix and its transpose are the same.
    expectedPoints: { 'Q1b.MatMul': 0 },
    expectedDiagnoses: { 'Q1b.MatMul': 'matmul-transposes-swapped' },
  },
  {
    id: 'wrong-matmul-ignores-upstream',
    mistake: 'MatMul uses a matrix of ones in place of the upstream gradient',
    patches: [patch(OPS, MATMUL, 'return [matmul(NDArray.ones(this.shape), transpose(this.b.value)), matmul(transpose(this.a.value), NDArray.ones(this.shape))];')],
    expectedPoints: { 'Q1b.MatMul': 0, Q1d: 0 },
    expectedDiagnoses: { 'Q1b.MatMul': 'upstream-ignored' },
  },

  // Q1(b) ReLU ----------------------------------------------------------------------------------
  {
    id: 'wrong-relu-ge-zero',
    mistake: 'ReLU lets the gradient through at x = 0 too (>= instead of >), against the convention of ops.ts',
    patches: [patch(OPS, RELU, '(this.x.value.data[i] >= 0 ? g : 0)')],
    // Where the smallest failing case is a single 0, an inverted mask and no mask pass the gradient
    // there too, and no mistake is named; where it also has a positive entry, this one is.
    expectedPoints: { 'Q1b.ReLU': 0 },
    possibleDiagnoses: { 'Q1b.ReLU': ['relu-gradient-at-zero'] },
  },
  {
    id: 'wrong-relu-mask-inverted',
    mistake: 'ReLU\'s mask is taken from the wrong side (x <= 0)',
    patches: [patch(OPS, RELU, '(this.x.value.data[i] <= 0 ? g : 0)')],
    expectedPoints: { 'Q1b.ReLU': 0 },
    expectedDiagnoses: { 'Q1b.ReLU': 'relu-mask-inverted' },
  },
  {
    id: 'wrong-relu-output-mask-ge',
    mistake: 'ReLU\'s mask is taken from its output with >=, which holds everywhere, so nothing is blocked',
    patches: [patch(OPS, RELU, '(this.value.data[i] >= 0 ? g : 0)')],
    // Where the smallest failing case is one negative x, an inverted mask passes the gradient too:
    // neither mistake is named, and the page says that dL/dx is not 0 where it should be; where it
    // also has a positive entry, no mask is named.
    expectedPoints: { 'Q1b.ReLU': 0 },
    possibleDiagnoses: { 'Q1b.ReLU': ['relu-no-mask'] },
  },
  {
    id: 'wrong-relu-uses-value',
    mistake: 'ReLU multiplies the upstream gradient by relu(x) instead of the 0/1 mask',
    patches: [patch(OPS, RELU, '(g * this.value.data[i])')],
    expectedPoints: { 'Q1b.ReLU': 0 },
    expectedDiagnoses: { 'Q1b.ReLU': 'relu-uses-value' },
  },
  {
    id: 'wrong-relu-ignores-upstream',
    mistake: 'ReLU returns the mask itself, ignoring the upstream gradient',
    patches: [patch(OPS, RELU, '(this.x.value.data[i] > 0 ? 1 : 0)')],
    expectedPoints: { 'Q1b.ReLU': 0 },
    expectedDiagnoses: { 'Q1b.ReLU': 'upstream-ignored' },
  },

  // Q1(b) Sigmoid -------------------------------------------------------------------------------
  {
    id: 'wrong-sigmoid-from-input',
    mistake: "Sigmoid's derivative written with the input, x (1 - x)",
    patches: [patch(OPS, SIGMOID, 'g * this.x.value.data[i] * (1 - this.x.value.data[i])')],
    expectedPoints: { 'Q1b.Sigmoid': 0 },
    expectedDiagnoses: { 'Q1b.Sigmoid': 'sigmoid-from-input' },
  },
  {
    id: 'wrong-sigmoid-missing-factor',
    mistake: "Sigmoid's derivative written as 1 - s, without the factor s",
    patches: [patch(OPS, SIGMOID, 'g * (1 - this.value.data[i])')],
    expectedPoints: { 'Q1b.Sigmoid': 0 },
    expectedDiagnoses: { 'Q1b.Sigmoid': 'sigmoid-missing-factor' },
  },
  {
    id: 'wrong-sigmoid-sign',
    mistake: "Sigmoid's derivative written as s (s - 1)",
    patches: [patch(OPS, SIGMOID, 'g * this.value.data[i] * (this.value.data[i] - 1)')],
    expectedPoints: { 'Q1b.Sigmoid': 0 },
    expectedDiagnoses: { 'Q1b.Sigmoid': 'wrong-sign' },
  },
  {
    id: 'wrong-sigmoid-ignores-upstream',
    mistake: 'Sigmoid returns s (1 - s), ignoring the upstream gradient',
    patches: [patch(OPS, SIGMOID, 'this.value.data[i] * (1 - this.value.data[i])')],
    expectedPoints: { 'Q1b.Sigmoid': 0 },
    expectedDiagnoses: { 'Q1b.Sigmoid': 'upstream-ignored' },
  },

  // Q1(c) mse -----------------------------------------------------------------------------------
  {
    id: 'wrong-mse-sum',
    mistake: 'mse sums the squared residuals (the mean times the count) instead of averaging them',
    patches: [
      patch(LOSSES, MSE, 'const residual = new Add(prediction, new Neg(target));\n  return new Mul(new ReduceMean(new Mul(residual, residual)), new Input(NDArray.scalar(residual.value.size)));'),
      patch(LOSSES, LOSSES_IMPORTS, "import { Input, type Tensor } from './tensor.js';\nimport { NDArray } from './ndarray.js';"),
    ],
    // The smallest failing case has two elements, where dividing by n - 1 gives the sum too:
    // neither mistake is named, and the page says that mse is 2 times the expected value.
    expectedPoints: { Q1c: 0, Q1d: 0 },
  },
  {
    id: 'wrong-mse-not-reduced',
    mistake: 'mse returns the squared residuals without taking their mean (not a scalar)',
    patches: [patch(LOSSES, MSE, 'const residual = new Add(prediction, new Neg(target));\n  return new Mul(residual, residual);')],
    expectedPoints: { Q1c: 0, Q1d: 0 },
    expectedDiagnoses: { Q1c: 'mse-not-scalar' },
  },
  {
    id: 'wrong-mse-mean-over-first-axis',
    mistake: 'mse averages over the first axis only, so it is a scalar only for vectors',
    patches: [patch(LOSSES, MSE, 'const residual = new Add(prediction, new Neg(target));\n  return new ReduceMean(new Mul(residual, residual), [0]);')],
    // The regression's loss then has shape [1]: one element, which backward() accepts. The
    // smallest failing case is a scalar, which has no axis 0: mse throws there, and no mistake is named.
    expectedPoints: { Q1c: 0 },
  },
  {
    id: 'wrong-mse-residual-sign',
    mistake: 'mse adds the target instead of subtracting it',
    patches: [patch(LOSSES, MSE, 'const residual = new Add(prediction, target);\n  return new ReduceMean(new Mul(residual, residual));')],
    expectedPoints: { Q1c: 0, Q1d: 0 },
    expectedDiagnoses: { Q1c: 'mse-residual-sign' },
  },
  {
    id: 'wrong-mse-not-squared',
    mistake: 'mse averages the residuals without squaring them',
    patches: [patch(LOSSES, MSE, 'const residual = new Add(prediction, new Neg(target));\n  return new ReduceMean(residual);')],
    expectedPoints: { Q1c: 0, Q1d: 0 },
    expectedDiagnoses: { Q1c: 'mse-not-squared' },
  },
  {
    id: 'wrong-mse-halved',
    mistake: 'mse is multiplied by 1/2 (the convention of some textbooks, not of this assignment)',
    patches: [
      patch(LOSSES, MSE, 'const residual = new Add(prediction, new Neg(target));\n  return new Mul(new ReduceMean(new Mul(residual, residual)), new Input(NDArray.scalar(0.5)));'),
      patch(LOSSES, LOSSES_IMPORTS, "import { Input, type Tensor } from './tensor.js';\nimport { NDArray } from './ndarray.js';"),
    ],
    // Half the gradient still trains the line within 200 epochs.
    expectedPoints: { Q1c: 0 },
    expectedDiagnoses: { Q1c: 'mse-halved' },
  },
  {
    id: 'wrong-mse-detached',
    mistake: 'mse computes the squared residuals on NDArrays and wraps them in a new Input, cutting the graph',
    patches: [
      patch(LOSSES, MSE, 'const residual = sub(prediction.value, target.value);\n  return new ReduceMean(new Input(mul(residual, residual)));'),
      patch(LOSSES, LOSSES_IMPORTS, "import { Input, type Tensor } from './tensor.js';\nimport { mul, sub } from './ndarray.js';"),
      patch(LOSSES, "import { Add, Mul, Neg, ReduceMean } from './ops.js';", "import { ReduceMean } from './ops.js';"),
    ],
    expectedPoints: { Q1c: 0, Q1d: 0 },
    expectedDiagnoses: { Q1c: 'mse-detached' },
  },

  // Q2 Conv2d -----------------------------------------------------------------------------------
  {
    id: 'wrong-conv-kernel-undilated',
    mistake: 'dL/dK correlates V with the upstream gradient without dilating it by the stride',
    patches: [patch(CONV, KERNEL_GRADIENT, 'return crop(correlate2d(this.image.value, upstream), kh, kw);')],
    expectedPoints: { 'Q2.kernel': 1.5 },
    expectedDiagnoses: { 'Q2.kernel': 'conv-kernel-undilated' },
  },
  {
    id: 'wrong-conv-kernel-flipped',
    mistake: 'dL/dK is flipped (written as a true convolution)',
    patches: [
      patch(CONV, KERNEL_GRADIENT, 'return flip(crop(correlate2d(this.image.value, dilate(upstream, this.stride)), kh, kw));'),
      patch(CONV, CONV_IMPORTS, "import { convolve2dFull, correlate2d, crop, dilate, flip, pad } from './convolution-primitives.js';"),
    ],
    expectedPoints: { 'Q2.kernel': 0 },
    expectedDiagnoses: { 'Q2.kernel': 'conv-kernel-flipped' },
  },
  {
    id: 'wrong-conv-kernel-not-cropped',
    mistake: 'dL/dK is not cropped to K\'s shape, one row or column too large when (H - kh) is not a multiple of the stride',
    patches: [patch(CONV, KERNEL_GRADIENT, 'void kh;\n    void kw;\n    return correlate2d(this.image.value, dilate(upstream, this.stride));')],
    expectedPoints: { 'Q2.kernel': 1.5 },
    expectedDiagnoses: { 'Q2.kernel': 'conv-gradient-shape' },
  },
  {
    id: 'wrong-conv-kernel-operands-swapped',
    mistake: 'dL/dK correlates the upstream gradient with V instead of V with the upstream gradient',
    patches: [patch(CONV, KERNEL_GRADIENT, 'return crop(correlate2d(dilate(upstream, this.stride), this.image.value), kh, kw);')],
    expectedPoints: { 'Q2.kernel': 0 },
    expectedDiagnoses: { 'Q2.kernel': 'conv-kernel-operands-swapped' },
  },
  {
    id: 'wrong-conv-input-unflipped',
    mistake: 'dL/dV correlates the padded upstream gradient with K without flipping K',
    patches: [
      patch(CONV, IMAGE_FULL, 'const [kh, kw] = this.kernel.shape;\n    const touched = correlate2d(pad(dilate(upstream, this.stride), kh - 1, kw - 1), this.kernel.value);'),
    ],
    expectedPoints: { 'Q2.input': 0 },
    expectedDiagnoses: { 'Q2.input': 'conv-input-unflipped' },
  },
  {
    id: 'wrong-conv-input-undilated',
    mistake: 'dL/dV convolves the upstream gradient with K without dilating it by the stride',
    patches: [patch(CONV, IMAGE_FULL, 'const touched = convolve2dFull(upstream, this.kernel.value);')],
    expectedPoints: { 'Q2.input': 1.5 },
    expectedDiagnoses: { 'Q2.input': 'conv-input-undilated' },
  },
  {
    id: 'wrong-conv-input-image-for-kernel',
    mistake: 'dL/dV convolves the upstream gradient with V instead of K (V and K swapped)',
    patches: [patch(CONV, IMAGE_FULL, 'const touched = convolve2dFull(dilate(upstream, this.stride), this.image.value);')],
    expectedPoints: { 'Q2.input': 0 },
    expectedDiagnoses: { 'Q2.input': 'conv-input-uses-image' },
  },
  {
    id: 'wrong-conv-input-off-by-one',
    mistake: 'dL/dV is padded one row and one column too far',
    patches: [patch(CONV, IMAGE_PAD, 'return pad(touched, 0, 0, h - touched.shape[0] + 1, w - touched.shape[1] + 1);')],
    expectedPoints: { 'Q2.input': 0 },
    expectedDiagnoses: { 'Q2.input': 'conv-gradient-shape' },
  },
  {
    id: 'wrong-conv-input-not-padded',
    mistake: 'dL/dV leaves out the rows and columns of V that no output position reached',
    patches: [patch(CONV, IMAGE_PAD, 'void h;\n    void w;\n    return touched;')],
    expectedPoints: { 'Q2.input': 1.5 },
    expectedDiagnoses: { 'Q2.input': 'conv-gradient-shape' },
  },
  {
    id: 'wrong-conv-input-padded-before',
    mistake: 'dL/dV puts the zero rows and columns for the unreached part of V before the gradient instead of after it',
    patches: [patch(CONV, IMAGE_PAD, 'return pad(touched, h - touched.shape[0], w - touched.shape[1], 0, 0);')],
    expectedPoints: { 'Q2.input': 1.5 },
    expectedDiagnoses: { 'Q2.input': 'conv-input-padded-before' },
  },

  // Q3 by hand ----------------------------------------------------------------------------------
  {
    id: 'wrong-q3-k1-flipped',
    mistake: 'k1 computed as a true convolution (kernel flipped); k2 right',
    patches: [{ file: Q3, content: q3File({ k1: correlate2d(q3Image, flip(k1Kernel()), 1).toNested() as number[][] }) }],
    expectedPoints: { 'Q3.k1': 0 },
    expectedDiagnoses: { 'Q3.k1': 'kernel-flipped' },
  },
  {
    id: 'wrong-q3-k2-stride-1',
    mistake: 'k2 slid with stride 1 instead of 2 (a 7x7 result)',
    patches: [{ file: Q3, content: q3File({ k2: correlate2d(q3Image, NDArray.from(Q3_KERNELS.k2.kernel), 1).toNested() as number[][] }) }],
    expectedPoints: { 'Q3.k2': 0 },
    expectedDiagnoses: { 'Q3.k2': 'wrong-stride' },
  },
  {
    id: 'wrong-q3-k1-stride-2',
    mistake: 'k1 slid with stride 2 instead of 1 (a 3x3 result)',
    patches: [{ file: Q3, content: q3File({ k1: correlate2d(q3Image, k1Kernel(), 2).toNested() as number[][] }) }],
    expectedPoints: { 'Q3.k1': 0 },
    expectedDiagnoses: { 'Q3.k1': 'wrong-stride' },
  },
  {
    id: 'wrong-q3-transposed',
    mistake: 'both results written column by column (transposed)',
    patches: [{ file: Q3, content: q3Answers((image, kernel, stride) => transpose(correlate2d(image, kernel, stride))) }],
    expectedPoints: { 'Q3.k1': 0.33, 'Q3.k2': 0.5 },
    expectedDiagnoses: { 'Q3.k1': 'transposed', 'Q3.k2': 'transposed' },
  },
  {
    id: 'wrong-q3-one-slip',
    mistake: 'one entry of k1 off by one (an addition slip)',
    patches: [{ file: Q3, content: q3File({ k1: withSlips('k1', [[2, 3, 1]]) }) }],
    expectedPoints: { 'Q3.k1': 1.94 },
    expectedDiagnoses: { 'Q3.k1': 'arithmetic-slip' },
  },
  {
    id: 'wrong-q3-two-slips',
    mistake: 'two entries of k2 wrong (a sign dropped, a product misread)',
    patches: [{ file: Q3, content: q3File({ k2: withSlips('k2', [[0, 1, -20], [2, 3, 2]]) }) }],
    expectedPoints: { 'Q3.k2': 1.75 },
    expectedDiagnoses: { 'Q3.k2': 'arithmetic-slip' },
  },
  {
    id: 'wrong-q3-k1-kernel-sign',
    mistake: 'k1 computed with +2 where the kernel has -2',
    patches: [
      {
        file: Q3,
        content: q3File({ k1: correlate2d(q3Image, NDArray.from([[0, 1, 1], [0, 1, 0], [2, 0, -1]]), 1).toNested() as number[][] }),
      },
    ],
    expectedPoints: { 'Q3.k1': 0.94 },
    expectedDiagnoses: { 'Q3.k1': 'kernel-entry-sign' },
  },
  {
    id: 'wrong-q3-k2-padded-again',
    mistake: 'k2 computed on the image with one more ring of zero padding (a 5x5 result)',
    patches: [{ file: Q3, content: q3File({ k2: correlate2d(pad(q3Image, 1, 1), NDArray.from(Q3_KERNELS.k2.kernel), 2).toNested() as number[][] }) }],
    expectedPoints: { 'Q3.k2': 0 },
    expectedDiagnoses: { 'Q3.k2': 'wrong-output-shape' },
  },
];

/** Every wrong submission of the corpus: the base ones, the new coverage, and hints that need a discriminating case. */
export const WRONG_CORPUS: Variant[] = [...BASE_WRONG, ...COVERAGE_WRONG, ...HINT_WRONG];
