/**
 * Q1(a)'s cases: probe graphs of the grader's own operations (../shared/probe-graph.ts), drawn in
 * four families, one arbitrary each: every leaf used once (`singleUse`); a tensor used twice, so
 * that its gradient accumulates (`reused`); diamonds with paths of different lengths, which need
 * a topological order (`diamond`); a deep chain with the seed rules (`chainAndSeed`). A family of
 * several kinds of graph puts its smallest first, where shrinking goes first. `graphRequest` is
 * what the child is sent for a case.
 */
import fc from 'fast-check';
import type { WireArray } from '../../../shared/protocol.js';
import type { ProbeNode } from '../shared/probe-graph.js';
import { arrayOf, upstreamOf } from './arbitraries.js';

/** One case of a Q1(a) check: the graph (its last node the output) and how backward() is called. */
export interface GraphCase {
  family: string;
  nodes: ProbeNode[];
  gradient?: WireArray;
  passes: number;
  /** The output is not a scalar and no gradient is given: backward must throw. */
  expectError?: boolean;
}

const leaf = (value: WireArray): ProbeNode => ({ op: 'leaf', value });

const shape2 = fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 }));
const factor = fc.integer({ min: 50, max: 200 }).map((k) => k / 100);

/** a, b, w used once each: sum(scale(matmul(a + b, w), c)). */
export const singleUse: fc.Arbitrary<GraphCase> = fc
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
export const reused: fc.Arbitrary<GraphCase> = shape2.chain(([n, m]) =>
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
export const diamond: fc.Arbitrary<GraphCase> = shape2.chain(([n, m]) =>
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
export const chainAndSeed: fc.Arbitrary<GraphCase> = fc.oneof(
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

/** What the child is sent for a case: the graph, how many passes, and the explicit gradient if any. */
export function graphRequest(c: GraphCase): Record<string, unknown> {
  return { nodes: c.nodes, passes: c.passes, ...(c.gradient ? { gradient: c.gradient } : {}) };
}
