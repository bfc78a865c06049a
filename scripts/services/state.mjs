// The state file records which processes this script started, so later calls find (only) them.
import { mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** `stateDir → { moto?, kafka? }`; an unreadable file counts as empty (it is rewritten on start). */
export function readState(stateDir) {
  try {
    return JSON.parse(readFileSync(join(stateDir, 'state.json'), 'utf8'));
  } catch {
    return {};
  }
}

export function writeState(stateDir, state) {
  mkdirSync(stateDir, { recursive: true });
  writeFileSync(join(stateDir, 'state.json'), `${JSON.stringify(state, null, 2)}\n`);
}

export function clearState(stateDir) {
  rmSync(join(stateDir, 'state.json'), { force: true });
}

/**
 * Serialises `start`/`stop` between concurrent callers with an exclusive directory. A lock left by a
 * crashed caller (older than `staleMs`) is taken over. `→ release()`.
 */
export async function acquireLock(stateDir, { timeoutMs = 300_000, staleMs = 300_000 } = {}) {
  mkdirSync(stateDir, { recursive: true });
  const lock = join(stateDir, 'lock');
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      mkdirSync(lock);
      return () => rmSync(lock, { recursive: true, force: true });
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EEXIST') throw error;
    }
    if (isStale(lock, staleMs)) rmSync(lock, { recursive: true, force: true });
    if (Date.now() > deadline) throw new Error(`another services.mjs holds ${lock}; remove it if none runs`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

function isStale(lock, staleMs) {
  try {
    return Date.now() - statSync(lock).mtimeMs > staleMs;
  } catch {
    return false; // Released between our two calls.
  }
}
