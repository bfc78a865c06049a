import type { Column, RowEvent } from '../../shared/parse/types';
import type { LiveSnapshot } from './agent-types';

/**
 * The last N minutes of parsed rows, in memory, for the dashboard's live view.
 *
 *   const live = createLiveWindow({ windowMs: 30 * 60_000 })
 *   live.add(rows, columns); live.snapshot() → { columns, rows: [{ t, values }, …] } (oldest first)
 *
 * The window is measured on the rows' own timestamps (a log replayed or caught up after a pause still shows
 * its last 30 minutes), and starts over when the sensor set changes (a new GPU-Z session).
 */
export function createLiveWindow(options: { windowMs: number }) {
  let columns: Column[] = [];
  let rows: LiveSnapshot['rows'] = [];
  return {
    add(events: RowEvent[], sessionColumns: Column[]): LiveSnapshot['rows'] {
      if (sessionColumns !== columns) {
        if (!sameKeys(sessionColumns, columns)) rows = [];
        columns = sessionColumns;
      }
      const added = events.map((e) => ({ t: e.t, values: e.values }));
      rows.push(...added);
      const newest = rows[rows.length - 1]?.t ?? 0;
      const from = rows.findIndex((r) => r.t >= newest - options.windowMs);
      if (from > 0) rows = rows.slice(from);
      return added;
    },
    snapshot(): LiveSnapshot {
      return { columns, rows: [...rows] };
    },
  };
}

function sameKeys(a: Column[], b: Column[]): boolean {
  return a.length === b.length && a.every((c, i) => c.key === b[i]?.key);
}
