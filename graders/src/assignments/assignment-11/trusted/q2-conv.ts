/**
 * Q2: the student's Conv2d.kernelGradient (dL/dK) and Conv2d.imageGradient (dL/dV), each checked
 * against central finite differences of the reference convolution (q2-conv-judge.ts), at stride 1
 * and at strides 2 to 4, on images and kernels of many shapes (CONV_STRIDE_CHECKS, and
 * makeConvCaseArb in q2-conv-cases.ts). The child also reports how often each gradient called the
 * given convolution primitives, because Q2 asks to show that both gradients are convolutions.
 */
import type { OracleRequest, OracleResponse } from '../../../shared/protocol.js';
import type { PartBundle, PartContext } from '../../../trusted/assignment.js';
import type { PartResult } from '../../../trusted/result.js';
import type { ConvGradient } from './q2-conv-cases.js';

/** Q2's property checks, one per range of strides (Conv2d documents any stride s >= 1). */
export const CONV_STRIDE_CHECKS = [
  { id: 'stride-1', name: 'stride 1', minStride: 1, maxStride: 1 },
  { id: 'strided', name: 'strides 2 to 4', minStride: 2, maxStride: 4 },
] as const;

/** Calls of the given convolutions made by one gradient in the first answered case. */
export function primitiveCalls(
  which: ConvGradient,
  response: OracleResponse | undefined,
): { correlate2d: number; convolve2dFull: number } | undefined {
  if (!response || 'error' in response) return undefined;
  const calls = (
    (response.result as Record<string, unknown>)?.[which] as { calls?: { correlate2d?: unknown; convolve2dFull?: unknown } } | undefined
  )?.calls;
  if (!calls) return undefined;
  const count = (x: unknown): number => (Number.isInteger(x) && (x as number) >= 0 ? (x as number) : 0);
  return { correlate2d: count(calls.correlate2d), convolve2dFull: count(calls.convolve2dFull) };
}

/** The probe of which convolution primitives Q2's gradients call (shown to the TA, not scored). */
export const PRIMITIVES_PROBE: OracleRequest[] = [
  {
    image: { shape: [4, 4], data: Array.from({ length: 16 }, (_, i) => i % 5) },
    kernel: { shape: [2, 2], data: [1, 2, 3, 4] },
    upstream: { shape: [3, 3], data: Array(9).fill(1) },
    stride: 1,
  },
];

/** What a Q2 result keeps in its extension: how often the gradient called each primitive. */
export interface ConvExtension {
  usedPrimitives: { correlate2d: number; convolve2dFull: number };
}

/**
 * Grades one Q2 gradient: its property checks, then (when it ran) the probe of the primitives it
 * calls, which the TA sees (the derivation is a part of its own, scored by a TA).
 */
export async function gradeConvPart(context: PartContext, bundle: PartBundle, which: ConvGradient): Promise<PartResult> {
  const result = await context.propertyResult();
  if (result.status !== 'not-implemented' && result.status !== 'crashed' && result.status !== 'timeout') {
    const probe = await context.run(bundle, PRIMITIVES_PROBE);
    const calls = probe.kind === 'answer' ? primitiveCalls(which, probe.responses[0]) : undefined;
    if (calls) {
      const extension: ConvExtension = { usedPrimitives: calls };
      result.extension = { ...extension };
    }
  }
  return result;
}
