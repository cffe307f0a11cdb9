/**
 * A realistic ClassResult for the report tests: one submission with full marks, one with partial
 * credit (failed checks with hints, counterexamples and replays, wrong Q3 entries, pending manual
 * items: the Q1d comment and the Q2 derivation, with Markdown and math; hostile text in its output
 * and answers) and one the harness could not grade, whose id is
 * a spreadsheet formula.
 */
import { makeRegressionData, trainLinearRegression } from '../../../reference/src/linear-regression.js';
import { renderRegressionPlot } from '../../../reference/src/plot.js';
import { assignment } from '../../src/assignments/assignment-11/index.js';
import type { CheckResult, ClassResult, PartResult, SubmissionResult } from '../../src/trusted/result.js';
import { loadRubric } from '../../src/trusted/load-rubric.js';

const rubric = loadRubric(assignment);
const titleOf = (id: string) => rubric.parts.find((part) => part.id === id)!.title;
const maxOf = (id: string) => rubric.parts.find((part) => part.id === id)!.max;

export const HOSTILE_ID = '=cmd|"calc",x';
export const SCRIPT = '<script>alert(1)</script>';

const Q3_K1 = [
  [-1, -1, -4, -9, -3, 2],
  [0, -7, 2, -5, 11, 4],
  [2, 1, 13, -1, 0, 0],
  [6, 8, 0, -12, -7, 3],
  [3, 2, 5, -6, 4, 8],
  [5, 12, 14, 4, 6, 6],
];
const Q3_K2 = [
  [0, 10, 11, 12],
  [3, 17, 5, 4],
  [0, 16, 7, 13],
  [0, 2, 0, 1],
];

/** Q1(d) training runs, one well trained, one stopped early, and their plots as the reference plot code draws them. */
const REGRESSION_DATA = makeRegressionData();
export const TRAINING = {
  trained: trainLinearRegression(REGRESSION_DATA),
  early: trainLinearRegression(REGRESSION_DATA, { epochs: 40 }),
};
export const PLOTS = {
  trained: await renderRegressionPlot(REGRESSION_DATA, TRAINING.trained),
  early: await renderRegressionPlot(REGRESSION_DATA, TRAINING.early),
};

function passedPart(id: string, checks: { name: string; points: number }[], extra: Partial<PartResult> = {}): PartResult {
  return {
    id,
    title: titleOf(id),
    points: maxOf(id),
    max: maxOf(id),
    status: 'passed',
    checks: checks.map((check) => ({ name: check.name, passed: true, points: check.points, max: check.points, message: `Checked ${check.name} on random inputs; all runs agreed with the reference.` })),
    ...extra,
  };
}

function gradientPart(id: string): PartResult {
  return passedPart(id, [{ name: 'gradient', points: 1 }]);
}

function q3Part(id: 'Q3.k1' | 'Q3.k2', expected: number[][], got: (number | null)[][] | null): PartResult {
  const wrong = got === null ? null : expected.map((row, i) => row.map((value, j) => got[i]?.[j] !== value));
  const entries = expected.flat().length;
  const wrongCount = wrong === null ? entries : wrong.flat().filter(Boolean).length;
  const points = (maxOf(id) * (entries - wrongCount)) / entries;
  const check: CheckResult = {
    name: 'entries',
    passed: wrongCount === 0,
    points,
    max: maxOf(id),
    message: wrongCount === 0 ? 'Every entry matches.' : `${entries - wrongCount} of ${entries} entries match; each earns an equal share of the points.`,
    ...(wrongCount === 0 ? {} : { matrix: { expected, got, wrong } }),
  };
  return { id, title: titleOf(id), points, max: maxOf(id), status: wrongCount === 0 ? 'passed' : 'partial', checks: [check] };
}

const ISOLATION = ['permission-model', 'heap-limit', 'process-group-kill'];

function fullMarks(): SubmissionResult {
  const parts: PartResult[] = [
    passedPart('Q1a', [
      { name: 'single use', points: 0.5 },
      { name: 'reused tensor', points: 0.5 },
      { name: 'diamond', points: 0.5 },
      { name: 'deep chain and seed', points: 0.5 },
    ]),
    ...['Q1b.ReduceMean', 'Q1b.Add', 'Q1b.Mul', 'Q1b.MatMul', 'Q1b.ReLU', 'Q1b.Sigmoid'].map(gradientPart),
    passedPart('Q1c', [{ name: 'value and gradient', points: 1 }]),
    passedPart('Q1d', [{ name: 'trains and plots', points: 0.5 }], {
      review: { file: 'answers/q1d.md', text: 'The loss falls quickly in the first epochs and flattens near 0.01.\nThe fitted line matches the data; the remaining loss is the noise we added.' },
      manual: { points: 0.5, comment: 'Good: you connected the final loss to the noise level.' },
      extension: { training: TRAINING.trained },
    }),
    passedPart('Q2.kernel', [{ name: 'stride 1', points: 1.5 }, { name: 'strides 2 to 4', points: 0.5 }], {
      extension: { usedPrimitives: { correlate2d: 2, convolve2dFull: 1 } },
    }),
    passedPart('Q2.input', [{ name: 'stride 1', points: 1.5 }, { name: 'strides 2 to 4', points: 0.5 }], { extension: { usedPrimitives: { correlate2d: 0, convolve2dFull: 1 } } }),
    passedPart('Q2.derivation', [], {
      review: { file: 'answers/q2.md', text: 'dL/dK_mn = sum_ij dL/dZ_ij V_(i+m)(j+n), a correlation of V with dL/dZ.' },
      manual: { points: 2, comment: 'Both gradients derived, and both shown to be convolutions.' },
    }),
    q3Part('Q3.k1', Q3_K1, Q3_K1),
    q3Part('Q3.k2', Q3_K2, Q3_K2),
  ];
  return { id: 'ada', total: 20, max: 20, status: 'graded', intake: [], isolation: ISOLATION, output: 'epoch 10: loss 0.0110\n', parts };
}

function partialCredit(): SubmissionResult {
  const k1 = Q3_K1.map((row) => [...row]);
  k1[1][2] = -2; // sign slip
  k1[3][3] = 12;
  k1[5][0] = 4;
  const k2: (number | null)[][] = Q3_K2.map((row) => [...row]);
  k2[2][1] = null; // not a number in the answer file
  const parts: PartResult[] = [
    {
      id: 'Q1a',
      title: titleOf('Q1a'),
      points: 1.5,
      max: 2,
      status: 'partial',
      checks: [
        { name: 'single use', passed: true, points: 0.5, max: 0.5, message: 'Gradients of a graph that uses every tensor once match the reference.' },
        { name: 'reused tensor', passed: true, points: 0.5, max: 0.5, message: 'A tensor used twice receives the sum of both gradients.' },
        {
          name: 'diamond',
          passed: false,
          points: 0,
          max: 0.5,
          message: 'In a diamond (a feeds b and c, both feed d), dL/da differs from the reference.',
          hint: 'backward visits a before all of its consumers are done. Sort the graph topologically (visited set, then reverse order) so each tensor is handled once, after everything that uses it.',
          diagnosis: 'backward-not-topological',
          counterexample: {
            expression: 'd = Mul(b, c) with b = Add(a, a), c = Sigmoid(a)',
            shapes: { a: [2] },
            inputs: { a: [0.5, -1.25] },
            where: 'dL/da[0]',
            expected: [2.3515, 1.0986],
            got: [1.1757, 0.5493],
            localReplay: {
              file: 'test/replay-q1a-diamond.test.ts',
              code: `const a = new Variable([0.5, -1.25]);\nconst d = new Mul(new Add(a, a), new Sigmoid(a)); // ${SCRIPT}\nd.backward(NDArray.ones([2]));`,
              test: `import { it } from 'vitest';\n\nit('Q1a diamond: the failing case of the hidden check', () => {\n  // \`\`\` in a comment\n});\n`,
            },
          },
          replay: { seed: 20260122, path: '7:0:1' },
        },
        { name: 'deep chain and seed', passed: true, points: 0.5, max: 0.5, message: 'A chain of 50 operations starting from a seeded gradient matches.' },
      ],
    },
    gradientPart('Q1b.ReduceMean'),
    {
      id: 'Q1b.Add',
      title: titleOf('Q1b.Add'),
      points: 0,
      max: 1,
      status: 'failed',
      checks: [
        {
          name: 'gradient',
          passed: false,
          points: 0,
          max: 1,
          message: 'Compared Add.backwardRule with finite differences on 60 random cases; input b (argument 1) got a gradient of the wrong shape.',
          hint: 'b was broadcast in the forward pass, so its gradient must be summed back to b\'s shape (sumToShape(upstream, b.shape)).',
          diagnosis: 'add-broadcast-not-summed',
          counterexample: {
            expression: 'Add(a, b)',
            shapes: { a: [2, 3], b: [3] },
            inputs: {
              a: [[0.25, -1, 2], [1.5, 0, -0.75]],
              b: [0.5, 1, -2],
              upstream: [[1, 2, 3], [4, 5, 6]],
            },
            where: 'dL/db (shape [2, 3], expected [3])',
            expected: [5, 7, 9],
            got: [[1, 2, 3], [4, 5, 6]],
          },
          replay: { seed: 20260122, path: '17:2:0' },
        },
      ],
    },
    gradientPart('Q1b.Mul'),
    {
      id: 'Q1b.MatMul',
      title: titleOf('Q1b.MatMul'),
      points: 0,
      max: 1,
      status: 'not-implemented',
      reason: 'MatMul.backwardRule still throws NotImplemented("Q1(b) MatMul.backwardRule").',
      checks: [],
    },
    gradientPart('Q1b.ReLU'),
    {
      id: 'Q1b.Sigmoid',
      title: titleOf('Q1b.Sigmoid'),
      points: 0,
      max: 1,
      status: 'failed',
      checks: [
        {
          name: 'gradient',
          passed: false,
          points: 0,
          max: 1,
          message: `Your gradient is not a finite number for large inputs. Output of the op: ${SCRIPT}`,
          counterexample: {
            expression: 'Sigmoid(x)',
            shapes: { x: [3] },
            inputs: { x: [-800, 0, 3], upstream: [1, 1, 1] },
            where: 'dL/dx[0]',
            expected: [0, 0.25, 0.045177],
            got: [Number.NaN, 0.25, 0.045177],
          },
          replay: { seed: 20260122, path: '31:0' },
        },
      ],
    },
    passedPart('Q1c', [{ name: 'value and gradient', points: 1 }]),
    {
      id: 'Q1d',
      title: titleOf('Q1d'),
      points: 0.5,
      max: 1,
      status: 'pending',
      checks: [{ name: 'trains and plots', passed: true, points: 0.5, max: 0.5, message: 'trains to a mean squared error of 0.0287 (target 0.05); the plot below is drawn from the training run' }],
      review: {
        file: 'answers/q1d.md',
        text: `The loss goes down and stays low.\n${SCRIPT}\n"=cmd"\n<img src=x onerror=alert(2)>`,
      },
      extension: { training: TRAINING.early },
    },
    {
      id: 'Q2.kernel',
      title: titleOf('Q2.kernel'),
      points: 1.5,
      max: maxOf('Q2.kernel'),
      status: 'partial',
      extension: { usedPrimitives: { correlate2d: 1, convolve2dFull: 0 } },
      checks: [
        { name: 'stride 1', passed: true, points: 1.5, max: 1.5, message: 'dL/dK matches finite differences for stride 1.' },
        {
          name: 'strides 2 to 4',
          passed: false,
          points: 0,
          max: 0.5,
          message: 'dL/dK differs from finite differences for stride 2.',
          hint: 'With a stride s, upstream entry (i, j) came from the window at (s·i, s·j): spread the upstream gradient out with s−1 zeros between entries (dilate it) before correlating.',
          diagnosis: 'stride-not-dilated',
          counterexample: {
            expression: 'Conv2d(V, K, stride 2).kernelGradient',
            shapes: { V: [5, 5], K: [3, 3], upstream: [2, 2] },
            inputs: {
              V: [[1, 0, 2, 0, 1], [0, 1, 0, 1, 0], [2, 0, 1, 0, 2], [0, 1, 0, 1, 0], [1, 0, 2, 0, 1]],
              K: [[1, 0, -1], [0, 1, 0], [-1, 0, 1]],
              upstream: [[1, -1], [0.5, 2]],
            },
            where: 'dL/dK[0][1]',
            expected: [[4.5, 0.5, 1], [-1, 1, 0], [5, 0.5, 4]],
            got: [[4.5, -1, 1], [-1, 1, 1], [2.5, 0.5, 4]],
          },
          replay: { seed: 20260122, path: '3:1' },
        },
      ],
    },
    {
      id: 'Q2.input',
      title: titleOf('Q2.input'),
      points: 0,
      max: maxOf('Q2.input'),
      status: 'timeout',
      reason: 'Conv2d.imageGradient did not finish within 60 seconds; the run was stopped.',
      checks: [],
    },
    {
      id: 'Q2.derivation',
      title: titleOf('Q2.derivation'),
      points: 0,
      max: maxOf('Q2.derivation'),
      status: 'pending',
      checks: [],
      review: {
        file: 'answers/q2.md',
        text: `## Kernel\n\n$$\\frac{\\partial \\mathcal{L}}{\\partial K_{mn}} = \\sum_{i,j} G_{ij} V_{i+m,j+n}$$\n\nso dL/dK = correlate(V, dL/dZ). ${SCRIPT}`,
      },
    },
    q3Part('Q3.k1', Q3_K1, k1),
    q3Part('Q3.k2', Q3_K2, k2),
  ];
  const total = parts.reduce((sum, part) => sum + part.points, 0);
  return {
    id: 'ben',
    total,
    max: 20,
    status: 'graded',
    intake: [{ file: 'answers/q3.json', problem: 'k2[2][1] is "x", not a number; it counts as a wrong entry.' }],
    isolation: ISOLATION,
    output: `epoch 1: loss 1.4000\nepoch 40: loss 0.0292\n${SCRIPT}\n"=cmd"\n`,
    parts,
  };
}

function gradingError(): SubmissionResult {
  return {
    id: HOSTILE_ID,
    total: 0,
    max: 20,
    status: 'error',
    error: `src/tensor.ts could not be compiled: Expected ";" but found "backward" (line 12). ${SCRIPT}`,
    intake: [{ file: 'src/tensor.ts', problem: 'Syntax error: Expected ";" but found "backward" (line 12).' }],
    isolation: ['permission-model'],
    output: '',
    parts: [],
  };
}

/** Submissions deliberately out of order: the reports sort them by id. */
export function classResultFixture(): ClassResult {
  return {
    seed: rubric.seed,
    rubric: { name: rubric.name, version: rubric.version, max: 20, parts: rubric.parts.map(({ id, title, max }) => ({ id, title, max })) },
    submissions: [partialCredit(), fullMarks(), gradingError()],
  };
}
