// Bundles the CLI (src/main/cli) into dist/cli/: index.mjs plus one chunk per command (code splitting, so
// `gpuz-cloud parse` loads the parser and not the AWS SDK); npm dependencies stay external.
import { readFileSync, rmSync } from 'node:fs';
import { build } from 'esbuild';

const { version } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

rmSync('dist/cli', { recursive: true, force: true });
await build({
  entryPoints: { index: 'src/main/cli/index.ts' },
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
