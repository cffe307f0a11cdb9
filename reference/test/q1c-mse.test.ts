/** Q1(c): mse, built from the operations of Q1(b) and differentiated by Q1(a)'s backward. */
import fc from 'fast-check';
import { describe, expect } from 'vitest';
import { Input, NDArray, Variable, mse } from '../src/index.js';
import { assertAllClose, graderTolerance } from './support/all-close.js';
import { anyValue, ndarray, shape } from './support/arbitraries.js';
import { checkGradients } from './support/gradient-check.js';
import { partTest } from './support/not-implemented.js';
import { runs } from './support/runs.js';

/** mean((prediction - target)^2), written out. */
function meanSquaredError(prediction: NDArray, target: NDArray): number {
  let total = 0;
  for (let i = 0; i < prediction.size; i++) total += (prediction.data[i] - target.data[i]) ** 2;
  return total / prediction.size;
}

/** A prediction and a target of one shape. */
const pairs = shape().chain((s) => fc.record({ prediction: ndarray(s), target: ndarray(s) }));

describe('Q1c mse', () => {
  const test = partTest(() => mse(new Variable([1, 2]), new Input([0, 1])).backward());

  test('the value is the mean of (prediction - target)^2, one number', () => {
    fc.assert(
      fc.property(pairs, ({ prediction, target }) => {
        const loss = mse(new Variable(prediction), new Input(target));
        const what = `Q1(c) mse of prediction ${prediction} and target ${target}`;
        expect(loss.value.size, `${what}: the number of elements of the loss`).toBe(1);
        assertAllClose(NDArray.scalar(loss.value.data[0]), NDArray.scalar(meanSquaredError(prediction, target)), `${what}: the value`, graderTolerance);
      }),
      runs(),
    );
  });

  test('dL/dprediction and dL/dtarget match finite differences', () => {
    fc.assert(
      fc.property(pairs, anyValue, ({ prediction, target }, upstream) => {
        checkGradients({
          what: 'Q1(c) mse',
          inputs: { prediction, target },
          upstream: NDArray.scalar(upstream),
          forward: (p, t) => NDArray.scalar(meanSquaredError(p, t)),
          backward: () => {
            const p = new Variable(prediction);
            const t = new Input(target);
            const loss = mse(p, t);
            loss.backward(NDArray.full(loss.shape, upstream));
            return [p.grad, t.grad];
          },
        });
      }),
      runs(),
    );
  });
});
