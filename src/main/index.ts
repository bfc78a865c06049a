/**
 * Electron main entry: wiring only. The tray app's life is in electron/tray-app.ts (Electron passed in); what it
 * runs comes from the composition root every mode shares (core/app/compose.ts), as `gpuz-cloud agent` does.
 */
import * as electron from 'electron';
import { composeApp, hostOfProcess, openSettingsStore } from './core/app/compose';
import { setProcessWorkerEntry } from './core/pipeline/worker-entry';
import { startTrayApp } from './electron/tray-app';

// The local processing's thread, bundled next to this file (electron.vite.config.ts).
setProcessWorkerEntry(new URL('./process-worker.js', import.meta.url));

const host = hostOfProcess();
const handle = startTrayApp({
  electron,
  env: host.env,
  argv: process.argv,
  home: host.home,
  openAppService: async (stateDir, secrets, bundle) =>
    composeApp({ host, stateDir, settings: await openSettingsStore(stateDir, host), secrets, bundle }),
});

// The e2e spec (Playwright's _electron) reads the tray through this; nothing is exposed otherwise.
if (handle && process.env.GPUZ_E2E === '1') Object.assign(globalThis, { __gpuzE2E: handle });
