import type { LiveSnapshot } from './agent-status';
import type { Column } from './parse/types';
import { rowIdentity } from './row-identity';

type LiveRow = LiveSnapshot['rows'][number];

/**
 * The last N minutes of parsed rows, in memory: the agent's live view (core) and the Charts view's live
 * range (renderer) keep theirs with this one window.
 *
 *   const live = createLiveWindow({ windowMs: 30 * 60_000 })
 *   live.add(rows, columns); live.snapshot() → { columns, rows: [{ t, values }, …] } (oldest first)
 *
 * The window is measured on the rows' own timestamps (a log replayed or caught up after a pause still shows
 * its last 30 minutes), and starts over when the sensor set changes (a new GPU-Z session).
 * `{ skipShown: true }` leaves out rows the window holds already (same time stamp and readings): rows shown from
 * the log before delivery could start, then read again for delivery.
 */
export function createLiveWindow(options: { windowMs: number }) {
  let columns: Column[] = [];
  let rows: LiveSnapshot['rows'] = [];
  return {
    add(
      events: LiveRow[],
      sessionColumns: Column[],
      how: { skipShown?: boolean } = {},
    ): LiveSnapshot['rows'] {
      if (sessionColumns !== columns) {
        if (!sameKeys(sessionColumns, columns)) rows = [];
        columns = sessionColumns;
      }
      const identity = (row: LiveSnapshot['rows'][number]) =>
        rowIdentity(
          row.t,
          row.values.map((value, i) => [String(i), value] as const),
        );
      const shown = how.skipShown ? new Set(rows.map(identity)) : null;
      const added = events
        .map((e) => ({ t: e.t, values: e.values }))
        .filter((row) => !shown?.has(identity(row)));
      for (const row of added) rows.push(row);
      const newest = rows[rows.length - 1]?.t ?? 0;
      // Keep rows inside the window *and* not after the newest one: a clock set back, or a log caught up
      // from old sessions, must not pin rows in memory. Bounded by one row per second of window (GPU-Z's
      // fastest rate), twice over, whatever the timestamps say.
      const maxRows = Math.ceil(options.windowMs / 500);
      rows = rows.filter((r) => r.t >= newest - options.windowMs && r.t <= newest);
      if (rows.length > maxRows) rows = rows.slice(rows.length - maxRows);
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
