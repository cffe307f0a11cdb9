/**
 * Q3: the image and the two kernels to convolve by hand. The image already carries its zero
 * padding, so both convolutions are valid ones (no further padding).
 *
 * This file is given. Write your results into answers/q3.json, one list per output row.
 */

/** An 8x8 image whose outer ring is the zero padding. */
export const Q3_IMAGE: number[][] = [
  [0, 0, 0, 0, 0, 0, 0, 0],
  [0, 0, 4, 2, 3, 5, 6, 0],
  [0, 0, 1, 5, 4, 2, 0, 0],
  [0, 3, 4, 8, 0, 1, 2, 0],
  [0, 3, 2, 3, 0, 1, 3, 0],
  [0, 0, 4, 6, 3, 1, 5, 0],
  [0, 1, 2, 5, 0, 0, 1, 0],
  [0, 0, 0, 0, 0, 0, 0, 0],
];

/** One kernel of Q3 and the stride to slide it with. */
export interface Q3Kernel {
  /** The kernel K, applied without flipping: Z[i][j] = sum over k,l of I[s*i + k][s*j + l] K[k][l]. */
  kernel: number[][];
  /** The step s between neighbouring output positions. */
  stride: number;
  /** Rows and columns of the result: floor((8 - kernel size) / stride) + 1. */
  outputSize: number;
}

/** The two kernels of Q3, under the names used in answers/q3.json. */
export const Q3_KERNELS: { k1: Q3Kernel; k2: Q3Kernel } = {
  k1: {
    kernel: [
      [0, 1, 1],
      [0, 1, 0],
      [-2, 0, -1],
    ],
    stride: 1,
    outputSize: 6,
  },
  k2: {
    kernel: [
      [1, 0],
      [2, 1],
    ],
    stride: 2,
    outputSize: 4,
  },
};
