/**
 * HWiNFO's columns for the Overview's tiles: each sensor's current, minimum, maximum and average since the
 * current GPU-Z logging session started and since the agent started, with the time of the maximum. Fed with
 * the rows the live view adds (each row once), so it sees every row, not only the live window's last 30 min.
 *
 *   const stats = createReadingStats(); stats.add(rows, columns);
 *   stats.snapshot().session.sensors.hot_spot_c → { current: 98.1, min: 41.2, max: 105.5, avg: 97.3, count: 1182, maxAt: … }
 *
 * A session starts over, as in the sessions list (sessions.ts), when the sensor set changes (a GPU-Z header),
 * after a pause longer than 5 min, or when the time goes back (the log restarted). The app span never starts over.
 */
import type { ReadingFigures, ReadingStats } from '../../../shared/agent-status';
import type { Column } from '../../../shared/parse/types';
import { createStats, type Stats } from '../../../shared/process/stats';

const SESSION_GAP_MS = 5 * 60_000;

interface Row {
  t: number;
  values: (number | null)[];
}

interface Span {
  since: number | null;
  sensors: Map<string, { stats: Stats; current: number | null; max: number; maxAt: number | null }>;
}

export interface ReadingStatsTracker {
  add(rows: Row[], columns: Column[]): void;
  snapshot(): ReadingStats;
}

export function createReadingStats(): ReadingStatsTracker {
  const app: Span = { since: null, sensors: new Map() };
  let session: Span = { since: null, sensors: new Map() };
  let sessionKeys = '';
  let lastT: number | null = null;
  return {
    add(rows, columns) {
      const keys = columns.map((c) => c.key).join('\0');
      for (const row of rows) {
        const restarted =
          keys !== sessionKeys || (lastT !== null && (row.t < lastT || row.t - lastT > SESSION_GAP_MS));
        if (restarted) session = { since: null, sensors: new Map() };
        sessionKeys = keys;
        lastT = row.t;
        addRow(app, row, columns);
        addRow(session, row, columns);
      }
    },
    snapshot: () => ({ session: figuresOf(session), app: figuresOf(app) }),
  };
}

function addRow(span: Span, row: Row, columns: Column[]): void {
  span.since ??= row.t;
  columns.forEach((column, i) => {
    const value = row.values[i] ?? null;
    let sensor = span.sensors.get(column.key);
    if (!sensor) {
      sensor = { stats: createStats(), current: null, max: Number.NEGATIVE_INFINITY, maxAt: null };
      span.sensors.set(column.key, sensor);
    }
    sensor.current = value;
    sensor.stats.add(value);
    if (value !== null && value > sensor.max) {
      sensor.max = value;
      sensor.maxAt = row.t;
    }
  });
}

function figuresOf(span: Span): ReadingStats['session'] {
  const sensors: Record<string, ReadingFigures> = {};
  for (const [key, sensor] of span.sensors) {
    const stats = sensor.stats.result();
    sensors[key] = {
      current: sensor.current,
      min: stats?.min ?? null,
      max: stats?.max ?? null,
      avg: stats?.avg ?? null,
      count: stats?.count ?? 0,
      maxAt: sensor.maxAt,
    };
  }
  return { since: span.since, sensors };
}
