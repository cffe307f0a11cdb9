/**
 * Q2's known mistakes: for each gradient, what a Conv2d gradient with that mistake returns from
 * the case's image, kernel, upstream gradient and stride, and the hint that names it. The judge
 * (q2-conv-judge.ts) names a mistake only when its model throws the student's error or is
 * confirmed on the case shown (trusted/checks/confirmed-mistake.ts).
 */
import type { NDArray } from '@assignment-11/reference/src/ndarray.js';
import { convolve2dFull, correlate2d, crop, dilate, flip, pad } from '@assignment-11/reference/src/convolution-primitives.js';
import type { ConvGradient } from './q2-conv-cases.js';

/** One mistake: its diagnosis id, its hint, and the gradient a Conv2d with the mistake returns. */
export interface ConvMistake {
  id: string;
  hint: string;
  gradient: (image: NDArray, kernel: NDArray, upstream: NDArray, stride: number) => NDArray;
}

/** Q2's known mistakes, by the gradient they are made in. */
export const CONV_MISTAKES: Record<ConvGradient, ConvMistake[]> = {
  kernel: [
    {
      id: 'conv-kernel-undilated',
      hint: 'With a stride s, output Z[i][j] used V[s*i + m][s*j + n]: dilate the upstream gradient by s (dilate(upstream, s)) before correlating it with V.',
      gradient: (v, k, g) => crop(correlate2d(v, g), k.shape[0], k.shape[1]),
    },
    {
      id: 'conv-kernel-flipped',
      hint: 'dL/dK[m][n] = sum over i,j of dL/dZ[i][j] V[i+m][j+n] is a correlation of V with the upstream gradient: nothing is flipped.',
      gradient: (v, k, g, s) => flip(crop(correlate2d(v, dilate(g, s)), k.shape[0], k.shape[1])),
    },
    {
      id: 'conv-kernel-operands-swapped',
      hint: 'dL/dK is V correlated with the (dilated) upstream gradient: correlate2d(V, dilate(upstream, s)), with V first. The other way round slides V over the smaller gradient.',
      gradient: (v, k, g, s) => crop(correlate2d(dilate(g, s), v), k.shape[0], k.shape[1]),
    },
  ],
  image: [
    {
      id: 'conv-input-unflipped',
      hint: 'dL/dV is a FULL convolution of the upstream gradient with K: the kernel is flipped (flip(K)) when written as a correlation of the zero-padded gradient, or use convolve2dFull.',
      gradient: (v, k, g, s) => {
        const touched = correlate2d(pad(dilate(g, s), k.shape[0] - 1, k.shape[1] - 1), k);
        return pad(touched, 0, 0, v.shape[0] - touched.shape[0], v.shape[1] - touched.shape[1]);
      },
    },
    {
      id: 'conv-input-undilated',
      hint: 'With a stride s, dilate the upstream gradient (insert s - 1 zeros between its entries) before the full convolution with K.',
      gradient: (v, k, g) => {
        const touched = convolve2dFull(g, k);
        return crop(
          pad(touched, 0, 0, Math.max(0, v.shape[0] - touched.shape[0]), Math.max(0, v.shape[1] - touched.shape[1])),
          v.shape[0],
          v.shape[1],
        );
      },
    },
    {
      id: 'conv-input-uses-image',
      hint: 'dL/dV is the full convolution of the (dilated) upstream gradient with the KERNEL K; you convolved it with the image V.',
      gradient: (v, _k, g, s) => {
        const touched = convolve2dFull(dilate(g, s), v);
        return pad(touched, 0, 0, v.shape[0] - touched.shape[0], v.shape[1] - touched.shape[1]);
      },
    },
    {
      id: 'conv-input-padded-before',
      hint: 'The rows and columns of V that no output position reached are the LAST ones (bottom and right): pad the gradient with zeros after it, pad(g, 0, 0, extraRows, extraColumns), not before it.',
      gradient: (v, k, g, s) => {
        const touched = convolve2dFull(dilate(g, s), k);
        return pad(touched, v.shape[0] - touched.shape[0], v.shape[1] - touched.shape[1], 0, 0);
      },
    },
  ],
};
