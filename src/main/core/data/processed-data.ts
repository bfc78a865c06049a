/**
 * Charts from the processed objects in the store (local folder or S3):
 *   const data = createProcessedData({ store, cache })
 *   await data.query('gaming-pc', { from, to, keys: ['gpu_temperature_c'] })
 *     span > rowsBelowMs (6 h) → 1-minute rollups merged to ≈ maxPoints buckets (rows never read)
 *     otherwise               → the rows themselves
 *   await data.query(host, query, pending)   plus batches not stored yet (pending-data.ts), each until its
 *                                              processed key is listed: then the stored copy counts, never both
 * A row of one time stamp carried by two objects counts once (repeated-rows.ts), in rows, rollups and stats.
 * One LIST per view open (a listing is reused for listTtlMs, so the sensor picker and the first chart share
 * it); objects come through the ETag cache, so reopening costs no GET.
 */
import type { ChartData, ChartQuery, DataExtent, SensorInfo } from '../../../shared/contract';
import type { ListedObject, Store } from '../store/types';
import { seriesFromRollups, seriesFromRows } from './chart-series';
import { type BatchCache, MAX_IN_FLIGHT } from './etag-cache';
import type { PendingDecoded } from './pending-data';
import { overlappingRanges, rangeOf, rollupsOf, timeGroups, withoutRepeatedRows } from './repeated-rows';
import type { BatchRollups, BatchRows } from './types';

/**
 * How far a long read has come: `done` of `total` steps. sessionRows counts a step per object for its summary (a
 * GET on a cold cache: most of a cold read's time) and one per object for its rows; `done` ends at `total`.
 */
export type Progress = (done: number, total: number) => void;

export interface ProcessedData {
  /** The hosts with processed data in the store (`processed/{host}/`), sorted: one LIST with a delimiter. */
  hosts(): Promise<string[]>;
  listSensors(host: string): Promise<SensorInfo[]>;
  extent(host: string): Promise<DataExtent>;
  query(host: string, query: ChartQuery, pending?: PendingDecoded[]): Promise<ChartData>;
  /**
   * The rows of `keys` in a range, in time order, each row once, in pieces — one object at a time, or the objects
   * whose times meet together — with the times of rows that follow a GPU-Z header (for session detection). At most
   * READ_AHEAD groups are read ahead, so a range of months holds about two days of hourly objects, not months.
   */
  sessionRows(
    host: string,
    query: ChartQuery,
    pending?: PendingDecoded[],
    onProgress?: Progress,
  ): Promise<{ starts: number[]; pieces: AsyncIterable<BatchRows> }>;
  /**
   * The processed keys of the batches the agent has not stored yet. A key that was pending at the last call and
   * is not now was uploaded meanwhile: the next call lists again instead of reusing a listing without it.
   */
  notePending?(host: string, processedKeys: string[]): void;
  /** Persists what the cache learnt (called when the runtime closes). */
  close?(): Promise<void>;
}

const DAY = 24 * 60 * 60 * 1000;

const KEY_DATE = /\/(\d{4})\/(\d{2})\/(\d{2})\/[^/]+$/;

export function createProcessedData(options: {
  store: Pick<Store, 'list' | 'listFolders'>;
  cache: BatchCache;
  rowsBelowMs?: number;
  maxPoints?: number;
  listTtlMs?: number;
  now?: () => number;
}): ProcessedData {
  const rowsBelowMs = options.rowsBelowMs ?? 6 * 60 * 60 * 1000;
  const maxPoints = options.maxPoints ?? 2000;

  const listTtlMs = options.listTtlMs ?? 2000;
  const now = options.now ?? Date.now;
  const listings = new Map<string, { at: number; objects: Promise<ListedObject[]> }>();
  const pendingSeen = new Map<string, Set<string>>();

  function list(host: string): Promise<ListedObject[]> {
    const cached = listings.get(host);
    if (cached && now() - cached.at < listTtlMs) return cached.objects;
    const objects = options.store
      .list(`processed/${host}/`)
      .then((all) => all.filter((object) => object.key.endsWith('.json.gz') || object.key.endsWith('.json')));
    objects.catch(() => listings.delete(host));
    listings.set(host, { at: now(), objects });
    return objects;
  }

  /** Objects whose key date (first sample, local) can overlap the range; ±1 day covers zones and midnight. */
  async function overlapping(host: string, from: number, to: number): Promise<ListedObject[]> {
    const candidates = (await list(host)).filter((object) => {
      const date = KEY_DATE.exec(object.key);
      if (!date) return false;
      const day = Date.UTC(Number(date[1]), Number(date[2]) - 1, Number(date[3]));
      return day >= from - 2 * DAY && day < to + DAY;
    });
    await options.cache.prime(candidates);
    const summaries = await Promise.all(candidates.map((object) => options.cache.summary(object)));
    return candidates.filter((_, i) => summaries[i]!.last >= from && summaries[i]!.first < to);
  }

  async function sensorsOf(objects: ListedObject[]): Promise<SensorInfo[]> {
    const byKey = new Map<string, SensorInfo>();
    for (const object of objects.slice(-3)) {
      for (const sensor of (await options.cache.summary(object)).sensors) byKey.set(sensor.key, sensor);
    }
    return [...byKey.values()];
  }

  return {
    close: () => options.cache.flush(),
    hosts: () => options.store.listFolders('processed/'),
    notePending(host, processedKeys) {
      const now = new Set(processedKeys);
      if ([...(pendingSeen.get(host) ?? [])].some((key) => !now.has(key))) listings.delete(host);
      pendingSeen.set(host, now);
    },
    async listSensors(host) {
      return sensorsOf(await list(host));
    },
    async extent(host) {
      const objects = await list(host);
      if (objects.length === 0) return { first: null, last: null };
      await options.cache.prime(objects);
      const summaries = await Promise.all(objects.map((object) => options.cache.summary(object)));
      return {
        first: Math.min(...summaries.map((s) => s.first)),
        last: Math.max(...summaries.map((s) => s.last)),
      };
    },
    async sessionRows(host, query, pending = [], onProgress = () => {}) {
      const objects = await overlapping(host, query.from, query.to);
      const stored = new Set((await list(host)).map((object) => object.key));
      const extra = pending.filter((p) => !stored.has(p.processedKey)).map((p) => p.batch);
      const total = 2 * objects.length + extra.length;
      let done = 0;
      const step = (steps: number) => {
        done += steps;
        onProgress(done, total);
      };
      const summaries = await Promise.all(
        objects.map((object) =>
          options.cache.summary(object).then((summary) => {
            step(1);
            return summary;
          }),
        ),
      );
      const starts = [
        ...summaries.flatMap((summary) => summary.sessionStarts ?? []),
        ...extra.flatMap((batch) => batch.sessionStarts),
      ];
      const rowsOf = (i: number) =>
        i < objects.length
          ? options.cache.rows(objects[i]!)
          : Promise.resolve(extra[i - objects.length]!.rows);
      const groups = timeGroups([...summaries, ...extra.map((batch) => rangeOf(batch.rows))]);
      return { starts, pieces: piecesOf(groups, rowsOf, query, (group) => step(group.length)) };
    },
    async query(host, query, pending = []) {
      const objects = await overlapping(host, query.from, query.to);
      const sensors = await sensorsOf(objects);
      const stored = new Set((await list(host)).map((object) => object.key));
      const extra = pending.filter((p) => !stored.has(p.processedKey)).map((p) => p.batch);
      for (const batch of extra) {
        for (const sensor of batch.sensors)
          if (!sensors.some((s) => s.key === sensor.key)) sensors.push(sensor);
      }
      const inRange = (rows: BatchRows) => rows.t.filter((t) => t >= query.from && t < query.to).length;
      const withPending = (chart: ChartData, pendingRows: number): ChartData =>
        pendingRows > 0 ? { ...chart, pending: { rows: pendingRows, notShown: 0 } } : chart;
      if (query.to - query.from > rowsBelowMs) {
        // Stored rollups, except for batches whose time overlaps another's: theirs come from their rows, each
        // time stamp once (see repeated-rows.ts).
        const ranges = [
          ...(await Promise.all(objects.map((object) => options.cache.summary(object)))),
          ...extra.map((batch) => rangeOf(batch.rows)),
        ];
        const shared = overlappingRanges(ranges);
        const rowsOf = (i: number) =>
          i < objects.length
            ? options.cache.rows(objects[i]!)
            : Promise.resolve(extra[i - objects.length]!.rows);
        const order = [...shared].sort((a, b) => a - b);
        const once = withoutRepeatedRows(await Promise.all(order.map(rowsOf)));
        const rollups: BatchRollups[] = [];
        let pendingRows = 0;
        for (let i = 0; i < ranges.length; i++) {
          const k = order.indexOf(i);
          const pending = i >= objects.length;
          if (k >= 0) rollups.push(rollupsOf(once[k]!));
          else
            rollups.push(
              pending ? extra[i - objects.length]!.rollups : await options.cache.rollups(objects[i]!),
            );
          if (pending) pendingRows += inRange(k >= 0 ? once[k]! : extra[i - objects.length]!.rows);
        }
        return withPending(seriesFromRollups(rollups, query, sensors, maxPoints), pendingRows);
      }
      const rows = await Promise.all(objects.map((object) => options.cache.rows(object)));
      rows.push(...extra.map((batch) => batch.rows));
      const once = withoutRepeatedRows(rows);
      const pendingRows = once.slice(objects.length).reduce((sum, batch) => sum + inRange(batch), 0);
      return withPending(seriesFromRows(once, query, sensors), pendingRows);
    },
  };
}

/**
 * Groups read ahead of the one being merged: as many as the cache downloads at once, so a cold range on S3 keeps
 * its GETs in flight (with 8, a month's 720 GETs would wait on each other's latency); locally, 48 decoded objects
 * held at a time cost ≈ 15–60 MB more than 8 (60 days: 359–402 against 339–345 MB peak), no time.
 */
const READ_AHEAD = MAX_IN_FLIGHT;

/**
 * The rows of each group of batches (timeGroups) in turn, each row once, inside the range: a group's rows are read
 * while the groups before it are merged, at most READ_AHEAD groups ahead.
 */
async function* piecesOf(
  groups: number[][],
  rowsOf: (i: number) => Promise<BatchRows>,
  query: ChartQuery,
  read: (group: number[]) => void,
): AsyncGenerator<BatchRows> {
  const reads: (Promise<BatchRows[]> | undefined)[] = [];
  const readUpTo = (g: number) => {
    for (let k = reads.length; k <= Math.min(g, groups.length - 1); k++) {
      const read = Promise.all(groups[k]!.map(rowsOf));
      read.catch(() => undefined); // said when its turn comes; not an unhandled rejection meanwhile
      reads.push(read);
    }
  };
  for (let g = 0; g < groups.length; g++) {
    readUpTo(g + READ_AHEAD);
    const piece = mergeRows(withoutRepeatedRows(await reads[g]!), query);
    reads[g] = undefined; // its rows go once merged
    read(groups[g]!);
    if (piece.t.length > 0) yield piece;
  }
}

/** Rows of several batches inside the query's range, for its keys, in time order (one column per key). */
function mergeRows(batches: BatchRows[], query: ChartQuery): BatchRows {
  const points: { batch: BatchRows; i: number; t: number }[] = [];
  for (const batch of batches) {
    batch.t.forEach((t, i) => {
      if (t >= query.from && t < query.to) points.push({ batch, i, t });
    });
  }
  points.sort((a, b) => a.t - b.t);
  const values = Object.fromEntries(
    query.keys.map((key) => [key, points.map((p) => p.batch.values[key]?.[p.i] ?? null)]),
  );
  return { t: points.map((p) => p.t), values };
}
