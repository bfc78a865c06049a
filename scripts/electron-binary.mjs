// The Electron executable if it is on disk, else null — the lookup electron's index.js does
// (ELECTRON_OVERRIDE_DIST_PATH, then node_modules/electron/dist + the name in path.txt) without its download:
// since Electron 42 `require('electron')` itself starts a download from GitHub, so scripts and specs never
// call it. Used by `npm start` (scripts/start.mjs) and e2e/electron.spec.ts.
//   findElectronBinary() → '/repo/node_modules/electron/dist/electron' | null
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

export function findElectronBinary(env = process.env, root = REPO_ROOT) {
  const dir = join(root, 'node_modules', 'electron');
  const pathFile = join(dir, 'path.txt');
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const candidate = env.ELECTRON_OVERRIDE_DIST_PATH
    ? join(env.ELECTRON_OVERRIDE_DIST_PATH, name || 'electron')
    : name && join(dir, 'dist', name);
  return candidate && existsSync(candidate) ? candidate : null;
}
