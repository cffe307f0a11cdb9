import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { name: 'q3-answers', include: ['q3-answers.test.ts'] },
});
