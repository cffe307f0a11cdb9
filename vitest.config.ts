import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: { projects: ['reference', 'tools/assign', 'tools/q3-answers', 'tools/skeleton-behaviour', 'graders'] },
});
