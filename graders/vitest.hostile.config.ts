import { defineConfig } from 'vitest/config';

/** The hostile corpus: attacks graded through the real command (`npm run test:hostile`). */
export default defineConfig({
  test: {
    name: 'hostile',
    root: new URL('.', import.meta.url).pathname,
    include: ['test/hostile/**/*.test.ts'],
    testTimeout: 120000,
  },
});
