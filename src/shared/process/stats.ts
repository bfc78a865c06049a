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
  /** The same running figures, to add to apart. */
  copy(): Stats;
  /** The running figures as JSON can keep them ([min, max, sum, count]; createStats(state) goes on from them). */
  state(): number[];
}

export function createStats(state?: readonly number[]): Stats {
  const stats = new RunningStats();
  // No reading yet: min and max stay ±Infinity, which JSON keeps as null.
  if (state?.length === 4 && state[3]! > 0) stats.acc.set(state);
  return stats;
}

/**
 * The running figures live in a Float64Array ([min, max, sum, count]): each write of a double to a closure
 * variable allocates a new box, per reading (most of the processor's garbage), and object fields change
 * representation (0 is a small integer, then a double), which kept the optimised loop from staying optimised.
 */
class RunningStats implements Stats {
  readonly acc = Float64Array.of(Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0, 0);

  add(value: number | null): void {
    // biome-ignore lint/suspicious/noSelfCompare: NaN (no reading in a Float64Array row) is skipped like null
    if (value === null || value !== value) return;
    const acc = this.acc;
    if (value < acc[0]!) acc[0] = value;
    if (value > acc[1]!) acc[1] = value;
    acc[2]! += value;
    acc[3]! += 1;
  }

  addAll(values: Float64Array): void {
    accumulate(values, this.acc);
  }

  copy(): Stats {
    const copy = new RunningStats();
    copy.acc.set(this.acc);
    return copy;
  }

  state(): number[] {
    return [...this.acc];
  }

  result(): ColumnStats | null {
    const [min, max, sum, count] = this.acc as unknown as [number, number, number, number];
    return count === 0 ? null : { min, max, avg: roundAverage(sum / count), count };
  }
}

/**
 * addAll's loop, on locals, in blocks of 1,024 readings. One call over a whole column would be compiled by V8 while
 * it runs (on-stack replacement), before the stores after the loop ever ran, and leave through a deoptimisation at
 * every call (175 for a 24 h batch); a short call runs all of its code before it is compiled.
 */
function accumulate(values: Float64Array, acc: Float64Array): void {
  for (let from = 0; from < values.length; from += 1024) {
    accumulateBlock(values, from, Math.min(from + 1024, values.length), acc);
  }
}

function accumulateBlock(values: Float64Array, from: number, to: number, acc: Float64Array): void {
  let min = acc[0]!;
  let max = acc[1]!;
  let sum = acc[2]!;
  let count = acc[3]!;
  for (let i = from; i < to; i += 1) {
    const value = values[i]!;
    // biome-ignore lint/suspicious/noSelfCompare: NaN = no reading
    if (value !== value) continue;
    if (value < min) min = value;
    if (value > max) max = value;
    sum += value;
    count += 1;
  }
  acc[0] = min;
  acc[1] = max;
  acc[2] = sum;
  acc[3] = count;
}

/**
 * Averages keep 4 decimals: the finest reading GPU-Z writes is a voltage like 0.8250 V, and a full double
 * (56.63333333333333) would triple the size of the rollup arrays for no information.
 */
export function roundAverage(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
