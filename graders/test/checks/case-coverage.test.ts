/**
 * The hidden checks draw from the whole of each documented contract, with values far above the
 * tolerance (docs/validity.md, "Coverage" and "Values far above the tolerance"): the cases each
 * check sends, sampled as property.ts samples them (the rubric's runs, on the rubric's seed and two
 * others), include what the doc comments allow beyond the reference's own needs, and fast-check
 * shrinks a failure of Q1(a) to the smallest graph of its family.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NDArray, broadcastShapes, sameShape } from '../../../reference/src/ndarray.js';
import { correlate2d } from '../../../reference/src/convolution-primitives.js';
import { assignment } from '../../src/assignments/assignment-11/index.js';
import { LIFTED_GRADIENT } from '../../src/assignments/assignment-11/trusted/arbitraries.js';
import { GRAPH_FAMILIES } from '../../src/assignments/assignment-11/trusted/q1a-backward.js';
import type { GraphCase } from '../../src/assignments/assignment-11/trusted/q1a-graph-cases.js';
import { OP_SPECS, type OpCase, type OpName } from '../../src/assignments/assignment-11/trusted/q1b-ops.js';
import { mseCaseArb } from '../../src/assignments/assignment-11/trusted/q1c-mse.js';
import type { ConvCase } from '../../src/assignments/assignment-11/trusted/q2-conv-cases.js';
import { numericalGradients } from '../../src/assignments/assignment-11/trusted/finite-difference.js';
import type { WireArray } from '../../src/shared/protocol.js';
import { loadRubric } from '../../src/trusted/load-rubric.js';

const rubric = loadRubric(assignment);
const SEEDS = [rubric.seed, 7, 4242];
const runsOf = (part: string): number => rubric.parts.find((p) => p.id === part)!.runs!;
const toArray = (a: WireArray): NDArray => new NDArray(a.shape, a.data.map(Number));

/** The cases of one check on every seed, as property.ts samples them. */
function casesOf<C>(arbitrary: fc.Arbitrary<C>, part: string): C[] {
  return SEEDS.flatMap((seed) => fc.sample(arbitrary, { seed, numRuns: runsOf(part) }));
}

/** The arbitrary of a registry part's property check, as graded. */
function registryArbitrary(part: string, check: string): fc.Arbitrary<unknown> {
  const definition = assignment.parts.find((p) => p.id === part)!;
  return definition.properties!(rubric.tolerance).find((p) => p.id === check)!.property.arbitrary;
}

describe('Q2: any stride, non-square images and kernels, kernels up to the image', () => {
  const strided = casesOf(registryArbitrary('Q2.kernel', 'strided') as fc.Arbitrary<ConvCase>, 'Q2.kernel');
  const unit = casesOf(registryArbitrary('Q2.kernel', 'stride-1') as fc.Arbitrary<ConvCase>, 'Q2.kernel');
  const leftOver = (c: ConvCase, axis: 0 | 1): number => (c.image.shape[axis] - c.kernel.shape[axis]) % c.stride;

  it('draws strides 2, 3 and 4 in the strided check, and only 1 in the other', () => {
    expect(new Set(strided.map((c) => c.stride))).toEqual(new Set([2, 3, 4]));
    expect(new Set(unit.map((c) => c.stride))).toEqual(new Set([1]));
  });

  it('has (H - kh) a multiple of the stride, and not, by 1 and by 2 or more', () => {
    for (const axis of [0, 1] as const) {
      expect(strided.some((c) => leftOver(c, axis) === 0)).toBe(true);
      expect(strided.some((c) => leftOver(c, axis) === 1)).toBe(true);
      expect(strided.some((c) => leftOver(c, axis) >= 2)).toBe(true);
    }
  });

  it('has non-square kernels and images, kernels as large as the image, and output sizes that fit', () => {
    for (const cases of [strided, unit]) {
      expect(cases.some((c) => c.kernel.shape[0] !== c.kernel.shape[1])).toBe(true);
      expect(cases.some((c) => c.image.shape[0] !== c.image.shape[1])).toBe(true);
      expect(cases.some((c) => c.kernel.shape[0] === c.image.shape[0] && c.kernel.shape[1] === c.image.shape[1])).toBe(true);
      expect(Math.max(...cases.map((c) => c.kernel.shape[0]))).toBeGreaterThanOrEqual(4);
      for (const c of cases) expect(correlate2d(toArray(c.image), toArray(c.kernel), c.stride).shape).toEqual(c.upstream.shape);
    }
  });
});

describe('Q1(b): broadcasting in both operands, every reduction, Sigmoid over [-10, 10]', () => {
  const resultShape = (c: OpCase): number[] => [...broadcastShapes(c.inputs[0].shape, c.inputs[1].shape)];

  it.each(['Add', 'Mul'] as const)("%s: neither, either or both operands of the result's shape, ranks from 0 to 3 either way", (op) => {
    const cases = casesOf(OP_SPECS[op].arbitrary, `Q1b.${op}`);
    const [a, b] = [(c: OpCase) => c.inputs[0].shape, (c: OpCase) => c.inputs[1].shape];
    expect(cases.some((c) => !sameShape(a(c), resultShape(c)) && !sameShape(b(c), resultShape(c)))).toBe(true);
    expect(cases.some((c) => a(c).length === 1 && b(c).length === 3)).toBe(true);
    expect(cases.some((c) => b(c).length === 1 && a(c).length === 3)).toBe(true);
    expect(cases.some((c) => a(c).length === 0 && b(c).length > 0)).toBe(true);
    expect(cases.some((c) => b(c).length === 0 && a(c).length > 0)).toBe(true);
    expect(cases.some((c) => sameShape(a(c), b(c)))).toBe(true);
  });

  it('ReduceMean: a scalar input, axes omitted, and proper subsets of the axes', () => {
    const cases = casesOf(OP_SPECS.ReduceMean.arbitrary, 'Q1b.ReduceMean');
    expect(cases.some((c) => c.inputs[0].shape.length === 0)).toBe(true);
    expect(cases.some((c) => c.axes === undefined && c.inputs[0].shape.length > 1)).toBe(true);
    expect(cases.some((c) => c.axes !== undefined && c.axes.length < c.inputs[0].shape.length)).toBe(true);
    expect(cases.some((c) => c.inputs[0].shape.length === 3 && c.axes?.length === 2)).toBe(true);
  });

  it('Sigmoid: x beyond |x| = 9, and every expected gradient entry at least LIFTED_GRADIENT / 2 (the upstream lifted)', () => {
    const cases = casesOf(OP_SPECS.Sigmoid.arbitrary, 'Q1b.Sigmoid');
    const x = cases.flatMap((c) => c.inputs[0].data.map(Number));
    expect(Math.max(...x.map(Math.abs))).toBeGreaterThan(9);
    expect(x.filter((v) => Math.abs(v) > 5).length / x.length).toBeGreaterThan(0.3);
    for (const c of cases) {
      c.inputs[0].data.forEach((v, i) => {
        const s = 1 / (1 + Math.exp(-Number(v)));
        expect(Math.abs(Number(c.upstream.data[i]) * s * (1 - s))).toBeGreaterThanOrEqual(LIFTED_GRADIENT / 2);
      });
    }
  });
});

describe('values far above atol', () => {
  const { atol } = rubric.tolerance;

  it('no upstream gradient entry of Q1(b), Q1(a) or Q2 is below 0.5 in magnitude', () => {
    const upstreams: WireArray[] = [
      ...(['ReduceMean', 'Add', 'Mul', 'MatMul', 'ReLU', 'Sigmoid'] as OpName[]).flatMap((op) =>
        casesOf(OP_SPECS[op].arbitrary, `Q1b.${op}`).map((c) => c.upstream),
      ),
      ...casesOf(GRAPH_FAMILIES.find((f) => f.check === 'deep-chain-and-seed')!.arbitrary, 'Q1a').flatMap((c) =>
        c.gradient ? [c.gradient] : [],
      ),
      ...casesOf(registryArbitrary('Q2.kernel', 'strided') as fc.Arbitrary<ConvCase>, 'Q2.kernel').map((c) => c.upstream),
    ];
    for (const upstream of upstreams) for (const u of upstream.data) expect(Math.abs(Number(u))).toBeGreaterThanOrEqual(0.5);
  });

  it.each(['ReduceMean', 'Add', 'Mul', 'MatMul', 'Sigmoid'] as const)(
    '%s: 99 in 100 of the expected gradient entries are above 100 atol',
    (op) => {
      const spec = OP_SPECS[op];
      const entries = casesOf(spec.arbitrary, `Q1b.${op}`).flatMap((c) => {
        const inputs = c.inputs.map(toArray);
        return numericalGradients((xs) => spec.forward(xs, c.axes), inputs, toArray(c.upstream), rubric.tolerance.step).flatMap((g) => [
          ...g.data,
        ]);
      });
      expect(entries.filter((e) => Math.abs(e) > 100 * atol).length / entries.length).toBeGreaterThan(0.99);
    },
  );

  it('Q2: 99 in 100 of the expected gradient entries of V that an output reached, and of K, are above 100 atol', () => {
    const entries = casesOf(registryArbitrary('Q2.kernel', 'strided') as fc.Arbitrary<ConvCase>, 'Q2.kernel').flatMap((c) => {
      const [dV, dK] = numericalGradients(
        ([v, k]) => correlate2d(v, k, c.stride),
        [toArray(c.image), toArray(c.kernel)],
        toArray(c.upstream),
        rubric.tolerance.step,
      );
      // Entries of V under no window (between windows, or left over) are 0 by right; the others count.
      const reached = [...dV.data].filter((_, i) => isUnderAWindow(c, Math.floor(i / c.image.shape[1]), i % c.image.shape[1]));
      return [...reached, ...dK.data];
    });
    expect(entries.filter((e) => Math.abs(e) > 100 * atol).length / entries.length).toBeGreaterThan(0.99);
  });

  it('mse: a scalar case, and prediction and target apart by 0.25 or more in every entry', () => {
    const cases = casesOf(mseCaseArb, 'Q1c');
    expect(cases.some((c) => c.prediction.shape.length === 0)).toBe(true);
    expect(cases.some((c) => c.prediction.shape.length === 3)).toBe(true);
    for (const c of cases)
      c.prediction.data.forEach((p, i) => expect(Math.abs(Number(p) - Number(c.target.data[i]))).toBeGreaterThanOrEqual(0.25 - 1e-9));
  });
});

/** Whether V[p][q] lies under some window of the strided convolution. */
function isUnderAWindow(c: ConvCase, p: number, q: number): boolean {
  const within = (index: number, axis: 0 | 1): boolean => {
    const outputs = c.upstream.shape[axis];
    for (let i = 0; i < outputs; i++) if (index >= c.stride * i && index < c.stride * i + c.kernel.shape[axis]) return true;
    return false;
  };
  return within(p, 0) && within(q, 1);
}

describe('Q1(a): reuse within one operation, diamonds, and shrinking to the smallest graph', () => {
  const family = (check: string): fc.Arbitrary<GraphCase> => GRAPH_FAMILIES.find((f) => f.check === check)!.arbitrary;

  it('reuses an intermediate tensor twice in one operation (r = x + x; r * r)', () => {
    const cases = casesOf(family('reused-tensor'), 'Q1a');
    const reusedIntermediate = (c: GraphCase): boolean =>
      c.nodes.some((node) => node.op === 'times' && node.args[0] === node.args[1] && c.nodes[node.args[0]].op !== 'leaf');
    expect(cases.filter(reusedIntermediate).length).toBeGreaterThan(SEEDS.length * 5);
  });

  it.each([
    ['reused-tensor', 3],
    ['diamond', 6],
  ])('a failure of %s shrinks to a graph of %i nodes', (check, nodes) => {
    for (const seed of SEEDS) {
      // A check that fails on every case: the counterexample is where shrinking ends.
      const details = fc.check(
        fc.property(family(check), () => false),
        { seed, numRuns: runsOf('Q1a') },
      );
      expect((details.counterexample?.[0] as GraphCase | undefined)?.nodes.length, `seed ${seed}`).toBe(nodes);
    }
  });
});
