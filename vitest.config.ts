import { defineConfig } from 'vitest/config';

// Two tiers: `unit` (pure modules, in-process, well under 30 s) and `e2e` (processes, the fake
// Discord, worker threads, fuzz). `npm test` runs both; `npm run test:unit` is the fast loop.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    projects: [
      { extends: true, test: { name: 'unit', include: ['tests/**/*.test.ts'], exclude: ['tests/**/*.e2e.test.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['tests/**/*.e2e.test.ts'] } },
    ],
  },
});
