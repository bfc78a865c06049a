import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../../shared/errors';
import { makeFolder, READ_ONLY_DRIVE_FIX } from '../../../shared/fs/make-folder';

/**
 * The export's folder, made and tried with a small file before anything is read from the store: a folder that
 * cannot be written was found only at the first day file, after its batches were downloaded (GETs paid for
 * nothing), and said as Node's bare `EROFS: read-only file system, mkdir '…'`.
 *
 *   await readyExportFolder('/mnt/usb/gpuz')  → the folder exists and takes files
 *   await readyExportFolder('/mnt/ro/gpuz')   → throws EXPORT_FOLDER_UNWRITABLE "… cannot be written (EROFS)"
 */
export async function readyExportFolder(dir: string): Promise<void> {
  const probe = join(dir, `.gpuz-export-probe-${randomUUID().slice(0, 8)}`);
  try {
    await makeFolder(dir);
    await writeFile(probe, '');
  } catch (error) {
    throw exportFolderError(error, dir);
  } finally {
    await rm(probe, { force: true }).catch(() => undefined);
  }
}

/**
 * A file-system error met writing in the export folder → an error that names the folder and says what to do; any
 * other error unchanged.
 *
 *   exportFolderError({ code: 'ENOSPC', path: '/data/gpuz/host=pc/…' }, '/data/gpuz') → "The drive … is full (ENOSPC)"
 */
export function exportFolderError(error: unknown, dir: string): unknown {
  if (error instanceof AppError) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const path = (error as NodeJS.ErrnoException | null)?.path;
  // A path outside the folder and its parents is another file's (the store's); a write has none.
  const inside = path === undefined || path.startsWith(dir) || dir.startsWith(path);
  if (code === undefined || !inside) return error;
  const again = 'then run the same command again (the days already written are kept)';
  const fix: Record<string, string> = {
    EROFS: `${READ_ONLY_DRIVE_FIX} or choose another --out folder, ${again}.`,
    EACCES: `Give this user write access to the folder, or choose another --out folder, ${again}.`,
    ENOSPC: `Free space on that drive, or choose an --out folder on another drive, ${again}.`,
    ENOENT: `Its drive is not there: connect it, or choose another --out folder, ${again}.`,
    ENOTDIR: `A file is in the folder's place: choose a folder as --out, or move that file away, ${again}.`,
  };
  const known =
    fix[code === 'EPERM' ? 'EACCES' : code === 'EDQUOT' ? 'ENOSPC' : code === 'EEXIST' ? 'ENOTDIR' : code];
  if (known === undefined) return error;
  const what = code === 'ENOSPC' || code === 'EDQUOT' ? 'is on a full drive' : 'cannot be written';
  return new AppError('EXPORT_FOLDER_UNWRITABLE', `The export folder ${dir} ${what} (${code})`, known, {
    cause: error,
  });
}
