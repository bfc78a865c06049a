/**
 * Builds the dashboard into out/renderer with Vite when `npm run build` (electron-vite) has not, so the
 * headless specs and the bench can run on their own: `npx tsx e2e/support/build-renderer.ts`.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

export const RENDERER_OUT = fileURLToPath(new URL('../../out/renderer/', import.meta.url));

export async function ensureRendererBuilt(force = false): Promise<void> {
  if (!force && existsSync(`${RENDERER_OUT}index.html`)) return;
  await build({
    root: fileURLToPath(new URL('../../src/renderer/', import.meta.url)),
    base: './',
    logLevel: 'warn',
    build: { outDir: RENDERER_OUT, emptyOutDir: true },
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  await ensureRendererBuilt(true);
}
