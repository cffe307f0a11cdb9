/**
 * The bounds of a part's result (docs/security.md, "Bounds"). A result is built from what the
 * child sent: a check's message quotes the student's exception, a counterexample holds the array
 * the student returned. Each part is bounded as it is assembled, so that results.json, the cache
 * and every report hold no more, whatever a submission sends: texts are cut, and a counterexample
 * value with too many numbers to read is replaced by a sentence saying what it was; a local replay
 * (a snippet and a test) too long to keep whole is left out, since a cut one would not run.
 */
import { cutText } from './cut-text.js';
import type { CheckResult, Counterexample, LocalReplay, PartResult } from './result.js';

export const RESULT_BOUNDS = {
  /** Characters of a check's message, hint, diagnosis and `where`, and of a part's reason. */
  textChars: 2000,
  /** Numbers (or other plain values) of one counterexample value (an input, expected, got). */
  valueItems: 1000,
  /** Levels of nested lists in one counterexample value (an NDArray has at most 8). */
  valueDepth: 8,
  /** Characters of a local replay's snippet and of its test file, each; its file name has textChars' bound too. */
  replayChars: 20_000,
} as const;

const cut = (text: string): string => cutText(text, RESULT_BOUNDS.textChars);

/** How many plain values `value` holds, counting no further than `limit + 1` and no deeper than valueDepth. */
function itemsWithin(value: unknown, limit: number, depth = 0): number {
  if (typeof value === 'string') return value.length > RESULT_BOUNDS.textChars ? limit + 1 : 1;
  if (typeof value !== 'object' || value === null) return 1;
  if (depth >= RESULT_BOUNDS.valueDepth) return limit + 1;
  let count = 0;
  for (const item of Object.values(value)) {
    count += itemsWithin(item, limit - count, depth + 1);
    if (count > limit) return count;
  }
  return count;
}

/** The lengths of nested lists along their first items: [2, 3] for a 2 x 3 matrix. */
function outerShape(value: unknown): number[] {
  const shape: number[] = [];
  for (let item = value; Array.isArray(item) && shape.length < RESULT_BOUNDS.valueDepth; item = item[0]) shape.push(item.length);
  return shape;
}

/** `value` as it is, or a sentence saying what it was when it is too large to show. */
export function boundedValue(value: unknown): unknown {
  if (itemsWithin(value, RESULT_BOUNDS.valueItems) <= RESULT_BOUNDS.valueItems) return value;
  const shape = outerShape(value);
  const what = shape.length > 0 ? `a list of shape [${shape.join(', ')}]` : typeof value === 'string' ? 'a long text' : 'a large value';
  return `(${what}, more than ${RESULT_BOUNDS.valueItems} values or nested too deeply: too large to show here)`;
}

/**
 * `replay` when its texts are within bounds, else undefined: a snippet or a test cut short would not
 * run, so one too long is left out whole (the page then shows the case without it).
 */
export function boundedLocalReplay(replay: LocalReplay | undefined): LocalReplay | undefined {
  if (typeof replay !== 'object' || replay === null) return undefined;
  const { file, code, test } = replay;
  const within = (text: unknown, chars: number): text is string => typeof text === 'string' && text.length <= chars;
  const whole = within(file, RESULT_BOUNDS.textChars) && within(code, RESULT_BOUNDS.replayChars) && within(test, RESULT_BOUNDS.replayChars);
  return whole ? { file, code, test } : undefined;
}

function boundedCounterexample(counterexample: Counterexample): Counterexample {
  const inputs = Object.fromEntries(Object.entries(counterexample.inputs).map(([name, value]) => [name, boundedValue(value)]));
  const { localReplay, redrawn, ...rest } = counterexample;
  const replay = boundedLocalReplay(localReplay);
  return {
    ...rest,
    ...(redrawn === true ? { redrawn } : {}),
    expression: cut(counterexample.expression),
    inputs,
    ...(counterexample.where === undefined ? {} : { where: cut(counterexample.where) }),
    ...(counterexample.expected === undefined ? {} : { expected: boundedValue(counterexample.expected) }),
    ...(counterexample.got === undefined ? {} : { got: boundedValue(counterexample.got) }),
    ...(replay === undefined ? {} : { localReplay: replay }),
  };
}

function boundedCheck(check: CheckResult): CheckResult {
  return {
    ...check,
    message: cut(check.message),
    ...(check.hint === undefined ? {} : { hint: cut(check.hint) }),
    ...(check.diagnosis === undefined ? {} : { diagnosis: cut(check.diagnosis) }),
    ...(check.counterexample === undefined ? {} : { counterexample: boundedCounterexample(check.counterexample) }),
  };
}

/** `part` within RESULT_BOUNDS (a new object; fields already within them are kept as they are). */
export function boundedPart(part: PartResult): PartResult {
  return { ...part, ...(part.reason === undefined ? {} : { reason: cut(part.reason) }), checks: part.checks.map(boundedCheck) };
}
