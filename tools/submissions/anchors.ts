/**
 * The exact pieces of the reference that the wrong corpora's patches replace (each must occur
 * exactly once in its file), and the patch helpers built on them.
 */
import type { Patch } from './variants.js';

export const TENSOR = 'src/tensor.ts';
export const OPS = 'src/ops.ts';
export const LOSSES = 'src/losses.ts';
export const CONV = 'src/conv.ts';
export const Q3 = 'answers/q3.json';

export const ACCUMULATE = 'input.grad = input.grad === null ? gradients[k] : add(input.grad, gradients[k]);';
export const SEED = 'this.grad = add(this.grad ?? NDArray.zeros(this.shape), gradient ?? NDArray.ones(this.shape));';
export const RESET = 'for (const tensor of order) if (tensor.inputs.length > 0) tensor.grad = null;';
export const REVERSE_LOOP = 'for (let i = order.length - 1; i >= 0; i--) {\n      const tensor = order[i];';
export const VISITED = '} else if (!visited.has(tensor)) {\n        visited.add(tensor);';
export const ORDER_AND_PASS_START = '    const order: Tensor[] = [];';
export const PASS_END = '    // END SOLUTION\n  }\n\n  /** Forgets this tensor\'s gradient. */';
export const SCALAR_CHECK = `    if (gradient === undefined && this.value.size !== 1) {
      throw new ShapeError(`;

export const REDUCE_MEAN = 'return [scale(broadcastTo(kept, this.x.shape), 1 / reductionCount(this.x.shape, this.axes))];';
export const ADD = 'return [sumToShape(upstream, this.a.shape), sumToShape(upstream, this.b.shape)];';
export const MUL = 'return [sumToShape(mul(upstream, this.b.value), this.a.shape), sumToShape(mul(upstream, this.a.value), this.b.shape)];';
export const MATMUL = 'return [matmul(upstream, transpose(this.b.value)), matmul(transpose(this.a.value), upstream)];';
export const RELU = '(this.x.value.data[i] > 0 ? g : 0)';
export const SIGMOID = 'g * this.value.data[i] * (1 - this.value.data[i])';
export const OPS_IMPORTS = '  sumToShape,\n  transpose,\n';

export const MSE = 'const residual = new Add(prediction, new Neg(target));\n  return new ReduceMean(new Mul(residual, residual));';
export const LOSSES_IMPORTS = "import type { Tensor } from './tensor.js';";

export const KERNEL_GRADIENT = 'return crop(correlate2d(this.image.value, dilate(upstream, this.stride)), kh, kw);';
export const IMAGE_FULL = 'const touched = convolve2dFull(dilate(upstream, this.stride), this.kernel.value);';
export const IMAGE_PAD = 'return pad(touched, 0, 0, h - touched.shape[0], w - touched.shape[1]);';
export const CONV_IMPORTS = "import { convolve2dFull, correlate2d, crop, dilate, pad } from './convolution-primitives.js';";

export const patch = (file: string, find: string, replace: string): Patch => ({ file, find, replace });

/** Replaces the body of Tensor.backward after the given checks (the student's region). */
export const backwardBody = (body: string): Patch[] => [
  patch(TENSOR, ORDER_AND_PASS_START, `${body}\n    /* the reference pass, kept unused:`),
  patch(TENSOR, PASS_END, `    */\n${PASS_END}`),
];
