/**
 * Given convolution primitives for one-channel 2D images (matrices). Q2 asks you to express both
 * gradients of a convolution with these.
 *
 * Throughout, "convolution" follows the assignment: Z[i][j] = sum over k,l of V[i+k][j+l] K[k][l],
 * the kernel is not flipped (deep-learning libraries call this cross-correlation).
 */
import { NDArray, ShapeError, formatShape } from './ndarray.js';

function assertMatrix(a: NDArray, what: string): void {
  if (a.rank !== 2) throw new ShapeError(`${what} needs a matrix (2 axes), got shape ${formatShape(a.shape)}`);
}

/** Output length of a valid convolution along one axis. */
export function convOutputLength(inputLength: number, kernelLength: number, stride: number): number {
  return Math.floor((inputLength - kernelLength) / stride) + 1;
}

/**
 * Valid convolution without flipping, with a stride:
 * Z[i][j] = sum over k,l of V[s*i + k][s*j + l] * K[k][l].
 * Z has floor((H - kh) / s) + 1 rows and floor((W - kw) / s) + 1 columns.
 */
export function correlate2d(image: NDArray, kernel: NDArray, stride = 1): NDArray {
  assertMatrix(image, 'correlate2d');
  assertMatrix(kernel, 'correlate2d');
  if (!Number.isInteger(stride) || stride < 1) throw new RangeError(`correlate2d: stride must be a whole number >= 1, got ${stride}`);
  const [h, w] = image.shape;
  const [kh, kw] = kernel.shape;
  if (kh > h || kw > w) {
    throw new ShapeError(`correlate2d: kernel ${formatShape(kernel.shape)} is larger than image ${formatShape(image.shape)}`);
  }
  const oh = convOutputLength(h, kh, stride);
  const ow = convOutputLength(w, kw, stride);
  const out = new NDArray([oh, ow]);
  for (let i = 0; i < oh; i++) {
    for (let j = 0; j < ow; j++) {
      let total = 0;
      for (let k = 0; k < kh; k++) {
        for (let l = 0; l < kw; l++) total += image.data[(stride * i + k) * w + stride * j + l] * kernel.data[k * kw + l];
      }
      out.data[i * ow + j] = total;
    }
  }
  return out;
}

/** The kernel rotated by 180 degrees: flipped along both axes. */
export function flip(kernel: NDArray): NDArray {
  assertMatrix(kernel, 'flip');
  const [kh, kw] = kernel.shape;
  const out = new NDArray([kh, kw]);
  for (let k = 0; k < kh; k++) for (let l = 0; l < kw; l++) out.data[k * kw + l] = kernel.data[(kh - 1 - k) * kw + (kw - 1 - l)];
  return out;
}

/** Zero padding: `top`/`left` rows and columns before the matrix, `bottom`/`right` after it. */
export function pad(a: NDArray, top: number, left: number, bottom = top, right = left): NDArray {
  assertMatrix(a, 'pad');
  const [h, w] = a.shape;
  const out = new NDArray([top + h + bottom, left + w + right]);
  const outW = left + w + right;
  for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) out.data[(top + i) * outW + left + j] = a.data[i * w + j];
  return out;
}

/** The top-left `rows` x `cols` block of a matrix. */
export function crop(a: NDArray, rows: number, cols: number): NDArray {
  assertMatrix(a, 'crop');
  const [h, w] = a.shape;
  if (rows > h || cols > w) throw new ShapeError(`crop: cannot take ${rows}x${cols} from ${formatShape(a.shape)}`);
  const out = new NDArray([rows, cols]);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out.data[i * cols + j] = a.data[i * w + j];
  return out;
}

/** Inserts `stride - 1` zeros between neighbouring elements along both axes (identity for stride 1). */
export function dilate(a: NDArray, stride: number): NDArray {
  assertMatrix(a, 'dilate');
  const [h, w] = a.shape;
  const outH = (h - 1) * stride + 1;
  const outW = (w - 1) * stride + 1;
  const out = new NDArray([Math.max(outH, 0), Math.max(outW, 0)]);
  for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) out.data[stride * i * outW + stride * j] = a.data[i * w + j];
  return out;
}

/**
 * Full convolution in the mathematical sense (the kernel is flipped, and every overlap counts):
 * out[p][q] = sum over i,j of A[i][j] * K[p - i][q - j], of shape (H + kh - 1) x (W + kw - 1).
 * It equals correlate2d(pad(A, kh - 1, kw - 1), flip(K)).
 */
export function convolve2dFull(a: NDArray, kernel: NDArray): NDArray {
  assertMatrix(a, 'convolve2dFull');
  assertMatrix(kernel, 'convolve2dFull');
  const [kh, kw] = kernel.shape;
  return correlate2d(pad(a, kh - 1, kw - 1), flip(kernel));
}
