import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { pathExists } from './path-exists';

/**
 * What a folder on a read-only drive (EROFS: mounted read-only, write-protected) is told, the same for the store, the
 * state folder and an export's folder: no right of this user would help.
 */
export const READ_ONLY_DRIVE_FIX =
  'Its drive is read-only (mounted read-only, or write-protected): make it writable';

/**
 * `mkdir -p` that says why it failed. Node's recursive mkdir reports ENOENT when a level cannot be made on a read-only
 * file system (nodejs/node#47098, still open for Node 22): a read-only drive read as one that is not there — the
 * local store retried it as an outage for ever, the state folder said "cannot be made (ENOENT)". On ENOENT the
 * missing levels are made one by one under the nearest one that exists, which fails with the real code.
 *
 *   await makeFolder('/mnt/ro/store/raw/pc')  → throws EROFS (recursive mkdir alone: ENOENT)
 *   await makeFolder('Q:\\store')             → throws ENOENT (no such drive: nothing to make it under)
 */
export async function makeFolder(dir: string): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    await makeLevels(dir, error);
  }
}

async function makeLevels(dir: string, masked: unknown): Promise<void> {
  const missing: string[] = [];
  for (let at = dir; !(await pathExists(at)); at = dirname(at)) {
    // Not even the root is there (a drive that went away): ENOENT is the truth then.
    if (dirname(at) === at) throw masked;
    missing.unshift(at);
  }
  for (const level of missing) {
    await mkdir(level).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'EEXIST') throw error;
    });
  }
}
