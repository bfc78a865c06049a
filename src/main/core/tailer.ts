import type { Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { type FileIdentity, hasIdentity, readIdentity } from './file-identity';
import { completeLinesEnd } from './log-lines';

/**
 * One look at the log → what changed since the last look. Opens the file read-only for each look and closes
 * it before returning, so GPU-Z can always write, rename or delete it (see docs/delivery.md: libuv opens
 * with FILE_SHARE_READ | FILE_SHARE_WRITE | FILE_SHARE_DELETE on Windows).
 *
 *   const tailer = createTailer({ path, identity: checkpoint.identity, offset: 4096 })
 *   await tailer.poll() → [{ type: 'data', offset: 4096, bytes: <complete lines only> }]
 *   await tailer.poll() → []                                   (nothing new: one stat, no open)
 *   await tailer.poll() → [{ type: 'lost', reason: 'truncated' }, { type: 'file', reason: 'truncated', identity }]
 *   await tailer.poll() → [{ type: 'unavailable', reason: 'not-a-file' }]   (a folder at the log's path)
 *
 * A partial last line is never returned; it is read again once its line feed arrives.
 */
export type TailEvent =
  | { type: 'data'; offset: number; bytes: Buffer }
  /** The file we were reading is gone for good (its unread tail cannot be read any more). */
  | { type: 'lost'; reason: LostReason }
  /** A (new) log file with a data line: reading starts at `offset` (0, or what the spool already holds). */
  | { type: 'file'; reason: 'start' | LostReason; identity: FileIdentity; offset: number }
  /** The log cannot be read now (reported once per change of reason): missing, a folder, or access denied. */
  | { type: 'unavailable'; reason: UnavailableReason; detail: string }
  /** Readable again after `unavailable`. */
  | { type: 'available' };

export type LostReason = 'truncated' | 'replaced';
export type UnavailableReason = 'missing' | 'not-a-file' | 'unreadable';

export interface Tailer {
  poll(maxBytes?: number): Promise<TailEvent[]>;
  readonly identity: FileIdentity | null;
  readonly offset: number;
  /** True when the last poll read everything complete that the file had. */
  readonly caughtUp: boolean;
}

export interface TailerOptions {
  path: string;
  identity: FileIdentity | null;
  offset: number;
  /** Where to start in a newly found file (what the spool already holds of it after a crash), default 0. */
  startOffsetFor?: (identity: FileIdentity) => number;
}

const DEFAULT_READ = 1 << 20;

export function createTailer(options: TailerOptions): Tailer {
  const { path } = options;
  let identity = options.identity;
  let offset = identity ? options.offset : 0;
  let unavailable: UnavailableReason | null = null;
  let caughtUp = false;
  let lastKey = '';

  /** Reports a reason once (and again when it changes); the caller waits and polls again. */
  function notReadable(events: TailEvent[], reason: UnavailableReason, error?: unknown): TailEvent[] {
    if (unavailable !== reason) {
      const detail = (error as NodeJS.ErrnoException | undefined)?.code ?? reason;
      events.push({ type: 'unavailable', reason, detail });
    }
    unavailable = reason;
    caughtUp = true;
    lastKey = '';
    return events;
  }

  async function poll(maxBytes = DEFAULT_READ): Promise<TailEvent[]> {
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
    if (key === lastKey && caughtUp) return events;

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
      const size = (await handle.stat()).size;
      if (identity && (size < offset || !(await hasIdentity(handle, identity)))) {
        const reason: LostReason = size < offset ? 'truncated' : 'replaced';
        events.push({ type: 'lost', reason });
        identity = null;
        offset = 0;
        const next = await readIdentity(handle, size);
        if (next) {
          identity = next;
          offset = options.startOffsetFor?.(next) ?? 0;
          events.push({ type: 'file', reason, identity: next, offset });
        }
      } else if (!identity) {
        const next = await readIdentity(handle, size);
        if (next) {
          identity = next;
          offset = options.startOffsetFor?.(next) ?? 0;
          events.push({ type: 'file', reason: 'start', identity: next, offset });
        }
      }
      if (!identity) {
        caughtUp = true;
        return events;
      }
      const want = Math.min(size - offset, maxBytes);
      if (want <= 0) {
        caughtUp = true;
        return events;
      }
      const { bytesRead, buffer } = await handle.read(Buffer.allocUnsafe(want), 0, want, offset);
      let end = completeLinesEnd(buffer.subarray(0, bytesRead));
      // A "line" longer than a whole read (a NUL run without a line feed): pass it on rather than stall.
      if (end === 0 && bytesRead === maxBytes) end = bytesRead;
      if (end > 0) {
        events.push({ type: 'data', offset, bytes: buffer.subarray(0, end) });
        offset += end;
      }
      caughtUp = offset + (bytesRead - end) >= size;
      return events;
    } finally {
      await handle.close();
    }
  }

  return {
    poll,
    get identity() {
      return identity;
    },
    get offset() {
      return offset;
    },
    get caughtUp() {
      return caughtUp;
    },
  };
}

function reasonOf(error: unknown): UnavailableReason {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'EACCES' ? 'unreadable' : code === 'EISDIR' ? 'not-a-file' : 'missing';
}

function statKey(info: Stats): string {
  return `${info.ino}:${info.birthtimeMs}:${info.size}:${info.mtimeMs}`;
}
