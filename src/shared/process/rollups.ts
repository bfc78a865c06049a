import { roundAverage } from './stats';
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
  return new Rollup(intervalMs);
}

/**
 * A class, not closures made per call: a processed document makes one, and closures made again for each document
 * got optimised code of their own that V8 threw away and compiled again at the next one (the processor's second
 * batch recompiled slotOf/addTo/addRow in each thread; bench/backfill.ts, `--trace-opt`).
 */
class Rollup implements RollupBuilder {
  // Each key gets a slot (in order of first appearance: the order of `columns`); a bucket holds min, max, sum and
  // count per slot in Float64Arrays, so a row is a loop over numbers with no call or boxed number per reading.
  private readonly slots = new Map<string, number>();
  private readonly buckets = new Map<number, Bucket>();
  private cached: { start: number; keys: readonly string[]; slots: Int32Array; bucket: Bucket } | undefined =
    undefined;

  constructor(private readonly intervalMs: number) {}

  add(key: string, t: number, value: number | null): void {
    const slot = this.slotOf(key);
    addTo(this.bucketAt(Math.floor(t / this.intervalMs) * this.intervalMs), slot, value);
  }

  addRow(rowKeys: readonly string[], t: number, values: ArrayLike<number | null>): void {
    const start = Math.floor(t / this.intervalMs) * this.intervalMs;
    let cached = this.cached;
    if (!cached || cached.start !== start || cached.keys !== rowKeys) {
      const rowSlots = Int32Array.from(rowKeys, (key) => this.slotOf(key));
      cached = { start, keys: rowKeys, slots: rowSlots, bucket: this.bucketAt(start) };
      this.cached = cached;
    }
    const { bucket, slots: rowSlots } = cached;
    for (let i = 0; i < rowSlots.length; i += 1) addTo(bucket, rowSlots[i]!, values[i] ?? null);
  }

  result(): Rollups {
    const { buckets, intervalMs } = this;
    const starts = [...buckets.keys()].sort((a, b) => a - b);
    const columns: Record<string, RollupSeries> = {};
    for (const [key, slot] of this.slots) {
      const series: RollupSeries = { min: [], max: [], avg: [], count: [] };
      for (const start of starts) {
        const bucket = buckets.get(start)!;
        const count = slot < bucket.count.length ? bucket.count[slot]! : 0;
        series.min.push(count === 0 ? null : bucket.min[slot]!);
        series.max.push(count === 0 ? null : bucket.max[slot]!);
        series.avg.push(count === 0 ? null : roundAverage(bucket.sum[slot]! / count));
        series.count.push(count);
      }
      columns[key] = series;
    }
    return { intervalMs, t: starts, columns };
  }

  private slotOf(key: string): number {
    let slot = this.slots.get(key);
    if (slot === undefined) {
      slot = this.slots.size;
      this.slots.set(key, slot);
    }
    return slot;
  }

  /** The bucket of `start`, with room for every slot so far. */
  private bucketAt(start: number): Bucket {
    const size = this.slots.size;
    let bucket = this.buckets.get(start);
    if (!bucket) {
      bucket = createBucket(size);
      this.buckets.set(start, bucket);
    } else if (bucket.count.length < size) {
      grow(bucket, size);
    }
    return bucket;
  }
}

function addTo(bucket: Bucket, slot: number, value: number | null): void {
  // biome-ignore lint/suspicious/noSelfCompare: NaN = no reading
  if (value === null || value !== value) return;
  if (value < bucket.min[slot]!) bucket.min[slot] = value;
  if (value > bucket.max[slot]!) bucket.max[slot] = value;
  bucket.sum[slot]! += value;
  bucket.count[slot]! += 1;
}

interface Bucket {
  min: Float64Array;
  max: Float64Array;
  sum: Float64Array;
  count: Float64Array;
}

function createBucket(size: number): Bucket {
  return {
    min: new Float64Array(size).fill(Number.POSITIVE_INFINITY),
    max: new Float64Array(size).fill(Number.NEGATIVE_INFINITY),
    sum: new Float64Array(size),
    count: new Float64Array(size),
  };
}

/** Makes room for `size` slots in place (a key first seen after the bucket was made). */
function grow(bucket: Bucket, size: number): void {
  const next = createBucket(size);
  next.min.set(bucket.min);
  next.max.set(bucket.max);
  next.sum.set(bucket.sum);
  next.count.set(bucket.count);
  Object.assign(bucket, next);
}
