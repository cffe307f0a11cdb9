/**
 * Q1(c): the student's mse. The child calls it with the given ops (whose backward rules are not
 * in its bundle) and describes the graph it built; the parent rebuilds that graph with the
 * reference operations, checks that it reproduces the values the child reported, and runs the
 * trusted backward pass on it. So mse is judged on what it builds: a correct value computed
 * outside the graph (with no gradient path) fails.
 */
import fc from 'fast-check';
import { NDArray, sameShape } from '@assignment-11/reference/src/ndarray.js';
import * as referenceOps from '@assignment-11/reference/src/ops.js';
import { mse as referenceMse } from '@assignment-11/reference/src/losses.js';
import { Input, type Tensor } from '@assignment-11/reference/src/tensor.js';
import type { OracleResponse, WireArray } from '../../../shared/protocol.js';
import { readWireArray } from './wire-arrays.js';
import { ownField, textOf } from '../../../trusted/checks/child-values.js';
import type { Counterexample } from '../../../trusted/result.js';
import { arraysApart, shapeArb } from './arbitraries.js';
import { compareArray, matches } from './compare.js';
import { ExpectedCache, perCase } from './expected-cache.js';
import { mseReplay } from './replay/q1c-mse-replay.js';
import { explained, type CaseVerdict } from '../../../trusted/checks/case-verdict.js';
import type { Tolerance } from '../../../trusted/checks/tolerance.js';
import { confirmedMistake, fits, type Answer } from '../../../trusted/checks/confirmed-mistake.js';
import { whatDiffers } from '../../../trusted/checks/what-differs.js';

export interface MseCase {
  prediction: WireArray;
  target: WireArray;
}

/** Any shape from a scalar up to rank 3, the prediction at least 0.25 from the target in every entry (a loss far above atol). */
export const mseCaseArb: fc.Arbitrary<MseCase> = shapeArb
  .chain((shape) => arraysApart(shape))
  .map(([prediction, target]) => ({ prediction, target }));

/** The operations a node may name (a Map: a kind such as "constructor" must not find Object's own). */
const OPS = new Map<string, (inputs: Tensor[], axes?: number[]) => Tensor>([
  ['ReduceMean', ([x], axes) => new referenceOps.ReduceMean(x, axes)],
  ['Add', ([a, b]) => new referenceOps.Add(a, b)],
  ['Mul', ([a, b]) => new referenceOps.Mul(a, b)],
  ['MatMul', ([a, b]) => new referenceOps.MatMul(a, b)],
  ['ReLU', ([x]) => new referenceOps.ReLU(x)],
  ['Sigmoid', ([x]) => new referenceOps.Sigmoid(x)],
  ['Neg', ([x]) => new referenceOps.Neg(x)],
  ['Sqrt', ([x]) => new referenceOps.Sqrt(x)],
]);

/** One node of the graph as the child described it; any field may hold anything. */
interface GraphNode {
  kind: unknown;
  inputs: unknown;
  value: unknown;
  axes: unknown;
}

function readNode(raw: unknown): GraphNode {
  return { kind: ownField(raw, 'kind'), inputs: ownField(raw, 'inputs'), value: ownField(raw, 'value'), axes: ownField(raw, 'axes') };
}

/** A loss on (prediction, target): its value and its gradient with respect to each. */
interface Loss {
  value: number;
  prediction: NDArray;
  target: NDArray;
}

/**
 * The sum over the entries of term(p, t), divided by `divisor`, with its gradients from dTerm (the
 * derivatives of the term with respect to p and t); null when the divisor is 0 (n - 1 for n = 1).
 */
function lossOf(
  p: NDArray,
  t: NDArray,
  divisor: number,
  term: (p: number, t: number) => number,
  dTerm: (p: number, t: number) => [number, number],
): Loss | null {
  if (divisor === 0 || !Number.isFinite(divisor)) return null;
  let total = 0;
  const dp = new NDArray(p.shape);
  const dt = new NDArray(t.shape);
  for (let i = 0; i < p.size; i++) {
    total += term(p.data[i], t.data[i]);
    [dp.data[i], dt.data[i]] = dTerm(p.data[i], t.data[i]).map((d) => d / divisor);
  }
  return { value: total / divisor, prediction: dp, target: dt };
}

const squared = (p: number, t: number): number => (p - t) ** 2;
const dSquared = (p: number, t: number): [number, number] => [2 * (p - t), -2 * (p - t)];

/**
 * Known mistakes of mse, as whole losses (value and gradients), so that a case confirms one only
 * where it differs from the right loss and from every other (confirmed-mistake.ts).
 */
const LOSS_MISTAKES: { id: string; hint: string; loss: (p: NDArray, t: NDArray) => Loss | null }[] = [
  {
    id: 'mse-no-mean',
    hint: 'mse is the MEAN of the squared residuals; you summed them. Finish with ReduceMean.',
    loss: (p, t) => lossOf(p, t, 1, squared, dSquared),
  },
  {
    id: 'mse-divided-by-n-minus-1',
    hint: 'mse divides the sum of the squared residuals by the number of elements n, not by n - 1 (the correction of an unbiased variance, which mse does not make): take ReduceMean of the squares.',
    loss: (p, t) => lossOf(p, t, p.size - 1, squared, dSquared),
  },
  {
    id: 'mse-residual-sign',
    hint: 'The residual is prediction - target: negate the target (Neg) before adding; you added them.',
    loss: (p, t) =>
      lossOf(
        p,
        t,
        p.size,
        (a, b) => (a + b) ** 2,
        (a, b) => [2 * (a + b), 2 * (a + b)],
      ),
  },
  {
    id: 'mse-halved',
    hint: 'mse here is the plain mean of the squared residuals, without a factor 1/2 (some textbooks use one to simplify the gradient; this assignment does not).',
    loss: (p, t) => lossOf(p, t, 2 * p.size, squared, dSquared),
  },
  {
    id: 'mse-not-squared',
    hint: 'Square the residual (multiply it by itself with Mul) before taking the mean.',
    loss: (p, t) =>
      lossOf(
        p,
        t,
        p.size,
        (a, b) => a - b,
        () => [1, -1],
      ),
  },
  {
    id: 'mse-negated',
    hint: 'Your mse is the negative of the mean squared residual (and so is its gradient): mse is the mean of (prediction - target)², which is never negative. Check the signs of the residual and of the product.',
    loss: (p, t) => lossOf(p, t, -p.size, squared, dSquared),
  },
  {
    id: 'mse-detached',
    hint: 'mse must be built from tensors and operations all the way: computing the residual on NDArrays (or wrapping a result in a new Input) cuts the graph, and no gradient reaches the prediction.',
    loss: (p, t) => {
      const right = lossOf(p, t, p.size, squared, dSquared);
      return right && { value: right.value, prediction: NDArray.zeros(p.shape), target: NDArray.zeros(t.shape) };
    },
  },
];

/** The description of each case, made once: every submission is judged on the same cases. */
const describe = perCase(describeNow);

function describeNow(c: MseCase): Counterexample {
  return {
    expression: 'mse(prediction, target)',
    shapes: { prediction: c.prediction.shape, target: c.target.shape },
    inputs: {
      prediction: new NDArray(c.prediction.shape, c.prediction.data.map(Number)).toNested(),
      target: new NDArray(c.target.shape, c.target.data.map(Number)).toNested(),
    },
    localReplay: mseReplay(c),
  };
}

const expectedMse = new ExpectedCache<{ value: NDArray; prediction: NDArray; target: NDArray }>();

/** The verdict on one case; `explain` false skips what only a failure shown needs (property.ts). */
export function judgeMse(c: MseCase, response: OracleResponse, tolerance: Tolerance, explain = true): CaseVerdict {
  const counterexample = describe(c);
  if ('error' in response) return { ok: false, message: `mse threw ${response.error.name}: ${response.error.message}`, counterexample };
  const prediction = new Input(new NDArray(c.prediction.shape, c.prediction.data.map(Number)));
  const target = new Input(new NDArray(c.target.shape, c.target.data.map(Number)));
  const nodes = (response.result as { nodes?: unknown })?.nodes;
  if (!Array.isArray(nodes) || nodes.length === 0) return { ok: false, message: 'mse returned no graph', counterexample };

  // Rebuild the student's graph with the reference classes, in the child's (topological) order.
  const rebuilt: Tensor[] = [];
  for (const [i, raw] of Array.from(nodes, readNode).entries()) {
    const inputs = Array.isArray(raw.inputs)
      ? raw.inputs.map((k: unknown) => (Number.isInteger(k) && (k as number) >= 0 && (k as number) < i ? rebuilt[k as number] : undefined))
      : [];
    const axesOk = raw.axes === undefined || (Array.isArray(raw.axes) && raw.axes.every((axis) => Number.isInteger(axis)));
    if (inputs.some((x) => x === undefined) || !axesOk) return { ok: false, message: 'mse returned a malformed graph', counterexample };
    const reported = readWireArray(raw.value);
    const operation = typeof raw.kind === 'string' ? OPS.get(raw.kind) : undefined;
    let node: Tensor;
    if (raw.kind === 'prediction') node = prediction;
    else if (raw.kind === 'target') node = target;
    else if (raw.kind === 'constant') {
      if (!reported) return { ok: false, message: 'mse returned a malformed graph: a constant without a value', counterexample };
      node = new Input(reported);
    } else if (operation) {
      try {
        node = operation(inputs as Tensor[], raw.axes as number[] | undefined);
      } catch (error) {
        return {
          ok: false,
          message: `mse built ${raw.kind as string} on inputs it cannot take: ${textOf((error as Error).message, 500)}`,
          counterexample,
        };
      }
    } else {
      return {
        ok: false,
        message: `mse used ${textOf(raw.kind, 100)}, which is not one of the operations of ops.ts`,
        counterexample,
        diagnosis: 'mse-not-from-ops',
        hint: 'Build mse only from the operations of ops.ts (Add, Neg, Mul, ReduceMean, ...), so that its gradient comes from their backward rules.',
      };
    }
    if (!reported || !matches(reported, node.value, tolerance)) {
      return {
        ok: false,
        message: `the value the graph reported for a ${raw.kind as string} node does not match the operation's result`,
        counterexample,
      };
    }
    rebuilt.push(node);
  }
  const output = rebuilt[rebuilt.length - 1];
  const reference = expectedMse.get(
    c,
    () => JSON.stringify(c),
    () => {
      const p = new Input(prediction.value);
      const t = new Input(target.value);
      const loss = referenceMse(p, t);
      loss.backward();
      return { value: loss.value, prediction: p.grad!, target: t.grad! };
    },
  );
  if (!sameShape(output.shape, reference.value.shape)) {
    return {
      ok: false,
      message: `mse(prediction, target) has shape [${output.shape.join(',')}], expected a scalar (shape [])`,
      counterexample: { ...counterexample, expected: reference.value.data[0], got: output.value.toNested() },
      diagnosis: 'mse-not-scalar',
      hint: `mse returned shape [${output.shape.join(',')}]; it must be a scalar (shape []): the mean over ALL elements, new ReduceMean(x) with no axes, for inputs of any shape.`,
    };
  }
  // The student's loss as a whole: its value and the gradients that flow through its graph.
  output.backward();
  const got: Answer = [output.value, prediction.grad ?? NDArray.zeros(prediction.shape), target.grad ?? NDArray.zeros(target.shape)];
  const right: Answer = [reference.value, reference.prediction, reference.target];
  if (fits(got, right, tolerance)) return { ok: true };
  if (!explain) return { ok: false, message: 'mse differs from the reference' };
  const models = LOSS_MISTAKES.map((mistake) => {
    const loss = mistake.loss(prediction.value, target.value);
    return { diagnosis: mistake.id, answer: loss && [NDArray.scalar(loss.value), loss.prediction, loss.target], mistake };
  });
  const confirmed = confirmedMistake(got, right, models, tolerance);
  const named = confirmed && { diagnosis: confirmed.mistake.id, hint: confirmed.mistake.hint };
  if (!matches(output.value, reference.value, tolerance)) {
    return {
      ok: false,
      message: `mse(prediction, target) is ${JSON.stringify(output.value.data[0])}, expected ${reference.value.data[0]}`,
      counterexample: { ...counterexample, expected: reference.value.data[0], got: output.value.data[0] },
      ...explained(named, whatDiffers('mse(prediction, target)', output.value, reference.value, tolerance)),
    };
  }
  for (const [k, name] of [
    [1, 'prediction'],
    [2, 'target'],
  ] as const) {
    const gradient = got[k] as NDArray;
    const verdict = compareArray(
      `dmse/d${name}`,
      { shape: [...gradient.shape], data: Array.from(gradient.data) },
      right[k] as NDArray,
      tolerance,
    );
    if (verdict.ok) continue;
    return {
      ok: false,
      message: `${verdict.message}: the value is right, the gradient through the graph is not`,
      counterexample: { ...counterexample, where: `dmse/d${name}`, expected: (right[k] as NDArray).toNested(), got: gradient.toNested() },
      ...explained(named, whatDiffers(`dmse/d${name}`, gradient, right[k]!, tolerance)),
    };
  }
  return { ok: true };
}
