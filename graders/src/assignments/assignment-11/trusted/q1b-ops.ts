/**
 * Q1(b): each operation's backward rule, checked on its own with the student's ops.ts and the
 * given Tensor. The child returns the op's value and the raw list of gradients its backwardRule
 * returned; the parent checks the forward value against the reference, the shape of every
 * gradient, and every element against central finite differences of the reference forward (the
 * numeric layer's functions that the reference operations compute their values with).
 * Known mistakes are recognised by recomputing them here and comparing, and named only when
 * confirmed on the case shown (trusted/checks/confirmed-mistake.ts).
 */
import fc from 'fast-check';
import {
  NDArray,
  broadcastTo,
  formatShape,
  mul,
  neg,
  reducedShape,
  sameShape,
  sumToShape,
  transpose,
  matmul,
  add,
  broadcastShapes,
  mean,
  reductionCount,
  scale,
  sum,
} from '@assignment-11/reference/src/ndarray.js';
import type { OracleResponse, WireArray } from '../../../shared/protocol.js';
import type { Counterexample } from '../../../trusted/result.js';
import { arrayOf, arrayWithZeros, broadcastPairArb, liftedUpstream, matmulShapesArb, nonEmptyShapeArb, shapeArb, upstreamOf } from './arbitraries.js';
import { errorMessageOf, safe } from './attempt.js';
import { compareArray, whereText } from './compare.js';
import { ExpectedCache } from './expected-cache.js';
import { operationReplay } from './replay/q1b-op-replay.js';
import { numericalGradients } from './finite-difference.js';
import { explained, type CaseVerdict } from '../../../trusted/checks/property.js';
import type { Tolerance } from '../../../trusted/checks/tolerance.js';
import { confirmedByError, confirmedMistake, type MistakeModel } from '../../../trusted/checks/confirmed-mistake.js';
import { whatDiffers } from '../../../trusted/checks/what-differs.js';

export type OpName = 'ReduceMean' | 'Add' | 'Mul' | 'MatMul' | 'ReLU' | 'Sigmoid';

export interface OpCase {
  inputs: WireArray[];
  upstream: WireArray;
  axes?: number[];
}

interface Mistake {
  /** The diagnosis; mistakes that coincide as functions share one, with a hint true of each. */
  id: string;
  hint: string;
  /** The gradients this mistake produces, or null where it would not produce arrays. */
  gradients: (inputs: NDArray[], upstream: NDArray, axes?: number[]) => (NDArray | null)[];
}

interface OpSpec {
  inputNames: string[];
  arbitrary: fc.Arbitrary<OpCase>;
  forward: (inputs: NDArray[], axes?: number[]) => NDArray;
  /**
   * The gradients where the op has a kink and a finite difference means nothing, by the
   * convention the assignment documents (ReLU: 0 at x = 0); the finite differences elsewhere.
   */
  atKinks?: (inputs: NDArray[], upstream: NDArray, numerical: NDArray[]) => NDArray[];
  mistakes: Mistake[];
  expression: string;
}

function binaryCase(shapes: fc.Arbitrary<[number[], number[]]>, outShape: (a: number[], b: number[]) => number[]): fc.Arbitrary<OpCase> {
  return shapes.chain(([a, b]) =>
    fc.record({ inputs: fc.tuple(arrayOf(a), arrayOf(b)), upstream: upstreamOf(outShape(a, b)) }),
  );
}

const broadcastOut = (a: number[], b: number[]): number[] => [...broadcastShapes(a, b)];

const sigmoid = (x: NDArray): NDArray => x.map((v) => 1 / (1 + Math.exp(-v)));
const sigmoidSlope = (v: number): number => 1 / (1 + Math.exp(-v)) / (1 + Math.exp(v));

const upstreamIgnored = (correct: Mistake['gradients']): Mistake => ({
  id: 'upstream-ignored',
  hint: 'The gradient ignores the upstream gradient: multiply your local derivative by `upstream` (chain rule).',
  gradients: (inputs, upstream, axes) => correct(inputs, NDArray.ones(upstream.shape), axes),
});

const notSummed = (opName: string): Mistake => ({
  id: 'broadcast-not-summed',
  hint: `${opName} broadcasts its inputs: an input's gradient must be summed back to that input's shape with sumToShape(gradient, input.shape).`,
  gradients: () => [],
});

/**
 * An input with fewer axes than the upstream gradient summed over the TRAILING axes it lacks
 * (instead of the leading ones, where broadcasting puts them); `beforeSum` gives each input's
 * gradient before any summing.
 */
const trailingAxesSummed = (opName: string, beforeSum: (inputs: NDArray[], upstream: NDArray) => NDArray[]): Mistake => ({
  id: 'broadcast-summed-wrong-axes',
  hint: `${opName} broadcasts its inputs: an input's gradient is summed over exactly the axes that input was broadcast along, the LEADING axes it lacks and the axes where it has length 1 (kept), e.g. with sumToShape(gradient, input.shape); yours is summed over the trailing axes instead.`,
  gradients: (inputs, upstream) =>
    beforeSum(inputs, upstream).map((full, k) =>
      safe(() => {
        const missing = full.shape.length - inputs[k].shape.length;
        return missing > 0 ? sum(full, Array.from({ length: missing }, (_, i) => inputs[k].shape.length + i)) : sumToShape(full, inputs[k].shape);
      }),
    ),
});

const correctGradients: Record<OpName, Mistake['gradients']> = {
  ReduceMean: ([x], g, axes) => {
    const kept = g.reshape(reducedShape(x.shape, axes, true));
    return [broadcastTo(kept, x.shape).map((v) => (v * sizeOfReduced(x.shape, axes)) / x.size)];
  },
  Add: ([a, b], g) => [sumToShape(g, a.shape), sumToShape(g, b.shape)],
  Mul: ([a, b], g) => [sumToShape(mul(g, b), a.shape), sumToShape(mul(g, a), b.shape)],
  MatMul: ([a, b], g) => [matmul(g, transpose(b)), matmul(transpose(a), g)],
  ReLU: ([x], g) => [g.map((v, i) => (x.data[i] > 0 ? v : 0))],
  Sigmoid: ([x], g) => [g.map((v, i) => { const s = 1 / (1 + Math.exp(-x.data[i])); return v * s * (1 - s); })],
};

function sizeOfReduced(shape: readonly number[], axes?: number[]): number {
  return reducedShape(shape, axes).reduce((a, b) => a * b, 1);
}

/** ReduceMean divided by the length of one reduced axis (the one `pick` picks) instead of the count of all of them. */
function oneAxisCount(pick: (axes: number[]) => number): Mistake {
  return {
    id: 'mean-divided-by-one-axis',
    hint: "ReduceMean's gradient is 1/count times the upstream gradient, where count = reductionCount(x.shape, axes) is the number of elements averaged into each output: the product of the lengths of ALL the reduced axes, not the length of one of them.",
    gradients: ([x], g, axes) => {
      const reduced = axes ?? x.shape.map((_, i) => i);
      if (reduced.length === 0) return [null];
      return [safe(() => scale(broadcastTo(g.reshape(reducedShape(x.shape, axes, true)), x.shape), 1 / x.shape[pick(reduced)]))];
    },
  };
}


export const OP_SPECS: Record<OpName, OpSpec> = {
  ReduceMean: {
    inputNames: ['x'],
    expression: 'ReduceMean(x, axes)',
    // Any rank from a scalar up, and every set of axes (or none given: all of them).
    arbitrary: shapeArb.chain((shape) =>
      (shape.length === 0 ? fc.constant(undefined) : fc.option(fc.subarray(shape.map((_, i) => i), { minLength: 1 }), { nil: undefined })).chain((axes) =>
        fc.record({
          inputs: fc.tuple(arrayOf(shape)),
          upstream: upstreamOf(reducedShape(shape, axes) as number[]),
          axes: fc.constant(axes),
        }),
      ),
    ),
    forward: ([x], axes) => mean(x, axes),
    mistakes: [
      {
        id: 'mean-not-broadcast',
        hint: "ReduceMean's gradient has the shape of x, not of the upstream gradient: put the reduced axes back with length 1 (upstream.reshape(reducedShape(x.shape, axes, true))), broadcast that to x's shape and divide by the number of elements averaged.",
        gradients: (_x, g) => [g],
      },
      {
        id: 'mean-not-divided',
        hint: 'ReduceMean averages: each input element gets 1/count of the upstream gradient, where count is the number of elements averaged. Your gradient is count times too large.',
        gradients: ([x], g, axes) => [safe(() => broadcastTo(g.reshape(reducedShape(x.shape, axes, true)), x.shape))],
      },
      {
        id: 'mean-divided-by-size',
        hint: "ReduceMean's gradient is 1/count times the upstream gradient, where count is the number of elements averaged into each output (reductionCount(x.shape, axes)), not the size of the whole input: they differ when only some axes are reduced.",
        gradients: ([x], g, axes) => [safe(() => scale(broadcastTo(g.reshape(reducedShape(x.shape, axes, true)), x.shape), 1 / x.size))],
      },
      oneAxisCount((axes) => axes[0]),
      oneAxisCount((axes) => axes[axes.length - 1]),
      {
        id: 'mean-axes-not-kept',
        hint: 'Before broadcasting the upstream gradient back to x\'s shape, put the reduced axes back with length 1 (upstream.reshape(reducedShape(x.shape, axes, true))); otherwise its axes line up with the wrong axes of x.',
        gradients: ([x], g, axes) => [scale(broadcastTo(g, x.shape), 1 / reductionCount(x.shape, axes))],
      },
      upstreamIgnored(correctGradients.ReduceMean),
    ],
  },
  Add: {
    inputNames: ['a', 'b'],
    expression: 'Add(a, b)',
    arbitrary: binaryCase(broadcastPairArb, broadcastOut),
    forward: ([a, b]) => add(a, b),
    mistakes: [notSummed('Add'), trailingAxesSummed('Add', (_inputs, g) => [g, g]), upstreamIgnored(correctGradients.Add)],
  },
  Mul: {
    inputNames: ['a', 'b'],
    expression: 'Mul(a, b)',
    arbitrary: binaryCase(broadcastPairArb, broadcastOut),
    forward: ([a, b]) => mul(a, b),
    mistakes: [
      notSummed('Mul'),
      trailingAxesSummed('Mul', ([a, b], g) => [mul(g, b), mul(g, a)]),
      {
        id: 'mul-own-operand',
        hint: 'd(a*b)/da is b, not a: each input\'s gradient is the upstream gradient times the OTHER input.',
        gradients: ([a, b], g) => [safe(() => sumToShape(mul(g, a), a.shape)), safe(() => sumToShape(mul(g, b), b.shape))],
      },
      {
        id: 'mul-uses-output',
        hint: 'The gradient uses the product a*b (the op\'s own value); d(a*b)/da is b.',
        gradients: ([a, b], g) => {
          const out = mul(a, b);
          return [safe(() => sumToShape(mul(g, out), a.shape)), safe(() => sumToShape(mul(g, out), b.shape))];
        },
      },
      upstreamIgnored(correctGradients.Mul),
    ],
  },
  MatMul: {
    inputNames: ['a', 'b'],
    expression: 'MatMul(a, b)',
    arbitrary: binaryCase(matmulShapesArb, (a, b) => [a[0], b[1]]),
    forward: ([a, b]) => matmul(a, b),
    mistakes: [
      {
        id: 'matmul-own-operand',
        hint: "For C = A B with upstream G, dA = G Bᵀ uses B, the OTHER input, and dB = Aᵀ G uses A; your gradients use each input's own value.",
        gradients: ([a, b], g) => [safe(() => matmul(g, transpose(a))), safe(() => matmul(transpose(b), g))],
      },
      {
        id: 'matmul-transposes-swapped',
        hint: 'For C = A B with upstream G: dA = G Bᵀ (shape of A) and dB = Aᵀ G (shape of B). Your transposes are on the wrong side or the wrong factor; check the shapes: [n,m]@[m,k] gives [n,k].',
        gradients: ([a, b], g) => [safe(() => transpose(matmul(g, transpose(b)))), safe(() => transpose(matmul(transpose(a), g)))],
      },
      upstreamIgnored(correctGradients.MatMul),
    ],
  },
  ReLU: {
    inputNames: ['x'],
    expression: 'ReLU(x)',
    arbitrary: nonEmptyShapeArb.chain((shape) => fc.record({ inputs: fc.tuple(arrayWithZeros(shape)), upstream: upstreamOf(shape) })),
    forward: ([x]) => x.map((v) => (v > 0 ? v : 0)),
    // ops.ts: "At exactly 0 the gradient is taken to be 0."
    atKinks: ([x], _g, [numerical]) => [numerical.map((v, i) => (x.data[i] === 0 ? 0 : v))],
    mistakes: [
      {
        id: 'relu-gradient-at-zero',
        hint: 'At exactly x = 0 the gradient of ReLU is taken to be 0 (the convention written in ops.ts): pass the upstream gradient only where x > 0, not where x >= 0.',
        gradients: ([x], g) => [g.map((v, i) => (x.data[i] >= 0 ? v : 0))],
      },
      {
        id: 'relu-mask-inverted',
        hint: 'ReLU passes the upstream gradient where the input is positive and blocks it where it is negative; your mask is the other way round.',
        gradients: ([x], g) => [g.map((v, i) => (x.data[i] < 0 ? v : 0))],
      },
      {
        id: 'relu-mask-inverted',
        hint: 'ReLU passes the upstream gradient where the input is positive and blocks it where it is negative; your mask is the other way round.',
        gradients: ([x], g) => [g.map((v, i) => (x.data[i] <= 0 ? v : 0))],
      },
      {
        id: 'relu-no-mask',
        hint: 'Your ReLU passes the whole upstream gradient through, so nothing is blocked where x < 0. (A mask taken from the output with >= 0 does this: the output is never negative.) Pass it only where x > 0.',
        gradients: (_x, g) => [g],
      },
      {
        id: 'relu-uses-value',
        hint: "ReLU's derivative is 1 where x > 0 and 0 elsewhere: multiply the upstream gradient by that mask, not by relu(x).",
        gradients: ([x], g) => [g.map((v, i) => v * Math.max(x.data[i], 0))],
      },
      upstreamIgnored(correctGradients.ReLU),
    ],
  },
  Sigmoid: {
    inputNames: ['x'],
    expression: 'Sigmoid(x)',
    // x over [-10, 10], with the upstream lifted where sigmoid is flat (arbitraries.ts, liftedUpstream).
    arbitrary: nonEmptyShapeArb
      .chain((shape) => fc.tuple(arrayOf(shape, 'wide'), upstreamOf(shape)))
      .map(([x, unit]): OpCase => ({ inputs: [x], upstream: liftedUpstream(unit, x, sigmoidSlope) })),
    forward: ([x]) => sigmoid(x),
    mistakes: [
      {
        id: 'sigmoid-from-input',
        hint: "sigmoid'(x) = s(1 - s) with s = sigmoid(x), the op's value; you used x(1 - x) with the input.",
        gradients: ([x], g) => [g.map((v, i) => v * x.data[i] * (1 - x.data[i]))],
      },
      {
        id: 'sigmoid-missing-factor',
        hint: "sigmoid'(x) is s(1 - s), a product of two factors; one of them is missing.",
        gradients: ([x], g) => {
          const s = sigmoid(x);
          return [g.map((v, i) => v * s.data[i])];
        },
      },
      {
        id: 'sigmoid-missing-factor',
        hint: "sigmoid'(x) is s(1 - s), a product of two factors; one of them is missing.",
        gradients: ([x], g) => {
          const s = sigmoid(x);
          return [g.map((v, i) => v * (1 - s.data[i]))];
        },
      },
      upstreamIgnored(correctGradients.Sigmoid),
    ],
  },
};

function describeCase(op: OpName, spec: OpSpec, c: OpCase, where?: string, expected?: unknown, got?: unknown): Counterexample {
  const inputs: Record<string, unknown> = {};
  const shapes: Record<string, number[]> = {};
  spec.inputNames.forEach((name, i) => {
    inputs[name] = new NDArray(c.inputs[i].shape, c.inputs[i].data.map(Number)).toNested();
    shapes[name] = c.inputs[i].shape;
  });
  inputs.upstream = new NDArray(c.upstream.shape, c.upstream.data.map(Number)).toNested();
  shapes.upstream = c.upstream.shape;
  if (op === 'ReduceMean') inputs.axes = c.axes ?? 'all';
  const localReplay = operationReplay(op, c);
  return { expression: spec.expression, shapes, inputs, ...(where ? { where } : {}), ...(expected !== undefined ? { expected, got } : {}), localReplay };
}

const expectedGradients = new ExpectedCache<NDArray[]>();
/** A case's arrays and the reference forward value, the same for every submission. */
const caseArrays = new ExpectedCache<{ inputs: NDArray[]; upstream: NDArray; value: NDArray }>();

/** Judges the child's answer to one case of one op; `explain` false skips what only a failure shown needs (property.ts). */
export function judgeOp(op: OpName, c: OpCase, response: OracleResponse, tolerance: Tolerance & { step: number }, explain = true): CaseVerdict {
  const spec = OP_SPECS[op];
  const { inputs, upstream, value: expectedValue } = caseArrays.get(c, () => `${op}:${JSON.stringify(c)}`, () => {
    const arrays = c.inputs.map((a) => new NDArray(a.shape, a.data.map(Number)));
    return { inputs: arrays, upstream: new NDArray(c.upstream.shape, c.upstream.data.map(Number)), value: spec.forward(arrays, c.axes) };
  });
  if ('error' in response) {
    // A mistake whose model throws the very same error is the one made; a shape error of matmul in
    // MatMul's backward rule shows by itself that its factors do not fit.
    const thrown = response.error.message;
    const byModel = confirmedByError(thrown, spec.mistakes.map((m) => ({ diagnosis: m.id, thrown: errorMessageOf(() => m.gradients(inputs, upstream, c.axes)), mistake: m })));
    const matmulShape = op === 'MatMul' && /matmul/i.test(thrown) ? spec.mistakes.find((m) => m.id === 'matmul-transposes-swapped') : undefined;
    const named = byModel ?? matmulShape;
    return { ok: false, message: `${spec.expression} threw ${response.error.name}: ${thrown}`, counterexample: describeCase(op, spec, c), ...(named ? { diagnosis: named.id, hint: named.hint } : {}) };
  }
  const result = response.result as { value?: unknown; gradients?: unknown };
  const value = compareArray(`the value of ${spec.expression}`, result?.value, expectedValue, tolerance);
  if (!value.ok) {
    return { ok: false, message: `${value.message}: the forward pass was changed`, counterexample: describeCase(op, spec, c), hint: 'The forward pass is given; restore it from the skeleton.', diagnosis: 'forward-changed' };
  }
  const gradients = Array.isArray(result?.gradients) ? result.gradients : null;
  if (gradients === null || gradients.length !== inputs.length) {
    return {
      ok: false,
      message: `backwardRule must return ${inputs.length} gradient(s), one per input (${spec.inputNames.join(', ')}), got ${gradients === null ? 'no list' : gradients.length}`,
      counterexample: describeCase(op, spec, c),
    };
  }
  const expected = expectedGradients.get(c, () => `${op}:${tolerance.step}:${JSON.stringify(c)}`, () => {
    const numerical = numericalGradients((xs) => spec.forward(xs, c.axes), inputs, upstream, tolerance.step);
    return spec.atKinks ? spec.atKinks(inputs, upstream, numerical) : numerical;
  });
  for (let k = 0; k < inputs.length; k++) {
    const name = `dL/d${spec.inputNames[k]}`;
    const verdict = compareArray(name, gradients[k], expected[k], tolerance);
    if (verdict.ok) continue;
    if (!explain) return { ok: false, message: verdict.message };
    const counterexample = describeCase(op, spec, c, whereText(name, verdict), expected[k].toNested(), verdict.array?.toNested() ?? null);
    // Only an op that broadcasts (Add, Mul) has this mistake; in any other op an upstream-shaped gradient is another one.
    const notSummed = spec.mistakes.find((m) => m.id === 'broadcast-not-summed');
    if (notSummed && verdict.kind === 'shape' && verdict.array && !sameShape(inputs[k].shape, upstream.shape) && sameShape(verdict.array.shape, upstream.shape)) {
      return {
        ok: false,
        message: verdict.message,
        counterexample,
        diagnosis: notSummed.id,
        hint: `The gradient for ${spec.inputNames[k]} has shape ${formatShape(verdict.array.shape)} but ${spec.inputNames[k]} has shape ${formatShape(inputs[k].shape)}: sum it over the broadcast axes with sumToShape(gradient, ${spec.inputNames[k]}.shape).`,
      };
    }
    // A mistake is named only when confirmed on this case: its model gives the student's gradient,
    // and the right one and every other diagnosis's model are far from it.
    const models: MistakeModel<Pick<Mistake, 'id' | 'hint'>>[] = spec.mistakes.map((mistake) => ({
      diagnosis: mistake.id,
      answer: [safe(() => mistake.gradients(inputs, upstream, c.axes)[k] ?? (null as unknown as NDArray))],
      mistake,
    }));
    models.push({ diagnosis: 'wrong-sign', answer: [neg(expected[k])], mistake: { id: 'wrong-sign', hint: `${name} has the right size but the wrong sign everywhere.` } });
    const confirmed = verdict.array ? confirmedMistake([verdict.array], [expected[k]], models, tolerance) : undefined;
    const differs = verdict.array ? whatDiffers(name, verdict.array, expected[k], tolerance) : undefined;
    if (confirmed) return { ok: false, message: verdict.message, counterexample, ...explained({ diagnosis: confirmed.mistake.id, hint: confirmed.mistake.hint }, differs) };
    if (verdict.kind === 'shape' && verdict.array) {
      const input = spec.inputNames[k];
      const shapes = `The gradient for ${input} has shape ${formatShape(verdict.array.shape)} but ${input} has shape ${formatShape(inputs[k].shape)}`;
      return op === 'Add' || op === 'Mul'
        ? {
            ok: false,
            message: verdict.message,
            counterexample,
            diagnosis: 'broadcast-summed-wrong-axes',
            hint: `${shapes}: sum the gradient over exactly the axes ${input} was broadcast along (the leading axes ${input} lacks, and the axes where ${input} has length 1, kept), e.g. with sumToShape(gradient, ${input}.shape).`,
          }
        : { ok: false, message: verdict.message, counterexample, diagnosis: 'gradient-shape', hint: `${shapes}: a gradient always has the shape of its input.` };
    }
    return { ok: false, message: verdict.message, counterexample, ...explained(undefined, differs) };
  }
  return { ok: true };
}
