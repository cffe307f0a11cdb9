import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    name: 'graders',
    include: ['test/**/*.test.ts'],
    testTimeout: 120000,
  },
});
