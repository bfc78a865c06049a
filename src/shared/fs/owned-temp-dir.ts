/**
 * A temp folder owned by its process, for work that spills to disk (an export's day rows, the Lambda's daily
 * analytics copy): a run that is killed, loses power or times out leaves its folder behind, and the next run
 * with the same prefix deletes those whose owner is gone. Found living it: 34 killed exports' folders of 4–9 MB
 * each in one day of testing; a Lambda invocation that times out leaves its spill in the warm container's /tmp
 * (512 MB by default), which the next copies then share.
 *
 *   const dir = await openOwnedTempDir('gpuz-export-')   → '/tmp/gpuz-export-Ab12Cd', with owner.json
 *                                                           { pid, run }, after sweeping the prefix's leftovers
 *   await sweepOwnedTempDirs('gpuz-export-', '/tmp')     → ['/tmp/gpuz-export-Xy98Zw']   (pid 4242 is gone)
 *
 * Gone means: its pid runs no more, or it is this process's pid but another run's (a container or a Lambda
 * runtime started again reuses low pids). A folder without a readable owner (an older version's, or one cut
 * while it was made) goes once it is a day old.
 */
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from '../pid-alive';

const OWNER = 'owner.json';
/** This process's run: tells its folders from those of an earlier process that had the same pid. */
const RUN = randomUUID();
const UNOWNED_STALE_MS = 24 * 3_600_000;

export async function openOwnedTempDir(prefix: string, root = tmpdir()): Promise<string> {
  await sweepOwnedTempDirs(prefix, root);
  const dir = await mkdtemp(join(root, prefix));
  await writeFile(join(dir, OWNER), JSON.stringify({ pid: process.pid, run: RUN }));
  return dir;
}

export async function sweepOwnedTempDirs(prefix: string, root: string): Promise<string[]> {
  const names = await readdir(root).catch(() => [] as string[]);
  const swept: string[] = [];
  for (const name of names.filter((n) => n.startsWith(prefix))) {
    const dir = join(root, name);
    if (!(await isLeftBehind(dir))) continue;
    await rm(dir, { recursive: true, force: true }).then(
      () => swept.push(dir),
      () => undefined,
    );
  }
  return swept;
}

async function isLeftBehind(dir: string): Promise<boolean> {
  const owner = await readFile(join(dir, OWNER), 'utf8')
    .then((text) => JSON.parse(text) as { pid?: unknown; run?: unknown })
    .catch(() => undefined);
  const pid = owner?.pid;
  if (typeof pid === 'number' && Number.isSafeInteger(pid) && pid > 0)
    return pid === process.pid ? owner?.run !== RUN : !isAlive(pid);
  const info = await stat(dir).catch(() => null);
  return info?.isDirectory() === true && Date.now() - info.mtimeMs > UNOWNED_STALE_MS;
}
