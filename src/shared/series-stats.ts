import type { SeriesStats } from './contract';

/**
 * min / max / avg of the readings shown, nulls skipped, the average to three decimals; used by the main
 * process for chart data and by the renderer for what is on screen after a zoom.
 *
 *   statsOf([3, null, 5]) → { min: 3, max: 5, avg: 4, count: 2 }
 *   statsOf([null])       → { min: null, max: null, avg: null, count: 0 }
 */
export function statsOf(values: (number | null)[]): SeriesStats {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let count = 0;
  for (const value of values) {
    if (value === null) continue;
    min = Math.min(min, value);
    max = Math.max(max, value);
    sum += value;
    count += 1;
  }
  return count
    ? { min, max, avg: roundAverage(sum / count), count }
    : { min: null, max: null, avg: null, count: 0 };
}

export function roundAverage(value: number): number {
  return Math.round(value * 1000) / 1000;
}
