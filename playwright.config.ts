import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS, CHROMIUM_PATH } from './e2e/support/chromium';

/**
 * End-to-end: Debian's Chromium against the headless mode (`gpuz-cloud agent`), plus the Electron launch
 * spec where a binary exists. One worker: the machine is small and each spec starts its own agent.
 */
export default defineConfig({
  testDir: 'e2e',
  testMatch: '*.spec.ts',
  outputDir: 'test-results',
  timeout: 120_000,
  expect: { timeout: 20_000 },
  workers: 1,
  retries: 0,
  globalSetup: './e2e/support/global-setup.ts',
  use: {
    browserName: 'chromium',
    colorScheme: 'dark',
    viewport: { width: 1200, height: 900 },
    launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
    trace: 'retain-on-failure',
  },
});
