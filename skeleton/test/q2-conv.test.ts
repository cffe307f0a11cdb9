/**
 * Q2: the two gradients of a convolution, Conv2d.kernelGradient (dL/dK) and Conv2d.imageGradient
 * (dL/dV), each called directly and compared with finite differences of correlate2d.
 */
import fc from 'fast-check';
import { describe } from 'vitest';
import { Conv2d, Input, NDArray, correlate2d } from '../src/index.js';
import { assertAllClose, graderTolerance } from './support/all-close.js';
import { convolutionSize, ndarray, upstreamGradient, type ConvolutionSize } from './support/arbitraries.js';
import { checkGradients } from './support/gradient-check.js';
import { partTest } from './support/not-implemented.js';
import { runs } from './support/runs.js';

/** An image, a kernel and an upstream gradient of the output's shape. */
function convolutionCase(stride: number) {
  return convolutionSize(stride).chain(({ image, kernel }: ConvolutionSize) => {
    const output = correlate2d(NDArray.zeros(image), NDArray.zeros(kernel), stride).shape;
    return fc.record({ image: ndarray(image), kernel: ndarray(kernel), upstream: upstreamGradient(output), stride: fc.constant(stride) });
  });
}

const anyStride = fc.constantFrom(1, 2).chain(convolutionCase);

/** A 3x3 image and a 2x2 kernel: the smallest use of a gradient, for the not-implemented check. */
const tinyConv = () => new Conv2d(new Input(NDArray.ones([3, 3])), new Input(NDArray.ones([2, 2])));

describe('Q2 Conv2d.kernelGradient', () => {
  const test = partTest(() => tinyConv().kernelGradient(NDArray.ones([2, 2])));

  test('the forward pass (given) is correlate2d with the stride', () => {
    fc.assert(
      fc.property(anyStride, ({ image, kernel, stride }) => {
        const conv = new Conv2d(new Input(image), new Input(kernel), stride);
        assertAllClose(conv.value, correlate2d(image, kernel, stride), `Conv2d of image ${image} and kernel ${kernel}, stride ${stride}: the value`, graderTolerance);
      }),
      runs(),
    );
  });

  for (const stride of [1, 2]) {
    test(`dL/dK matches finite differences, stride ${stride}`, () => {
      fc.assert(
        fc.property(convolutionCase(stride), ({ image, kernel, upstream }) => {
          const conv = new Conv2d(new Input(image), new Input(kernel), stride);
          checkGradients({
            what: `Q2 Conv2d.kernelGradient with stride ${stride}`,
            inputs: { K: kernel },
            upstream,
            forward: (k) => correlate2d(image, k, stride),
            backward: () => [conv.kernelGradient(upstream)],
          });
        }),
        runs(25),
      );
    });
  }
});

describe('Q2 Conv2d.imageGradient', () => {
  const test = partTest(() => tinyConv().imageGradient(NDArray.ones([2, 2])));

  for (const stride of [1, 2]) {
    test(`dL/dV matches finite differences, stride ${stride}`, () => {
      fc.assert(
        fc.property(convolutionCase(stride), ({ image, kernel, upstream }) => {
          const conv = new Conv2d(new Input(image), new Input(kernel), stride);
          checkGradients({
            what: `Q2 Conv2d.imageGradient with stride ${stride}`,
            inputs: { V: image },
            upstream,
            forward: (v) => correlate2d(v, kernel, stride),
            backward: () => [conv.imageGradient(upstream)],
          });
        }),
        runs(25),
      );
    });
  }
});
