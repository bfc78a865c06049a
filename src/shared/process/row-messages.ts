import type { ProcessedBatch } from './process-raw';
import type { ColumnInfo, ProcessedDocument } from './types';

/**
 * Rows of a processed batch (in memory or a stored document) → one Kafka message per row, lazily.
 *
 *   [...rowMessages(documentRows(doc))][0]
 *     → { key: 'gaming-pc:ab12-0-4096:0',
 *         value: '{"host":"gaming-pc","batchId":"ab12-0-4096","row":0,"session":0,"t":1713610929000,
 *                  "time":"2024-04-20T11:02:09.000Z","values":{"gpu_clock_mhz":2490,…}}' }
 *
 * The key is host + batch + row index (in document order), so a consumer can de-duplicate redeliveries and
 * a re-forward of the same document produces the same keys.
 */
export interface RowMessage {
  key: string;
  value: string;
}

export interface RowSession {
  columns: ColumnInfo[];
  length: number;
  time(index: number): number;
  value(key: string, index: number): number | null;
}

export interface RowTable {
  host: string;
  batchId: string;
  rows: number;
  sessions: RowSession[];
}

export function* rowMessages(table: RowTable): Generator<RowMessage> {
  let row = 0;
  for (const [session, rows] of table.sessions.entries()) {
    for (let i = 0; i < rows.length; i += 1) {
      const t = rows.time(i);
      const values: Record<string, number | null> = {};
      for (const column of rows.columns) values[column.key] = rows.value(column.key, i);
      const body = {
        host: table.host,
        batchId: table.batchId,
        row,
        session,
        t,
        time: new Date(t).toISOString(),
        values,
      };
      yield { key: `${table.host}:${table.batchId}:${row}`, value: JSON.stringify(body) };
      row += 1;
    }
  }
}

/** The rows of a batch the processor just built. */
export function batchRows(batch: ProcessedBatch): RowTable {
  return {
    host: batch.header.host,
    batchId: batch.header.batchId,
    rows: batch.summary.rows,
    sessions: batch.sessions.map((session) => ({
      columns: session.columns,
      length: session.length,
      time: (i) => session.t.get(i)!,
      value: (key, i) => session.values.get(key)!.get(i),
    })),
  };
}

/** The rows of a stored processed document (the `forward` command reads these). */
export function documentRows(document: ProcessedDocument): RowTable {
  return {
    host: document.host,
    batchId: document.batchId,
    rows: document.summary.rows,
    sessions: document.sessions.map((session) => ({
      columns: session.columns,
      length: session.t.length,
      time: (i) => session.t[i]!,
      value: (key, i) => session.values[key]?.[i] ?? null,
    })),
  };
}
