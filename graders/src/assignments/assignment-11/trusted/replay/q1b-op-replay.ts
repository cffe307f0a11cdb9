/**
 * Q1(b)'s failing cases as the student runs them: one of their operations built on Inputs, its
 * value, and the gradients `inputGradients(upstream)` returns (as the public tests call it),
 * compared with the reference solution's.
 */
import * as referenceOps from '@assignment-11/reference/src/ops.js';
import { Input, type Tensor } from '@assignment-11/reference/src/tensor.js';
import type { NDArray } from '@assignment-11/reference/src/ndarray.js';
import type { WireArray } from '../../../../shared/protocol.js';
import type { LocalReplay } from '../../../../trusted/result.js';
import { perCase } from '../expected-cache.js';
import { arrayOfWire, assertClose, localReplay, replayOrNone, withArray, withTensorArgument } from './source-text.js';

/** One case of an operation's check: its inputs, the upstream gradient and, for ReduceMean, the axes. */
export interface OperationCase {
  inputs: WireArray[];
  upstream: WireArray;
  axes?: number[];
}

type Operation = 'ReduceMean' | 'Add' | 'Mul' | 'MatMul' | 'ReLU' | 'Sigmoid';

/** The names of each operation's inputs, as its class names them. */
const INPUT_NAMES: Record<Operation, readonly string[]> = {
  ReduceMean: ['x'],
  Add: ['a', 'b'],
  Mul: ['a', 'b'],
  MatMul: ['a', 'b'],
  ReLU: ['x'],
  Sigmoid: ['x'],
};

const isOperation = (name: string): name is Operation => Object.hasOwn(INPUT_NAMES, name);

function operationOf(op: Operation, inputs: Tensor[], axes: number[] | undefined): Tensor {
  switch (op) {
    case 'ReduceMean':
      return new referenceOps.ReduceMean(inputs[0], axes);
    case 'ReLU':
    case 'Sigmoid':
      return new referenceOps[op](inputs[0]);
    default:
      return new referenceOps[op](inputs[0], inputs[1]);
  }
}

const replays = new Map<string, (c: OperationCase) => LocalReplay | undefined>();

/**
 * The replay of `c` for the operation named `op` (made once per case); undefined for an operation
 * it does not know, or a case it cannot write.
 */
export function operationReplay(op: string, c: OperationCase): LocalReplay | undefined {
  let replay = replays.get(op);
  if (!replay) {
    const make = (testCase: OperationCase) => (isOperation(op) ? replayOrNone(() => makeReplay(op, testCase)) : undefined);
    replays.set(op, (replay = perCase(make)));
  }
  return replay(c);
}

function makeReplay(op: Operation, c: OperationCase): LocalReplay {
  const names = INPUT_NAMES[op];
  const inputs = c.inputs.map(arrayOfWire);
  const upstream = arrayOfWire(c.upstream);
  const reference = operationOf(
    op,
    inputs.map((value) => new Input(value)),
    c.axes,
  );
  const expected: NDArray[] = reference.inputGradients(upstream);
  const axes = op === 'ReduceMean' && c.axes !== undefined ? `, [${c.axes.join(', ')}]` : '';
  const gradients = names.map((name) => `d${name}`);
  const build = [
    ...names.map((name, i) => withTensorArgument(`const ${name} = new Input(`, inputs[i], ');')),
    `const op = new ${op}(${names.join(', ')}${axes});`,
    withArray('const upstream = ', upstream, ';'),
    `const [${gradients.join(', ')}] = op.inputGradients(upstream);`,
  ];
  const check = [
    assertClose('op.value', reference.value, 'op.value'),
    ...names.map((name, i) => assertClose(gradients[i], expected[i], `dL/d${name}`)),
  ];
  return localReplay(`test/replay-q1b-${op.toLowerCase()}.test.ts`, {
    framework: ['Input', 'NDArray', op],
    name: `Q1b ${op}: the failing case of the hidden check`,
    about: [
      `The case on which the grader's hidden check of ${op}.backwardRule failed, built with your`,
      "ops.ts. The expected values are the reference solution's, compared within the grader's",
      `tolerance (gradientTolerance): the test fails until your ${op} gives them.`,
    ],
    build,
    check,
  });
}
