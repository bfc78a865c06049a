import { open } from 'node:fs/promises';
import { createLogParser } from '../../shared/parse';
import type { Column, RowEvent } from '../../shared/parse/types';
import { forEachLine, headerToPrepend, isHeaderLine } from './log-lines';
import { lastHeaderBefore } from './resume-point';

/**
 * The log's rows just before where reading resumes, for the live view after a restart (best effort: nothing on
 * any problem). Bounded to `maxBytes` back; rows of an earlier session in that range are left out.
 *
 *   await recentRows({ path, offset: 187_068, header: sessionHeaderBytes, timeZone, maxBytes: 2 << 20 })
 *     → { columns: [{ key: 'gpu_clock_mhz', … }, …], rows: [{ t, values, … }, …] }   (oldest first)
 */
export async function recentRows(options: {
  path: string;
  offset: number;
  /** The header in effect at `offset` (the checkpoint's session header). */
  header: Buffer | null;
  timeZone: string;
  maxBytes: number;
}): Promise<{ columns: Column[]; rows: RowEvent[] }> {
  const none = { columns: [], rows: [] };
  const start = Math.max(0, options.offset - options.maxBytes);
  if (options.offset <= start) return none;
  try {
    const bytes = Buffer.alloc(options.offset - start);
    const file = await open(options.path, 'r');
    try {
      await file.read(bytes, 0, bytes.length, start);
    } finally {
      await file.close();
    }
    // From a line start (the first line may be cut), and from the last header on: one session's rows only.
    let from = start === 0 ? 0 : bytes.indexOf(0x0a) + 1;
    let header: Buffer | null = options.header;
    forEachLine(bytes, (lineStart, lineEnd) => {
      if (lineStart >= from && isHeaderLine(bytes.subarray(lineStart, lineEnd))) {
        from = lineStart;
        header = null;
      }
    });
    if (from <= 0 && start > 0) return none;
    return lastSessionRows(bytes.subarray(from), header, options.timeZone);
  } catch {
    return none;
  }
}

/**
 * The log's complete lines from `from` (a line start) to its last line feed, for the live view while reading
 * cannot start yet (the store cannot be asked what it holds of a log no checkpoint knows): only the last
 * `maxBytes`, only the last session's rows. Reads, never moves the delivery checkpoint. `end` and `header` are
 * where the next look goes on.
 *
 *   await previewRows({ path, from: 0, header: null, timeZone, maxBytes: 2 << 20 })
 *     → { columns, rows, end: 335400, header: <header bytes> }
 */
export async function previewRows(options: {
  path: string;
  from: number;
  header: Buffer | null;
  timeZone: string;
  maxBytes: number;
}): Promise<{ columns: Column[]; rows: RowEvent[]; end: number; header: Buffer | null }> {
  const unchanged = { columns: [], rows: [], end: options.from, header: options.header };
  try {
    const file = await open(options.path, 'r');
    let bytes: Buffer;
    let start: number;
    let header = options.header;
    try {
      const size = (await file.stat()).size;
      if (size < options.from) return { ...unchanged, end: 0, header: null }; // shrunk: start over
      start = Math.max(options.from, size - options.maxBytes);
      bytes = Buffer.alloc(size - start);
      const { bytesRead } = await file.read(bytes, 0, bytes.length, start);
      bytes = bytes.subarray(0, bytesRead);
      // Started past the session's header (a log longer than maxBytes): take the header in effect there.
      if (start > options.from || header === null) header = await lastHeaderBefore(file, start);
    } finally {
      await file.close();
    }
    const lastLf = bytes.lastIndexOf(0x0a);
    if (lastLf < 0) return unchanged;
    // A start moved forward by maxBytes may fall mid-line: from the next line on.
    const first = start > options.from ? bytes.indexOf(0x0a) + 1 : 0;
    const lines = bytes.subarray(first, lastLf + 1);
    const end = start + lastLf + 1;
    let next = header;
    forEachLine(lines, (from, to) => {
      const line = lines.subarray(from, to);
      if (isHeaderLine(line)) next = headerToPrepend(line);
    });
    try {
      return { ...lastSessionRows(lines, header, options.timeZone), end, header: next };
    } catch {
      return { columns: [], rows: [], end, header: next }; // not a log the parser reads: nothing to show
    }
  } catch {
    return unchanged;
  }
}

/** Rows of the last session in `bytes` (read after `header` when given), with its columns. */
function lastSessionRows(
  bytes: Buffer,
  header: Buffer | null,
  timeZone: string,
): { columns: Column[]; rows: RowEvent[] } {
  const parser = createLogParser({ timeZone });
  const events = [...(header ? parser.push(header) : []), ...parser.push(bytes), ...parser.end()];
  let columns: Column[] = [];
  const rows: RowEvent[] = [];
  for (const event of events) {
    if (event.type === 'session') {
      columns = event.columns;
      rows.length = 0;
    } else if (event.type === 'row') rows.push(event);
  }
  return { columns, rows };
}
