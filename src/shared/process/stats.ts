import type { ColumnStats } from './types';

/**
 * Running min/max/avg/count of the readings of one series (nulls ignored).
 *
 *   const s = createStats(); s.add(1); s.add(null); s.add(3); s.result() → { min: 1, max: 3, avg: 2, count: 2 }
 *   createStats().result() → null (no reading)
 */
export interface Stats {
  add(value: number | null): void;
  result(): ColumnStats | null;
}

export function createStats(): Stats {
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  let sum = 0;
  let count = 0;
  return {
    add(value) {
      if (value === null) return;
      if (value < min) min = value;
      if (value > max) max = value;
      sum += value;
      count += 1;
    },
    result() {
      return count === 0 ? null : { min, max, avg: roundAverage(sum / count), count };
    },
  };
}

/**
 * Averages keep 4 decimals: the finest reading GPU-Z writes is a voltage like 0.8250 V, and a full double
 * (56.63333333333333) would triple the size of the rollup arrays for no information.
 */
export function roundAverage(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
