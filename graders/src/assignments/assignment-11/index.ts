/**
 * Assignment 11 as the harness sees it: its parts, in rubric order, each with the student file it
 * grades, the code it runs in the child and its checks. The checks and mistake models are in
 * trusted/, the code the child runs in untrusted/, what both use in shared/.
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { OracleResponse } from '../../shared/protocol.js';
import { defineAssignment, type PartBundle, type PartDefinition } from '../../trusted/assignment.js';
import type { RubricTolerance } from '../../trusted/rubric.js';
import { GRAPH_FAMILIES } from './trusted/q1a-backward.js';
import { graphRequest, type GraphCase } from './trusted/q1a-graph-cases.js';
import { judgeGraph } from './trusted/q1a-judge.js';
import { judgeOp } from './trusted/q1b-judge.js';
import { OP_SPECS, type OpCase, type OpName } from './trusted/q1b-ops.js';
import { judgeMse, mseCaseArb, type MseCase } from './trusted/q1c-mse.js';
import { REGRESSION_REQUESTS, gradeRegression } from './trusted/q1d-regression.js';
import { CONV_STRIDE_CHECKS, PRIMITIVES_PROBE, gradeConvPart } from './trusted/q2-conv.js';
import { convCaseArb, convRequest, type ConvCase, type ConvGradient } from './trusted/q2-conv-cases.js';
import { convNotImplemented, judgeConv } from './trusted/q2-conv-judge.js';
import { gradeQ3Part, type Q3Name } from './trusted/q3-by-hand.js';
import { partView } from './trusted/views.js';
import { redrawConvCase, redrawGraphCase, redrawMseCase, redrawOpCase } from './trusted/redraw.js';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const ROOT = join(HERE, '..', '..', '..', '..');
const UNTRUSTED = join(HERE, 'untrusted');
const oracle = (name: string): string => join(UNTRUSTED, 'oracles', `${name}.ts`);

/** Every part of a question shares one folder in the child: "Q1b.Add" runs in "q1b". */
const bundleName = (id: string): string => id.split('.')[0].toLowerCase();

const BUNDLES = {
  Q1a: { name: bundleName('Q1a'), oracle: oracle('tensor-backward'), fromStudent: ['tensor'] },
  Q1b: { name: bundleName('Q1b'), oracle: oracle('op-backward'), fromStudent: ['ops'] },
  Q1c: { name: bundleName('Q1c'), oracle: oracle('mse-graph'), fromStudent: ['losses'] },
  // The given training script, not the student's copy of it: the points are earned through the framework.
  Q1d: { name: bundleName('Q1d'), oracle: oracle('regression-training'), fromStudent: ['tensor', 'ops', 'losses'] },
  Q2: {
    name: bundleName('Q2'),
    oracle: oracle('conv-backward'),
    fromStudent: ['conv'],
    // The grader's copy of the primitives counts the calls, which the TA sees (Q2 asks for convolutions).
    replace: { 'convolution-primitives': join(UNTRUSTED, 'instrumented-primitives.ts') },
  },
} as const satisfies Record<string, PartBundle>;

const q1a: PartDefinition = {
  id: 'Q1a',
  task: 'Tensor.backward',
  file: 'src/tensor.ts',
  checks: GRAPH_FAMILIES.map((family) => family.check),
  codeAt: /^\s*backward\s*\(/m,
  bundle: BUNDLES.Q1a,
  properties: (tolerance) =>
    GRAPH_FAMILIES.map((family) => ({
      id: family.check,
      name: family.check,
      passedMessage: family.passedMessage,
      property: {
        arbitrary: family.arbitrary,
        toRequest: graphRequest,
        judge: (c: GraphCase, r: OracleResponse, explain?: boolean) => judgeGraph(c, r, tolerance, explain),
        redraw: redrawGraphCase,
      },
    })),
};

function q1b(op: OpName): PartDefinition {
  const spec = OP_SPECS[op];
  return {
    id: `Q1b.${op}`,
    task: `${op}.backwardRule`,
    file: 'src/ops.ts',
    checks: ['gradient'],
    codeAt: new RegExp(`\\bclass\\s+${op}\\b`),
    bundle: BUNDLES.Q1b,
    properties: (tolerance) => [
      {
        id: 'gradient',
        name: `${op} forward and gradients`,
        passedMessage: `${spec.expression}: value, gradient shapes and finite differences agree`,
        property: {
          arbitrary: spec.arbitrary,
          toRequest: (c: OpCase) => ({ op, inputs: c.inputs, upstream: c.upstream, ...(c.axes ? { axes: c.axes } : {}) }),
          judge: (c: OpCase, r: OracleResponse, explain?: boolean) => judgeOp(op, c, r, tolerance, explain),
          redraw: redrawOpCase(spec.redrawKeepsZeros === true),
        },
      },
    ],
  };
}

const q1c: PartDefinition = {
  id: 'Q1c',
  task: 'mse',
  file: 'src/losses.ts',
  checks: ['value-and-gradient'],
  codeAt: /\bfunction\s+mse\b|\bmse\s*=/,
  bundle: BUNDLES.Q1c,
  properties: (tolerance) => [
    {
      id: 'value-and-gradient',
      name: 'mse value and gradient',
      passedMessage: 'mse(prediction, target): value and gradients through the graph agree with the reference',
      property: {
        arbitrary: mseCaseArb,
        toRequest: (c: MseCase) => ({ prediction: c.prediction, target: c.target }),
        judge: (c: MseCase, r: OracleResponse, explain?: boolean) => judgeMse(c, r, tolerance, explain),
        redraw: redrawMseCase,
      },
    },
  ],
};

const q1d: PartDefinition = {
  id: 'Q1d',
  task: 'linear regression',
  file: 'src/linear-regression.ts',
  checks: ['trains-and-plots'],
  manualFile: 'answers/q1d.md',
  codeAt: /\bfunction\s+trainLinearRegression\b/,
  bundle: BUNDLES.Q1d,
  plannedRequests: [REGRESSION_REQUESTS],
  grade: (context) => gradeRegression(context, BUNDLES.Q1d),
};

function q2(id: 'Q2.kernel' | 'Q2.input', which: ConvGradient, task: string, codeAt: RegExp): PartDefinition {
  const gradient = which === 'kernel' ? 'dL/dK' : 'dL/dV';
  return {
    id,
    task,
    file: 'src/conv.ts',
    checks: CONV_STRIDE_CHECKS.map((check) => check.id),
    codeAt,
    bundle: BUNDLES.Q2,
    plannedRequests: [PRIMITIVES_PROBE],
    properties: (tolerance: RubricTolerance) =>
      CONV_STRIDE_CHECKS.map((check) => ({
        id: check.id,
        name: check.name,
        passedMessage: `${gradient} agrees with finite differences at ${check.name}`,
        property: {
          arbitrary: convCaseArb(check.minStride, check.maxStride),
          toRequest: convRequest,
          judge: (c: ConvCase, r: OracleResponse, explain?: boolean) => judgeConv(which, c, r, tolerance, explain),
          redraw: redrawConvCase,
          notImplemented: (r: OracleResponse) => convNotImplemented(which, r),
        },
      })),
    grade: (context) => gradeConvPart(context, BUNDLES.Q2, which),
  };
}

/** Q2's pen-and-paper part: the derivation of both gradients as convolutions, which a TA scores. */
const q2Derivation: PartDefinition = {
  id: 'Q2.derivation',
  task: 'derivation of dL/dK and dL/dV',
  file: 'answers/q2.md',
  checks: [],
  manualFile: 'answers/q2.md',
};

function q3(name: Q3Name, stride: number): PartDefinition {
  return {
    id: `Q3.${name}`,
    task: `${name}, stride ${stride}`,
    file: 'answers/q3.json',
    checks: [],
    codeAt: new RegExp(`"${name}"`),
    grade: (context) => gradeQ3Part(context, name),
  };
}

export const assignment = defineAssignment({
  name: 'Assignment 11',
  rubric: join(ROOT, 'graders', 'rubric.json'),
  givenSources: join(ROOT, 'skeleton', 'src'),
  sourceFolder: 'src',
  // The answers' templates are the skeleton's, generated from reference/answers by tools/assign.
  handout: join(ROOT, 'skeleton'),
  leaveOut: ['index'],
  stubs: { plot: join(UNTRUSTED, 'plot-stub.ts') },
  replaceable: ['convolution-primitives'],
  gradedAgainst: [
    HERE,
    join(ROOT, 'reference', 'src'),
    join(ROOT, 'reference', 'answers'),
    join(ROOT, 'skeleton', 'src'),
    join(ROOT, 'skeleton', 'answers'),
  ],
  label: (id) => {
    const match = /^Q(\d)([a-z])?/.exec(id);
    return match ? `Q${match[1]}${match[2] ? `(${match[2]})` : ''}` : id;
  },
  parts: [
    q1a,
    ...(['ReduceMean', 'Add', 'Mul', 'MatMul', 'ReLU', 'Sigmoid'] as const).map(q1b),
    q1c,
    q1d,
    q2('Q2.kernel', 'kernel', 'Conv2d.kernelGradient (dL/dK)', /^\s*kernelGradient\s*\(/m),
    q2('Q2.input', 'image', 'Conv2d.imageGradient (dL/dV)', /^\s*imageGradient\s*\(/m),
    q2Derivation,
    q3('k1', 1),
    q3('k2', 2),
  ],
  partView,
});
