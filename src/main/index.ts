/**
 * Electron main entry: wiring only. The tray app's life is in electron/tray-app.ts (Electron passed in);
 * the agent, settings and data are the same core modules `gpuz-cloud agent` runs headless.
 */
import { access } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import * as electron from 'electron';
import { createAppService } from './core/app/app-service';
import { buildCostView } from './core/app/cost-view';
import { detectLogCandidates, LOG_FILE_NAME } from './core/app/detect-log';
import { openRuntime } from './core/app/runtime';
import { openCloudHealth } from './core/cloud-health/open-health';
import { downloadTerraform, prepareDeploy } from './core/deploy/prepare';
import { createSettingsStore, defaultSettings } from './core/settings';
import { defaultLocalDataDir } from './core/state-dir';
import { startTrayApp } from './electron/tray-app';

const detectLogFiles = () =>
  detectLogCandidates({
    env: process.env,
    home: homedir(),
    exists: (path) =>
      access(path).then(
        () => true,
        () => false,
      ),
  });

const handle = startTrayApp({
  electron,
  env: process.env,
  argv: process.argv,
  home: homedir(),
  openAppService: async (stateDir, secrets, bundle) => {
    // First run: the first GPU-Z log found (as `gpuz-cloud agent` does), else GPU-Z's default place.
    const found = (await detectLogFiles()).find((candidate) => candidate.exists);
    const logPath = found?.path ?? join(process.env.USERPROFILE ?? homedir(), 'Documents', LOG_FILE_NAME);
    // Terraform and its provider cache are big and machine-specific: %LOCALAPPDATA%, not the roaming profile.
    const localDataDir = defaultLocalDataDir(process.env, process.platform, homedir());
    return createAppService({
      settings: createSettingsStore({ stateDir, defaults: defaultSettings(stateDir, logPath) }),
      secrets,
      openRuntime: (settings) => openRuntime(settings, { stateDir }),
      estimateCost: (query, context) => buildCostView(query, context),
      detectLogFiles,
      deploy: {
        prepare: (request) => prepareDeploy({ stateDir, ...bundle, env: process.env, localDataDir }, request),
        fallback: defaultSettings(stateDir, '').target,
        installTerraform: (onProgress) =>
          downloadTerraform({
            localDataDir,
            onProgress,
            releasesUrl: process.env.GPUZ_TERRAFORM_RELEASES_URL,
          }),
      },
      openCloudHealth,
    });
  },
});

// The e2e spec (Playwright's _electron) reads the tray through this; nothing is exposed otherwise.
if (handle && process.env.GPUZ_E2E === '1') Object.assign(globalThis, { __gpuzE2E: handle });
