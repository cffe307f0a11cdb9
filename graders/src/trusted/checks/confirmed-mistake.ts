/**
 * When a hint may name a mistake. A mistake's model is a function that computes what a submission
 * with that mistake answers; on a failed case, a mistake is named only when it is CONFIRMED there:
 *
 * - its model reproduces the student's answer within the tolerance, and
 * - the right answer, and every model of a DIFFERENT diagnosis, differ from the student's answer
 *   by far more than the tolerance: at least one entry by more than DISCRIMINATION_FACTOR times
 *   (atol + rtol * |value|), or in shape.
 *
 * On a small or degenerate case (zeros, an axis of length 1, values so small that the loss is
 * below atol) several models, and the right answer, often coincide: the case then confirms none,
 * and redraw-confirmation.ts redraws its values (docs/validity.md, "Hints: named only when
 * confirmed").
 * Models that coincide as functions share one diagnosis, so they never stand in each other's way.
 */
import { isClose, type Tolerance } from './tolerance.js';

/**
 * How far beyond the tolerance "far" is. With the rubric's atol 1e-5 and rtol 1e-3, an entry must
 * differ by more than 1e-3 + 0.1 |value|: ten per cent, where the tolerance itself absorbs a
 * tenth of a per cent. Rounding in the student's arithmetic and in the finite differences is
 * thousands of times smaller, so a model that fits within the tolerance cannot also be "near" an
 * answer this far from it: the case tells the two apart.
 */
export const DISCRIMINATION_FACTOR = 100;

/** An array as the checks compare it: a shape and its entries in row-major order. */
export interface Numbers {
  readonly shape: readonly number[];
  readonly data: ArrayLike<number>;
}

/** A whole answer: one array per thing compared (gradients, leaves, a value); null where none was given. */
export type Answer = readonly (Numbers | null)[];

/** A mistake's model on one case: what a submission with that mistake answers, or null where it throws or does not apply. */
export interface MistakeModel<M> {
  diagnosis: string;
  answer: Answer | null;
  /** What the judge names when this model is confirmed (its hint, ...). */
  mistake: M;
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((n, i) => n === b[i]);

/** Whether `got` equals `model` within the tolerance, array by array (null only where the model has null). */
export function fits(got: Answer, model: Answer, tolerance: Tolerance): boolean {
  if (got.length !== model.length) return false;
  return got.every((array, k) => {
    const other = model[k];
    if (array === null || other === null) return array === other;
    if (!sameShape(array.shape, other.shape)) return false;
    for (let i = 0; i < other.data.length; i++) if (!isClose(array.data[i], other.data[i], tolerance)) return false;
    return true;
  });
}

/** Whether one entry is farther from `other` than DISCRIMINATION_FACTOR tolerances (a non-finite entry is as far as can be). */
export function clearlyApart(value: number, other: number, tolerance: Tolerance): boolean {
  if (!Number.isFinite(value) || !Number.isFinite(other)) return true;
  return Math.abs(value - other) > DISCRIMINATION_FACTOR * (tolerance.atol + tolerance.rtol * Math.abs(other));
}

/** Whether `got` differs from `other` by far more than the tolerance: in length, in a missing array, in shape, or in one entry. */
export function clearlyDiffers(got: Answer, other: Answer, tolerance: Tolerance): boolean {
  if (got.length !== other.length) return true;
  return got.some((array, k) => {
    const that = other[k];
    if (array === null || that === null) return array !== that;
    if (!sameShape(array.shape, that.shape)) return true;
    for (let i = 0; i < that.data.length; i++) if (clearlyApart(array.data[i], that.data[i], tolerance)) return true;
    return false;
  });
}

/**
 * The model confirmed on this case (see the top of this file), or undefined: when none fits, when
 * models of two diagnoses fit, or when the right answer or another diagnosis's model is too close
 * to the student's answer for the case to tell them apart.
 */
export function confirmedMistake<M>(
  got: Answer,
  right: Answer,
  models: readonly MistakeModel<M>[],
  tolerance: Tolerance,
): MistakeModel<M> | undefined {
  const fitting = models.find((model) => model.answer !== null && fits(got, model.answer, tolerance));
  if (fitting === undefined || !clearlyDiffers(got, right, tolerance)) return undefined;
  const rivals = models.filter((model) => model.diagnosis !== fitting.diagnosis && model.answer !== null);
  return rivals.every((model) => clearlyDiffers(got, model.answer!, tolerance)) ? fitting : undefined;
}

/**
 * The diagnosis confirmed by an error: the models that throw the very message the student's code
 * threw, when they all share one diagnosis (the same computation fails the same way).
 */
export function confirmedByError<M>(
  thrown: string,
  models: readonly { diagnosis: string; thrown: string | null; mistake: M }[],
): M | undefined {
  const same = models.filter((model) => model.thrown === thrown);
  return same.length > 0 && same.every((model) => model.diagnosis === same[0].diagnosis) ? same[0].mistake : undefined;
}
