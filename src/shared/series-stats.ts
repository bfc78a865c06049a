import type { SeriesStats } from './contract';
import { createStats } from './process/stats';

/**
 * min / max / avg of the readings shown, nulls skipped — the one statistics function: the processor's
 * summaries and rollups (createStats), the main process's chart data, sessions and the renderer's tiles all
 * count the same way, the average to four decimals (roundAverage in process/stats.ts).
 *
 *   statsOf([3, null, 5]) → { min: 3, max: 5, avg: 4, count: 2 }
 *   statsOf([null])       → { min: null, max: null, avg: null, count: 0 }
 */
export function statsOf(values: Iterable<number | null>): SeriesStats {
  const stats = createStats();
  for (const value of values) stats.add(value);
  return stats.result() ?? { min: null, max: null, avg: null, count: 0 };
}

export { roundAverage } from './process/stats';
