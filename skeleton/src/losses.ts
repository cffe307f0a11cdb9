/**
 * Q1(c): loss functions, built from the operations of ops.ts so that they need no backward rule of
 * their own.
 */
import { Add, Mul, Neg, ReduceMean } from './ops.js';
import type { Tensor } from './tensor.js';
import { NotImplemented } from './not-implemented.js';

/**
 * Mean squared error: the mean over all elements of (prediction - target)^2, a scalar.
 * `prediction` and `target` have the same shape.
 */
export function mse(prediction: Tensor, target: Tensor): Tensor {
  // TODO: Q1(c) mse
  throw new NotImplemented('Q1(c) mse');
}
