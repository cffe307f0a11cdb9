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
    // BEGIN SOLUTION Q2 Conv2d.kernelGradient
    const [kh, kw] = this.kernel.shape;
    // When (H - kh) is not a multiple of the stride, the last rows of V are never used and the
    // correlation is larger than K: its top-left kh x kw block is the gradient.
    return crop(correlate2d(this.image.value, dilate(upstream, this.stride)), kh, kw);
    // END SOLUTION
  }

  /** dL/dV[p][q] = sum over i,j of dL/dZ[i][j] K[p - s*i][q - s*j]: the full convolution of the (dilated) upstream gradient with K. */
  imageGradient(upstream: NDArray): NDArray {
    // BEGIN SOLUTION Q2 Conv2d.imageGradient
    const [h, w] = this.image.shape;
    const touched = convolve2dFull(dilate(upstream, this.stride), this.kernel.value);
    // Rows and columns of V that no output position reached get a zero gradient.
    return pad(touched, 0, 0, h - touched.shape[0], w - touched.shape[1]);
    // END SOLUTION
  }
}
