/**
 * The one composition root of the tray app (src/main/index.ts), headless mode (`gpuz-cloud agent`) and the CLI:
 * the only place that decides the state folder, the first-run log path, the local data folder and how settings
 * become a running agent.
 *
 *   const host = hostOfProcess()                       env, platform, home
 *   const stateDir = stateDirOf(host, options.stateDir) → '/home/ann/.local/state/gpuz-cloud' (or --state-dir)
 *   const settings = await openSettingsStore(stateDir, host)  first run: the first GPU-Z log found
 *   const app = composeApp({ host, stateDir, settings, secrets, bundle })  → AppService (not started)
 *   await app.start()                                   locks the state folder, then runs the agent
 */

import { join, win32 } from 'node:path';
import type { LogCandidate } from '../../../shared/contract';
import type { ErrorData } from '../../../shared/errors';
import { pathExists } from '../../../shared/fs/path-exists';
import { systemTimeZone } from '../../../shared/parse';
import { appVersion } from '../app-version';
import { openCloudHealth } from '../cloud-health/open-health';
import { forgetBuckets } from '../data/cache-folders';
import { type DeployBundle, downloadTerraform, prepareDeploy } from '../deploy/prepare';
import { ALERTS_FILE } from '../insights/alert-history';
import { checkStateFolder } from '../repair';
import type { SecretVault } from '../secret-vault';
import {
  createSettingsStore,
  defaultSettings,
  formerPcHost,
  type SettingsStore,
  thisPcHost,
} from '../settings';
import { defaultLocalDataDir } from '../state-dir';
import { lockStateDir } from '../state-lock';
import { createStoreFor } from '../store';
import { type AppService, createAppService } from './app-service';
import { buildCostView } from './cost-view';
import { detectLogCandidates, LOG_FILE_NAME, logPlaces } from './detect-log';
import type { Host } from './host';
import { hostNotice, uploadHostOf } from './host-check';
import { createPauseState, PAUSE_FILE } from './pause-state';
import { openRuntime } from './runtime';
import { zoneNotice } from './time-zone-check';

export { type Host, hostOfProcess, stateDirOf } from './host';

/** Terraform and its provider cache are big and machine-specific: %LOCALAPPDATA%, not the roaming profile. */
export function localDataDirOf(host: Host): string {
  return defaultLocalDataDir(host.env, host.platform, host.home);
}

/** GPU-Z's usual places for its log on this machine, existing first. */
export function detectLogFilesOn(host: Host): () => Promise<LogCandidate[]> {
  return () =>
    detectLogCandidates({
      env: host.env,
      home: host.home,
      platform: host.platform,
      exists: pathExists,
    });
}

/**
 * The log a fresh install watches: the first GPU-Z log found, else GPU-Z's default place (Documents).
 *   firstRunLogPath([{ path: 'D:\\…\\GPU-Z Sensor Log.txt', exists: true }, …], host) → 'D:\\…\\GPU-Z Sensor Log.txt'
 */
export function firstRunLogPath(candidates: LogCandidate[], host: Host): string {
  const found = candidates.find((c) => c.exists) ?? candidates[0];
  if (found) return found.path;
  const join_ = host.platform === 'win32' ? win32.join : join;
  return join_(host.env.USERPROFILE || host.home, 'Documents', LOG_FILE_NAME);
}

/**
 * `{stateDir}/settings.json`; before the first save, the defaults (local store in the state folder, hourly). Their
 * host is the one `gpuz-cloud upload` would take there (host-check.ts uploadHostOf): a folder this PC's CLI uploaded
 * from under the name earlier builds wrote (`unknown-host` for a name in Cyrillic) goes on under it in the app too.
 */
export async function openSettingsStore(
  stateDir: string,
  host: Host,
  detect: () => Promise<LogCandidate[]> = detectLogFilesOn(host),
): Promise<AppSettingsStore> {
  const defaults = defaultSettings(stateDir, firstRunLogPath(await detect(), host));
  const named = await uploadHostOf(stateDir, { now: defaults.host, former: formerPcHost() }, 'app');
  const store = createSettingsStore({ stateDir, defaults: { ...defaults, host: named.host } });
  return { ...store, hostNote: (await store.exists?.()) === false ? named.notice : null };
}

/**
 * The app's settings, and `hostNote` when it has none yet and the folder last uploaded under another name than this
 * PC's (a renamed PC: HOST_CHANGED, as `upload` says it): composeApp says it at the first start.
 */
export interface AppSettingsStore extends SettingsStore {
  hostNote?: ErrorData | null;
}

export interface ComposeOptions {
  host: Host;
  stateDir: string;
  settings: AppSettingsStore;
  /** Typed-in secrets: the OS keychain in the tray app, a refusing vault headless. */
  secrets: SecretVault;
  /** The synthesized stack and Lambda zip for the provisioning wizard. */
  bundle: DeployBundle;
}

/** The app service of the tray app and `gpuz-cloud agent`: the same agent, data, costs and wizard. */
export function composeApp(options: ComposeOptions): AppService {
  const { host, stateDir } = options;
  const localDataDir = localDataDirOf(host);
  /** Said once: a save of the settings (and its restart) is the answer to it. */
  let hostNote = options.settings.hostNote ?? null;
  return createAppService({
    settings: options.settings,
    secrets: options.secrets,
    lock: () => lockStateDir(stateDir),
    openRuntime: (settings, lock) => {
      // Settings keep the zone and the PC they were saved with; this PC may be elsewhere, or another one
      // (time-zone-check.ts, host-check.ts).
      const startNotices = [
        zoneNotice(settings.timeZone, systemTimeZone(), Date.now()),
        hostNotice(settings, thisPcHost(), formerPcHost()),
        hostNote,
      ].filter((notice) => notice !== null);
      hostNote = null;
      return openRuntime(settings, {
        stateDir,
        agentVersion: appVersion,
        lockStateDir: async () => lock,
        // GPU-Z writing its log where the settings do not look is said (log-elsewhere.ts).
        otherLogs: async () => logPlaces(host).map((place) => place.path),
        ...(startNotices.length > 0 ? { startNotices } : {}),
      });
    },
    estimateCost: (query, context) => buildCostView(query, context),
    detectLogFiles: detectLogFilesOn(host),
    alertHistoryPath: join(stateDir, ALERTS_FILE),
    pauseState: createPauseState(join(stateDir, PAUSE_FILE)),
    deploy: {
      prepare: (request) =>
        prepareDeploy({ stateDir, ...options.bundle, env: host.env, localDataDir }, request),
      fallback: defaultSettings(stateDir, '').target,
      forgetBuckets: (buckets, endpoint) => forgetBuckets(stateDir, buckets, endpoint),
      installTerraform: (onProgress) =>
        downloadTerraform({ localDataDir, onProgress, releasesUrl: host.env.GPUZ_TERRAFORM_RELEASES_URL }),
    },
    openCloudHealth: (settings) =>
      openCloudHealth(settings, { stateDir, lambdaZipPath: options.bundle.lambdaZipPath }),
    // The raw store: the one the agent writes and the checkpoint is rebuilt from (as `gpuz-cloud repair`).
    checkState: (settings, lock) =>
      checkStateFolder({
        stateDir,
        logPath: settings.logPath,
        store: createStoreFor(settings.target, 'raw'),
        host: settings.host,
        timeZone: settings.timeZone,
        lock,
      }),
  });
}
