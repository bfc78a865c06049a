import type { ProcessedDocument } from '../../../shared/process';
import type { SensorColumn } from './row-schema';
import { utcDate } from './row-schema';

/**
 * A processed document → its rows, split by UTC date (one chunk per date and session), columnar.
 *
 *   dayChunks(doc, (date) => date >= '2026-08-01')
 *     → [{ date: '2026-08-05', batchId, session: 0, timeZone: 'Europe/Berlin', sensors, t: [...],
 *          values: { gpu_clock_mhz: [1746.5, null, …] }, text: {} }, { date: '2026-08-06', … }]
 *
 * A batch may run past midnight (UTC), so one document can feed two or more daily files. Rows of dates
 * `wanted` refuses are left out; a session's rows keep their order.
 */
export interface RowChunk {
  date: string;
  batchId: string;
  session: number;
  timeZone: string;
  sensors: SensorColumn[];
  t: number[];
  values: Record<string, (number | null)[]>;
  text: Record<string, (string | null)[]>;
}

export function dayChunks(document: ProcessedDocument, wanted: (date: string) => boolean): RowChunk[] {
  const chunks: RowChunk[] = [];
  for (const [index, session] of document.sessions.entries()) {
    const sensors: SensorColumn[] = [
      ...session.columns.map((c) => ({ key: c.key, name: c.name, unit: c.unit, type: 'number' as const })),
      ...Object.keys(session.text ?? {}).map((key) => ({ key, name: key, unit: '', type: 'text' as const })),
    ];
    const byDate = new Map<string, RowChunk | null>();
    for (let row = 0; row < session.t.length; row += 1) {
      const t = session.t[row]!;
      const date = utcDate(t);
      let chunk = byDate.get(date);
      if (chunk === null) continue;
      if (chunk === undefined) {
        if (!wanted(date)) {
          byDate.set(date, null);
          continue;
        }
        chunk = {
          date,
          batchId: document.batchId,
          session: index,
          timeZone: document.timeZone,
          sensors,
          t: [],
          values: Object.fromEntries(session.columns.map((c) => [c.key, []])),
          text: Object.fromEntries(Object.keys(session.text ?? {}).map((key) => [key, []])),
        };
        byDate.set(date, chunk);
      }
      chunk.t.push(t);
      for (const column of session.columns) {
        chunk.values[column.key]!.push(session.values[column.key]?.[row] ?? null);
      }
      for (const [key, cells] of Object.entries(session.text ?? {}))
        chunk.text[key]!.push(cells[row] ?? null);
    }
    for (const chunk of byDate.values()) if (chunk) chunks.push(chunk);
  }
  return chunks;
}
