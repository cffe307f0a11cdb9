/**
 * A counterexample as a submission's page shows it: the expression, the shapes and inputs, the
 * expected and the student's values as compact text, and the case as the student can run it.
 */
import type { CheckResult, Counterexample, LocalReplay } from '../result.js';
import { boundedLocalReplay } from '../result-bounds.js';
import { counterexampleTitle } from './part-feedback.js';

/** The view model of a counterexample on a submission's page. */
export function counterexampleView(counterexample: Counterexample) {
  const hasExpected = counterexample.expected !== undefined;
  const hasGot = counterexample.got !== undefined;
  return {
    title: counterexampleTitle(counterexample),
    expression: counterexample.expression,
    shapes: Object.entries(counterexample.shapes).map(([name, shape]) => ({ name, shape: `[${shape.join(', ')}]` })),
    inputs: Object.entries(counterexample.inputs).map(([name, value]) => ({ name, value: formatValue(value) })),
    where: counterexample.where ?? null,
    hasComparison: hasExpected || hasGot,
    expected: hasExpected ? formatValue(counterexample.expected) : '(not recorded)',
    got: hasGot ? formatValue(counterexample.got) : '(not recorded)',
    localReplay: localReplayOf({ counterexample }),
  };
}

/**
 * The case as the student runs it (a snippet and a test file), when the assignment wrote one and it
 * is whole: results from an older cache or a shard may lack it or hold something else.
 */
export function localReplayOf(check: Pick<CheckResult, 'counterexample'>): LocalReplay | null {
  return boundedLocalReplay(check.counterexample?.localReplay) ?? null;
}

/**
 * Compact JSON-like text for plain data, with the rows of a matrix on their own lines. Unlike
 * JSON.stringify it shows NaN and Infinity as such (a student's NaN is the clue, not `null`).
 */
export function formatValue(value: unknown): string {
  if (Array.isArray(value) && value.length > 0 && value.every(Array.isArray)) {
    return `[\n${value.map((row) => `  ${formatValue(row)}`).join(',\n')}\n]`;
  }
  return formatInline(value);
}

function formatInline(value: unknown): string {
  if (typeof value === 'number') return Object.is(value, -0) ? '-0' : String(value);
  if (value === undefined) return 'undefined';
  if (value === null || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(formatInline).join(', ')}]`;
  if (typeof value === 'object') {
    return `{ ${Object.entries(value).map(([key, entry]) => `${key}: ${formatInline(entry)}`).join(', ')} }`;
  }
  return String(value);
}
