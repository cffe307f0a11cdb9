/**
 * Q2: a one-channel 2D convolution as an operation of the framework, with a stride.
 *
 * Forward: Z[i][j] = sum over k,l of V[s*i + k][s*j + l] * K[k][l] (no kernel flip).
 * Backward: both gradients are convolutions again; write them with the primitives of
 * convolution-primitives.ts (see answers/q2.md for the derivation).
 */
import { NDArray } from './ndarray.js';
import { convolve2dFull, correlate2d, crop, dilate, pad } from './convolution-primitives.js';
import { Tensor } from './tensor.js';
import { NotImplemented } from './not-implemented.js';

export class Conv2d extends Tensor {
  /**
   * @param image V, an [H, W] matrix
   * @param kernel K, a [kh, kw] matrix no larger than V
   * @param stride s >= 1, the step between neighbouring output positions
   */
  constructor(readonly image: Tensor, readonly kernel: Tensor, readonly stride = 1) {
    super(correlate2d(image.value, kernel.value, stride), [image, kernel]);
  }

  /** Returns [dL/dV, dL/dK] given dL/dZ. */
  override backwardRule(upstream: NDArray): NDArray[] {
    return [this.imageGradient(upstream), this.kernelGradient(upstream)];
  }

  /** dL/dK[m][n] = sum over i,j of dL/dZ[i][j] V[s*i + m][s*j + n]: V correlated with the (dilated) upstream gradient. */
  kernelGradient(upstream: NDArray): NDArray {
    // TODO: Q2 Conv2d.kernelGradient
    throw new NotImplemented('Q2 Conv2d.kernelGradient');
  }

  /** dL/dV[p][q] = sum over i,j of dL/dZ[i][j] K[p - s*i][q - s*j]: the full convolution of the (dilated) upstream gradient with K. */
  imageGradient(upstream: NDArray): NDArray {
    // TODO: Q2 Conv2d.imageGradient
    throw new NotImplemented('Q2 Conv2d.imageGradient');
  }
}
