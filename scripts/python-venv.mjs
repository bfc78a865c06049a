// One Python venv per requirements file, built once: a stamp holding the file's hash says the venv is complete;
// anything else is rebuilt. Used for moto (the test services) and the analytics engines.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Runs a command; throws with its last 15 output lines and `what` when it fails. */
export function runOrThrow(command, args, what) {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 1_200_000 });
  if (result.status !== 0) {
    const output = `${result.stdout ?? ''}${result.stderr ?? ''}${result.error?.message ?? ''}`;
    throw new Error(
      `${what} failed (${command} exit ${result.status}):\n${output.trim().split('\n').slice(-15).join('\n')}`,
    );
  }
}

/** `'/a/requirements.txt' → its sha256 (hex)`. */
export function stampOf(file) {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

/** `{ dir }` → `dir/bin/<name>`: a program the venv installed. */
export function venvBin(dir, name) {
  return join(dir, 'bin', name);
}

/** `→ true` when the venv in `dir` was built from this requirements file. */
export function isVenvCurrent(dir, requirements) {
  const stampFile = join(dir, '.gpuz-requirements');
  return existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stampOf(requirements);
}

/**
 * `{ dir, requirements } → 'cached' | 'installed'`: the venv in `dir` holds exactly what `requirements` pins.
 * Needs python3 with venv (Debian: apt-get install -y python3-venv) and a reachable package index.
 */
export function ensureVenv({ dir, requirements }) {
  if (isVenvCurrent(dir, requirements)) return 'cached';
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dirname(dir), { recursive: true });
  runOrThrow('python3', ['-m', 'venv', dir], `Creating the venv ${dir} (apt-get install -y python3-venv)`);
  runOrThrow(
    venvBin(dir, 'pip'),
    ['install', '-q', '--disable-pip-version-check', '-r', requirements],
    `pip install -r ${requirements}`,
  );
  writeFileSync(join(dir, '.gpuz-requirements'), stampOf(requirements));
  return 'installed';
}
