/**
 * What the student's page shows for an Assignment 11 part beyond its checks: Q1d's plot, drawn
 * here from the numbers of the training run, and for Q2 which convolution primitives the gradient
 * called. Both come from the part's extension, which may have been read back from a cache or a
 * merged shard, so it is checked before it is used.
 */
import type { TrainingResult } from '@assignment-11/reference/src/linear-regression.js';
import type { PartView } from '../../../trusted/assignment.js';
import type { PartResult } from '../../../trusted/result.js';
import { regressionPlot } from './q1d-regression.js';

function isTraining(value: unknown): value is TrainingResult {
  const v = value as Partial<TrainingResult> | null;
  return typeof v === 'object' && v !== null && typeof v.weight === 'number' && typeof v.bias === 'number' && Array.isArray(v.losses);
}

function isCallCount(value: unknown): value is { correlate2d: number; convolve2dFull: number } {
  const v = value as { correlate2d?: unknown; convolve2dFull?: unknown } | null;
  return typeof v === 'object' && v !== null && Number.isInteger(v.correlate2d) && Number.isInteger(v.convolve2dFull);
}

function primitivesSentence(used: { correlate2d: number; convolve2dFull: number }): string {
  const times = (count: number) => `${count} ${count === 1 ? 'time' : 'times'}`;
  const calls = [
    used.correlate2d > 0 ? `correlate2d ${times(used.correlate2d)}` : null,
    used.convolve2dFull > 0 ? `convolve2dFull ${times(used.convolve2dFull)}` : null,
  ].filter((call) => call !== null);
  if (calls.length === 0) {
    return 'Your backward did not call the convolution primitives correlate2d or convolve2dFull. The checks above judge only the numbers; showing that both gradients are convolutions is the derivation in answers/q2.md, which a TA scores (Q2.derivation).';
  }
  return `Your backward called ${calls.join(' and ')}.`;
}

export async function partView(part: PartResult): Promise<PartView | null> {
  const { training, usedPrimitives } = part.extension ?? {};
  if (training !== undefined) {
    if (!isTraining(training)) return { drawingProblem: 'the training run kept in the result is malformed' };
    try {
      return {
        trustedSvg: await regressionPlot(training),
        caption: 'Drawn by the grader from the weight, bias and losses your training run returned.',
      };
    } catch (error) {
      return { drawingProblem: error instanceof Error ? error.message : String(error) };
    }
  }
  if (isCallCount(usedPrimitives)) return { notes: [primitivesSentence(usedPrimitives)] };
  return null;
}
