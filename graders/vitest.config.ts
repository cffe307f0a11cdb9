import { configDefaults, defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'graders',
    include: ['test/**/*.test.ts'],
    // A fixture assignment's own public tests are its students' tests, not the graders'.
    exclude: [...configDefaults.exclude, 'test/fixtures/**'],
    testTimeout: 120000,
  },
});
