import { open, readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';

/**
 * One agent per state folder: two agents on one checkpoint and spool would cut the same log twice.
 *
 *   const release = await lockStateDir('/state')   // writes /state/agent.lock = { pid }
 *   await lockStateDir('/state') from another live process → AppError AGENT_RUNNING
 *   await release()
 *
 * A lock left by a process that no longer runs (killed, crashed) is taken over. The same process may
 * lock again (the app replaces its agent when the settings change).
 */
export async function lockStateDir(stateDir: string): Promise<() => Promise<void>> {
  const path = join(stateDir, 'agent.lock');
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(path, 'wx');
      await handle.writeFile(JSON.stringify({ pid: process.pid, startedAt: new Date().toISOString() }));
      await handle.close();
      return () => unlink(path).catch(() => undefined);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = await readFile(path, 'utf8')
      .then((text) => (JSON.parse(text) as { pid?: number }).pid)
      .catch(() => undefined);
    if (holder !== undefined && holder !== process.pid && isAlive(holder)) {
      throw new AppError(
        'AGENT_RUNNING',
        `Another upload agent (process ${holder}) is using ${stateDir}`,
        'Stop it first (quit the tray app or the other `gpuz-cloud upload --watch`), or pass a different --state-dir.',
      );
    }
    await unlink(path).catch(() => undefined);
  }
  throw new AppError(
    'AGENT_LOCK',
    `Could not lock ${stateDir}`,
    'Delete agent.lock in that folder and try again.',
  );
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
