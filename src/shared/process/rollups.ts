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
  // Each key gets a slot (in order of first appearance: the order of `columns`); a bucket holds min, max, sum and
  // count per slot in Float64Arrays, so a row is a loop over numbers with no call or boxed number per reading.
  const slots = new Map<string, number>();
  const buckets = new Map<number, Bucket>();
  let cached: { start: number; keys: readonly string[]; slots: Int32Array; bucket: Bucket } | undefined;

  function slotOf(key: string): number {
    let slot = slots.get(key);
    if (slot === undefined) {
      slot = slots.size;
      slots.set(key, slot);
    }
    return slot;
  }

  /** The bucket of `start`, with room for every slot so far. */
  function bucketAt(start: number): Bucket {
    let bucket = buckets.get(start);
    if (!bucket) {
      bucket = createBucket(slots.size);
      buckets.set(start, bucket);
    } else if (bucket.count.length < slots.size) {
      grow(bucket, slots.size);
    }
    return bucket;
  }

  function addTo(bucket: Bucket, slot: number, value: number | null): void {
    // biome-ignore lint/suspicious/noSelfCompare: NaN = no reading
    if (value === null || value !== value) return;
    if (value < bucket.min[slot]!) bucket.min[slot] = value;
    if (value > bucket.max[slot]!) bucket.max[slot] = value;
    bucket.sum[slot]! += value;
    bucket.count[slot]! += 1;
  }

  return {
    add(key, t, value) {
      const slot = slotOf(key);
      addTo(bucketAt(Math.floor(t / intervalMs) * intervalMs), slot, value);
    },
    addRow(rowKeys, t, values) {
      const start = Math.floor(t / intervalMs) * intervalMs;
      if (!cached || cached.start !== start || cached.keys !== rowKeys) {
        const rowSlots = Int32Array.from(rowKeys, slotOf);
        cached = { start, keys: rowKeys, slots: rowSlots, bucket: bucketAt(start) };
      }
      const { bucket, slots: rowSlots } = cached;
      for (let i = 0; i < rowSlots.length; i += 1) addTo(bucket, rowSlots[i]!, values[i] ?? null);
    },
    result() {
      const starts = [...buckets.keys()].sort((a, b) => a - b);
      const columns: Record<string, RollupSeries> = {};
      for (const [key, slot] of slots) {
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
    },
  };
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
