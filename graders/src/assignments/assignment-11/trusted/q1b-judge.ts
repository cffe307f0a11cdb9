/**
 * Q1(b)'s judge: the verdict on the child's answer to one case of one operation. The child returns
 * the op's value and the raw list of gradients its backwardRule returned; the judge checks the
 * forward value against the reference, the shape of every gradient, and every element against
 * central finite differences of the reference forward (the registry's, q1b-ops.ts). Known mistakes
 * (q1b-mistakes.ts) are recognised by recomputing them here and comparing, and named only when
 * confirmed on the case shown (trusted/checks/confirmed-mistake.ts). Whatever differs between
 * operations is read from the registry entry.
 */
import { NDArray, neg, sameShape } from '@assignment-11/reference/src/ndarray.js';
import type { OracleResponse } from '../../../shared/protocol.js';
import type { Counterexample } from '../../../trusted/result.js';
import { errorMessageOf, safe } from './attempt.js';
import { compareArray, whereText } from './compare.js';
import { ExpectedCache } from './expected-cache.js';
import { operationReplay } from './replay/q1b-op-replay.js';
import { numericalGradients } from './finite-difference.js';
import { OP_SPECS, type OpCase, type OpName, type OpSpec } from './q1b-ops.js';
import { FORWARD_CHANGED, notSummedBack, summedOverWrongAxes, wrongGradientShape, wrongSign } from './q1b-mistakes.js';
import type { NamedMistake, OpGradients, OpMistake } from './q1b-mistakes.js';
import { explained, type CaseVerdict } from '../../../trusted/checks/case-verdict.js';
import type { Tolerance } from '../../../trusted/checks/tolerance.js';
import { confirmedByError, confirmedMistake, type MistakeModel } from '../../../trusted/checks/confirmed-mistake.js';
import { whatDiffers } from '../../../trusted/checks/what-differs.js';

function describeCase(op: OpName, spec: OpSpec, c: OpCase, where?: string, expected?: unknown, got?: unknown): Counterexample {
  const inputs: Record<string, unknown> = {};
  const shapes: Record<string, number[]> = {};
  spec.inputNames.forEach((name, i) => {
    inputs[name] = new NDArray(c.inputs[i].shape, c.inputs[i].data.map(Number)).toNested();
    shapes[name] = c.inputs[i].shape;
  });
  inputs.upstream = new NDArray(c.upstream.shape, c.upstream.data.map(Number)).toNested();
  shapes.upstream = c.upstream.shape;
  if (spec.takesAxes) inputs.axes = c.axes ?? 'all';
  const localReplay = operationReplay(op, c);
  return {
    expression: spec.expression,
    shapes,
    inputs,
    ...(where ? { where } : {}),
    ...(expected !== undefined ? { expected, got } : {}),
    localReplay,
  };
}

/** What `entry` makes of each model of each of the op's mistakes, in order. */
function eachModel<T>(spec: OpSpec, entry: (model: OpGradients, mistake: OpMistake) => T): T[] {
  return spec.mistakes.flatMap((mistake) => mistake.models.map((model) => entry(model, mistake)));
}

const expectedGradients = new ExpectedCache<NDArray[]>();
/** A case's arrays and the reference forward value, the same for every submission. */
const caseArrays = new ExpectedCache<{ inputs: NDArray[]; upstream: NDArray; value: NDArray }>();

/** Judges the child's answer to one case of one op; `explain` false skips what only a failure shown needs (case-verdict.ts, Judge). */
export function judgeOp(
  op: OpName,
  c: OpCase,
  response: OracleResponse,
  tolerance: Tolerance & { step: number },
  explain = true,
): CaseVerdict {
  const spec = OP_SPECS[op];
  const {
    inputs,
    upstream,
    value: expectedValue,
  } = caseArrays.get(
    c,
    () => `${op}:${JSON.stringify(c)}`,
    () => {
      const arrays = c.inputs.map((a) => new NDArray(a.shape, a.data.map(Number)));
      return { inputs: arrays, upstream: new NDArray(c.upstream.shape, c.upstream.data.map(Number)), value: spec.forward(arrays, c.axes) };
    },
  );
  if ('error' in response) {
    // A mistake whose model throws the very same error is the one made; else one that an error
    // of this kind names by itself.
    const thrown = response.error.message;
    const byModel = confirmedByError(
      thrown,
      eachModel(spec, (model, mistake) => ({
        diagnosis: mistake.id,
        thrown: errorMessageOf(() => model(inputs, upstream, c.axes)),
        mistake,
      })),
    );
    const named = byModel ?? spec.mistakes.find((m) => m.namedByError?.test(thrown));
    return {
      ok: false,
      message: `${spec.expression} threw ${response.error.name}: ${thrown}`,
      counterexample: describeCase(op, spec, c),
      ...(named ? { diagnosis: named.id, hint: named.hint } : {}),
    };
  }
  const result = response.result as { value?: unknown; gradients?: unknown };
  const value = compareArray(`the value of ${spec.expression}`, result?.value, expectedValue, tolerance);
  if (!value.ok) {
    const message = `${value.message}: the forward pass was changed`;
    return { ok: false, message, counterexample: describeCase(op, spec, c), hint: FORWARD_CHANGED.hint, diagnosis: FORWARD_CHANGED.id };
  }
  const gradients = Array.isArray(result?.gradients) ? result.gradients : null;
  if (gradients === null || gradients.length !== inputs.length) {
    const got = gradients === null ? 'no list' : gradients.length;
    return {
      ok: false,
      message: `backwardRule must return ${inputs.length} gradient(s), one per input (${spec.inputNames.join(', ')}), got ${got}`,
      counterexample: describeCase(op, spec, c),
    };
  }
  const expected = expectedGradients.get(
    c,
    () => `${op}:${tolerance.step}:${JSON.stringify(c)}`,
    () => {
      const numerical = numericalGradients((xs) => spec.forward(xs, c.axes), inputs, upstream, tolerance.step);
      return spec.atKinks ? spec.atKinks(inputs, upstream, numerical) : numerical;
    },
  );
  for (let k = 0; k < inputs.length; k++) {
    const name = `dL/d${spec.inputNames[k]}`;
    const verdict = compareArray(name, gradients[k], expected[k], tolerance);
    if (verdict.ok) continue;
    if (!explain) return { ok: false, message: verdict.message };
    const got = verdict.array?.toNested() ?? null;
    const counterexample = describeCase(op, spec, c, whereText(name, verdict), expected[k].toNested(), got);
    const failed = { ok: false, message: verdict.message, counterexample };
    const input = spec.inputNames[k];
    // In an op that broadcasts, an upstream-shaped gradient of an input that was broadcast was not
    // summed back; in any other op it is another mistake.
    const broadcastInput = !sameShape(inputs[k].shape, upstream.shape);
    if (spec.broadcasts && verdict.kind === 'shape' && verdict.array && broadcastInput && sameShape(verdict.array.shape, upstream.shape)) {
      const notSummed = notSummedBack(input, verdict.array.shape, inputs[k].shape);
      return { ...failed, diagnosis: notSummed.id, hint: notSummed.hint };
    }
    // A mistake is named only when confirmed on this case: its model gives the student's gradient,
    // and the right one and every other diagnosis's model are far from it.
    const models: MistakeModel<NamedMistake>[] = eachModel(spec, (model, mistake) => ({
      diagnosis: mistake.id,
      answer: [safe(() => model(inputs, upstream, c.axes)[k] ?? (null as unknown as NDArray))],
      mistake,
    }));
    const negated = wrongSign(name);
    models.push({ diagnosis: negated.id, answer: [neg(expected[k])], mistake: negated });
    const confirmed = verdict.array ? confirmedMistake([verdict.array], [expected[k]], models, tolerance) : undefined;
    const differs = verdict.array ? whatDiffers(name, verdict.array, expected[k], tolerance) : undefined;
    if (confirmed) return { ...failed, ...explained({ diagnosis: confirmed.mistake.id, hint: confirmed.mistake.hint }, differs) };
    if (verdict.kind === 'shape' && verdict.array) {
      const shaped = (spec.broadcasts ? summedOverWrongAxes : wrongGradientShape)(input, verdict.array.shape, inputs[k].shape);
      return { ...failed, diagnosis: shaped.id, hint: shaped.hint };
    }
    return { ...failed, ...explained(undefined, differs) };
  }
  return { ok: true };
}
