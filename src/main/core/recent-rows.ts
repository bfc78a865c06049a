import { open } from 'node:fs/promises';
import { createLogParser } from '../../shared/parse';
import type { Column, RowEvent } from '../../shared/parse/types';
import { forEachLine, isHeaderLine } from './log-lines';

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
    const parser = createLogParser({ timeZone: options.timeZone });
    const events = [
      ...(header ? parser.push(header) : []),
      ...parser.push(bytes.subarray(from)),
      ...parser.end(),
    ];
    let columns: Column[] = [];
    const rows: RowEvent[] = [];
    for (const event of events) {
      if (event.type === 'session') {
        columns = event.columns;
        rows.length = 0;
      } else if (event.type === 'row') rows.push(event);
    }
    return { columns, rows };
  } catch {
    return none;
  }
}
