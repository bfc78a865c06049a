import { mkdir, open, readFile, unlink } from 'node:fs/promises';
import { uptime } from 'node:os';
import { join } from 'node:path';
import { AppError, type ErrorData } from '../../shared/errors';
import { stateWriteError } from './state-file';

/**
 * One agent per state folder: two agents on one checkpoint and spool would cut the same log twice.
 *
 *   const { release } = await lockStateDir('/state')   // creates /state, writes /state/agent.lock = { pid, startedAt, bootedAt }
 *   await lockStateDir('/state') from another live process → AppError AGENT_RUNNING (names the lock file)
 *   await release()
 *
 * A lock left by a process that no longer runs (killed, crashed) is taken over, and so is one written before the
 * computer last started (after a reboot its pid may belong to any other program) or one that holds no pid (a
 * crash while it was written); `notice` then says so. The same process may lock again (the app replaces its agent
 * when the settings change).
 */
export async function lockStateDir(
  stateDir: string,
): Promise<{ release: () => Promise<void>; notice: ErrorData | null }> {
  const path = join(stateDir, 'agent.lock');
  await mkdir(stateDir, { recursive: true });
  let notice: ErrorData | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx');
      const lock = { pid: process.pid, startedAt: new Date().toISOString(), bootedAt: bootTime() };
      try {
        await handle.writeFile(JSON.stringify(lock));
      } catch (error) {
        // A full disk: no half-written lock left behind (the next start took it for a crash's).
        await handle.close().catch(() => undefined);
        await unlink(path).catch(() => undefined);
        throw stateWriteError(error, path);
      }
      await handle.close();
      return { release: () => unlink(path).catch(() => undefined), notice };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw stateWriteError(error, path);
    }
    const holder = await readLock(path);
    const sameBoot = holder !== null && isThisBoot(holder);
    if (holder && holder.pid !== process.pid && sameBoot && isAlive(holder.pid)) {
      throw new AppError(
        'AGENT_RUNNING',
        `Another upload agent (process ${holder.pid}) is using ${stateDir} (lock file ${path})`,
        `Stop it first (quit the tray app or the other \`gpuz-cloud upload --watch\`), or pass a different --state-dir. If no agent runs (process ${holder.pid} is another program), delete ${path}.`,
        {
          gui: `Quit the other GPU-Z Cloud (its tray icon, or a \`gpuz-cloud\` in a terminal), then start this one again. If none runs, delete ${path}.`,
        },
      );
    }
    if (!holder || !sameBoot) {
      notice = {
        code: 'LOCK_TAKEN_OVER',
        message: holder
          ? `${path} was left before this computer last started (process ${holder.pid}): taken over`
          : `${path} held no readable process id (a crash while it was written): taken over`,
      };
    }
    await unlink(path).catch(() => undefined);
  }
  throw new AppError('AGENT_LOCK', `Could not lock ${stateDir}`, `Delete ${path} and try again.`);
}

/**
 * The process holding the state folder's lock now (another process, alive, started since this boot), or null:
 *   await lockHolder('/state') → 4242 while `gpuz-cloud agent` runs there; null after it stopped or crashed
 */
export async function lockHolder(stateDir: string): Promise<number | null> {
  const holder = await readLock(join(stateDir, 'agent.lock'));
  if (!holder || holder.pid === process.pid || !isThisBoot(holder) || !isAlive(holder.pid)) return null;
  return holder.pid;
}

function isThisBoot(holder: { bootedAt?: number }): boolean {
  return holder.bootedAt === undefined || Math.abs(holder.bootedAt - bootTime()) < 120_000;
}

async function readLock(path: string): Promise<{ pid: number; bootedAt?: number } | null> {
  try {
    const data = JSON.parse(await readFile(path, 'utf8')) as { pid?: unknown; bootedAt?: unknown };
    if (!Number.isSafeInteger(data.pid) || (data.pid as number) <= 0) return null;
    return {
      pid: data.pid as number,
      ...(typeof data.bootedAt === 'number' ? { bootedAt: data.bootedAt } : {}),
    };
  } catch {
    return null;
  }
}

/** When the computer started (epoch ms, to the second): a pid from an earlier boot means nothing now. */
function bootTime(): number {
  return Math.round((Date.now() - uptime() * 1000) / 1000) * 1000;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
