/**
 * Gradient checking by central finite differences in float64, as torch.autograd.gradcheck does.
 *
 * With L(inputs) = sum(f(inputs) * upstream), dL/dx[j] is approximately
 * (L(x + step e_j) - L(x - step e_j)) / (2 step). A backward rule passes when, for every element,
 * |analytic - numerical| <= atol + rtol * |numerical|.
 */
import { NDArray, ShapeError, formatShape, mul, sameShape, sum } from '../../src/index.js';
import { formatIndex, graderTolerance, isClose, type Tolerance } from './all-close.js';
import { CheckFailure } from './check-failure.js';

/** The grader's step and tolerances (PyTorch's gradcheck defaults; graders/rubric.json). */
export const gradientTolerance: Tolerance & { step: number } = { step: 1e-6, ...graderTolerance };

export interface GradientCheck {
  /** What is checked, to open the message: "Q1(b) Mul". */
  what: string;
  /** The input values by name, in the order `forward` takes them; the names appear as "dL/db". */
  inputs: Record<string, NDArray>;
  /** The output for given input values, in float64; it is called with perturbed copies. */
  forward: (...values: NDArray[]) => NDArray;
  /** dL/dOutput, the gradient the backward pass started from. */
  upstream: NDArray;
  /** Computes the gradients under test, one per input in the same order (null: none was computed). */
  backward: () => ReadonlyArray<NDArray | null | undefined>;
}

/** L = sum(f(values) * upstream). */
function weightedSum(check: GradientCheck, values: NDArray[]): number {
  const output = check.forward(...values);
  return sum(mul(output, check.upstream)).item();
}

/** dL/d(values[which]) by central differences. */
export function numericalGradient(check: GradientCheck, which: number): NDArray {
  const values = Object.values(check.inputs).map((value) => new NDArray(value.shape, value.data));
  const x = values[which];
  const gradient = NDArray.zeros(x.shape);
  const h = gradientTolerance.step;
  for (let j = 0; j < x.size; j++) {
    const original = x.data[j];
    x.data[j] = original + h;
    const above = weightedSum(check, values);
    x.data[j] = original - h;
    const below = weightedSum(check, values);
    x.data[j] = original;
    gradient.data[j] = (above - below) / (2 * h);
  }
  return gradient;
}

/**
 * Throws a CheckFailure naming the op, the input shapes, the gradient, the first element that
 * differs and both values, unless every gradient matches finite differences.
 */
export function checkGradients(check: GradientCheck): void {
  const names = Object.keys(check.inputs);
  const shapes = names.map((name) => `${name} ${formatShape(check.inputs[name].shape)}`);
  const context = `${check.what} (shapes: ${[...shapes, `upstream ${formatShape(check.upstream.shape)}`].join(', ')})`;
  let gradients: ReadonlyArray<NDArray | null | undefined>;
  try {
    gradients = check.backward();
  } catch (error) {
    // A wrong shape is this check's failure; any other error keeps its stack, which points at the bug.
    if (error instanceof ShapeError) throw new CheckFailure(`${context}: ${error.message}`);
    throw error;
  }
  if (gradients.length !== names.length) {
    throw new CheckFailure(`${context}: expected ${names.length} gradient(s), one per input, got ${gradients.length}`);
  }
  names.forEach((name, which) => {
    const analytic = gradients[which];
    const input = check.inputs[name];
    if (analytic === null || analytic === undefined) {
      throw new CheckFailure(`${context}: dL/d${name} was not computed (it is ${analytic})`);
    }
    if (!(analytic instanceof NDArray)) {
      throw new CheckFailure(`${context}: dL/d${name} must be an NDArray, got ${String(analytic)}`);
    }
    if (!sameShape(analytic.shape, input.shape)) {
      throw new CheckFailure(
        `${context}: dL/d${name} has shape ${formatShape(analytic.shape)} but ${name} has shape ${formatShape(input.shape)}`,
      );
    }
    const numerical = numericalGradient(check, which);
    for (let j = 0; j < numerical.size; j++) {
      if (!isClose(analytic.data[j], numerical.data[j], gradientTolerance)) {
        throw new CheckFailure(
          `${context}: dL/d${name} differs at ${formatIndex(input.shape, j)}: ` +
            `analytic ${analytic.data[j]}, numerical ${numerical.data[j]} ` +
            `(allowed |analytic - numerical| <= ${gradientTolerance.atol} + ${gradientTolerance.rtol} * |numerical|)`,
        );
      }
    }
  });
}
