import { defineConfig } from 'vitest/config';

/**
 * Four projects: `unit` (fast, no servers), `integration` (`*.int.test.ts`, talks to the
 * moto and Kafka servers that `scripts/services.mjs` starts; endpoints come from the environment),
 * `analytics` (`*.analytics.test.ts`: the real DuckDB and Spark engines of `scripts/analytics/setup.mjs`,
 * plus the same servers; run by `npm run test:analytics` and by `npm test` as its own step) and `windows`
 * (`windows/*.win.test.ts`: the built CLI as a Windows program, node.exe under Wine; `npm run test:windows`).
 */
export default defineConfig({
  test: {
    globals: true,
    // Every test's temp folders under one of the run's own, removed at its end (src/test-support/temp-root.ts).
    globalSetup: ['src/test-support/temp-root.ts'],
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'lambda/**/*.test.ts', 'infra/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/*.analytics.test.ts', '**/node_modules/**'],
          testTimeout: 30_000,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: [
            'src/**/*.int.test.ts',
            'lambda/**/*.int.test.ts',
            'infra/**/*.int.test.ts',
            'scripts/**/*.int.test.ts',
          ],
          testTimeout: 120_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'analytics',
          include: ['src/**/*.analytics.test.ts', 'lambda/**/*.analytics.test.ts'],
          // A Spark job starts a JVM (≈ 10–25 s on 2 shared cores); one file at a time keeps it to one JVM.
          testTimeout: 300_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'windows',
          include: ['windows/**/*.win.test.ts'],
          globalSetup: ['windows/support/global-setup.ts'],
          testTimeout: 180_000,
          hookTimeout: 120_000,
          // One Wine prefix and 2 shared cores: the files run one after another.
          fileParallelism: false,
        },
      },
    ],
  },
});
