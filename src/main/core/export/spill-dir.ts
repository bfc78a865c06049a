/**
 * The folder an export spills its day rows to (in the OS temp folder), owned by its process: an export that was
 * killed, or a power cut, leaves its folder behind (each up to a day's rows as JSON; 34 of them, 4–9 MB each,
 * collected here in one day of testing), and the next export deletes those whose owner no longer runs.
 *
 *   const dir = await openSpillDir()   → '/tmp/gpuz-export-Ab12Cd' (with owner.json = { pid }), after sweeping
 *   await sweepSpillDirs('/tmp')        → ['/tmp/gpuz-export-Xy98Zw']   (its owner, pid 4242, is gone)
 */
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isAlive } from '../state-lock';

const PREFIX = 'gpuz-export-';
const OWNER = 'owner.json';
/** A spill folder without a readable owner (from before owners, or cut while it was made) goes after this long. */
const UNOWNED_STALE_MS = 24 * 3_600_000;

export async function openSpillDir(root = tmpdir()): Promise<string> {
  await sweepSpillDirs(root);
  const dir = await mkdtemp(join(root, PREFIX));
  await writeFile(join(dir, OWNER), JSON.stringify({ pid: process.pid }));
  return dir;
}

export async function sweepSpillDirs(root: string): Promise<string[]> {
  const names = await readdir(root).catch(() => [] as string[]);
  const swept: string[] = [];
  for (const name of names.filter((n) => n.startsWith(PREFIX))) {
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
    .then((text) => (JSON.parse(text) as { pid?: unknown }).pid)
    .catch(() => undefined);
  if (typeof owner === 'number' && Number.isSafeInteger(owner) && owner > 0)
    return owner !== process.pid && !isAlive(owner);
  const info = await stat(dir).catch(() => null);
  return info?.isDirectory() === true && Date.now() - info.mtimeMs > UNOWNED_STALE_MS;
}
