/**
 * Every judge is total: whatever answer the child sends, it returns a verdict and never throws.
 * An answer passes only the envelope's schema before it reaches a judge (answer.ts: `result` is
 * any JSON), so each judge is fed fast-check's `anything` with every option, wrong shapes and
 * kinds, prototype keys as field names and values, huge and non-finite numbers, deep nesting,
 * well-formed arrays of the wrong shape, and answers that are right but for one field (so that
 * the deepest paths of each judge, its recognition of known mistakes, are reached too).
 */
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NDArray } from '../../../reference/src/ndarray.js';
import { correlate2d } from '../../../reference/src/convolution-primitives.js';
import { Add, Mul, Neg, ReduceMean } from '../../../reference/src/ops.js';
import { Input, type Tensor } from '../../../reference/src/tensor.js';
import type { OracleResponse, WireArray } from '../../src/shared/protocol.js';
import { toWireArray } from '../../src/assignments/assignment-11/trusted/wire-arrays.js';
import type { CaseVerdict } from '../../src/trusted/checks/case-verdict.js';
import { GRAPH_FAMILIES } from '../../src/assignments/assignment-11/trusted/q1a-backward.js';
import type { GraphCase } from '../../src/assignments/assignment-11/trusted/q1a-graph-cases.js';
import { judgeGraph } from '../../src/assignments/assignment-11/trusted/q1a-judge.js';
import { judgeOp } from '../../src/assignments/assignment-11/trusted/q1b-judge.js';
import { OP_SPECS, type OpCase, type OpName } from '../../src/assignments/assignment-11/trusted/q1b-ops.js';
import { judgeMse, mseCaseArb, type MseCase } from '../../src/assignments/assignment-11/trusted/q1c-mse.js';
import { judgeRegression } from '../../src/assignments/assignment-11/trusted/q1d-regression.js';
import { primitiveCalls } from '../../src/assignments/assignment-11/trusted/q2-conv.js';
import { convCaseArb, type ConvCase } from '../../src/assignments/assignment-11/trusted/q2-conv-cases.js';
import { convNotImplemented, judgeConv } from '../../src/assignments/assignment-11/trusted/q2-conv-judge.js';
import { gradeQ3 } from '../../src/assignments/assignment-11/trusted/q3-by-hand.js';
import { assignment } from '../../src/assignments/assignment-11/index.js';
import { loadRubric } from '../../src/trusted/load-rubric.js';

const { tolerance } = loadRubric(assignment);
const RUNS = 300;

const PROTOTYPE_KEYS = ['__proto__', 'constructor', 'toString', 'valueOf', 'hasOwnProperty', 'prototype', '__defineGetter__'];
const FIELD_NAMES = ['shape', 'data', 'value', 'gradients', 'leafGradients', 'nodes', 'kind', 'inputs', 'axes', 'kernel', 'image'];
FIELD_NAMES.push('gradient', 'error', 'name', 'message', 'part', 'calls', 'weight', 'bias', 'losses');

const extremeNumber = fc.oneof(
  fc.double(),
  fc.constantFrom(Number.MAX_VALUE, -Number.MAX_VALUE, 1.7e308, -1.7e308, Number.MIN_VALUE, -0, 2 ** 53, 1e-320),
  fc.constantFrom(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.NaN),
);

/** Nested lists or objects thousands of levels deep. */
const deeplyNested = fc.tuple(fc.integer({ min: 100, max: 5000 }), fc.boolean()).map(([depth, asObject]) => {
  let value: unknown = 1;
  for (let i = 0; i < depth; i++) value = asObject ? { value } : [value];
  return value;
});

/** Any value at all: every option of fast-check's `anything`, with prototype keys and the answers' own field names as keys. */
const anything: fc.Arbitrary<unknown> = fc.oneof(
  {
    weight: 6,
    arbitrary: fc.anything({
      key: fc.oneof(fc.string(), fc.constantFrom(...PROTOTYPE_KEYS, ...FIELD_NAMES)),
      maxDepth: 4,
      withBoxedValues: true,
      withMap: true,
      withSet: true,
      withObjectString: true,
      withNullPrototype: true,
      withBigInt: true,
      withDate: true,
      withTypedArray: true,
      withSparseArray: true,
      withUnicodeString: true,
    }),
  },
  { weight: 1, arbitrary: fc.constantFrom<unknown>(...PROTOTYPE_KEYS, ...FIELD_NAMES) },
  { weight: 1, arbitrary: extremeNumber },
  { weight: 1, arbitrary: deeplyNested },
  // What JSON itself makes of prototype keys: own properties named __proto__ or constructor.
  {
    weight: 1,
    arbitrary: fc
      .constantFrom(...PROTOTYPE_KEYS)
      .map((key) => JSON.parse(`{"${key}": {"shape": [1], "data": [1], "toString": 1, "valueOf": 1}}`) as unknown),
  },
  { weight: 1, arbitrary: fc.constant<unknown>({ toString: 1, valueOf: 1 }) },
);

const sizeOf = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** A well-formed wire array of `shape`, with any numbers (null is how JSON sends NaN and infinities). */
const wireArrayOf = (shape: readonly number[]): fc.Arbitrary<WireArray> =>
  fc
    .array(fc.oneof(extremeNumber, fc.integer({ min: -3, max: 3 }), fc.constant(null)), {
      minLength: sizeOf(shape),
      maxLength: sizeOf(shape),
    })
    .map((data) => ({ shape: [...shape], data }));

const anyShape = fc.array(fc.integer({ min: 0, max: 4 }), { maxLength: 4 });

/** Arrays that are not well-formed: a shape that does not match the data, negative or fractional lengths, extra fields. */
const malformedArray: fc.Arbitrary<unknown> = fc.oneof(
  fc.record({ shape: anything, data: anything }),
  fc.record({
    shape: fc.array(fc.oneof(fc.integer({ min: -3, max: 3 }), extremeNumber, fc.constant(1e6), fc.constant(2 ** 31)), { maxLength: 9 }),
    data: fc.array(extremeNumber, { maxLength: 8 }),
  }),
  anyShape.chain(wireArrayOf).map((array) => ({ ...array, extra: 1 })),
  anyShape.chain(wireArrayOf).map((array) => ({ shape: array.shape })),
);

/** Where a judge expects an array: one of `shapes` (the case's own, often the wrong one), any shape, a malformed one, or anything. */
const arrayish = (shapes: readonly (readonly number[])[]): fc.Arbitrary<unknown> =>
  fc.oneof(
    { weight: 4, arbitrary: fc.constantFrom(...shapes).chain(wireArrayOf) },
    { weight: 1, arbitrary: anyShape.chain(wireArrayOf) },
    { weight: 1, arbitrary: malformedArray },
    { weight: 1, arbitrary: anything },
  );

/** An error as the envelope's schema lets it through: strings of a bounded length. */
const errorResponse: fc.Arbitrary<OracleResponse> = fc
  .record(
    {
      name: fc.oneof(fc.constantFrom('NotImplemented', 'ShapeError', 'TypeError', ...PROTOTYPE_KEYS), fc.string({ maxLength: 200 })),
      message: fc.oneof(fc.constantFrom(...PROTOTYPE_KEYS), fc.string({ maxLength: 200 })),
      part: fc.string({ maxLength: 200 }),
    },
    { requiredKeys: ['name', 'message'] },
  )
  .map((error) => ({ error }));

/** A response: mostly a `result` made by `result`, sometimes an error. */
const responseOf = (result: fc.Arbitrary<unknown>): fc.Arbitrary<OracleResponse> =>
  fc.oneof({ weight: 5, arbitrary: result.map((value) => ({ result: value })) }, { weight: 1, arbitrary: errorResponse });

/** `answer` with some of its fields replaced by `replacement`'s (absent there: removed). */
function withFieldsOf(
  answer: Record<string, unknown>,
  replacement: Record<string, unknown>,
  fields: readonly string[],
): Record<string, unknown> {
  const changed = { ...answer };
  for (const field of fields) {
    if (field in replacement) changed[field] = replacement[field];
    else delete changed[field];
  }
  return changed;
}

const toArray = (array: WireArray) => new NDArray(array.shape, array.data.map(Number));

function expectVerdict(verdict: unknown): void {
  expect(verdict).toBeTypeOf('object');
  const v = verdict as CaseVerdict & Record<string, unknown>;
  expect(v.ok).toBeTypeOf('boolean');
  for (const field of ['message', 'hint', 'diagnosis'] as const) {
    if (v[field] !== undefined) {
      expect(v[field]).toBeTypeOf('string');
      expect((v[field] as string).length).toBeLessThanOrEqual(6000);
    }
  }
  if (!v.ok) expect(v.message).toBeTypeOf('string');
  // The verdict goes into results.json: it must be plain data.
  expect(() => JSON.stringify(verdict)).not.toThrow();
}

describe('Q1(a) judgeGraph', () => {
  function graphAnswer(c: GraphCase): fc.Arbitrary<unknown> {
    const leafShapes = c.nodes.flatMap((node) => (node.op === 'leaf' ? [node.value.shape] : []));
    const shapes = [...leafShapes, ...leafShapes.map((shape) => [...shape].reverse()), [], [1]];
    const gradient = fc.oneof(fc.constant(null), arrayish(shapes));
    return fc.oneof(
      { weight: 4, arbitrary: fc.tuple(...leafShapes.map(() => gradient)).map((leafGradients) => ({ leafGradients })) },
      { weight: 1, arbitrary: fc.array(gradient, { maxLength: 6 }).map((leafGradients) => ({ leafGradients })) },
      // Holes, which JSON never makes but a judge must not trip over either.
      { weight: 1, arbitrary: fc.constant(null).map(() => ({ leafGradients: new Array(leafShapes.length) })) },
      { weight: 1, arbitrary: anything },
    );
  }

  it.each(GRAPH_FAMILIES.map((family) => [family.check, family] as const))('%s: a verdict for any answer', (_name, family) => {
    const cases = family.arbitrary.chain((c) => fc.tuple(fc.constant(c), responseOf(graphAnswer(c))));
    fc.assert(
      fc.property(cases, ([c, response]) => expectVerdict(judgeGraph(c, response, tolerance))),
      { numRuns: RUNS },
    );
  });
});

describe('Q1(b) judgeOp', () => {
  function opAnswer(op: OpName, c: OpCase): fc.Arbitrary<unknown> {
    const spec = OP_SPECS[op];
    const inputs = c.inputs.map(toArray);
    const upstream = toArray(c.upstream);
    const value = toWireArray(spec.forward(inputs, c.axes));
    // The arrays of known mistakes (so that recognising them runs), the upstream gradient itself.
    const known: WireArray[] = [c.upstream];
    for (const model of spec.mistakes.flatMap((mistake) => mistake.models)) {
      try {
        for (const gradient of model(inputs, upstream, c.axes)) if (gradient) known.push(toWireArray(gradient));
      } catch {
        // A mistake that does not apply to this case.
      }
    }
    const shapes = [...c.inputs.map((a) => a.shape), c.upstream.shape, ...c.inputs.map((a) => [...a.shape].reverse()), [1]];
    const gradient = fc.oneof({ weight: 3, arbitrary: arrayish(shapes) }, { weight: 2, arbitrary: fc.constantFrom(...known) });
    const gradients = fc.oneof(
      { weight: 4, arbitrary: fc.tuple(...c.inputs.map(() => gradient)) },
      { weight: 1, arbitrary: fc.array(gradient, { maxLength: 3 }) },
      { weight: 1, arbitrary: anything },
    );
    const forward = fc.oneof({ weight: 4, arbitrary: fc.constant(value) }, { weight: 1, arbitrary: arrayish([value.shape]) });
    return fc.oneof(
      { weight: 5, arbitrary: fc.record({ value: forward, gradients }, { requiredKeys: [] }) },
      { weight: 1, arbitrary: anything },
    );
  }

  it.each(Object.keys(OP_SPECS) as OpName[])('%s: a verdict for any answer', (op) => {
    const cases = OP_SPECS[op].arbitrary.chain((c) => fc.tuple(fc.constant(c), responseOf(opAnswer(op, c))));
    fc.assert(
      fc.property(cases, ([c, response]) => expectVerdict(judgeOp(op, c, response, tolerance))),
      { numRuns: RUNS },
    );
  });

  it('names the mistake of a gradient shaped like the upstream in an op that does not broadcast (ReduceMean returning [upstream])', () => {
    const c: OpCase = { inputs: [{ shape: [2, 3], data: [1, 2, 3, 4, 5, 6] }], upstream: { shape: [3], data: [1, -1, 2] }, axes: [0] };
    const value = toWireArray(OP_SPECS.ReduceMean.forward([toArray(c.inputs[0])], c.axes));
    const verdict = judgeOp('ReduceMean', c, { result: { value, gradients: [c.upstream] } }, tolerance);
    expect(verdict).toMatchObject({ ok: false, diagnosis: 'mean-not-broadcast', message: 'dL/dx has shape [3], expected [2,3]' });
  });
});

describe('Q1(c) judgeMse', () => {
  const OPERATIONS = ['ReduceMean', 'Add', 'Mul', 'MatMul', 'ReLU', 'Sigmoid', 'Neg', 'Sqrt'];
  const KINDS = ['prediction', 'target', 'constant', ...OPERATIONS, 'unknown operation constructor', ...PROTOTYPE_KEYS];

  /** The graph the reference mse builds, described as the child describes it. */
  function referenceGraph(c: MseCase): Record<string, unknown>[] {
    const prediction = new Input(toArray(c.prediction));
    const target = new Input(toArray(c.target));
    const negated = new Neg(target);
    const residual = new Add(prediction, negated);
    const squared = new Mul(residual, residual);
    const loss = new ReduceMean(squared);
    const node = (kind: string, tensor: Tensor, inputs: number[]) => ({ kind, inputs, value: toWireArray(tensor.value) });
    return [
      node('prediction', prediction, []),
      node('target', target, []),
      node('Neg', negated, [1]),
      node('Add', residual, [0, 2]),
      node('Mul', squared, [3, 3]),
      node('ReduceMean', loss, [4]),
    ];
  }

  function mseAnswer(c: MseCase): fc.Arbitrary<unknown> {
    const graph = referenceGraph(c);
    const node = fc.record(
      {
        kind: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...KINDS) }, { weight: 1, arbitrary: anything }),
        inputs: fc.oneof(fc.array(fc.integer({ min: -1, max: 7 }), { maxLength: 3 }), anything),
        value: arrayish([c.prediction.shape, [], [1]]),
        axes: fc.oneof(fc.array(fc.integer({ min: -3, max: 3 }), { maxLength: 3 }), fc.array(extremeNumber, { maxLength: 2 }), anything),
      },
      { requiredKeys: [] },
    );
    const fields = fc.subarray(['kind', 'inputs', 'value', 'axes'], { minLength: 1 });
    // The right graph with one node changed, replaced by anything, or a node added.
    const change = fc.tuple(fc.nat({ max: graph.length - 1 }), node, fields, anything, fc.nat({ max: 2 }));
    const oneNodeChanged = change.map(([i, replacement, changed, other, how]) => {
      const nodes: unknown[] = [...graph];
      if (how === 0) nodes[i] = withFieldsOf(graph[i], replacement as Record<string, unknown>, changed);
      else if (how === 1) nodes[i] = other;
      else nodes.push(replacement);
      return { nodes };
    });
    return fc.oneof(
      { weight: 4, arbitrary: oneNodeChanged },
      { weight: 1, arbitrary: fc.array(fc.oneof(node, anything), { maxLength: 8 }).map((nodes) => ({ nodes })) },
      {
        weight: 1,
        arbitrary: fc.nat({ max: graph.length - 1 }).map((hole) => {
          const nodes: unknown[] = [...graph];
          delete nodes[hole];
          return { nodes };
        }),
      },
      { weight: 1, arbitrary: anything },
    );
  }

  it('a verdict for any answer', () => {
    const cases = mseCaseArb.chain((c) => fc.tuple(fc.constant(c), responseOf(mseAnswer(c))));
    fc.assert(
      fc.property(cases, ([c, response]) => expectVerdict(judgeMse(c, response, tolerance))),
      { numRuns: RUNS },
    );
  });

  it.each(PROTOTYPE_KEYS)('a node of kind "%s" is an operation ops.ts does not have', (kind) => {
    const c: MseCase = { prediction: { shape: [2], data: [1, 2] }, target: { shape: [2], data: [0, 1] } };
    const graph = referenceGraph(c);
    graph[2] = { ...graph[2], kind };
    const verdict = judgeMse(c, JSON.parse(JSON.stringify({ result: { nodes: graph } })) as OracleResponse, tolerance);
    expect(verdict).toMatchObject({ ok: false, diagnosis: 'mse-not-from-ops' });
  });
});

describe('Q2 judgeConv', () => {
  function convAnswer(c: ConvCase): fc.Arbitrary<unknown> {
    const value = toWireArray(correlate2d(toArray(c.image), toArray(c.kernel), c.stride));
    const shapes = [c.image.shape, c.kernel.shape, c.upstream.shape, value.shape];
    const nestedError = fc.record(
      { name: anything, message: fc.oneof(fc.string({ maxLength: 200 }), anything), part: anything },
      { requiredKeys: [] },
    );
    const gradient = fc.oneof(
      {
        weight: 3,
        arbitrary: fc.record(
          {
            gradient: arrayish(shapes),
            calls: fc.oneof(fc.record({ correlate2d: anything, convolve2dFull: anything }, { requiredKeys: [] }), anything),
          },
          { requiredKeys: [] },
        ),
      },
      { weight: 1, arbitrary: fc.record({ error: fc.oneof(nestedError, anything) }) },
      {
        weight: 1,
        arbitrary: fc.record({
          error: fc.record({ name: fc.constant('NotImplemented'), part: anything, message: anything }, { requiredKeys: ['name'] }),
        }),
      },
      { weight: 1, arbitrary: anything },
    );
    const forward = fc.oneof({ weight: 4, arbitrary: fc.constant(value) }, { weight: 1, arbitrary: arrayish([value.shape]) });
    return fc.oneof(
      { weight: 5, arbitrary: fc.record({ value: forward, kernel: gradient, image: gradient }, { requiredKeys: [] }) },
      { weight: 1, arbitrary: anything },
    );
  }

  it.each(['kernel', 'image'] as const)('dL/d%s: a verdict for any answer, and the readers of its other fields never throw', (which) => {
    const cases = fc
      .integer({ min: 1, max: 4 })
      .chain((stride) => convCaseArb(stride))
      .chain((c) => fc.tuple(fc.constant(c), responseOf(convAnswer(c))));
    fc.assert(
      fc.property(cases, ([c, response]) => {
        expectVerdict(judgeConv(which, c, response, tolerance));
        const part = convNotImplemented(which, response);
        expect(part === null || typeof part === 'string').toBe(true);
        const calls = primitiveCalls(which, response);
        if (calls !== undefined) expect(Object.values(calls).every((n) => Number.isInteger(n) && n >= 0)).toBe(true);
      }),
      { numRuns: RUNS },
    );
  });
});

describe('Q1(d) judgeRegression', () => {
  const number = fc.oneof(
    { weight: 3, arbitrary: extremeNumber },
    { weight: 1, arbitrary: fc.double({ min: -5, max: 5, noNaN: true }) },
    { weight: 1, arbitrary: anything },
  );
  const answer = fc.oneof(
    {
      weight: 4,
      arbitrary: fc.record(
        { weight: number, bias: number, losses: fc.oneof(fc.array(number, { maxLength: 50 }), anything) },
        { requiredKeys: [] },
      ),
    },
    { weight: 1, arbitrary: anything },
  );

  it('a verdict for any answer', () => {
    fc.assert(
      fc.property(responseOf(answer), (response) => {
        const verdict = judgeRegression(response, 0.05);
        expectVerdict(verdict);
        expect(verdict.message).toBeTypeOf('string');
      }),
      { numRuns: RUNS },
    );
  });
});

describe('Q3 gradeQ3', () => {
  const reference = JSON.parse(readFileSync(new URL('../../../reference/answers/q3.json', import.meta.url), 'utf8')) as Record<
    'k1' | 'k2',
    number[][]
  >;
  const entry = fc.oneof(fc.integer({ min: -20, max: 20 }), extremeNumber, anything);
  const matrix = fc.array(fc.array(entry, { maxLength: 8 }), { maxLength: 8 });
  /** The right answers with a few entries replaced. */
  const nearlyRight = fc
    .tuple(fc.array(fc.tuple(fc.nat(5), fc.nat(5), entry), { maxLength: 4 }), fc.constantFrom('k1', 'k2'))
    .map(([changes, name]) => {
      const answers = structuredClone(reference) as Record<string, unknown[][]>;
      for (const [i, j, value] of changes) if (answers[name][i]) answers[name][i][j] = value;
      return answers;
    });
  /** JSON text of `value`, or the text "null" for what JSON cannot hold (a bigint). */
  const jsonText = (value: unknown) => {
    try {
      return JSON.stringify(value) ?? 'null';
    } catch {
      return 'null';
    }
  };
  const text = fc.oneof(
    fc.string(),
    fc.string({ unit: 'binary' }),
    fc.record({ k1: fc.oneof(matrix, anything), k2: fc.oneof(matrix, anything) }, { requiredKeys: [] }).map(jsonText),
    nearlyRight.map(jsonText),
    anything.map(jsonText),
    fc.constantFrom(...PROTOTYPE_KEYS).map((key) => `{"${key}": [[1]], "k1": {"${key}": 1}, "k2": [[{"toString": 1}]]}`),
    fc.integer({ min: 1, max: 100_000 }).map((depth) => `{"k1": ${'['.repeat(depth)}${']'.repeat(depth)}}`),
  );

  it.each(['k1', 'k2'] as const)('%s: an outcome for any answers/q3.json', (name) => {
    fc.assert(
      fc.property(fc.option(text, { nil: undefined }), (answers) => {
        const outcome = gradeQ3(name, answers, 2);
        expect(outcome.status).toBeTypeOf('string');
        expect(Number.isFinite(outcome.points) && outcome.points >= 0 && outcome.points <= 2).toBe(true);
        expect(outcome.check.passed).toBeTypeOf('boolean');
        expect(outcome.check.message).toBeTypeOf('string');
        expect(() => JSON.stringify(outcome)).not.toThrow();
      }),
      { numRuns: RUNS },
    );
  });
});
