import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { name: 'assignment-11', include: ['test/**/*.test.ts'], testTimeout: 30000 } });
