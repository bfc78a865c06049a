#!/usr/bin/env node
// `npm start`: runs the tray app with Electron when a binary exists or can be downloaded; otherwise says so
// and names the headless mode. Never `require('electron')` here: since Electron 42 that call itself starts
// the download and throws where it cannot finish.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { findElectronBinary, REPO_ROOT } from './electron-binary.mjs';

const ROOT = REPO_ROOT;
const ELECTRON_DIR = join(ROOT, 'node_modules', 'electron');

/** Tries electron's own installer once (quietly; it fails within a second where its host is unreachable). */
function tryDownloadElectron() {
  const installer = join(ELECTRON_DIR, 'install.js');
  if (!existsSync(installer)) return false;
  process.stderr.write('Electron binary not found; trying to download it once …\n');
  const r = spawnSync(process.execPath, [installer], {
    cwd: ELECTRON_DIR,
    stdio: 'ignore',
    timeout: 600_000,
  });
  return r.status === 0;
}

const NO_ELECTRON = `
GPU-Z Cloud cannot open its window here: this machine has no Electron binary, and none can be
downloaded (Electron's download host is not reachable from it). Everything else works without
Electron: run the headless mode, which tails your GPU-Z log, uploads it and serves the same
dashboard on 127.0.0.1 —

    npm run build
    npx gpuz-cloud agent --file "<path to GPU-Z Sensor Log.txt>"

and open the address it prints. \`npx gpuz-cloud --help\` lists the other commands.
`;

if (findElectronBinary() ?? (tryDownloadElectron() && findElectronBinary())) {
  // electron-vite builds main, preload and renderer, then starts Electron on the result.
  const r = spawnSync('npx', ['electron-vite', 'preview'], { cwd: ROOT, stdio: 'inherit' });
  process.exitCode = r.status ?? 1;
} else {
  process.stderr.write(NO_ELECTRON);
  process.exitCode = 1;
}
