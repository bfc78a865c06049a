/**
 * Keeps full-page screenshots with the test's results at the two screen sizes the dashboard is checked at —
 * 1920×1080 (`<name>.png`, the README's picture) and 1280×800 (`<name>-1280.png`) — then puts the test's own
 * viewport back. With UPDATE_SCREENSHOTS=1 they also go to docs/screenshots (`UPDATE_SCREENSHOTS=1 npm run test:e2e`).
 */
import { copyFile, mkdir } from 'node:fs/promises';
import type { Page, TestInfo } from '@playwright/test';

export const SCREEN_SIZES = [
  { suffix: '', width: 1920, height: 1080 },
  { suffix: '-1280', width: 1280, height: 800 },
] as const;

export async function keepScreenshot(page: Page, testInfo: TestInfo, name: string): Promise<void> {
  const before = page.viewportSize();
  for (const size of SCREEN_SIZES) {
    await page.setViewportSize({ width: size.width, height: size.height });
    // Charts redraw after a resize (ResizeObserver, then an animation frame): let two frames pass.
    await page.evaluate(
      () => new Promise<void>((done) => requestAnimationFrame(() => requestAnimationFrame(() => done()))),
    );
    const file = `${name}${size.suffix}.png`;
    const path = testInfo.outputPath(file);
    await page.screenshot({ path, fullPage: true });
    await testInfo.attach(file, { path, contentType: 'image/png' });
    if (process.env.UPDATE_SCREENSHOTS === '1') {
      await mkdir('docs/screenshots', { recursive: true });
      await copyFile(path, `docs/screenshots/${file}`);
    }
  }
  if (before) await page.setViewportSize(before);
}
