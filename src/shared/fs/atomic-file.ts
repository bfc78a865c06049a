import { randomUUID } from 'node:crypto';
import { open, readdir, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { readFileCb } from './callback-fs';
import { makeFolder } from './make-folder';

/**
 * Replaces a file so a reader (or a process restarted after a crash) sees either the old or the new
 * content, never a torn one: write a temp file beside it, fsync, rename over, fsync the folder.
 *
 *   await writeFileAtomic('/state/checkpoint.json', '{"offset":4096}\n')
 *
 * On Windows the rename fails with EPERM, EACCES or EBUSY while another program holds the target without
 * FILE_SHARE_DELETE (an antivirus scanner, the search indexer, a backup tool): `renameRetrying` tries again with a
 * short backoff for a bounded time, as graceful-fs and npm do, instead of failing the write.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  await makeFolder(dir);
  const temp = join(dir, `.${basename(path)}.${randomUUID().slice(0, 8)}.tmp`);
  const handle = await open(temp, 'w');
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await renameRetrying(temp, path);
  } catch (error) {
    // A write cut short (a full disk) or a rename refused: the temp copy goes too. Left, each failed try kept its
    // part of the disk (a full state folder filled up with them, and stayed full once the disk had room again).
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDir(dir);
}

/** The name writeFileAtomic gives its temp file: `.checkpoint.json.1a2b3c4d.tmp`. */
const TEMP_NAME = /^\..+\.[0-9a-f]{8}\.tmp$/;
/** A temp file this old belongs to no write in progress (a write renames it within seconds). */
export const STALE_TEMP_MS = 10 * 60_000;

/**
 * Deletes the temp files of atomic writes that never finished (the process was killed or the power cut between
 * write and rename) directly in `dir`; each is a whole copy of its file, so they add up over months of restarts.
 * Only writeFileAtomic's own names, and only those older than `olderThanMs`: a write in progress is never touched.
 *
 *   await sweepStaleTemps(stateDir) → ['/state/.stats.json.9f8e7d6c.tmp']
 */
export async function sweepStaleTemps(dir: string, olderThanMs = STALE_TEMP_MS): Promise<string[]> {
  const names = await readdir(dir).catch(() => [] as string[]);
  return sweepStaleTempFiles(
    names.map((name) => join(dir, name)),
    olderThanMs,
  );
}

/** The same for paths already listed (a folder walk): those with a temp name and older than `olderThanMs` go. */
export async function sweepStaleTempFiles(paths: string[], olderThanMs = STALE_TEMP_MS): Promise<string[]> {
  const swept: string[] = [];
  for (const path of paths.filter((p) => TEMP_NAME.test(basename(p)))) {
    const info = await stat(path).catch(() => null);
    if (!info?.isFile() || Date.now() - info.mtimeMs < olderThanMs) continue;
    await unlink(path).then(
      () => swept.push(path),
      () => undefined,
    );
  }
  return swept;
}

/** The codes Windows gives a rename whose target (or source) another process holds open for a moment. */
const HELD_CODES = new Set(['EPERM', 'EACCES', 'EBUSY']);
/** How long a held file is waited for in all: scanners hold a small file for milliseconds, rarely seconds. */
export const RENAME_RETRY_MS = 5_000;

export interface RenameRetryOptions {
  /** Only win32 retries: elsewhere these codes mean a real permission problem. */
  platform?: NodeJS.Platform;
  rename?: (from: string, to: string) => Promise<void>;
  wait?: (ms: number) => Promise<unknown>;
}

/**
 * `rename(from, to)`, retried on win32 while the error is EPERM/EACCES/EBUSY: waits 10, 20, … 100 ms (then 100 ms
 * each) until RENAME_RETRY_MS have been waited, then throws the last error. Any other error is thrown at once.
 *
 *   await renameRetrying(temp, statsPath)   // an indexer holds stats.json for 40 ms: done after ~3 tries
 */
export async function renameRetrying(
  from: string,
  to: string,
  options: RenameRetryOptions = {},
): Promise<void> {
  const platform = options.platform ?? process.platform;
  const move = options.rename ?? rename;
  const wait = options.wait ?? sleep;
  let waited = 0;
  for (let attempt = 1; ; attempt++) {
    try {
      await move(from, to);
      return;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? '';
      if (platform !== 'win32' || !HELD_CODES.has(code) || waited >= RENAME_RETRY_MS) throw error;
      const pause = Math.min(100, 10 * attempt);
      await wait(pause);
      waited += pause;
    }
  }
}
/** Makes a rename durable on POSIX; Windows cannot open a folder for fsync (and NTFS journals renames). */
export async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** JSON from a file, or `fallback` when it does not exist. */
export async function readJsonFile<T>(path: string, fallback: T): Promise<T> {
  try {
    return JSON.parse(await readFileCb(path, 'utf8')) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return fallback;
    throw error;
  }
}
