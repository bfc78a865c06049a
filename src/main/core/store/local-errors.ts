import { parse } from 'node:path';
import { AppError } from '../../../shared/errors';
import { READ_ONLY_DRIVE_FIX } from '../../../shared/fs/make-folder';

/**
 * A file-system error of the local store → an error that names the folder and says what to do; never the network
 * (a local folder has none to blame).
 *
 *   localStoreError({ code: 'ENOTDIR' }, 'D:\\gpuz-store') → STORE_NOT_A_FOLDER: uploads stop until it is fixed
 *   localStoreError({ code: 'EACCES' }, …)                 → STORE_DENIED (stops)
 *   localStoreError({ code: 'ENOSPC' }, …)                 → STORE_FULL: retried like an outage until there is room
 *   localStoreError({ code: 'ENOENT' | 'EIO' | 'ESTALE' … }, …) → STORE_UNREACHABLE: a drive or share that went
 *     away; the batches wait in the spool and the uploader retries
 *   storeFolderGone('/mnt/nas/gpuz')                         → STORE_GONE: the folder held data and is not there
 * An AppError (a refused key) passes through unchanged; anything else becomes STORE_FAILED (this batch only).
 */
const NOT_A_FOLDER = new Set(['ENOTDIR', 'EEXIST', 'EISDIR']);
const DENIED = new Set(['EACCES', 'EPERM', 'EROFS']);
/** A full disk or quota: the local store's drive, or the state folder's (state-file.ts stateWriteError). */
export const DISK_FULL_CODES: ReadonlySet<string> = new Set(['ENOSPC', 'EDQUOT']);
const GONE = new Set(['ENOENT', 'ENODEV', 'ENXIO', 'EIO', 'ESTALE', 'ETIMEDOUT', 'EHOSTDOWN', 'ENOTCONN']);

/** Codes the local store raises that no wait heals: the uploader stops and the state says what to fix. */
export const LOCAL_STOPPING_CODES = ['STORE_NOT_A_FOLDER', 'STORE_DENIED'] as const;

/**
 * The store folder is not there though it was (local.ts `rootReady`): an outage, retried until it is back; it is
 * not made again by itself.
 */
export function storeFolderGone(root: string): AppError {
  const choose = (where: string) =>
    `If you moved it, choose it where it is now (${where}); if you deleted it, make the folder again (the rows it held are not sent again; to send the whole log into it again, also delete checkpoint.json from the agent's state folder while the agent is stopped) or choose a new one (the whole log is sent there).`;
  const wait =
    'Connect or mount the drive it is on: the batches wait in the spool and are sent when it is back.';
  return new AppError(
    'STORE_GONE',
    `The store folder ${root} is not there, though it held this PC's batches: its drive is not connected or not mounted, or the folder was moved or deleted. It is not made again by itself, so nothing is written where the drive should be`,
    `${wait} ${choose('--local <dir>')}`,
    { gui: `${wait} ${choose('Settings → Target')}` },
  );
}

/**
 * The store folder is not there and neither is its drive (`R:\\`, `\\\\nas\\share\\`): an outage, retried. Nothing
 * was touched, and nothing of the log is read until the store can say what it holds.
 */
export function driveNotThere(root: string): AppError {
  const drive = parse(root).root;
  return new AppError(
    'STORE_UNREACHABLE',
    `The store folder ${root} cannot be reached: its drive ${drive} is not there (not plugged in, or a network drive not reconnected yet)`,
    'Connect the drive or network share it is on (or, if the path is wrong, choose the store folder with --local <dir>); the agent asks the store what it holds as soon as it is back, and reads on from there.',
    {
      cause: Object.assign(new Error(`${drive} is not there`), { code: 'ENOENT' }),
      gui: 'Connect the drive or network share it is on (or, if the path is wrong, choose the store folder in Settings → Target); the agent asks the store what it holds as soon as it is back, and reads on from there.',
    },
  );
}

export function localStoreError(error: unknown, root: string): AppError {
  if (error instanceof AppError) return error;
  const code = (error as NodeJS.ErrnoException | null)?.code ?? '';
  const path = (error as NodeJS.ErrnoException | null)?.path;
  // Only a path in the folder says where: Node's recursive mkdir on Windows names '\\?' for a drive that is gone.
  const where = path && path !== root && path.startsWith(root) ? ` (at ${path})` : '';
  const options = { cause: error };
  if (NOT_A_FOLDER.has(code)) {
    return new AppError(
      'STORE_NOT_A_FOLDER',
      `The store folder ${root} is not a folder: a file is in its place${where}`,
      'Choose a folder as the store (--local <dir>), or move that file away, then start the upload again. The batches wait in the spool meanwhile.',
      {
        ...options,
        gui: 'Choose a folder as the store (Settings → Target), or move that file away, then press "Upload now". The batches wait in the spool meanwhile.',
      },
    );
  }
  if (DENIED.has(code)) {
    // EROFS: the whole drive refuses (mounted read-only, write-protected), not this user's rights.
    const fix = code === 'EROFS' ? READ_ONLY_DRIVE_FIX : 'Give this user write access to the folder';
    return new AppError(
      'STORE_DENIED',
      `The store folder ${root} cannot be written (${code})${where}`,
      `${fix}, or choose another store folder (--local <dir>), then start the upload again. The batches wait in the spool meanwhile.`,
      {
        ...options,
        gui: `${fix}, or choose another store folder (Settings → Target), then press "Upload now".`,
      },
    );
  }
  if (DISK_FULL_CODES.has(code)) {
    return new AppError(
      'STORE_FULL',
      `The drive of the store folder ${root} is full (${code})`,
      'Free space on that drive, or choose a store folder on another drive: the batches wait in the spool and are sent by themselves once there is room.',
      options,
    );
  }
  if (GONE.has(code)) {
    return new AppError(
      'STORE_UNREACHABLE',
      `The store folder ${root} cannot be reached (${code})${where}`,
      'Connect the drive or network share it is on (or choose another folder in Settings); the batches wait in the spool and are sent when it is back.',
      options,
    );
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AppError(
    'STORE_FAILED',
    `The store folder ${root} refused a write: ${message}`,
    'The batch stays in the spool and is tried again with the next upload.',
    options,
  );
}
