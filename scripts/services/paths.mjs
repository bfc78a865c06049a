// Where the test services keep their state, logs and cached jars.
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root, e.g. `/work/main`. */
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * State folder (pids, ports, logs, Kafka data): `$GPUZ_SERVICES_DIR`, else `$TMPDIR/gpuz-cloud-services`.
 * A temp folder because nothing in it must outlive the machine.
 */
export function resolveStateDir(env = process.env) {
  return env.GPUZ_SERVICES_DIR || join(tmpdir(), 'gpuz-cloud-services');
}

/**
 * The project's download cache: `$GPUZ_CACHE_DIR`, else `~/.cache/gpuz-cloud` (`$XDG_CACHE_HOME` respected).
 * Kept between runs so only the first run downloads (Kafka jars, the pinned Node runtimes).
 */
export function resolveCacheDir(env = process.env) {
  return env.GPUZ_CACHE_DIR || join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'gpuz-cloud');
}

/** Jar cache for one Kafka version: `{cache}/kafka-4.1.1` (~45 MB). */
export function resolveKafkaCacheDir(version, env = process.env) {
  return join(resolveCacheDir(env), `kafka-${version}`);
}
