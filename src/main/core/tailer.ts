import type { Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { TAIL_BYTES } from './batch';
import { type FileIdentity, hasIdentity, readIdentity } from './file-identity';
import { completeLinesEnd } from './log-lines';

/**
 * One look at the log → what changed since the last look. Opens the file read-only for each look and closes
 * it before returning, so GPU-Z can always write, rename or delete it (see docs/delivery.md: libuv opens
 * with FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE on Windows).
 *
 *   const tailer = createTailer({ path })
 *   await tailer.poll() → [{ type: 'file', reason: 'start', identity }]     (a log: where to read is the caller's call)
 *   tailer.seek(4096, bytesBefore4096)
 *   await tailer.poll() → [{ type: 'data', offset: 4096, bytes: <complete lines only> }]
 *   await tailer.poll() → []                                    (nothing new: one stat, no open)
 *   await tailer.poll() → [{ type: 'changed', reason: 'shrunk', … }]     (same log, but shorter than where we are)
 *   await tailer.poll() → [{ type: 'unavailable', reason: 'not-a-file', … }]   (a folder at the log's path)
 *
 * Each read also re-reads the bytes just before the position (≤ 4 KiB) and compares them with what was read
 * there: a log rewritten under the position (a NUL-filled tail after a power loss, a restored copy) is
 * `changed`, not read on from a wrong place. A partial last line is never returned; it is read again once its
 * line feed arrives.
 */
export type TailEvent =
  | { type: 'data'; offset: number; bytes: Buffer }
  /** The file we were reading is gone for good (another one took its name, or it has no data line any more). */
  | { type: 'lost'; reason: 'replaced' }
  /** A log file with a data line whose reading position is not set yet: call seek() (until then: no data). */
  | { type: 'file'; reason: 'start' | 'replaced'; identity: FileIdentity }
  /** The same log, but not what was read: shorter than the position, or other bytes before it. Call seek(). */
  | { type: 'changed'; reason: 'shrunk' | 'rewritten'; identity: FileIdentity; size: number; offset: number }
  /** The log cannot be read now (reported once per change of reason): missing, a folder, access denied, locked. */
  | { type: 'unavailable'; reason: UnavailableReason; detail: string }
  /** Readable again after `unavailable`. */
  | { type: 'available' };

export type UnavailableReason = 'missing' | 'not-a-file' | 'unreadable' | 'locked';

export interface Tailer {
  poll(maxBytes?: number): Promise<TailEvent[]>;
  /** Reads on from `offset`; `before` = the file's bytes just before it (checked on every read). */
  seek(offset: number, before: Buffer): void;
  readonly identity: FileIdentity | null;
  readonly offset: number;
  /** True when the last poll read everything complete that the file had (or waits for seek()). */
  readonly caughtUp: boolean;
  /**
   * Bytes of the log after the position, as big as the file was at the last poll that opened it; null while there is
   * no position in a readable file (before seek(), the log missing or replaced).
   */
  readonly unread: number | null;
}

/**
 * The most a poll reads at once (1 MiB). A line with no line feed in a whole read (a NUL hole, garbage) is passed
 * on in pieces of this size, and a log copy is read in the same pieces (ingest.ts), so both cut the same lines.
 */
export const LOG_READ_BYTES = 1 << 20;

export function createTailer(options: { path: string }): Tailer {
  const { path } = options;
  let identity: FileIdentity | null = null;
  let placed = false;
  let replaced = false;
  let offset = 0;
  let before = Buffer.alloc(0);
  let unavailable: UnavailableReason | null = null;
  let caughtUp = false;
  let lastKey = '';
  /** The file's size at the last poll that opened it; null while it cannot be read. */
  let size: number | null = null;

  /** Reports a reason once (and again when it changes); the caller waits and polls again. */
  function notReadable(events: TailEvent[], reason: UnavailableReason, error?: unknown): TailEvent[] {
    if (unavailable !== reason) {
      const detail = (error as NodeJS.ErrnoException | undefined)?.code ?? reason;
      events.push({ type: 'unavailable', reason, detail });
    }
    unavailable = reason;
    caughtUp = true;
    lastKey = '';
    size = null;
    return events;
  }

  function unplace(): void {
    placed = false;
    caughtUp = true;
    lastKey = '';
  }

  async function poll(maxBytes = LOG_READ_BYTES): Promise<TailEvent[]> {
    const events: TailEvent[] = [];
    let info: Stats;
    try {
      info = await stat(path);
    } catch (error) {
      // A file deleted while another process holds it open is "delete pending" on Windows: EPERM, as missing.
      return notReadable(events, reasonOf(error), error);
    }
    if (!info.isFile()) return notReadable(events, 'not-a-file');
    const key = statKey(info);
    if (key === lastKey && caughtUp && placed) return events;

    let handle: Awaited<ReturnType<typeof open>>;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      return notReadable(events, reasonOf(error), error);
    }
    if (unavailable !== null) events.push({ type: 'available' });
    unavailable = null;
    lastKey = key;
    try {
      size = (await handle.stat()).size;
      if (identity && !(await hasIdentity(handle, identity))) {
        events.push({ type: 'lost', reason: 'replaced' });
        identity = null;
        replaced = true;
        unplace();
      }
      if (!identity) {
        identity = await readIdentity(handle, size);
        if (!identity) {
          caughtUp = true;
          return events;
        }
      }
      if (!placed) {
        events.push({ type: 'file', reason: replaced ? 'replaced' : 'start', identity });
        unplace();
        return events;
      }
      if (size < offset) {
        events.push({ type: 'changed', reason: 'shrunk', identity, size, offset });
        unplace();
        return events;
      }
      const want = Math.min(size - offset, maxBytes);
      if (want <= 0) {
        caughtUp = true;
        return events;
      }
      const buffer = Buffer.allocUnsafe(before.length + want);
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, offset - before.length);
      if (bytesRead < before.length || !buffer.subarray(0, before.length).equals(before)) {
        events.push({ type: 'changed', reason: 'rewritten', identity, size, offset });
        unplace();
        return events;
      }
      const read = buffer.subarray(before.length, bytesRead);
      let end = completeLinesEnd(read);
      // A "line" longer than a whole read (a NUL run without a line feed): pass it on rather than stall.
      if (end === 0 && read.length === maxBytes) end = read.length;
      if (end > 0) {
        events.push({ type: 'data', offset, bytes: read.subarray(0, end) });
        offset += end;
        before = Buffer.from(
          buffer.subarray(Math.max(0, before.length + end - TAIL_BYTES), before.length + end),
        );
      }
      caughtUp = offset + (read.length - end) >= size;
      return events;
    } finally {
      await handle.close();
    }
  }

  return {
    poll,
    seek(at, bytesBefore) {
      offset = at;
      before = Buffer.from(bytesBefore.subarray(Math.max(0, bytesBefore.length - TAIL_BYTES)));
      placed = true;
      replaced = false;
      caughtUp = false;
      lastKey = '';
    },
    get identity() {
      return identity;
    },
    get offset() {
      return offset;
    },
    get caughtUp() {
      return caughtUp;
    },
    get unread() {
      return placed && size !== null ? Math.max(0, size - offset) : null;
    },
  };
}

/** EBUSY: another program holds the log with a share mode that keeps readers out (Windows' sharing violation). */
function reasonOf(error: unknown): UnavailableReason {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EBUSY') return 'locked';
  return code === 'EACCES' ? 'unreadable' : code === 'EISDIR' ? 'not-a-file' : 'missing';
}

function statKey(info: Stats): string {
  return `${info.ino}:${info.birthtimeMs}:${info.size}:${info.mtimeMs}`;
}
