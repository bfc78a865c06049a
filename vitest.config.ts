import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (fast, no servers) and `integration` (`*.int.test.ts`, talks to the
 * moto and Kafka servers that `scripts/services.mjs` starts; endpoints come from the environment).
 */
export default defineConfig({
  test: {
    globals: true,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['src/**/*.test.ts', 'lambda/**/*.test.ts', 'infra/**/*.test.ts', 'scripts/**/*.test.ts'],
          exclude: ['**/*.int.test.ts', '**/node_modules/**'],
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
    ],
  },
});
