/** The given convolution primitives, checked against their defining formulas. */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { NDArray, convOutputLength, convolve2dFull, correlate2d, crop, dilate, flip, pad } from '../src/index.js';
import { assertAllClose, exactly } from './support/all-close.js';
import { axisLength, convolutionSize, ndarray } from './support/arbitraries.js';
import { runs } from './support/runs.js';

const matrix = (maxLength = 4) => fc.tuple(axisLength(maxLength), axisLength(maxLength)).chain((s) => ndarray(s));

/** An image and a kernel that fits in it, for a stride of 1 or 2. */
const imageAndKernel = fc
  .constantFrom(1, 2)
  .chain(convolutionSize)
  .chain(({ image, kernel, stride }) => fc.record({ image: ndarray(image), kernel: ndarray(kernel), stride: fc.constant(stride) }));

describe('Given: convolution primitives', () => {
  test('correlate2d computes Z[i][j] = sum over k,l of V[s*i + k][s*j + l] K[k][l]', () => {
    fc.assert(
      fc.property(imageAndKernel, ({ image, kernel, stride }) => {
        const [h, w] = image.shape;
        const [kh, kw] = kernel.shape;
        const expected = NDArray.zeros([convOutputLength(h, kh, stride), convOutputLength(w, kw, stride)]);
        const [oh, ow] = expected.shape;
        for (let i = 0; i < oh; i++) {
          for (let j = 0; j < ow; j++) {
            for (let k = 0; k < kh; k++) for (let l = 0; l < kw; l++) expected.data[i * ow + j] += image.get(stride * i + k, stride * j + l) * kernel.get(k, l);
          }
        }
        assertAllClose(correlate2d(image, kernel, stride), expected, `correlate2d(${image}, ${kernel}, ${stride})`);
      }),
      runs(),
    );
  });

  test('convOutputLength counts the positions a kernel fits at', () => {
    expect(convOutputLength(7, 3, 1)).toBe(5);
    expect(convOutputLength(7, 3, 2)).toBe(3);
    expect(convOutputLength(6, 2, 2)).toBe(3);
    expect(convOutputLength(6, 3, 2)).toBe(2);
  });

  test('flip rotates a kernel by 180 degrees', () => {
    fc.assert(
      fc.property(matrix(), (kernel) => {
        const [kh, kw] = kernel.shape;
        const flipped = flip(kernel);
        expect(flipped.shape).toEqual(kernel.shape);
        const expected = NDArray.zeros([kh, kw]);
        for (let k = 0; k < kh; k++) for (let l = 0; l < kw; l++) expected.data[k * kw + l] = kernel.get(kh - 1 - k, kw - 1 - l);
        assertAllClose(flipped, expected, `flip(${kernel})`, exactly);
      }),
      runs(),
    );
  });

  test('pad surrounds a matrix with zeros, and crop takes its top-left block back', () => {
    const sides = fc.tuple(fc.nat(2), fc.nat(2), fc.nat(2), fc.nat(2));
    fc.assert(
      fc.property(matrix(), sides, (a, [top, left, bottom, right]) => {
        const [h, w] = a.shape;
        const padded = pad(a, top, left, bottom, right);
        expect(padded.shape).toEqual([top + h + bottom, left + w + right]);
        const expected = NDArray.zeros(padded.shape);
        for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) expected.data[(top + i) * padded.shape[1] + left + j] = a.get(i, j);
        assertAllClose(padded, expected, `pad(${a}, ${top}, ${left}, ${bottom}, ${right})`, exactly);
        assertAllClose(crop(pad(a, 0, 0, bottom, right), h, w), a, `crop(pad(${a}, 0, 0, ${bottom}, ${right}), ${h}, ${w})`);
      }),
      runs(),
    );
  });

  test('dilate puts element [i][j] at [s*i][s*j] and zeros between', () => {
    fc.assert(
      fc.property(matrix(), fc.integer({ min: 1, max: 3 }), (a, stride) => {
        const [h, w] = a.shape;
        const dilated = dilate(a, stride);
        expect(dilated.shape).toEqual([(h - 1) * stride + 1, (w - 1) * stride + 1]);
        const expected = NDArray.zeros(dilated.shape);
        for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) expected.data[stride * i * dilated.shape[1] + stride * j] = a.get(i, j);
        assertAllClose(dilated, expected, `dilate(${a}, ${stride})`, exactly);
      }),
      runs(),
    );
  });

  test('convolve2dFull computes out[p][q] = sum over i,j of A[i][j] K[p - i][q - j]', () => {
    fc.assert(
      fc.property(matrix(), matrix(3), (a, kernel) => {
        const [h, w] = a.shape;
        const [kh, kw] = kernel.shape;
        const expected = NDArray.zeros([h + kh - 1, w + kw - 1]);
        for (let i = 0; i < h; i++) {
          for (let j = 0; j < w; j++) {
            for (let k = 0; k < kh; k++) for (let l = 0; l < kw; l++) expected.data[(i + k) * (w + kw - 1) + j + l] += a.get(i, j) * kernel.get(k, l);
          }
        }
        assertAllClose(convolve2dFull(a, kernel), expected, `convolve2dFull(${a}, ${kernel})`);
      }),
      runs(),
    );
  });
});
