import type { ColumnStats } from './types';

/**
 * Running min/max/avg/count of the readings of one series (null and NaN — the columns' "no reading" — ignored).
 *
 *   const s = createStats(); s.add(1); s.add(null); s.add(NaN); s.add(3); s.result() → { min: 1, max: 3, avg: 2, count: 2 }
 *   createStats().result() → null (no reading)
 */
export interface Stats {
  add(value: number | null): void;
  /** add() of each value in order (NaN skipped), in one tight loop. */
  addAll(values: Float64Array): void;
  result(): ColumnStats | null;
}

export function createStats(): Stats {
  return new RunningStats();
}

/**
 * A class, not a closure: V8 keeps a double field in one box updated in place, while each write of a double to a
 * closure variable allocates a new one — per reading, which was most of the processor's garbage.
 */
class RunningStats implements Stats {
  private min = Number.POSITIVE_INFINITY;
  private max = Number.NEGATIVE_INFINITY;
  private sum = 0;
  private count = 0;

  add(value: number | null): void {
    // biome-ignore lint/suspicious/noSelfCompare: NaN (no reading in a Float64Array row) is skipped like null
    if (value === null || value !== value) return;
    if (value < this.min) this.min = value;
    if (value > this.max) this.max = value;
    this.sum += value;
    this.count += 1;
  }

  addAll(values: Float64Array): void {
    let { min, max, sum, count } = this;
    for (let i = 0; i < values.length; i += 1) {
      const value = values[i]!;
      // biome-ignore lint/suspicious/noSelfCompare: NaN = no reading
      if (value !== value) continue;
      if (value < min) min = value;
      if (value > max) max = value;
      sum += value;
      count += 1;
    }
    this.min = min;
    this.max = max;
    this.sum = sum;
    this.count = count;
  }

  result(): ColumnStats | null {
    const { min, max, sum, count } = this;
    return count === 0 ? null : { min, max, avg: roundAverage(sum / count), count };
  }
}

/**
 * Averages keep 4 decimals: the finest reading GPU-Z writes is a voltage like 0.8250 V, and a full double
 * (56.63333333333333) would triple the size of the rollup arrays for no information.
 */
export function roundAverage(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
