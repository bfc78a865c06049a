import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';

const { version } = JSON.parse(readFileSync(resolve(import.meta.dirname, 'package.json'), 'utf8'));

/**
 * Three bundles for the tray app (`npx electron-vite build`, no Electron binary needed):
 *   src/main/index.ts     → out/main/index.js      (ESM; electron, node: builtins and package deps stay external)
 *                           + out/main/process-worker.js (the local processing's worker thread)
 *   src/preload/index.ts  → out/preload/index.cjs  (CommonJS: a sandboxed preload cannot load ES modules)
 *   src/renderer/         → out/renderer/         (the dashboard, relative asset URLs for the app:// scheme)
 */
export default defineConfig({
  main: {
    // The tray app's agent writes this into every raw object's metadata (src/main/core/app-version.ts).
    define: { __APP_VERSION__: JSON.stringify(version) },
    build: {
      // Runtime deps load from node_modules; `electron` is always external (electron-vite adds it), so the
      // build never resolves the Electron binary.
      externalizeDeps: true,
      // process-worker: the local processing's worker thread, a bundle of its own (src/main/core/pipeline).
      rolldownOptions: {
        input: {
          index: resolve(import.meta.dirname, 'src/main/index.ts'),
          'process-worker': resolve(import.meta.dirname, 'src/main/core/pipeline/process-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      // Everything the preload needs (contract, IPC client) is bundled in: a sandboxed preload can only
      // require `electron` and a few builtins.
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve(import.meta.dirname, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(import.meta.dirname, 'src/renderer'),
    base: './',
    build: {
      rolldownOptions: { input: { index: resolve(import.meta.dirname, 'src/renderer/index.html') } },
    },
  },
});
