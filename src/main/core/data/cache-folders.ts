/**
 * The disk cache's folders, one per target under the state folder (`cache/{targetId}`), and when they go:
 *
 *   cacheFolderOf(stateDir, target)              → '<stateDir>/cache/3f9a0c2e7b11d4e5'
 *   await forgetBuckets(stateDir, ['gpuz-cloud-prod-processed-…'], endpoint)   after a destroy: those caches go now
 *   await sweepCacheFolders(stateDir, current)   at each start: another target's cache unused for 30 days goes
 *
 * A bucket's cache holds copies of its objects (up to 1 GiB) and the index of their outlines (≈ 140 MB for a year
 * of hourly objects). Before 2026-12-05 none of it was ever removed: after a destroy ("every batch uploaded to them
 * is deleted") the copies of those batches stayed on the PC, and every target the app had used kept its cache.
 */
import { createHash } from 'node:crypto';
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { TargetSettings } from '../../../shared/contract';

const DAY = 24 * 60 * 60 * 1000;

/** How long the cache of a target no longer in use is kept, in case the settings go back to it. */
export const UNUSED_CACHE_DAYS = 30;

/** A short stable id per target, so switching targets never mixes cached objects. */
export function targetId(target: TargetSettings): string {
  const identity =
    target.kind === 'local'
      ? `local:${target.dir}`
      : `s3:${target.endpoint ?? ''}/${target.processedBucket ?? target.bucket}`;
  return createHash('sha256').update(identity).digest('hex').slice(0, 16);
}

export function cacheFolderOf(stateDir: string, target: TargetSettings): string {
  return join(stateDir, 'cache', targetId(target));
}

/** Removes the caches of targets that read from these buckets (any of them as the processed bucket). */
export async function forgetBuckets(
  stateDir: string,
  buckets: readonly string[],
  endpoint?: string,
): Promise<void> {
  await Promise.all(
    buckets.map((bucket) =>
      rm(cacheFolderOf(stateDir, { kind: 's3', bucket, region: '', ...(endpoint ? { endpoint } : {}) }), {
        recursive: true,
        force: true,
      }),
    ),
  );
}

/**
 * Removes the caches of other targets than `current` that nothing has written to for UNUSED_CACHE_DAYS (a cache
 * in use writes its index and copies as objects are read). Returns the folders removed; a folder that cannot be read or
 * removed is left for the next start.
 */
export async function sweepCacheFolders(
  stateDir: string,
  current: TargetSettings,
  now: number = Date.now(),
): Promise<string[]> {
  const root = join(stateDir, 'cache');
  const keep = targetId(current);
  const names = await readdir(root).catch(() => [] as string[]);
  const removed: string[] = [];
  for (const name of names) {
    if (name === keep) continue;
    const folder = join(root, name);
    const last = await lastWritten(folder);
    if (last === null || now - last < UNUSED_CACHE_DAYS * DAY) continue;
    try {
      await rm(folder, { recursive: true, force: true });
      removed.push(folder);
    } catch {
      // held open by another program (Windows): tried again at the next start
    }
  }
  return removed;
}

/**
 * When a file was last added, renamed into or removed from the folder (its own modification time: the cache
 * writes every file as a temp file renamed into place); null when it is not a folder.
 */
async function lastWritten(folder: string): Promise<number | null> {
  const info = await stat(folder).catch(() => null);
  return info?.isDirectory() ? info.mtimeMs : null;
}
