import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    projects: ['reference', 'tools/assign', 'tools/q3-answers', 'tools/skeleton-behaviour', 'graders'],
    // A file per core: vitest's default (cores - 1) runs one file at a time on 2 cores, and the
    // grade runs the files start are processes of their own.
    maxWorkers: availableParallelism(),
  },
});
