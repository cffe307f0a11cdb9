/**
 * The given worked examples, Neg and Sqrt: they pass before you write anything, and show what
 * the Q1(b) tests check.
 */
import fc from 'fast-check';
import { describe, test } from 'vitest';
import { Input, Neg, Sqrt, type NDArray } from '../src/index.js';
import { assertAllClose } from './support/all-close.js';
import { anyValue, elementwiseOperand, positiveValue } from './support/arbitraries.js';
import { checkGradients } from './support/gradient-check.js';
import { runs } from './support/runs.js';

describe('Given: Neg', () => {
  const forward = (x: NDArray) => new Neg(new Input(x)).value;

  test('the value is -x', () => {
    fc.assert(
      fc.property(elementwiseOperand(anyValue), ({ x }) => assertAllClose(forward(x), x.map((v) => -v), `Neg of x ${x}: the value`)),
      runs(),
    );
  });

  test('dL/dx matches finite differences', () => {
    fc.assert(
      fc.property(elementwiseOperand(anyValue), ({ x, upstream }) => {
        const op = new Neg(new Input(x));
        checkGradients({ what: 'Neg', inputs: { x }, forward, upstream, backward: () => op.inputGradients(upstream) });
      }),
      runs(),
    );
  });
});

describe('Given: Sqrt', () => {
  const forward = (x: NDArray) => new Sqrt(new Input(x)).value;

  test('the value is sqrt(x)', () => {
    fc.assert(
      fc.property(elementwiseOperand(positiveValue), ({ x }) => assertAllClose(forward(x), x.map(Math.sqrt), `Sqrt of x ${x}: the value`)),
      runs(),
    );
  });

  test('dL/dx matches finite differences, for x >= 0.5', () => {
    fc.assert(
      fc.property(elementwiseOperand(positiveValue), ({ x, upstream }) => {
        const op = new Sqrt(new Input(x));
        checkGradients({ what: 'Sqrt', inputs: { x }, forward, upstream, backward: () => op.inputGradients(upstream) });
      }),
      runs(),
    );
  });
});
