/**
 * Q1(c): loss functions, built from the operations of ops.ts so that they need no backward rule of
 * their own.
 */
import { Add, Mul, Neg, ReduceMean } from './ops.js';
import type { Tensor } from './tensor.js';

/**
 * Mean squared error: the mean over all elements of (prediction - target)^2, a scalar.
 * `prediction` and `target` have the same shape.
 */
export function mse(prediction: Tensor, target: Tensor): Tensor {
  // BEGIN SOLUTION Q1(c) mse
  const residual = new Add(prediction, new Neg(target));
  return new ReduceMean(new Mul(residual, residual));
  // END SOLUTION
}
