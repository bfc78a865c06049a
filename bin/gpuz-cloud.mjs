#!/usr/bin/env node
// The CLI is bundled by `npm run build` (scripts/build-cli.mjs) into dist/cli/index.mjs.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const entry = new URL('../dist/cli/index.mjs', import.meta.url);
if (!existsSync(fileURLToPath(entry))) {
  process.stderr.write('gpuz-cloud: the CLI is not built yet — run `npm run build` first.\n');
  process.exit(2);
}
await import(entry.href);
