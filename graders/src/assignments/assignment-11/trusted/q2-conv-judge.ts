/**
 * Q2's judge: the verdict on the child's answer to one case, for one of the two gradients. The
 * forward value must be the reference convolution's (it is given); the gradient is compared with
 * central finite differences of the reference convolution. A known mistake (q2-conv-mistakes.ts)
 * is named when its model throws the very error the student's code threw, or when it is confirmed
 * on the case shown (trusted/checks/confirmed-mistake.ts).
 */
import { NDArray } from '@assignment-11/reference/src/ndarray.js';
import { correlate2d } from '@assignment-11/reference/src/convolution-primitives.js';
import type { OracleResponse, WireArray } from '../../../shared/protocol.js';
import type { Counterexample } from '../../../trusted/result.js';
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
import type { ConvCase, ConvGradient } from './q2-conv-cases.js';
import { CONV_MISTAKES } from './q2-conv-mistakes.js';

const toArray = (a: WireArray): NDArray => new NDArray(a.shape, a.data.map(Number));

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
            CONV_MISTAKES[which].map((m) => ({
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
  const models = CONV_MISTAKES[which].map((mistake) => ({
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
