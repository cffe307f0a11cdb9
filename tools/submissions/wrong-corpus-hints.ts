/**
 * Wrong submissions whose mistake agrees with the right answer, or with another mistake, on small
 * or degenerate cases: their hint must be confirmed on a discriminating case.
 */
import type { Variant } from './variants.js';

export const HINT_WRONG: Variant[] = [];
