/**
 * Q1(b): the registry of operations whose backward rules are checked, one at a time with the
 * student's ops.ts and the given Tensor. Each entry is data: the reference operation it is checked
 * against (its forward pass gives the expected value, and the finite differences of it the
 * expected gradients), the cases it is checked on, its inputs' names, what sets it apart (it
 * broadcasts, takes axes, or has a convention at a kink) and its known mistakes (q1b-mistakes.ts).
 * The judge (q1b-judge.ts) reads these and never names an operation.
 */
import fc from 'fast-check';
import { NDArray, broadcastShapes, reducedShape } from '@assignment-11/reference/src/ndarray.js';
import { Add, MatMul, Mul, ReLU, ReduceMean, Sigmoid } from '@assignment-11/reference/src/ops.js';
import { Input, type Tensor } from '@assignment-11/reference/src/tensor.js';
import type { WireArray } from '../../../shared/protocol.js';
import { arrayOf, arrayWithZeros, broadcastPairArb, liftedUpstream, matmulShapesArb } from './arbitraries.js';
import { nonEmptyShapeArb, shapeArb, upstreamOf } from './arbitraries.js';
import { OP_MISTAKES, upstreamIgnored, type OpMistake } from './q1b-mistakes.js';

export type OpName = 'ReduceMean' | 'Add' | 'Mul' | 'MatMul' | 'ReLU' | 'Sigmoid';

export interface OpCase {
  inputs: WireArray[];
  upstream: WireArray;
  axes?: number[];
}

export interface OpSpec {
  /** The inputs' names, as the operation's class names them (dL/dx, dL/da, ...). */
  inputNames: string[];
  /** How a counterexample writes the operation applied to its inputs. */
  expression: string;
  arbitrary: fc.Arbitrary<OpCase>;
  /** The reference operation's value on `inputs`. */
  forward: (inputs: NDArray[], axes?: number[]) => NDArray;
  /** The reference operation's backward rule: its gradients on `inputs` given `upstream`. */
  gradients: (inputs: NDArray[], upstream: NDArray, axes?: number[]) => NDArray[];
  /**
   * The gradients where the op has a kink and a finite difference means nothing, by the
   * convention the assignment documents (ReLU: 0 at x = 0); the finite differences elsewhere.
   */
  atKinks?: (inputs: NDArray[], upstream: NDArray, numerical: NDArray[]) => NDArray[];
  /**
   * Its inputs' exact zeros stay in a redrawn case: its gradient there is a convention (`atKinks`)
   * that a mistake may break.
   */
  redrawKeepsZeros?: boolean;
  /** It broadcasts its inputs, so a gradient of the wrong shape was summed back to its input's shape wrongly, or not at all. */
  broadcasts?: boolean;
  /** It takes `axes`, which a counterexample shows ('all' when none are given). */
  takesAxes?: boolean;
  /** Its known mistakes, in the order the judge tries them; ignoring the upstream gradient comes last. */
  mistakes: OpMistake[];
}

/** An entry: the reference operation built on Inputs gives `forward` and `gradients`, and the upstream-ignored mistake. */
function opSpec(reference: (inputs: Tensor[], axes?: number[]) => Tensor, entry: Omit<OpSpec, 'forward' | 'gradients'>): OpSpec {
  const build = (inputs: NDArray[], axes?: number[]): Tensor =>
    reference(
      inputs.map((x) => new Input(x)),
      axes,
    );
  const gradients: OpSpec['gradients'] = (inputs, upstream, axes) => build(inputs, axes).backwardRule(upstream);
  return {
    ...entry,
    forward: (inputs, axes) => build(inputs, axes).value,
    gradients,
    mistakes: [...entry.mistakes, upstreamIgnored(gradients)],
  };
}

function binaryCase(shapes: fc.Arbitrary<[number[], number[]]>, outShape: (a: number[], b: number[]) => number[]): fc.Arbitrary<OpCase> {
  return shapes.chain(([a, b]) => fc.record({ inputs: fc.tuple(arrayOf(a), arrayOf(b)), upstream: upstreamOf(outShape(a, b)) }));
}

const broadcastOut = (a: number[], b: number[]): number[] => [...broadcastShapes(a, b)];

/** Sigmoid's derivative at v, where the case generator lifts the upstream gradient (arbitraries.ts, liftedUpstream). */
const sigmoidSlope = (v: number): number => 1 / (1 + Math.exp(-v)) / (1 + Math.exp(v));

export const OP_SPECS: Record<OpName, OpSpec> = {
  ReduceMean: opSpec(([x], axes) => new ReduceMean(x, axes), {
    inputNames: ['x'],
    expression: 'ReduceMean(x, axes)',
    takesAxes: true,
    // Any rank from a scalar up, and every set of axes (or none given: all of them).
    arbitrary: shapeArb.chain((shape) =>
      (shape.length === 0
        ? fc.constant(undefined)
        : fc.option(
            fc.subarray(
              shape.map((_, i) => i),
              { minLength: 1 },
            ),
            { nil: undefined },
          )
      ).chain((axes) =>
        fc.record({
          inputs: fc.tuple(arrayOf(shape)),
          upstream: upstreamOf(reducedShape(shape, axes) as number[]),
          axes: fc.constant(axes),
        }),
      ),
    ),
    mistakes: OP_MISTAKES.ReduceMean,
  }),
  Add: opSpec(([a, b]) => new Add(a, b), {
    inputNames: ['a', 'b'],
    expression: 'Add(a, b)',
    broadcasts: true,
    arbitrary: binaryCase(broadcastPairArb, broadcastOut),
    mistakes: OP_MISTAKES.Add,
  }),
  Mul: opSpec(([a, b]) => new Mul(a, b), {
    inputNames: ['a', 'b'],
    expression: 'Mul(a, b)',
    broadcasts: true,
    arbitrary: binaryCase(broadcastPairArb, broadcastOut),
    mistakes: OP_MISTAKES.Mul,
  }),
  MatMul: opSpec(([a, b]) => new MatMul(a, b), {
    inputNames: ['a', 'b'],
    expression: 'MatMul(a, b)',
    arbitrary: binaryCase(matmulShapesArb, (a, b) => [a[0], b[1]]),
    mistakes: OP_MISTAKES.MatMul,
  }),
  ReLU: opSpec(([x]) => new ReLU(x), {
    inputNames: ['x'],
    expression: 'ReLU(x)',
    arbitrary: nonEmptyShapeArb.chain((shape) => fc.record({ inputs: fc.tuple(arrayWithZeros(shape)), upstream: upstreamOf(shape) })),
    // ops.ts: "At exactly 0 the gradient is taken to be 0."
    atKinks: ([x], _g, [numerical]) => [numerical.map((v, i) => (x.data[i] === 0 ? 0 : v))],
    redrawKeepsZeros: true,
    mistakes: OP_MISTAKES.ReLU,
  }),
  Sigmoid: opSpec(([x]) => new Sigmoid(x), {
    inputNames: ['x'],
    expression: 'Sigmoid(x)',
    // x over [-10, 10], with the upstream lifted where sigmoid is flat (arbitraries.ts, liftedUpstream).
    arbitrary: nonEmptyShapeArb
      .chain((shape) => fc.tuple(arrayOf(shape, 'wide'), upstreamOf(shape)))
      .map(([x, unit]): OpCase => ({ inputs: [x], upstream: liftedUpstream(unit, x, sigmoidSlope) })),
    mistakes: OP_MISTAKES.Sigmoid,
  }),
};
