/**
 * Turns cached batches into chart columns (pure):
 *   seriesFromRows([{ t: [0, 1000, 60000], values: { gpu_temperature_c: [50, 52, 49] } }], query)
 *     → { resolution: 'rows', t: [0, 1000, 1001, 60000], series: [{ values: [50, 52, null, 49], stats: { min: 49, max: 52 … } }] }
 *       (the null after 1000 breaks the line across the session gap)
 *   foldRollups(query, maxPoints): add(rollups) per batch, then series(sensors) — 1-minute rollups merged into
 *   ≈ maxPoints buckets for a long range.
 */
import type { ChartData, ChartQuery, SensorInfo, SeriesStats } from '../../../shared/contract';
import { roundAverage, statsOf } from '../../../shared/series-stats';
import type { BatchRollups, BatchRows } from './types';

const MINUTE = 60_000;
/** GPU-Z logs every second by default; a longer pause than this is a gap between sessions. */
const MIN_ROW_GAP_MS = 10_000;

export function seriesFromRows(batches: BatchRows[], query: ChartQuery, sensors: SensorInfo[]): ChartData {
  const points: { t: number; values: (number | null)[] }[] = [];
  for (const batch of batches) {
    const columns = query.keys.map((key) => batch.values[key]);
    batch.t.forEach((t, i) => {
      if (t >= query.from && t < query.to)
        points.push({ t, values: columns.map((column) => column?.[i] ?? null) });
    });
  }
  points.sort((a, b) => a.t - b.t);
  const gap = Math.max(MIN_ROW_GAP_MS, 3 * medianStep(points.map((p) => p.t)));
  const t: number[] = [];
  const values: (number | null)[][] = query.keys.map(() => []);
  let previous: number | null = null;
  for (const point of points) {
    if (previous !== null && point.t - previous > gap) pushGap(t, values, previous + 1);
    t.push(point.t);
    for (const [k, value] of point.values.entries()) values[k]!.push(value);
    previous = point.t;
  }
  return {
    resolution: 'rows',
    t,
    series: query.keys.map((key, k) => ({
      ...describeSensor(key, sensors),
      values: values[k]!,
      stats: statsOf(values[k]!),
    })),
  };
}

/**
 * 1-minute rollups merged into wider buckets, a batch at a time, so a 30-day chart draws ≈ maxPoints points: min of
 * mins, max of maxes, count-weighted average. Only the buckets of the asked keys are kept, not the batches (a year's
 * rollups of every sensor are ≈ 250 MB held at once). Batches added in the same order give the same chart.
 *   const fold = foldRollups(query, 2000); for (…) fold.add(await cache.rollups(object)); fold.series(sensors)
 */
export function foldRollups(query: ChartQuery, maxPoints: number) {
  const bucketMs = Math.max(MINUTE, Math.ceil((query.to - query.from) / maxPoints / MINUTE) * MINUTE);
  const buckets = new Map<number, { min: number[]; max: number[]; sum: number[]; count: number[] }>();
  const totals = query.keys.map(() => ({ min: Infinity, max: -Infinity, sum: 0, count: 0 }));
  function add(batch: BatchRollups): void {
    batch.t.forEach((minute, i) => {
      if (minute < query.from - MINUTE || minute >= query.to) return;
      const start = Math.floor(minute / bucketMs) * bucketMs;
      let bucket = buckets.get(start);
      if (!bucket) {
        const n = query.keys.length;
        bucket = { min: fill(n, Infinity), max: fill(n, -Infinity), sum: fill(n, 0), count: fill(n, 0) };
        buckets.set(start, bucket);
      }
      query.keys.forEach((key, k) => {
        const count = batch.count[key]?.[i] ?? 0;
        const avg = batch.avg[key]?.[i];
        if (!count || avg === null || avg === undefined) return;
        const low = batch.min[key]?.[i] ?? avg;
        const high = batch.max[key]?.[i] ?? avg;
        bucket.min[k] = Math.min(bucket.min[k]!, low);
        bucket.max[k] = Math.max(bucket.max[k]!, high);
        bucket.sum[k]! += avg * count;
        bucket.count[k]! += count;
        const total = totals[k]!;
        total.min = Math.min(total.min, low);
        total.max = Math.max(total.max, high);
        total.sum += avg * count;
        total.count += count;
      });
    });
  }
  function series(sensors: SensorInfo[]): ChartData {
    const starts = [...buckets.keys()].sort((a, b) => a - b);
    const t: number[] = [];
    const min: (number | null)[][] = query.keys.map(() => []);
    const max: (number | null)[][] = query.keys.map(() => []);
    const avg: (number | null)[][] = query.keys.map(() => []);
    let previous: number | null = null;
    for (const start of starts) {
      // A missing bucket means nothing was logged: break the band instead of bridging the hole.
      if (previous !== null && start - previous > bucketMs) {
        t.push(previous + bucketMs);
        for (const column of [...min, ...max, ...avg]) column.push(null);
      }
      const bucket = buckets.get(start)!;
      t.push(start);
      query.keys.forEach((_, k) => {
        const n = bucket.count[k]!;
        min[k]!.push(n ? bucket.min[k]! : null);
        max[k]!.push(n ? bucket.max[k]! : null);
        avg[k]!.push(n ? roundAverage(bucket.sum[k]! / n) : null);
      });
      previous = start;
    }
    return {
      resolution: 'rollups',
      t,
      series: query.keys.map((key, k) => {
        const total = totals[k]!;
        const stats: SeriesStats = total.count
          ? { min: total.min, max: total.max, avg: roundAverage(total.sum / total.count), count: total.count }
          : { min: null, max: null, avg: null, count: 0 };
        return { ...describeSensor(key, sensors), min: min[k]!, max: max[k]!, avg: avg[k]!, stats };
      }),
    };
  }
  return { add, series };
}

function describeSensor(key: string, sensors: SensorInfo[]): { key: string; name: string; unit: string } {
  const sensor = sensors.find((s) => s.key === key);
  return { key, name: sensor?.name ?? key, unit: sensor?.unit ?? '' };
}

function pushGap(t: number[], values: (number | null)[][], at: number): void {
  t.push(at);
  for (const column of values) column.push(null);
}

function medianStep(times: number[]): number {
  if (times.length < 2) return 1000;
  const steps = times.slice(1, 2001).map((time, i) => time - times[i]!);
  steps.sort((a, b) => a - b);
  return steps[Math.floor(steps.length / 2)]!;
}

function fill(n: number, value: number): number[] {
  return new Array<number>(n).fill(value);
}
