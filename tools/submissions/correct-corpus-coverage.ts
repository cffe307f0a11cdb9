/**
 * Correct solutions written differently from the reference, for the wider case generators (large
 * strides, Sigmoid far from 0, reuse inside one operation, helper modules with their own names).
 */
import type { Variant } from './variants.js';

export const COVERAGE_CORRECT: Variant[] = [];
