/**
 * Q2: the student's Conv2d.kernelGradient (dL/dK) and Conv2d.imageGradient (dL/dV), each checked
 * against central finite differences of the reference convolution, at stride 1 and at strides 2 to
 * 4, on images and kernels of many shapes (CONV_STRIDE_CHECKS, makeConvCaseArb). The child also
 * reports how often each gradient called the given convolution primitives, because Q2 asks to show
 * that both gradients are convolutions.
 */
import fc from 'fast-check';
import { NDArray } from '@assignment-11/reference/src/ndarray.js';
import { convolve2dFull, correlate2d, crop, dilate, flip, pad } from '@assignment-11/reference/src/convolution-primitives.js';
import type { OracleRequest, OracleResponse, WireArray } from '../../../shared/protocol.js';
import type { PartBundle, PartContext } from '../../../trusted/assignment.js';
import type { Counterexample, PartResult } from '../../../trusted/result.js';
import { arrayOf, upstreamOf } from './arbitraries.js';
import { errorMessageOf, safe } from './attempt.js';
import { compareArray, whereText } from './compare.js';
import { ExpectedCache, perCase } from './expected-cache.js';
import { convReplay } from './replay/q2-conv-replay.js';
import { ownField, textOf } from '../../../trusted/checks/child-values.js';
import { numericalGradients } from './finite-difference.js';
import { explained, type CaseVerdict } from '../../../trusted/checks/case-verdict.js';
import type { Tolerance } from '../../../trusted/checks/tolerance.js';
import { confirmedByError, confirmedMistake } from '../../../trusted/checks/confirmed-mistake.js';
import { whatDiffers } from '../../../trusted/checks/what-differs.js';

export type ConvGradient = 'kernel' | 'image';

export interface ConvCase {
  image: WireArray;
  kernel: WireArray;
  upstream: WireArray;
  stride: number;
}

/** Q2's property checks, one per range of strides (Conv2d documents any stride s >= 1). */
export const CONV_STRIDE_CHECKS = [
  { id: 'stride-1', name: 'stride 1', minStride: 1, maxStride: 1 },
  { id: 'strided', name: 'strides 2 to 4', minStride: 2, maxStride: 4 },
] as const;

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

const toArray = (a: WireArray): NDArray => new NDArray(a.shape, a.data.map(Number));

interface Mistake {
  id: string;
  hint: string;
  gradient: (image: NDArray, kernel: NDArray, upstream: NDArray, stride: number) => NDArray;
}

const MISTAKES: Record<ConvGradient, Mistake[]> = {
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

/** The description of each case, made once per gradient: every submission is judged on the same cases. */
const described: Record<ConvGradient, (c: ConvCase) => Counterexample> = {
  kernel: perCase((c) => describeNow(c, 'kernel')),
  image: perCase((c) => describeNow(c, 'image')),
};

function describeNow(c: ConvCase, what: string): Counterexample {
  return {
    expression: `Conv2d(V, K, stride ${c.stride}).${what === 'kernel' ? 'kernelGradient' : 'imageGradient'}(upstream)`,
    shapes: { V: c.image.shape, K: c.kernel.shape, upstream: c.upstream.shape },
    inputs: { V: toArray(c.image).toNested(), K: toArray(c.kernel).toNested(), upstream: toArray(c.upstream).toNested(), stride: c.stride },
    localReplay: convReplay(c, what === 'kernel' ? 'kernel' : 'image'),
  };
}

export function convRequest(c: ConvCase): Record<string, unknown> {
  return { image: c.image, kernel: c.kernel, upstream: c.upstream, stride: c.stride };
}

const expectedGradients = new ExpectedCache<NDArray[]>();

/** The verdict on one case; `explain` false skips what only a failure shown needs (property.ts). */
export function judgeConv(
  which: ConvGradient,
  c: ConvCase,
  response: OracleResponse,
  tolerance: Tolerance & { step: number },
  explain = true,
): CaseVerdict {
  const counterexample = described[which](c);
  if ('error' in response) return { ok: false, message: `Conv2d threw ${response.error.name}: ${response.error.message}`, counterexample };
  const image = toArray(c.image);
  const kernel = toArray(c.kernel);
  const upstream = toArray(c.upstream);
  const result = response.result as Record<string, unknown>;
  const value = compareArray('the value of Conv2d', result?.value, correlate2d(image, kernel, c.stride), tolerance);
  if (!value.ok)
    return {
      ok: false,
      message: `${value.message}: the forward pass was changed`,
      counterexample,
      diagnosis: 'forward-changed',
      hint: 'The forward pass is given; restore it from the skeleton.',
    };
  const answer = ownField(result, which);
  // The error inside the result is the child's own report: any field may hold anything.
  const error = ownField(answer, 'error');
  if (error) {
    // A mistake whose model throws the very same error is the one made.
    const thrown = ownField(error, 'message');
    const same =
      typeof thrown === 'string'
        ? confirmedByError(
            thrown,
            MISTAKES[which].map((m) => ({
              diagnosis: m.id,
              thrown: errorMessageOf(() => m.gradient(image, kernel, upstream, c.stride)),
              mistake: m,
            })),
          )
        : undefined;
    return {
      ok: false,
      message: `${which === 'kernel' ? 'kernelGradient' : 'imageGradient'} threw ${textOf(ownField(error, 'name'))}: ${textOf(thrown, 5000)}`,
      counterexample,
      ...(same ? { diagnosis: same.id, hint: same.hint } : {}),
    };
  }
  const [dV, dK] = expectedGradients.get(
    c,
    () => `${tolerance.step}:${JSON.stringify(c)}`,
    () => numericalGradients(([v, k]) => correlate2d(v, k, c.stride), [image, kernel], upstream, tolerance.step),
  );
  const expected = which === 'kernel' ? dK : dV;
  const name = which === 'kernel' ? 'dL/dK' : 'dL/dV';
  const verdict = compareArray(name, ownField(answer, 'gradient'), expected, tolerance);
  if (verdict.ok) return { ok: true };
  if (!explain) return { ok: false, message: verdict.message };
  const full = {
    ...counterexample,
    where: whereText(name, verdict),
    expected: expected.toNested(),
    got: verdict.array?.toNested() ?? null,
  };
  if (verdict.kind === 'shape') {
    return {
      ok: false,
      message: verdict.message,
      counterexample: full,
      diagnosis: 'conv-gradient-shape',
      hint: `${name} must have the shape of ${which === 'kernel' ? 'K' : 'V'}; check the output size of your convolution (an off-by-one in the padding or the crop).`,
    };
  }
  // A mistake is named only when confirmed on this case (trusted/checks/confirmed-mistake.ts).
  const models = MISTAKES[which].map((mistake) => ({
    diagnosis: mistake.id,
    answer: [safe(() => mistake.gradient(image, kernel, upstream, c.stride))],
    mistake,
  }));
  const confirmed = verdict.array ? confirmedMistake([verdict.array], [expected], models, tolerance) : undefined;
  const differs = verdict.array ? whatDiffers(name, verdict.array, expected, tolerance) : undefined;
  return {
    ok: false,
    message: verdict.message,
    counterexample: full,
    ...explained(confirmed && { diagnosis: confirmed.mistake.id, hint: confirmed.mistake.hint }, differs),
  };
}

/** The part named when this gradient still throws NotImplemented. */
export function convNotImplemented(which: ConvGradient, response: OracleResponse): string | null {
  if ('error' in response) return null;
  const error = ownField(ownField(response.result, which), 'error');
  if (ownField(error, 'name') !== 'NotImplemented') return null;
  const part = ownField(error, 'part') ?? ownField(error, 'message');
  return typeof part === 'string' ? textOf(part) : 'Q2';
}

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
