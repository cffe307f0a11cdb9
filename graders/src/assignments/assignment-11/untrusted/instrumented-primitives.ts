/**
 * The grader's copy of the given convolution primitives: the same functions, counting how often
 * the two convolutions are called, so the report can say whether a Q2 backward was written as
 * convolutions. The Q2 bundle gives this module to the student's conv.ts in place of the original.
 */
import * as original from 'framework:convolution-primitives';

export const callCounts = { correlate2d: 0, convolve2dFull: 0 };

export function resetCallCounts(): void {
  callCounts.correlate2d = 0;
  callCounts.convolve2dFull = 0;
}

export const { convOutputLength, flip, pad, crop, dilate } = original;

export function correlate2d(...args: Parameters<typeof original.correlate2d>): ReturnType<typeof original.correlate2d> {
  callCounts.correlate2d++;
  return original.correlate2d(...args);
}

export function convolve2dFull(...args: Parameters<typeof original.convolve2dFull>): ReturnType<typeof original.convolve2dFull> {
  callCounts.convolve2dFull++;
  return original.convolve2dFull(...args);
}
