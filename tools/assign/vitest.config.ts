import { defineConfig } from 'vitest/config';

export default defineConfig({ test: { name: 'assign', include: ['test/**/*.test.ts'], testTimeout: 60000 } });
