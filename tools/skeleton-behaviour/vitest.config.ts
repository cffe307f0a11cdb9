import { defineConfig } from 'vitest/config';

// The hook timeout covers the beforeAll that runs the whole skeleton suite in a child process.
export default defineConfig({ test: { name: 'skeleton-behaviour', include: ['*.test.ts'], testTimeout: 180000, hookTimeout: 180000 } });
