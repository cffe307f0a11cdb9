/**
 * Q2's cases: an image V, a kernel K, an upstream gradient of the output's shape and a stride,
 * drawn from the output's side so that every stride range of CONV_STRIDE_CHECKS (q2-conv.ts) gets
 * images and kernels of many shapes, most of them not square. `convRequest` is what the child is
 * sent for a case.
 */
import fc from 'fast-check';
import type { WireArray } from '../../../shared/protocol.js';
import { arrayOf, upstreamOf } from './arbitraries.js';

/** The gradient a Q2 part checks: dL/dK (Conv2d.kernelGradient) or dL/dV (Conv2d.imageGradient). */
export type ConvGradient = 'kernel' | 'image';

/** One case of a Q2 check: Conv2d(V, K, stride) and the upstream gradient dL/dZ. */
export interface ConvCase {
  image: WireArray;
  kernel: WireArray;
  upstream: WireArray;
  stride: number;
}

const caseArbitraries = new Map<string, fc.Arbitrary<ConvCase>>();

/** Cases for strides minStride to maxStride (one arbitrary per range, so that sampled cases are shared; see property.ts). */
export function convCaseArb(minStride: number, maxStride = minStride): fc.Arbitrary<ConvCase> {
  const key = `${minStride}-${maxStride}`;
  let arbitrary = caseArbitraries.get(key);
  if (!arbitrary) caseArbitraries.set(key, (arbitrary = makeConvCaseArb(minStride, maxStride)));
  return arbitrary;
}

/**
 * One axis of a case, drawn from the output's side: a kernel of 1 to 4, 1 to 4 output positions,
 * and 0 to s - 1 entries of V left over after the last window (so that (H - kh) is a multiple of
 * the stride s or not, by 1 to s - 1). H = kh + (outputs - 1) s + left over: from the kernel's own
 * size (one output, nothing left over) up to 19 at s = 4.
 */
const convAxis = fc.record({ kernel: fc.integer({ min: 1, max: 4 }), outputs: fc.integer({ min: 1, max: 4 }), leftOver: fc.nat(3) });

/** Cases at a stride from minStride to maxStride; rows and columns are drawn apart, so most images and kernels are not square. */
function makeConvCaseArb(minStride: number, maxStride: number): fc.Arbitrary<ConvCase> {
  return fc.tuple(fc.integer({ min: minStride, max: maxStride }), convAxis, convAxis).chain(([stride, rows, columns]) => {
    const imageLength = (axis: typeof rows): number => axis.kernel + (axis.outputs - 1) * stride + (axis.leftOver % stride);
    return fc.record({
      image: arrayOf([imageLength(rows), imageLength(columns)]),
      kernel: arrayOf([rows.kernel, columns.kernel]),
      upstream: upstreamOf([rows.outputs, columns.outputs]),
      stride: fc.constant(stride),
    });
  });
}

/** What the child is sent for a case. */
export function convRequest(c: ConvCase): Record<string, unknown> {
  return { image: c.image, kernel: c.kernel, upstream: c.upstream, stride: c.stride };
}
