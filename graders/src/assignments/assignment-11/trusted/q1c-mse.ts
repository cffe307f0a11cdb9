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
import { arrayOf, nonEmptyShapeArb } from './arbitraries.js';
import { compareArray, matches } from './compare.js';
import { ExpectedCache, perCase } from './expected-cache.js';
import type { CaseVerdict } from '../../../trusted/checks/property.js';
import type { Tolerance } from '../../../trusted/checks/tolerance.js';

export interface MseCase {
  prediction: WireArray;
  target: WireArray;
}

export const mseCaseArb: fc.Arbitrary<MseCase> = nonEmptyShapeArb.chain((shape) => fc.record({ prediction: arrayOf(shape), target: arrayOf(shape) }));

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

const VALUE_MISTAKES: { id: string; hint: string; value: (p: NDArray, t: NDArray) => number }[] = [
  {
    id: 'mse-no-mean',
    hint: 'mse is the MEAN of the squared residuals; you summed them. Finish with ReduceMean.',
    value: (p, t) => p.data.reduce((s, v, i) => s + (v - t.data[i]) ** 2, 0),
  },
  {
    id: 'mse-residual-sign',
    hint: 'The residual is prediction - target: negate the target (Neg) before adding; you added them.',
    value: (p, t) => p.data.reduce((s, v, i) => s + (v + t.data[i]) ** 2, 0) / p.size,
  },
  {
    id: 'mse-halved',
    hint: 'mse here is the plain mean of the squared residuals, without a factor 1/2 (some textbooks use one to simplify the gradient; this assignment does not).',
    value: (p, t) => p.data.reduce((s, v, i) => s + (v - t.data[i]) ** 2, 0) / p.size / 2,
  },
  {
    id: 'mse-not-squared',
    hint: 'Square the residual (multiply it by itself with Mul) before taking the mean.',
    value: (p, t) => p.data.reduce((s, v, i) => s + (v - t.data[i]), 0) / p.size,
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
  };
}

const expectedMse = new ExpectedCache<{ value: NDArray; prediction: NDArray; target: NDArray }>();

export function judgeMse(c: MseCase, response: OracleResponse, tolerance: Tolerance): CaseVerdict {
  const counterexample = describe(c);
  if ('error' in response) return { ok: false, message: `mse threw ${response.error.name}: ${response.error.message}`, counterexample };
  const prediction = new Input(new NDArray(c.prediction.shape, c.prediction.data.map(Number)));
  const target = new Input(new NDArray(c.target.shape, c.target.data.map(Number)));
  const nodes = (response.result as { nodes?: unknown })?.nodes;
  if (!Array.isArray(nodes) || nodes.length === 0) return { ok: false, message: 'mse returned no graph', counterexample };

  // Rebuild the student's graph with the reference classes, in the child's (topological) order.
  const rebuilt: Tensor[] = [];
  for (const [i, raw] of Array.from(nodes, readNode).entries()) {
    const inputs = Array.isArray(raw.inputs) ? raw.inputs.map((k: unknown) => (Number.isInteger(k) && (k as number) >= 0 && (k as number) < i ? rebuilt[k as number] : undefined)) : [];
    const axesOk = raw.axes === undefined || (Array.isArray(raw.axes) && raw.axes.every((axis) => Number.isInteger(axis)));
    if (inputs.some((x) => x === undefined) || !axesOk) return { ok: false, message: 'mse returned a malformed graph', counterexample };
    const reported = readWireArray(raw.value);
    const operation = typeof raw.kind === 'string' ? OPS.get(raw.kind) : undefined;
    let node: Tensor;
    if (raw.kind === 'prediction') node = prediction;
    else if (raw.kind === 'target') node = target;
    else if (raw.kind === 'constant' && reported) node = new Input(reported);
    else if (operation) {
      try {
        node = operation(inputs as Tensor[], raw.axes as number[] | undefined);
      } catch (error) {
        return { ok: false, message: `mse built ${raw.kind as string} on inputs it cannot take: ${textOf((error as Error).message, 500)}`, counterexample };
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
      return { ok: false, message: `the value the graph reported for a ${raw.kind as string} node does not match the operation's result`, counterexample };
    }
    rebuilt.push(node);
  }
  const output = rebuilt[rebuilt.length - 1];
  const reference = expectedMse.get(c, () => JSON.stringify(c), () => {
    const p = new Input(prediction.value);
    const t = new Input(target.value);
    const loss = referenceMse(p, t);
    loss.backward();
    return { value: loss.value, prediction: p.grad!, target: t.grad! };
  });
  const expected = { value: reference.value, shape: reference.value.shape };
  if (!sameShape(output.shape, expected.shape) || !matches(output.value, expected.value, tolerance)) {
    const got = output.value.size === 1 ? output.value.data[0] : output.value.toNested();
    // A value mistake is named only when no other one gives the same value on this case.
    const fitting = VALUE_MISTAKES.filter((m) => output.value.size === 1 && Math.abs(m.value(prediction.value, target.value) - output.value.data[0]) <= tolerance.atol + tolerance.rtol * Math.abs(output.value.data[0]));
    const named = !sameShape(output.shape, expected.shape)
      ? {
          diagnosis: 'mse-not-scalar',
          hint: `mse returned shape [${output.shape.join(',')}]; it must be a scalar (shape []): the mean over ALL elements, new ReduceMean(x) with no axes, for inputs of any shape.`,
        }
      : fitting.length === 1
        ? { diagnosis: fitting[0].id, hint: fitting[0].hint }
        : {};
    return {
      ok: false,
      message: `mse(prediction, target) is ${JSON.stringify(got)}, expected ${expected.value.data[0]} (a scalar)`,
      counterexample: { ...counterexample, expected: expected.value.data[0], got },
      ...named,
    };
  }
  // The value is right; now the gradient must flow to both inputs through the graph.
  output.backward();
  for (const [name, leaf] of [['prediction', prediction], ['target', target]] as const) {
    const exp = reference[name];
    const got = leaf.grad ?? NDArray.zeros(leaf.shape);
    const verdict = compareArray(`dmse/d${name}`, { shape: [...got.shape], data: Array.from(got.data) }, exp, tolerance);
    if (!verdict.ok) {
      return {
        ok: false,
        message: `${verdict.message}: the value is right but the gradient does not flow through the graph`,
        counterexample: { ...counterexample, where: `dmse/d${name}`, expected: exp.toNested(), got: got.toNested() },
        diagnosis: 'mse-detached',
        hint: 'mse must be built from tensors and operations all the way: computing the residual on NDArrays (or wrapping a result in a new Input) cuts the graph, and no gradient reaches the prediction.',
      };
    }
  }
  return { ok: true };
}
