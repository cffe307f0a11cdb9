/**
 * Wrong submissions whose mistakes only show on cases that the documented contracts allow beyond
 * the reference's own needs: strides of 3 and more, non-square images and kernels, Sigmoid far from
 * 0, intermediates used twice by one operation, skip connections, rank-mismatched broadcasting.
 */
import type { Variant } from './variants.js';

export const COVERAGE_WRONG: Variant[] = [];
