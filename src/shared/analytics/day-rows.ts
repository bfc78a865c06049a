import type { ProcessedDocument } from '../process';
import type { SensorColumn } from './row-schema';

/**
 * A processed document → its rows, split by local date (one chunk per date and session), columnar.
 *
 *   dayChunks(doc, (date) => date >= '2026-08-01')
 *     → [{ date: '2026-08-05', batchId, session: 0, timeZone: 'Europe/Berlin', sensors, t: [...],
 *          values: { gpu_clock_mhz: [1746.5, null, …] }, text: {} }, { date: '2026-08-06', … }]
 *
 * The date is the one the log's own clock showed (the reading's time in the document's `timeZone`): the
 * calendar day the owner lived, and the date of the batch's key. A batch may run past midnight, so one
 * document can feed two or more daily files. Rows of dates `wanted` refuses are left out.
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
  const localDate = localDateIn(document.timeZone);
  for (const [index, session] of document.sessions.entries()) {
    const sensors: SensorColumn[] = [
      ...session.columns.map((c) => ({ key: c.key, name: c.name, unit: c.unit, type: 'number' as const })),
      ...Object.keys(session.text ?? {}).map((key) => ({ key, name: key, unit: '', type: 'text' as const })),
    ];
    const byDate = new Map<string, RowChunk | null>();
    for (let row = 0; row < session.t.length; row += 1) {
      const t = session.t[row]!;
      const date = localDate(t);
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

const QUARTER_HOUR = 15 * 60_000;

/**
 * `localDateIn('Europe/Berlin')(Date.UTC(2026, 7, 5, 22, 30))` → `'2026-08-06'`. Every zone offset in use is a
 * whole number of quarter hours, so the date is computed once per quarter hour and reused.
 */
export function localDateIn(timeZone: string): (t: number) => string {
  const format = new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  });
  const cache = new Map<number, string>();
  return (t) => {
    const quarter = Math.floor(t / QUARTER_HOUR);
    let date = cache.get(quarter);
    if (date === undefined) {
      date = format.format(quarter * QUARTER_HOUR);
      cache.set(quarter, date);
    }
    return date;
  };
}
