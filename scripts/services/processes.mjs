// Starting, recognising and stopping the server processes this script owns.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';

/**
 * Starts `command args` in its own process group, detached from this script, output appended to
 * `logFile`. `→ pid`. The group lets `stopProcess` end a wrapper (pyenv shim, python -m) and its child.
 */
export function spawnDetached(command, args, { logFile, cwd, env }) {
  const fd = openSync(logFile, 'a');
  try {
    const child = spawn(command, args, { cwd, env, detached: true, stdio: ['ignore', fd, fd] });
    child.unref();
    if (!child.pid) throw new Error(`could not start ${command}`);
    return child.pid;
  } finally {
    closeSync(fd);
  }
}

/** The command line of a running process, `''` when it is gone. */
export function commandLineOf(pid) {
  const proc = `/proc/${pid}/cmdline`;
  if (existsSync('/proc/self/cmdline')) {
    try {
      return readFileSync(proc, 'utf8').split('\0').join(' ');
    } catch {
      return '';
    }
  }
  const ps = spawnSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' });
  return ps.status === 0 ? ps.stdout.trim() : '';
}

/**
 * `→ true` when `pid` is alive AND its command line contains `marker` (a port or a config path we
 * chose). A recycled pid of some unrelated process is never taken for ours, so it is never killed.
 */
export function isOurProcess(pid, marker) {
  if (!pid) return false;
  const cmd = commandLineOf(pid);
  return cmd !== '' && cmd.includes(marker);
}

/** Sends SIGTERM to the process group, waits up to `graceMs`, then SIGKILL. `→ true` if it was running. */
export async function stopProcess(pid, marker, graceMs = 15_000) {
  if (!isOurProcess(pid, marker)) return false;
  signalGroup(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isOurProcess(pid, marker)) return true;
    await new Promise((r) => setTimeout(r, 200));
  }
  signalGroup(pid, 'SIGKILL');
  return true;
}

function signalGroup(pid, signal) {
  try {
    process.kill(-pid, signal);
  } catch {
    try {
      process.kill(pid, signal);
    } catch {
      // Already gone.
    }
  }
}
