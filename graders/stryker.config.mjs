// @ts-check
/**
 * Mutation testing of the graders (`npm run mutation`, run from the repository's root): Stryker
 * mutates the solution regions (BEGIN SOLUTION ... END SOLUTION) of a copy of the reference's
 * student files, and the test suite is graders/test/mutation, which grades that copy as a
 * submission and fails when it loses a point. A mutant the graders do not notice survives.
 * See graders/test/corpus/MUTATION.md for the last score and every survivor.
 *
 * With MUTATE_WHOLE_FILES=1 (`npm run mutation:whole-files`) the given code of those files is
 * mutated too (messages, the gradient checks of inputGradients, Variable.step, the forward passes).
 */
import { readFileSync } from 'node:fs';

const SUBJECT = 'graders/mutation/subject/src';
const FILES = ['tensor.ts', 'ops.ts', 'losses.ts', 'conv.ts'];
const WHOLE_FILES = process.env.MUTATE_WHOLE_FILES === '1';
const REPORT = `reports/mutation/${WHOLE_FILES ? 'whole-files' : 'mutation'}`;

/** `file:first-last` for the code lines between each pair of solution markers. */
function solutionRanges(file) {
  const ranges = [];
  let first;
  readFileSync(`${SUBJECT}/${file}`, 'utf8')
    .split('\n')
    .forEach((line, index) => {
      if (/\/\/ BEGIN SOLUTION/.test(line)) first = index + 2;
      else if (/\/\/ END SOLUTION/.test(line)) ranges.push(`${SUBJECT}/${file}:${first}-${index}`);
    });
  return ranges;
}

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'graders/vitest.mutation.config.ts', related: false },
  mutate: WHOLE_FILES ? FILES.map((file) => `${SUBJECT}/${file}`) : FILES.flatMap(solutionRanges),
  // The mutated code runs in the grader's child process, where Stryker cannot see which test
  // reached which mutant: every mutant runs against the whole (bailing) suite.
  coverageAnalysis: 'off',
  // The copy is mutated where it is (no sandbox copy of the repository); it is regenerated each run.
  inPlace: true,
  // Stryker adds `// @ts-nocheck` to the files it type-check-disables; in place, that must be the
  // mutated copy only, never the rest of the repository (an interrupted run would leave it behind).
  disableTypeChecks: `${SUBJECT}/**/*.ts`,
  concurrency: 1,
  // The grader's own per-part time limit (set low in the test) ends a looping mutant first.
  timeoutMS: 60_000,
  reporters: ['clear-text', 'progress', 'html', 'json'],
  htmlReporter: { fileName: `${REPORT}.html` },
  jsonReporter: { fileName: `${REPORT}.json` },
  thresholds: { high: 95, low: 85, break: null },
};
