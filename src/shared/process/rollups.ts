import { createStats, type Stats } from './stats';
import { ROLLUP_INTERVAL_MS, type RollupSeries, type Rollups } from './types';

/**
 * 1-minute buckets of every series: rows in (any order, any session) → { t, columns: { key: {min,max,avg,count} } }.
 *
 *   const r = createRollupBuilder(); r.add(key, t, value) …; r.result()
 *     → { intervalMs: 60000, t: [1713610920000, …], columns: { gpu_clock_mhz: { min: […], … } } }
 *
 * Buckets are UTC minutes (every real zone offset is a whole number of minutes, so they are local minutes too).
 * A bucket where a key has no reading gets null min/max/avg and count 0, keeping every array aligned with `t`.
 */
export interface RollupBuilder {
  add(key: string, t: number, value: number | null): void;
  /**
   * One row: `values[i]` belongs to `keys[i]` (null or NaN: no reading, so a Float64Array row fits). Rows of one
   * minute in a row share the lookups (the hot path).
   */
  addRow(keys: readonly string[], t: number, values: ArrayLike<number | null>): void;
  result(): Rollups;
}

export function createRollupBuilder(intervalMs = ROLLUP_INTERVAL_MS): RollupBuilder {
  const buckets = new Map<number, Map<string, Stats>>();
  const keys = new Set<string>();
  let cached: { start: number; keys: readonly string[]; stats: Stats[] } | undefined;

  function statsFor(start: number, key: string): Stats {
    let bucket = buckets.get(start);
    if (!bucket) {
      bucket = new Map();
      buckets.set(start, bucket);
    }
    let stats = bucket.get(key);
    if (!stats) {
      stats = createStats();
      bucket.set(key, stats);
      keys.add(key);
    }
    return stats;
  }

  return {
    add(key, t, value) {
      statsFor(Math.floor(t / intervalMs) * intervalMs, key).add(value);
    },
    addRow(rowKeys, t, values) {
      const start = Math.floor(t / intervalMs) * intervalMs;
      if (!cached || cached.start !== start || cached.keys !== rowKeys) {
        cached = { start, keys: rowKeys, stats: rowKeys.map((key) => statsFor(start, key)) };
      }
      const stats = cached.stats;
      for (let i = 0; i < stats.length; i += 1) stats[i]!.add(values[i] ?? null);
    },
    result() {
      const starts = [...buckets.keys()].sort((a, b) => a - b);
      const columns: Record<string, RollupSeries> = {};
      for (const key of keys) {
        const series: RollupSeries = { min: [], max: [], avg: [], count: [] };
        for (const start of starts) {
          const stats = buckets.get(start)!.get(key)?.result() ?? null;
          series.min.push(stats?.min ?? null);
          series.max.push(stats?.max ?? null);
          series.avg.push(stats?.avg ?? null);
          series.count.push(stats?.count ?? 0);
        }
        columns[key] = series;
      }
      return { intervalMs, t: starts, columns };
    },
  };
}
