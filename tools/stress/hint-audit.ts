/**
 * What the corpora must show on every seed (graders/test/corpus/wrong-corpus.test.ts on three
 * seeds, tools/stress/hint-sweep.ts on twenty):
 *
 * - a wrong variant loses exactly its expected points, part by part;
 * - each diagnosis it expects is named in its part (one of them, where it lists two);
 * - no check names a diagnosis that its variant does not list for that part (as expected, or as
 *   possible on some seeds only): a wrong name on any seed is a failure;
 * - every hint agrees with the counterexample beside it: each shape it writes is a shape of that
 *   case, "x has shape [..]" is x's shape, and what a hint says differs ("in 3 of 4 entries",
 *   "-1 times the expected value", "0 where the expected value is not") is what the case's
 *   expected and received arrays show;
 * - a correct variant keeps every autograded point and shows no diagnosis.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { CheckResult, SubmissionResult } from '../../graders/src/trusted/result.js';
import { isClose, type Tolerance } from '../../graders/src/trusted/checks/tolerance.js';
import { acceptedDiagnoses, type Variant } from '../submissions/variants.js';

/** The rubric's points given by hand (Q1d's comment, ...), by part: full autograded marks leave them out. */
export const MANUAL_POINTS: Readonly<Record<string, number>> = Object.fromEntries(
  (
    JSON.parse(readFileSync(fileURLToPath(new URL('../../graders/rubric.json', import.meta.url)), 'utf8')) as {
      parts: { id: string; manual?: { points: number } }[];
    }
  ).parts.map((part) => [part.id, part.manual?.points ?? 0]),
);

/** A part's full autograded marks. */
export function fullAutograded(part: { id: string; max: number }): number {
  return part.max - (MANUAL_POINTS[part.id] ?? 0);
}

/** What is wrong with a wrong variant's result on one seed: one line per problem, none when all is as expected. */
export function auditWrong(variant: Variant, submission: SubmissionResult | undefined, tolerance: Tolerance): string[] {
  if (submission === undefined) return ['not in the results'];
  if (submission.status !== 'graded') return [`not graded (${submission.status}): ${submission.error ?? ''}`];
  const problems: string[] = [];
  for (const part of submission.parts) {
    const expected = variant.expectedPoints[part.id] ?? fullAutograded(part);
    if (Math.abs(part.points - expected) > 1e-9) {
      problems.push(
        `${part.id}: ${part.points}/${part.max} points, expected ${expected} (${part.checks.find((c) => !c.passed)?.message ?? part.reason ?? part.status})`,
      );
    }
    const accepted = variant.expectedDiagnoses?.[part.id];
    const required = accepted === undefined ? [] : acceptedDiagnoses(accepted);
    const allowed = [...required, ...(variant.possibleDiagnoses?.[part.id] ?? [])];
    const named = part.checks.flatMap((check) => (check.diagnosis === undefined ? [] : [check.diagnosis]));
    if (required.length > 0 && !named.some((d) => required.includes(d))) {
      problems.push(`${part.id}: not named ${required.join(' or ')} (named: ${named.join(', ') || 'nothing'})`);
    }
    for (const check of part.checks) {
      if (check.diagnosis !== undefined && !allowed.includes(check.diagnosis)) {
        problems.push(
          `${part.id} "${check.name}": named ${check.diagnosis}, which the variant does not list (${allowed.join(', ') || 'none'})`,
        );
      }
      problems.push(...hintProblems(check, tolerance).map((p) => `${part.id} "${check.name}": ${p}`));
    }
  }
  return problems;
}

/** What is wrong with a correct variant's result on one seed: every autograded point kept, no diagnosis. */
export function auditCorrect(submission: SubmissionResult | undefined): string[] {
  if (submission === undefined) return ['not in the results'];
  if (submission.status !== 'graded') return [`not graded (${submission.status}): ${submission.error ?? ''}`];
  const problems: string[] = [];
  for (const part of submission.parts) {
    if (Math.abs(part.points - fullAutograded(part)) > 1e-9) {
      problems.push(
        `${part.id}: ${part.points}/${part.max} points, a false failure (${part.checks.find((c) => !c.passed)?.message ?? part.reason ?? part.status})`,
      );
    }
    for (const check of part.checks)
      if (check.diagnosis !== undefined) problems.push(`${part.id} "${check.name}": named ${check.diagnosis}`);
  }
  return problems;
}

/** A shape written in text: [2,3], [4], [] (not an index such as x[0,1], which follows a name). */
const SHAPE = /(?<![\w\])])\[(\d+(?:, ?\d+)*)?\]/g;

/** The shape of a nested list (a number: []). */
function nestedShape(value: unknown): number[] | null {
  if (typeof value === 'number' || value === null) return [];
  if (!Array.isArray(value)) return null;
  if (value.length === 0) return [0];
  const inner = nestedShape(value[0]);
  return inner === null ? null : [value.length, ...inner];
}

const flat = (value: unknown): number[] => (Array.isArray(value) ? value.flatMap(flat) : [typeof value === 'number' ? value : Number.NaN]);
const shapeText = (shape: readonly number[]): string => `[${shape.join(',')}]`;

/** Where a check's hint says something its counterexample contradicts. */
export function hintProblems(check: CheckResult, tolerance: Tolerance): string[] {
  const hint = check.hint;
  const counterexample = check.counterexample;
  if (hint === undefined || counterexample === undefined) return [];
  const problems: string[] = [];
  const caseShapes = new Set(Object.values(counterexample.shapes).map(shapeText));
  for (const side of [counterexample.expected, counterexample.got]) {
    const shape = side === undefined ? null : nestedShape(side);
    if (shape !== null) caseShapes.add(shapeText(shape));
  }
  for (const match of hint.matchAll(SHAPE)) {
    const written = `[${(match[1] ?? '').replace(/ /g, '')}]`;
    if (!caseShapes.has(written))
      problems.push(`the hint writes the shape ${written}, which is no shape of its counterexample (${[...caseShapes].join(' ')})`);
  }
  for (const match of hint.matchAll(/(?<!for )\b(\w+) has shape (\[[\d, ]*\])/g)) {
    const shape = counterexample.shapes[match[1]];
    if (shape !== undefined && shapeText(shape) !== match[2].replace(/ /g, '')) {
      problems.push(`the hint says ${match[1]} has shape ${match[2]}; in its counterexample it has ${shapeText(shape)}`);
    }
  }
  // Without a diagnosis, the hint says what differs (graders/src/trusted/checks/what-differs.ts).
  if (check.diagnosis === undefined)
    problems.push(...differenceProblems(hint, counterexample.expected, counterexample.got, counterexample.where, tolerance));
  return problems;
}

/** Where a "what differs" sentence (graders/src/trusted/checks/what-differs.ts) disagrees with the arrays beside it. */
function differenceProblems(
  hint: string,
  expectedValue: unknown,
  gotValue: unknown,
  where: string | undefined,
  tolerance: Tolerance,
): string[] {
  const counted =
    /differs from the expected value in (\d+) of (\d+) entries(?:\.|[;,] ?(?:there it is|each of them is|not by one common factor)?)/
      .source;
  const sentence = new RegExp(`^(\\S+(?: \\S+)?) (?:${counted}|is) ?(.*)$`).exec(hint);
  if (sentence === null || expectedValue === undefined) return [];
  const problems: string[] = [];
  const [, name, count, total, rest] = sentence;
  if (where !== undefined && !where.startsWith(name)) problems.push(`the hint is about ${name}, its counterexample about ${where}`);
  const expected = flat(expectedValue);
  const got = flat(gotValue);
  if (got.length !== expected.length)
    return [...problems, 'the hint compares entries, but the counterexample has arrays of different sizes'];
  const differing = expected.flatMap((e, i) => (isClose(got[i], e, tolerance) ? [] : [i]));
  if (total !== undefined && Number(total) !== expected.length)
    problems.push(`the hint counts ${total} entries, the counterexample has ${expected.length}`);
  if (count !== undefined && Number(count) !== differing.length)
    problems.push(`the hint says ${count} entries differ, the counterexample shows ${differing.length}`);
  const factor = /^(-?[\d.]+|-?1\/\d+) (?:times|of) the expected value/.exec(rest ?? '');
  if (factor) {
    const value = factor[1].includes('/')
      ? Math.sign(Number(factor[1].split('/')[0])) / Number(factor[1].split('/')[1])
      : Number(factor[1]);
    const off = differing.filter((i) => Math.abs(got[i] - value * expected[i]) > 0.01 * Math.abs(got[i]) + tolerance.atol);
    if (off.length > 0)
      problems.push(
        `the hint says ${factor[1]} times the expected value, but entry ${off[0]} is ${got[off[0]]} against ${expected[off[0]]}`,
      );
  }
  if (/^0 where the expected value is not/.test(rest ?? '') && differing.some((i) => !isClose(got[i], 0, tolerance))) {
    problems.push('the hint says 0, but a differing entry is not 0');
  }
  if (/^not 0 where the expected value is 0/.test(rest ?? '') && differing.some((i) => !isClose(expected[i], 0, tolerance))) {
    problems.push('the hint says the expected value is 0, but it is not');
  }
  return problems;
}
