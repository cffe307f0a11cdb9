/**
 * Numerical gradients by central differences in float64, computed in the trusted parent with the
 * reference forward pass. For a function f of several arrays and an upstream gradient u, the
 * gradient of L = sum(f(inputs) * u) with respect to input k, element j, is
 * (L(x_kj + h) - L(x_kj - h)) / 2h.
 */
import { NDArray } from '@assignment-11/reference/src/ndarray.js';

export type Forward = (inputs: NDArray[]) => NDArray;

function weightedSum(value: NDArray, upstream: NDArray): number {
  let total = 0;
  for (let i = 0; i < value.size; i++) total += value.data[i] * upstream.data[i];
  return total;
}

export function numericalGradients(forward: Forward, inputs: NDArray[], upstream: NDArray, step: number): NDArray[] {
  // One private copy of the inputs, perturbed one element at a time and restored.
  const args = inputs.map((input) => new NDArray(input.shape, input.data));
  return args.map((input) => {
    const gradient = new NDArray(input.shape);
    for (let j = 0; j < input.size; j++) {
      const original = input.data[j];
      input.data[j] = original + step;
      const plus = weightedSum(forward(args), upstream);
      input.data[j] = original - step;
      const minus = weightedSum(forward(args), upstream);
      input.data[j] = original;
      gradient.data[j] = (plus - minus) / (2 * step);
    }
    return gradient;
  });
}
