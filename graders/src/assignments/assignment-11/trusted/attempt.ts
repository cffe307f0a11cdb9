/**
 * Running a computation that may throw, for the mistake models: a reference computation of a
 * mistake can fail on shapes where the mistake makes no sense, and a student's error is compared
 * with the one a model throws.
 */
import type { NDArray } from '@assignment-11/reference/src/ndarray.js';

/** What `f` returns, or null when it throws. */
export const safe = (f: () => NDArray): NDArray | null => {
  try {
    return f();
  } catch {
    return null;
  }
};

/** The message of the error `f` throws, or null when it returns. */
export function errorMessageOf(f: () => unknown): string | null {
  try {
    f();
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}
