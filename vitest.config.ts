import { defineConfig } from 'vitest/config';
import { INSTALL_COMMAND, missingBenchDependencies } from './bench/installed.js';

// The benchmark's own tests (bench/tests/) need its peer libraries, which the root `npm ci` does not
// install: they run once `npm --prefix bench ci` has (CI always installs them).
const benchInstalled = missingBenchDependencies().length === 0;
// (Vitest evaluates this file once per project: say it once.)
if (!benchInstalled && process.env.ARCHIVIST_BENCH_NOTED === undefined) {
  process.env.ARCHIVIST_BENCH_NOTED = '1';
  console.warn(`bench/tests skipped: the benchmark's dependencies are not installed (${INSTALL_COMMAND}).`);
}

// Two tiers: `unit` (pure modules, in-process, well under 30 s) and `e2e` (processes, the fake
// Discord, worker threads, fuzz). `npm test` runs both; `npm run test:unit` is the fast loop.
export default defineConfig({
  test: {
    testTimeout: 30_000,
    globalSetup: ['tests/data-untouched.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/**/*.test.ts', ...(benchInstalled ? ['bench/tests/**/*.test.ts'] : [])],
          exclude: ['tests/**/*.e2e.test.ts'],
        },
      },
      { extends: true, test: { name: 'e2e', include: ['tests/**/*.e2e.test.ts'] } },
    ],
  },
});
