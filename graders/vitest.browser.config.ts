/**
 * The reports in a real Chromium (`npm run test:browser`; .ci/run runs it after `npm test`): every
 * page loads offline with no console error and a clean axe run, the class table sorts, the layout
 * holds at 1280 and 390 px, and the review page's form downloads a manual-grades.csv that `grade
 * --manual` takes. Apart from `npm test` because a browser costs minutes of a 2-core machine.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export const BROWSER_TESTS = ['test/reports/browser.test.ts', 'test/reports/layout.test.ts', 'test/reports/review-page.test.ts'];

export default defineConfig({
  test: {
    name: 'browser',
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: BROWSER_TESTS,
    testTimeout: 300_000,
    hookTimeout: 600_000,
  },
});
