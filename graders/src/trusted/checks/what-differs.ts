/**
 * What a failed check says when no mistake is confirmed (confirmed-mistake.ts): not a cause, only
 * what differs, e.g. "dL/dx differs from the expected value in 3 of 4 entries; each of them is -1
 * times the expected value" or "... each of them is 0 where the expected value is not".
 * The sentence is read off the very arrays in the counterexample beside it, so it is true of them.
 */
import { isClose, type Tolerance } from './tolerance.js';
import type { Numbers } from './confirmed-mistake.js';

/** The sentence for `got` against `expected` (same shape), or undefined when they agree or differ in shape. */
export function whatDiffers(name: string, got: Numbers, expected: Numbers, tolerance: Tolerance): string | undefined {
  if (got.data.length !== expected.data.length) return undefined;
  const differing: number[] = [];
  for (let i = 0; i < expected.data.length; i++) if (!isClose(got.data[i], expected.data[i], tolerance)) differing.push(i);
  if (differing.length === 0) return undefined;
  const one = expected.data.length === 1;
  const counted = `${name} differs from the expected value in ${differing.length} of ${expected.data.length} entries`;
  const opening = one ? `${name} is` : `${counted}; ${differing.length === 1 ? 'there it is' : 'each of them is'}`;
  const pattern = differencePattern(differing, got, expected, tolerance);
  if (pattern !== undefined) return `${opening} ${pattern}.`;
  if (one) return `${name} differs from the expected value.`;
  return differing.length === 1 ? `${counted}.` : `${counted}, not by one common factor.`;
}

/** What all the differing entries have in common, as the end of a sentence, or undefined. */
function differencePattern(differing: number[], got: Numbers, expected: Numbers, tolerance: Tolerance): string | undefined {
  const at = (array: Numbers, i: number): number => array.data[i];
  if (differing.every((i) => !Number.isFinite(at(got, i)))) return 'NaN or infinite, not a number';
  if (differing.every((i) => isClose(at(got, i), 0, tolerance))) return '0 where the expected value is not';
  if (differing.every((i) => isClose(at(expected, i), 0, tolerance))) return 'not 0 where the expected value is 0';
  const pivot = differing.reduce((best, i) => (Math.abs(at(expected, i)) > Math.abs(at(expected, best)) ? i : best), differing[0]);
  const factor = readableFactor(at(got, pivot) / at(expected, pivot));
  // A factor written as 1 would contradict "differs": the entries then differ otherwise.
  if (factor === undefined || factor.value === 1) return undefined;
  const holds = differing.every(
    (i) => Math.abs(at(got, i) - factor.value * at(expected, i)) <= FACTOR_SLACK * Math.abs(at(got, i)) + tolerance.atol,
  );
  if (!holds) return undefined;
  if (factor.value === -1) return '-1 times the expected value (the opposite sign)';
  return factor.text.startsWith('1/') ? `${factor.text} of the expected value` : `${factor.text} times the expected value`;
}

/** How closely a factor written in the sentence must hold in each entry: half a per cent. */
const FACTOR_SLACK = 5e-3;

/** `ratio` written for a reader: a whole number, 1/k (or -1/k), or three significant digits. */
export function readableFactor(ratio: number): { text: string; value: number } | undefined {
  if (!Number.isFinite(ratio) || ratio === 0) return undefined;
  const whole = Math.round(ratio);
  if (whole !== 0 && Math.abs(ratio - whole) <= FACTOR_SLACK * Math.abs(ratio)) return { text: String(whole), value: whole };
  const inverse = Math.round(1 / ratio);
  if (Math.abs(inverse) >= 2 && Math.abs(inverse) <= 20 && Math.abs(ratio - 1 / inverse) <= FACTOR_SLACK * Math.abs(ratio)) {
    return { text: `${inverse < 0 ? '-' : ''}1/${Math.abs(inverse)}`, value: 1 / inverse };
  }
  const value = Number(ratio.toPrecision(3));
  return { text: String(value), value };
}
