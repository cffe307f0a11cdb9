import { configDefaults, defineConfig } from 'vitest/config';
import { BROWSER_TESTS } from './vitest.browser.config.js';

export default defineConfig({
  test: {
    name: 'graders',
    include: ['test/**/*.test.ts'],
    // A fixture assignment's own public tests are its students' tests, not the graders'. The
    // hostile corpus has a run of its own (vitest.hostile.config.ts, `npm run test:hostile`),
    // which .ci/run makes beside two busy loops (tools/stress/under-load.sh); so have the students'
    // replay tests (vitest.replay.config.ts, `npm run test:replay`), and the reports in Chromium
    // (vitest.browser.config.ts, `npm run test:browser`), which .ci/run runs after them.
    exclude: [...configDefaults.exclude, 'test/fixtures/**', 'test/hostile/**', 'test/replay/**', ...BROWSER_TESTS],
    testTimeout: 120000,
  },
});
