import { open, readdir, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { makeFolder } from '../../shared/fs/make-folder';
import { type FileIdentity, hasIdentity, readIdentity } from './file-identity';

/**
 * Copies of logs the store could not be asked about yet. A log that takes the place of the one being read while the
 * store is out of reach is not read for delivery until the store says what it holds of it (it could be a restored
 * copy, sent already). GPU-Z may overwrite it again before then, so its bytes are copied into the state folder at
 * every look meanwhile, and read from the copy once the store answers (ingest.ts `sendCopies`).
 *
 *   const copies = createLogCopies({ dir: '/state/log-copies', capBytes })
 *   await copies.keep('/logs/GPU-Z Sensor Log.txt', identity) → { path, began: true, bytes: 5120, capped: false }
 *   await copies.list() → { copies: [{ identity, path: '/state/log-copies/1764921600000-3f9a0c2e7b11.log', bytes }] oldest
 *                           first, unreadable: [], lineless: [] }
 *   await copies.remove('3f9a0c2e7b11')
 *
 * A copy is the log's first `bytes` bytes, appended to and synced at each look, at most 64 MiB at a time (a kill
 * leaves a shorter copy, which the next look extends). Copies together stay under `capBytes` (the spool's cap): past it `capped` says so and the
 * rest stays in the log only.
 */
export interface LogCopy {
  identity: FileIdentity;
  path: string;
  bytes: number;
}

export interface KeepResult {
  path: string;
  /** The copy was begun by this call. */
  began: boolean;
  /** The copy's length after this call. */
  bytes: number;
  /** The copies reached their cap: the log holds more than its copy. */
  capped: boolean;
}

/** What the copies folder holds (list()). */
export interface CopiesFound {
  /** The copies that hold their log's first complete data line at least, oldest first. */
  copies: LogCopy[];
  /** Copies that cannot be read now (no access, locked by another program): left where they are. */
  unreadable: { fileId: string; path: string; code: string }[];
  /**
   * Copies without a complete data line (begun just before a kill): nothing in them can be sent. The one of the log
   * being read is extended at the next look; any other is never extended again.
   */
  lineless: { fileId: string; path: string }[];
}

const NAME = /^(\d+)-([0-9a-f]{12})\.log$/;
const READ_BYTES = 4 << 20;
/** At most this much is copied at one look (a months-old log of hundreds of MB): the rest at the next looks. */
const PER_LOOK_BYTES = 64 << 20;

export function createLogCopies(options: {
  dir: string;
  capBytes: number;
  now?: () => number;
  perLookBytes?: number;
}) {
  const now = options.now ?? Date.now;
  const perLook = options.perLookBytes ?? PER_LOOK_BYTES;

  async function names(): Promise<{ name: string; at: number; fileId: string }[]> {
    let entries: string[];
    try {
      entries = await readdir(options.dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    return entries
      .map((name) => ({ name, match: NAME.exec(name) }))
      .filter((e): e is { name: string; match: RegExpExecArray } => e.match !== null)
      .map(({ name, match }) => ({ name, at: Number(match[1]), fileId: match[2]! }))
      .sort((a, b) => a.at - b.at || a.name.localeCompare(b.name));
  }

  async function sizeOf(path: string): Promise<number> {
    return (await stat(path)).size;
  }

  return {
    dir: options.dir,
    /** Appends what the log at `logPath` holds beyond its copy (none when the log is no longer `identity`). */
    async keep(logPath: string, identity: FileIdentity): Promise<KeepResult> {
      const all = await names();
      const mine = all.find((n) => n.fileId === identity.fileId);
      const path = join(options.dir, mine?.name ?? `${now()}-${identity.fileId}.log`);
      let total = 0;
      let had = 0;
      for (const n of all) {
        const bytes = await sizeOf(join(options.dir, n.name));
        total += bytes;
        if (n === mine) had = bytes;
      }
      const log = await open(logPath, 'r');
      try {
        const size = (await log.stat()).size;
        // Replaced since the look that saw it, or shorter than its copy (not the same log any more): nothing to add.
        if (!(await hasIdentity(log, identity)) || size <= had)
          return { path, began: false, bytes: had, capped: false };
        const room = Math.max(0, options.capBytes - total);
        if (room === 0) return { path, began: false, bytes: had, capped: true };
        const end = had + Math.min(size - had, room, perLook);
        await makeFolder(options.dir);
        const copy = await open(path, 'a');
        try {
          const buffer = Buffer.allocUnsafe(Math.min(READ_BYTES, end - had));
          for (let at = had; at < end; ) {
            const { bytesRead } = await log.read(buffer, 0, Math.min(buffer.length, end - at), at);
            if (bytesRead === 0) break;
            await copy.write(buffer, 0, bytesRead);
            at += bytesRead;
          }
          await copy.datasync();
        } finally {
          await copy.close();
        }
        return {
          path,
          began: mine === undefined,
          bytes: await sizeOf(path),
          capped: end - had === room && end < size,
        };
      } finally {
        await log.close();
      }
    },

    /**
     * The copies, oldest first. A copy that no longer starts with the log it was named for (damaged on disk) is set
     * aside (`.damaged`) and not listed: its bytes could not be told apart from another log's. One that cannot be
     * read is reported, not thrown: it must not keep every other log from being placed.
     */
    async list(): Promise<CopiesFound> {
      const found: CopiesFound = { copies: [], unreadable: [], lineless: [] };
      for (const n of await names()) {
        const path = join(options.dir, n.name);
        let identity: FileIdentity | null;
        let bytes: number;
        try {
          const handle = await open(path, 'r');
          try {
            bytes = (await handle.stat()).size;
            identity = await readIdentity(handle, bytes);
          } finally {
            await handle.close();
          }
        } catch (error) {
          const code = (error as NodeJS.ErrnoException).code;
          if (code === undefined) throw error;
          found.unreadable.push({ fileId: n.fileId, path, code });
          continue;
        }
        if (identity?.fileId === n.fileId) found.copies.push({ identity, path, bytes });
        else if (identity !== null) await rename(path, `${path}.damaged`);
        else found.lineless.push({ fileId: n.fileId, path });
      }
      return found;
    },

    async remove(fileId: string): Promise<void> {
      for (const n of await names()) {
        if (n.fileId === fileId) await rm(join(options.dir, n.name), { force: true });
      }
    },
  };
}

export type LogCopies = ReturnType<typeof createLogCopies>;
