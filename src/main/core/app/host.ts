/**
 * Where this process runs (env, platform, home) and the state folder it decides: what every mode needs before
 * anything else, kept apart from the composition root (compose.ts re-exports it) so a command that needs only
 * the folder — `gpuz-cloud upload`, `status`, `estimate` — does not load the deploy and cloud-health code (and
 * their AWS SDK clients) with it: `upload --help` 0.77 s → see docs/benchmarks.md "Backfill".
 *
 *   const host = hostOfProcess()                       env, platform, home
 *   const stateDir = stateDirOf(host, options.stateDir) → '/home/ann/.local/state/gpuz-cloud' (or --state-dir)
 */
import { homedir } from 'node:os';
import { resolve } from 'node:path';
import { defaultStateDir } from '../state-dir';

/** Where this process runs: everything a path is decided from. */
export interface Host {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  home: string;
}

export function hostOfProcess(): Host {
  return { env: process.env, platform: process.platform, home: homedir() };
}

/** `--state-dir` when given, else the folder every mode shares (core/state-dir.ts; GPUZ_STATE_DIR overrides). */
export function stateDirOf(host: Host, override?: string): string {
  return resolve(override ?? defaultStateDir(host.env, host.platform, host.home));
}
