// Bundles the CLI (src/main/cli) into dist/cli/: index.mjs plus one chunk per command (code splitting, so
// `gpuz-cloud parse` loads the parser and not the AWS SDK) and process-worker.mjs (the local processing's thread);
// npm dependencies stay external.
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

rmSync('dist/cli', { recursive: true, force: true });
await build({
  // The local processing's worker thread is a bundle of its own, next to index.mjs (src/main/core/pipeline).
  entryPoints: {
    index: 'src/main/cli/index.ts',
    'process-worker': 'src/main/core/pipeline/process-worker.ts',
  },
  outdir: 'dist/cli',
  outExtension: { '.js': '.mjs' },
  chunkNames: 'chunks/[name]-[hash]',
  splitting: true,
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  packages: 'external',
  sourcemap: true,
  define: { __APP_VERSION__: JSON.stringify(version) },
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
  logLevel: 'warning',
});
console.log(`built dist/cli/index.mjs (gpuz-cloud ${version})`);
