/**
 * The test suite Stryker runs against each mutant (graders/stryker.config.mjs). Not part of
 * `npm test`: it needs the mutated copy that `npm run mutation` prepares.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'mutation',
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['test/mutation/**/*.mutation.ts'],
    testTimeout: 300_000,
    hookTimeout: 300_000,
  },
});
