/**
 * Q1(a)'s judge: the verdict on the leaf gradients the child reports for one probe graph. The
 * parent builds the same graph with the reference framework (so neither the student's nor the
 * reference's ops.ts is involved), runs its backward pass as the case asks, and compares every
 * leaf's gradient. A known mistake (q1a-mistakes.ts) is named only when replaying it gives the
 * student's gradients and the case tells it apart (trusted/checks/confirmed-mistake.ts).
 */
import { NDArray } from '@assignment-11/reference/src/ndarray.js';
import { Add, MatMul, Mul, ReduceMean } from '@assignment-11/reference/src/ops.js';
import { Input, Tensor, Variable } from '@assignment-11/reference/src/tensor.js';
import type { OracleResponse, WireArray } from '../../../shared/protocol.js';
import { buildProbeGraph, type ProbeMakers } from '../shared/probe-graph.js';
import type { Counterexample } from '../../../trusted/result.js';
import { readWireArray } from './wire-arrays.js';
import { compareArray, whereText } from './compare.js';
import { ExpectedCache, perCase } from './expected-cache.js';
import { explained, type CaseVerdict } from '../../../trusted/checks/case-verdict.js';
import type { GraphCase } from './q1a-graph-cases.js';
import { confirmedBackwardMistake } from './q1a-mistakes.js';
import { whatDiffers } from '../../../trusted/checks/what-differs.js';
import { graphReplay } from './replay/q1a-graph-replay.js';
import type { Tolerance } from '../../../trusted/checks/tolerance.js';

/** The same probe graph, built with the reference framework. */
const REFERENCE_MAKERS: ProbeMakers<Tensor> = {
  leaf: (shape, data) => new Variable(new NDArray(shape, data)),
  plus: (a, b) => new Add(a, b),
  times: (a, b) => new Mul(a, b),
  matmul: (a, b) => new MatMul(a, b),
  scale: (x, factor) => new Mul(x, new Input(NDArray.scalar(factor))),
  sum: (x) => new Mul(new ReduceMean(x), new Input(NDArray.scalar(x.value.size))),
};

/** The description of each case, made once: every submission is judged on the same cases. */
const describeGraph = perCase(describeGraphNow);

function describeGraphNow(c: GraphCase): Counterexample {
  const leaves = c.nodes.flatMap((node, i) => (node.op === 'leaf' ? [[`leaf${i}`, node.value] as const] : []));
  const text = c.nodes
    .map((node, i) => {
      if (node.op === 'leaf') return `n${i} = leaf${formatShapeOf(node.value)}`;
      const args = node.args.map((a) => `n${a}`).join(', ');
      if (node.op === 'scale-chain') return `n${i} = scale(scale(...scale(${args}, ${node.factor})...)) (${node.depth} times)`;
      return `n${i} = ${node.op}(${args}${node.op === 'scale' ? `, ${node.factor}` : ''})`;
    })
    .slice(0, 12);
  if (c.nodes.length > 12) text.push(`... (${c.nodes.length} nodes)`);
  return {
    expression: `${text.join('; ')}; n${c.nodes.length - 1}.backward(${c.gradient ? 'gradient' : ''})${c.passes > 1 ? ` called ${c.passes} times` : ''}`,
    shapes: Object.fromEntries(leaves.map(([name, v]) => [name, v.shape])),
    inputs: Object.fromEntries([
      ...leaves.map(([name, v]) => [name, new NDArray(v.shape, v.data.map(Number)).toNested()]),
      ...(c.gradient ? [['gradient', new NDArray(c.gradient.shape, c.gradient.data.map(Number)).toNested()]] : []),
    ]),
    localReplay: graphReplay(c),
  };
}

function formatShapeOf(v: WireArray): string {
  return `[${v.shape.join(',')}]`;
}

const expectedLeafGradients = new ExpectedCache<{ index: number; grad: NDArray }[]>();

/** The verdict on one graph; `explain` false skips what only a failure shown needs (property.ts). */
export function judgeGraph(c: GraphCase, response: OracleResponse, tolerance: Tolerance, explain = true): CaseVerdict {
  const counterexample = describeGraph(c);
  if (c.expectError) {
    if ('error' in response) return { ok: true };
    return {
      ok: false,
      message:
        'backward() on a non-scalar output without a gradient must throw an error that says a gradient is needed; it returned normally',
      counterexample,
      diagnosis: 'missing-gradient-accepted',
      hint: 'Only a scalar (one element) can be seeded with 1; for any other output, backward() without a gradient should throw (the given check at the top of backward does this: keep it).',
    };
  }
  if ('error' in response) {
    return { ok: false, message: `backward() threw ${response.error.name}: ${response.error.message}`, counterexample };
  }
  const gradient = c.gradient ? new NDArray(c.gradient.shape, c.gradient.data.map(Number)) : undefined;
  const expectedLeaves = expectedLeafGradients.get(
    c,
    () => JSON.stringify(c),
    () => {
      const built = buildProbeGraph(c.nodes, REFERENCE_MAKERS);
      const output = built[built.length - 1];
      for (let pass = 0; pass < c.passes; pass++) output.backward(gradient);
      return c.nodes.flatMap((node, i) => (node.op === 'leaf' ? [{ index: i, grad: built[i].grad! }] : []));
    },
  );
  const got = (response.result as { leafGradients?: unknown })?.leafGradients;
  if (!Array.isArray(got) || got.length !== expectedLeaves.length)
    return { ok: false, message: 'the child did not report one gradient per leaf', counterexample };
  // A known mistake is named when replaying it gives these leaf gradients, and the case tells it apart
  // from the right ones and every other mistake; else the hint says what differs, never a cause.
  const arrays = got.map((g) => (g === null ? null : readWireArray(g)));
  const named = (differs?: string): Pick<CaseVerdict, 'diagnosis' | 'hint' | 'differs'> =>
    explain
      ? explained(
          confirmedBackwardMistake(
            c.nodes,
            gradient,
            c.passes,
            arrays,
            expectedLeaves.map((e) => e.grad),
            tolerance,
          ),
          differs,
        )
      : {};
  for (let k = 0; k < expectedLeaves.length; k++) {
    const expected = expectedLeaves[k].grad;
    const name = `dL/dleaf${expectedLeaves[k].index}`;
    if (got[k] === null) {
      return {
        ok: false,
        message: `${name} is null: backward() did not give this leaf a gradient`,
        counterexample: { ...counterexample, where: name },
        ...named(),
      };
    }
    const verdict = compareArray(name, got[k], expected, tolerance);
    if (!verdict.ok) {
      return {
        ok: false,
        message: verdict.message,
        counterexample: {
          ...counterexample,
          where: whereText(name, verdict),
          expected: expected.toNested(),
          got: verdict.array?.toNested() ?? null,
        },
        ...named(explain && verdict.array ? whatDiffers(name, verdict.array, expected, tolerance) : undefined),
      };
    }
  }
  return { ok: true };
}
