/**
 * Q1(a): the student's Tensor.backward, on graphs of the grader's own probe operations (so
 * neither the student's nor the reference's ops.ts is involved). The parent builds the same graph
 * with the reference framework and compares every leaf's gradient.
 *
 * Graph families, one check each: every leaf used once; a tensor used twice (accumulation); a
 * diamond with paths of different lengths (topological order); a deep chain plus the seed rules
 * (scalar seeded with 1, explicit gradient for a non-scalar output, an error without one, and a
 * second backward() doubling the leaves' gradients).
 */
import fc from 'fast-check';
import { NDArray } from '@assignment-11/reference/src/ndarray.js';
import { Add, MatMul, Mul, ReduceMean } from '@assignment-11/reference/src/ops.js';
import { Input, Tensor, Variable } from '@assignment-11/reference/src/tensor.js';
import type { OracleResponse, WireArray } from '../../../shared/protocol.js';
import { buildProbeGraph, type ProbeMakers, type ProbeNode } from '../shared/probe-graph.js';
import type { Counterexample } from '../../../trusted/result.js';
import { arrayOf, upstreamOf } from './arbitraries.js';
import { readWireArray } from './wire-arrays.js';
import { compareArray, whereText } from './compare.js';
import { ExpectedCache, perCase } from './expected-cache.js';
import { explained, type CaseVerdict } from '../../../trusted/checks/case-verdict.js';
import { confirmedBackwardMistake } from './q1a-mistakes.js';
import { whatDiffers } from '../../../trusted/checks/what-differs.js';
import { graphReplay } from './replay/q1a-graph-replay.js';
import type { Tolerance } from '../../../trusted/checks/tolerance.js';

export interface GraphCase {
  family: string;
  nodes: ProbeNode[];
  gradient?: WireArray;
  passes: number;
  /** The output is not a scalar and no gradient is given: backward must throw. */
  expectError?: boolean;
}

const leaf = (value: WireArray): ProbeNode => ({ op: 'leaf', value });

/** The same probe graph, built with the reference framework. */
const REFERENCE_MAKERS: ProbeMakers<Tensor> = {
  leaf: (shape, data) => new Variable(new NDArray(shape, data)),
  plus: (a, b) => new Add(a, b),
  times: (a, b) => new Mul(a, b),
  matmul: (a, b) => new MatMul(a, b),
  scale: (x, factor) => new Mul(x, new Input(NDArray.scalar(factor))),
  sum: (x) => new Mul(new ReduceMean(x), new Input(NDArray.scalar(x.value.size))),
};

const shape2 = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }));
const factor = fc.integer({ min: 50, max: 200 }).map((k) => k / 100);

/** a, b, w used once each: sum(scale(matmul(a + b, w), c)). */
const singleUse: fc.Arbitrary<GraphCase> = fc
  .tuple(shape2, fc.integer({ min: 1, max: 3 }))
  .chain(([[n, m], k]) => fc.tuple(arrayOf([n, m]), arrayOf([n, m]), arrayOf([m, k]), factor))
  .map(([a, b, w, c]) => ({
    family: 'single-use',
    passes: 1,
    nodes: [
      leaf(a),
      leaf(b),
      leaf(w),
      { op: 'plus', args: [0, 1] },
      { op: 'matmul', args: [3, 2] },
      { op: 'scale', args: [4], factor: c },
      { op: 'sum', args: [5] },
    ],
  }));

/**
 * A tensor used twice: a leaf by one operation (x*x); an intermediate tensor by one operation
 * (r = x + x, then r*r, as mse squares its residual); a leaf by one operation twice and by another
 * ((x+x)*x); a leaf by three operations ((a*b + a*c) + a). The smallest graph is the first option,
 * which shrinking tries first (withCrossShrink), so that a failure shows on the smallest graph
 * that still fails.
 */
const reused: fc.Arbitrary<GraphCase> = shape2.chain(([n, m]) =>
  fc.oneof(
    { withCrossShrink: true },
    arrayOf([n, m]).map((x): GraphCase => ({
      family: 'reused-tensor',
      passes: 1,
      nodes: [leaf(x), { op: 'times', args: [0, 0] }, { op: 'sum', args: [1] }],
    })),
    {
      // An intermediate used twice by one operation: a pass that counts a tensor's uses per input
      // slot but counts down once per distinct input never gets to r. The leaf is used twice too,
      // so that assigning gradients and resetting r's gradient mid-pass give different answers.
      // A third of the cases.
      weight: 2,
      arbitrary: arrayOf([n, m]).map((x): GraphCase => ({
        family: 'reused-tensor',
        passes: 1,
        nodes: [leaf(x), { op: 'plus', args: [0, 0] }, { op: 'times', args: [1, 1] }, { op: 'sum', args: [2] }],
      })),
    },
    arrayOf([n, m]).map((x): GraphCase => ({
      family: 'reused-tensor',
      passes: 1,
      nodes: [leaf(x), { op: 'plus', args: [0, 0] }, { op: 'times', args: [1, 0] }, { op: 'sum', args: [2] }],
    })),
    {
      // (a*b + a*c) + a: the sums hand one upstream array to two tensors, which an in-place
      // accumulation would then change under the other's feet. A third of the cases, so that every seed has some.
      weight: 2,
      arbitrary: fc.tuple(arrayOf([n, m]), arrayOf([n, m]), arrayOf([n, m])).map(([a, b, c]): GraphCase => ({
        family: 'reused-tensor',
        passes: 1,
        nodes: [
          leaf(a),
          leaf(b),
          leaf(c),
          { op: 'times', args: [0, 1] },
          { op: 'times', args: [0, 2] },
          { op: 'plus', args: [3, 4] },
          { op: 'plus', args: [5, 0] },
          { op: 'sum', args: [6] },
        ],
      })),
    },
  ),
);

/**
 * Diamonds: the smallest one (first, where shrinking goes first), an intermediate tensor used by
 * the output directly and through paths of one and two more operations; x feeding a short and a
 * long path that meet again, with the meeting node reused; or tensors used both near the output
 * and at the bottom of a longer path (skip connections, one with each operand order of the sum).
 * Processing a tensor before all of its consumers (breadth-first, or on first reaching it
 * depth-first, whichever input first) fails on the first and the third: three cases in four.
 */
const diamond: fc.Arbitrary<GraphCase> = shape2.chain(([n, m]) =>
  fc.oneof(
    { withCrossShrink: true },
    { weight: 2, arbitrary: smallDiamond(n, m) },
    { weight: 1, arbitrary: diamondWithReuse(n, m) },
    { weight: 1, arbitrary: skipConnections(n, m) },
  ),
);

/**
 * sum((m + m*x) + m) with m = scale(x, f): m is the first operand of one sum and the second of the
 * other, and also one operation further down, so breadth-first order and a depth-first walk that
 * passes a gradient on when it first reaches a tensor (taking inputs first to last, or last to
 * first) all process m too early; x is used twice, so that assigning gradients and resetting m's
 * gradient mid-pass give different answers. dL/dx = 2f (1 + x), entry by entry.
 */
function smallDiamond(n: number, m: number): fc.Arbitrary<GraphCase> {
  return fc.tuple(arrayOf([n, m]), factor).map(([x, f]): GraphCase => ({
    family: 'diamond',
    passes: 1,
    nodes: [
      leaf(x),
      { op: 'scale', args: [0], factor: f }, // 1: m, used by 3 and 4 and, one operation further down, by 2
      { op: 'times', args: [1, 0] }, // 2: the longer path
      { op: 'plus', args: [1, 2] }, // 3: m first
      { op: 'plus', args: [3, 1] }, // 4: m second
      { op: 'sum', args: [4] },
    ],
  }));
}

function skipConnections(n: number, m: number): fc.Arbitrary<GraphCase> {
  return fc.tuple(arrayOf([n, m]), arrayOf([n, m]), factor, factor).map(([x, y, f, g]): GraphCase => ({
    family: 'diamond',
    passes: 1,
    nodes: [
      leaf(x),
      leaf(y),
      { op: 'scale', args: [0], factor: f }, // 2: used by 5 and, further down, by 3
      { op: 'times', args: [2, 1] }, // 3
      { op: 'scale', args: [3], factor: g }, // 4
      { op: 'plus', args: [2, 4] }, // 5: the short path first
      { op: 'scale', args: [1], factor: g }, // 6: used by 9 and, further down, by 7
      { op: 'times', args: [6, 0] }, // 7
      { op: 'scale', args: [7], factor: f }, // 8
      { op: 'plus', args: [8, 6] }, // 9: the short path second
      { op: 'plus', args: [5, 9] }, // 10
      { op: 'sum', args: [10] },
    ],
  }));
}

function diamondWithReuse(n: number, m: number): fc.Arbitrary<GraphCase> {
  return fc.tuple(arrayOf([n, m]), arrayOf([n, m]), factor, factor).map(([x, y, f, g]): GraphCase => ({
    family: 'diamond',
    passes: 1,
    nodes: [
      leaf(x),
      leaf(y),
      { op: 'scale', args: [0], factor: f }, // 2: short path
      { op: 'times', args: [0, 1] }, // 3: long path...
      { op: 'scale', args: [3], factor: g }, // 4
      { op: 'plus', args: [4, 1] }, // 5
      { op: 'plus', args: [2, 5] }, // 6: the paths meet
      { op: 'times', args: [6, 2] }, // 7: the short path is used again
      { op: 'sum', args: [7] },
    ],
  }));
}

/**
 * A deep chain ending in a non-scalar output, with an explicit upstream gradient and backward()
 * called twice (the leaves' gradients double); or a non-scalar output without a gradient, where
 * backward() must throw. Each is half the cases, so that every seed has both.
 */
const chainAndSeed: fc.Arbitrary<GraphCase> = fc.oneof(
  // The smaller graph first, where shrinking goes first.
  { withCrossShrink: true },
  fc.tuple(arrayOf([2, 2]), arrayOf([2, 2])).map(([a, b]): GraphCase => ({
    family: 'missing-gradient',
    passes: 1,
    expectError: true,
    nodes: [leaf(a), leaf(b), { op: 'times', args: [0, 1] }],
  })),
  // Chains of 1 to 160 operations, drawn uniformly (mostly long) and shrinking to 1.
  shape2.chain(([n, m]) =>
    fc
      .tuple(arrayOf([n, m]), arrayOf([n, m]), upstreamOf([n, m]), fc.noBias(fc.integer({ min: 1, max: 160 })))
      .map(([x, b, gradient, depth]): GraphCase => ({
        family: 'chain-and-seed',
        passes: 2,
        gradient,
        nodes: [leaf(x), leaf(b), { op: 'scale-chain', args: [0], factor: 1.001, depth }, { op: 'times', args: [2, 1] }],
      })),
  ),
);

export const GRAPH_FAMILIES: { check: string; arbitrary: fc.Arbitrary<GraphCase>; passedMessage: string }[] = [
  { check: 'single-use', arbitrary: singleUse, passedMessage: 'gradients of a graph whose leaves are each used once' },
  { check: 'reused-tensor', arbitrary: reused, passedMessage: 'a tensor used twice receives the sum of both contributions' },
  { check: 'diamond', arbitrary: diamond, passedMessage: 'diamond graphs: every tensor is processed after all its consumers' },
  {
    check: 'deep-chain-and-seed',
    arbitrary: chainAndSeed,
    passedMessage: 'deep chains, explicit upstream gradients, a second backward() and the error without a gradient',
  },
];

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

export function graphRequest(c: GraphCase): Record<string, unknown> {
  return { nodes: c.nodes, passes: c.passes, ...(c.gradient ? { gradient: c.gradient } : {}) };
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
