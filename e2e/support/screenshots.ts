/**
 * Keeps a full-page screenshot with the test's results; with UPDATE_SCREENSHOTS=1 it also becomes the
 * README's picture in docs/screenshots (`UPDATE_SCREENSHOTS=1 npm run test:e2e`).
 */
import { copyFile, mkdir } from 'node:fs/promises';
import type { Page, TestInfo } from '@playwright/test';

export async function keepScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const path = testInfo.outputPath(`${name}.png`);
  await page.screenshot({ path, fullPage: true });
  await testInfo.attach(name, { path, contentType: 'image/png' });
  if (process.env.UPDATE_SCREENSHOTS !== '1') return;
  await mkdir('docs/screenshots', { recursive: true });
  await copyFile(path, `docs/screenshots/${name}.png`);
}
