// The pinned moto server in the project's own venv ({cache}/moto-venv), so the tests never run whatever moto a
// machine's system Python happens to hold (services/moto/requirements.txt says why that broke CI).
import { join } from 'node:path';
import { ensureVenv, isVenvCurrent, venvBin } from '../python-venv.mjs';
import { REPO_ROOT, resolveCacheDir } from './paths.mjs';

export const MOTO_REQUIREMENTS = join(REPO_ROOT, 'services', 'moto', 'requirements.txt');

/** `{cache}/moto-venv`, or `$GPUZ_MOTO_VENV`. */
export function resolveMotoVenv(env = process.env) {
  return env.GPUZ_MOTO_VENV || join(resolveCacheDir(env), 'moto-venv');
}

/** `→ ['/…/moto-venv/bin/moto_server']` when the pinned venv is complete, else `null`. */
export function pinnedMotoCommand(env = process.env) {
  const dir = resolveMotoVenv(env);
  return isVenvCurrent(dir, MOTO_REQUIREMENTS) ? [venvBin(dir, 'moto_server')] : null;
}

/** Installs the pinned moto (~25 s, once); `→ 'cached' | 'installed'`. Throws with pip's output on failure. */
export function ensureMotoVenv(env = process.env) {
  return ensureVenv({ dir: resolveMotoVenv(env), requirements: MOTO_REQUIREMENTS });
}
