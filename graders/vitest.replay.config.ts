/**
 * The tests a student is given to replay a failed hidden check, run in students' projects
 * (`npm run test:replay`; .ci/run runs it after `npm test`). Apart from `npm test` because it
 * grades the wrong corpus once more and then runs a test per failed check: about a minute and more.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'replay',
    root: fileURLToPath(new URL('.', import.meta.url)),
    include: ['test/replay/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 900_000,
  },
});
