/**
 * Processed objects, read through a disk cache keyed by ETag, split into the parts the charts need:
 *   const cache = createBatchCache({ store, dir, decode })
 *   await cache.summary(listed)  → { first, last, sensors }   (GET only when the ETag changed)
 *   await cache.rollups(listed)  → 1-minute rollups           (30-day views read only these)
 *   await cache.rows(listed)     → the rows                   (zoomed-in views)
 *   await cache.prime(listed[])  → before many summaries: the uncached ones from their day documents
 * One file per object, `{sha256(key)}.object` (not for a local store, whose objects are files already): a line
 * `{"etag":…,"bytes":n}` then the object as downloaded, decoded for its rows only when a zoomed-in view asks (a cold
 * 30-day chart parses no rows: `outline` reads only a document's head and rollups). The packed index (packed-index.ts:
 * one file per host and day) holds every object's meta (ETag, summary, 1-minute rollups: all a long range needs), each
 * day rewritten once its changes stop for packDelayMs, so a new process opening a 30-day chart reads 30 files instead
 * of hundreds. A copy the index does not list yet (the process ended before it was written) is outlined again from its
 * `.object` file, never downloaded again; a torn file (its length is not the line's `bytes`) is a miss. Caches of older
 * versions are still read: the single `index.pack` (until 2026-12-04) or `index.json` (before 2026-12-03), split into
 * days at the next write, and `.meta.json` + `.body` per object. Reopening the dashboard costs no GET at all, and a
 * long range never parses rows. The `.object` copies are written behind the reads (the first draw does not wait for 720
 * new files) and flush() waits for them: a process killed within that moment GETs the unwritten ones again. prime() (a
 * cold long range) takes the outlines of a day's uncached objects from that day's document in one GET (day-outlines.ts)
 * and remembers them in the index like any other; those objects have no `.object` copy until a zoomed-in view GETs one.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { AppError } from '../../../shared/errors';
import { sweepStaleTempFiles } from '../../../shared/fs/atomic-file';
import { readFileCb, statCb, writeFileCb } from '../../../shared/fs/callback-fs';
import { makeFolder } from '../../../shared/fs/make-folder';
import type { ListedObject, Store } from '../store/types';
import { dayOutlines } from './day-outlines';
import { decodeProcessed, outlineProcessed, spanOf } from './decode-processed';
import { dayPath, keyDay } from './key-date';
import { createPackedIndex } from './packed-index';
import type { PackedMeta } from './rollup-pack';
import type { BatchRollups, BatchRows, BatchSummary, DecodedBatch, DecodedOutline } from './types';

type Part = 'summary' | 'rollups' | 'rows';
type PartValue = { summary: BatchSummary; rollups: BatchRollups; rows: BatchRows };
type Fetched = { summary: BatchSummary; rollups: BatchRollups; rows?: BatchRows };

export interface BatchCache {
  summary(object: ListedObject): Promise<BatchSummary>;
  /** The summary of `object` if this run has it in memory already (an extent, a sensor list, a chart): no I/O. */
  heldSummary(object: ListedObject): BatchSummary | null;
  rollups(object: ListedObject): Promise<BatchRollups>;
  rows(object: ListedObject): Promise<BatchRows>;
  /**
   * Before the summaries or rollups of many objects are asked for: the outlines of those not cached yet come
   * from their day documents where these have them (one GET per day instead of one per object); the rest are
   * GET as always when asked. `onOutline` is told each object outlined so (a long read's progress).
   */
  prime(objects: ListedObject[], onOutline?: (key: string) => void): Promise<void>;
  /**
   * The objects of `host` whose key dates lie in `fromDay` … `toDay` (UTC midnights) that this PC has read before
   * (the index knows them), as a listing would name them but without size or time: the charts' answer when the
   * store cannot be listed (processed-data.ts).
   */
  keptObjects(host: string, fromDay: number, toDay: number): Promise<ListedObject[]>;
  /**
   * Whether the rows of `object` can be read without the store: a copy of it is kept (or waits to be written). An
   * object known from its day document only (a long chart's outline) has none until a view reads its rows.
   */
  hasRows(object: ListedObject): Promise<boolean>;
  /** The first and last key dates (UTC midnights) of `host` this PC has read an object of, or null: none. */
  keptDays(host: string): Promise<{ first: number; last: number } | null>;
  /** Writes the packed index now if a change is pending (on shutdown). */
  flush(): Promise<void>;
}

export function createBatchCache(options: {
  store: Store;
  dir: string;
  decode: (body: Uint8Array, key: string) => DecodedBatch;
  /** The batch without its rows, cheaper than `decode` (default: `decode`, rows dropped). */
  outline?: (body: Uint8Array, key: string) => Promise<DecodedOutline>;
  /** Outlines of objects from elsewhere than the objects themselves (day-outlines.ts); absent: none. */
  outlines?: (
    objects: ListedObject[],
    each: (key: string, outline: DecodedOutline) => Promise<void>,
  ) => Promise<unknown>;
  /** Delay before the packed index is rewritten after a change. */
  packDelayMs?: number;
  /** Bytes of copies waiting to be written before downloads wait for the writers (default KEEP_QUEUE_BYTES). */
  keepQueueBytes?: number;
  /**
   * Keep a copy of each downloaded object (default true). A local store's objects are files already: a copy would
   * only double them (a year of hourly objects viewed once: 543 MB more in the state folder).
   */
  keepCopies?: boolean;
  /** Bytes of copies kept at most, checked once per process (default COPIES_CAP_BYTES)… */
  copiesCapBytes?: number;
  /** …this long after the first read (default 10 s). */
  trimDelayMs?: number;
}): BatchCache {
  const copiesCapBytes = options.copiesCapBytes ?? COPIES_CAP_BYTES;
  const trimDelayMs = options.trimDelayMs ?? 10_000;
  const keepQueueBytes = options.keepQueueBytes ?? KEEP_QUEUE_BYTES;
  const keepCopies = options.keepCopies ?? true;
  // The summaries seen in this run (small: an extent over a year asks for 8,760). Rollups come from the packed
  // index, which keeps two months of days read whole: kept here too, a year's Sessions held them all as arrays.
  const summaries = new Map<string, BatchSummary>();
  const seen = (key: string, etag: string) => `${key}\0${etag}`;
  const inflight = new Map<string, Promise<Fetched>>();
  const outline =
    options.outline ??
    (async (body: Uint8Array, key: string): Promise<DecodedOutline> => {
      const { rows, ...rest } = options.decode(body, key);
      return { ...rest, ...spanOf(rows.t, rest.rollups.t) };
    });

  const base = (key: string) =>
    join(options.dir, createHash('sha256').update(key).digest('hex').slice(0, 40));

  const index = createPackedIndex({ dir: options.dir, delayMs: options.packDelayMs ?? 1000 });
  // The cache folder's names, read once: a cold start looks up hundreds of copies that do not exist.
  let names: Promise<Set<string>> | null = null;
  const listNames = () => {
    names ??= readdir(options.dir).then(
      (found) => {
        // A pack write cut by a kill leaves a whole copy of the index (megabytes) as a temp file.
        void sweepStaleTempFiles(found.map((name) => join(options.dir, name)));
        if (keepCopies) {
          const present = new Set(found);
          // Later than the first draw: statting a year of copies took 110 ms of the thread pool its reads need.
          setTimeout(() => void trimCopies(present).catch(() => undefined), trimDelayMs).unref?.();
          return present;
        }
        // Copies a version before 2026-12-04 kept of a local store's objects (a second copy of the store): removed.
        const copies = found.filter((name) => /\.(object|body|meta\.json)$/.test(name));
        for (const name of copies) void rm(join(options.dir, name), { force: true }).catch(() => undefined);
        return new Set(found.filter((name) => !copies.includes(name)));
      },
      () => new Set<string>(),
    );
    return names;
  };
  /**
   * Past copiesCapBytes of copies, the oldest written go until 80 % of it is left (GET again if a zoom asks; the index
   * keeps their outlines). Once per process, trimDelayMs after the first read: without it, a bucket's every object
   * ever viewed stayed (a year of hourly objects: 543 MB).
   */
  async function trimCopies(present: Set<string>): Promise<void> {
    const copies = await Promise.all(
      [...present]
        .filter((name) => name.endsWith('.object'))
        .map((name) =>
          statCb(join(options.dir, name)).then(
            (stat) => ({ name, bytes: stat.size, at: stat.mtimeMs }),
            () => null,
          ),
        ),
    );
    const kept = copies.filter((copy) => copy !== null).sort((a, b) => a.at - b.at);
    let total = kept.reduce((sum, copy) => sum + copy.bytes, 0);
    if (total <= copiesCapBytes) return;
    for (const copy of kept) {
      if (total <= 0.8 * copiesCapBytes) break;
      present.delete(copy.name);
      total -= copy.bytes;
      await rm(join(options.dir, copy.name), { force: true });
    }
  }
  const fileOf = (key: string, suffix: string) => `${base(key)}${suffix}`;
  const has = async (path: string) => (await listNames()).has(basename(path));
  let dirReady: Promise<unknown> | null = null;

  /** Into the packed index, its day written once changes stop for packDelayMs (at most 10 × that after the first). */
  const remember = (key: string, meta: PackedMeta) => index.set(key, meta);

  /** The kept copy of an object (null: none, or torn), from its `.object` file or an older cache's `.body`. */
  async function readKept(key: string): Promise<{ etag: string | null; body: Uint8Array } | null> {
    const path = fileOf(key, '.object');
    if (await has(path)) {
      const file = await readFileCb(path).catch(() => null);
      const lineEnd = file?.indexOf(10) ?? -1;
      if (!file || lineEnd < 0) return null;
      try {
        const head = JSON.parse(file.toString('utf8', 0, lineEnd)) as { etag: string; bytes: number };
        const body = file.subarray(lineEnd + 1);
        return body.length === head.bytes ? { etag: head.etag, body } : null;
      } catch {
        return null;
      }
    }
    const older = fileOf(key, '.body');
    if (!(await has(older))) return null;
    const body = await readFile(older).catch(() => null);
    return body && { etag: null, body };
  }

  // Copies are written behind the reads, KEEP_WRITERS at a time: a cold month creates 720 files, and awaiting each
  // before its chart data held the first draw behind the disk (and took libuv's pool from the reads and inflates).
  // A zoom before its copy is written decodes the copy from here (rowsOf); flush() waits for the writers. One key is
  // never written by two writers at once (a newer copy queued meanwhile waits for the write in progress).
  const toKeep = new Map<string, { etag: string; body: Uint8Array }>();
  const writing = new Map<string, { etag: string; body: Uint8Array }>();
  const writers = new Set<Promise<void>>();
  const nextToKeep = () => {
    for (const key of toKeep.keys()) if (!writing.has(key)) return key;
    return undefined;
  };
  // Bytes queued for the writers. Past keepQueueBytes a download waits for the writers before it returns: reading
  // a year for Sessions, the downloads outran two writers and the queue held thousands of bodies (1.4 GB RSS).
  let queuedBytes = 0;
  const waitingForRoom: (() => void)[] = [];
  // Writers running, counted down as a writer's loop ends, not when its promise settles a microtask later: a copy
  // queued in between would find two writers "running", start none, and wait for the next download to start one
  // (and with the queue full, that download waits for it). So a queued copy always has a writer.
  let running = 0;
  async function writer(): Promise<void> {
    try {
      for (let key = nextToKeep(); key !== undefined; key = nextToKeep()) {
        const copy = toKeep.get(key)!;
        toKeep.delete(key);
        writing.set(key, copy);
        await keep(key, copy.etag, copy.body).catch(() => undefined);
        writing.delete(key);
        queuedBytes -= copy.body.length;
        while (queuedBytes <= keepQueueBytes && waitingForRoom.length > 0) waitingForRoom.shift()!();
      }
    } finally {
      running -= 1;
    }
  }
  function startWriters(): void {
    while (running < KEEP_WRITERS && running < toKeep.size) {
      running += 1;
      const started: Promise<void> = writer().finally(() => writers.delete(started));
      writers.add(started);
    }
  }
  /** Resolves once the queue has room again (at once, mostly). */
  function keepLater(key: string, etag: string, body: Uint8Array): Promise<void> {
    const replaced = toKeep.get(key);
    if (replaced) queuedBytes -= replaced.body.length;
    toKeep.set(key, { etag, body });
    queuedBytes += body.length;
    startWriters();
    if (queuedBytes <= keepQueueBytes) return Promise.resolve();
    return new Promise((resolve) => waitingForRoom.push(resolve));
  }

  async function keep(key: string, etag: string, body: Uint8Array): Promise<void> {
    dirReady ??= makeFolder(options.dir);
    await dirReady;
    const path = fileOf(key, '.object');
    await writeFileCb(path, [Buffer.from(`${JSON.stringify({ etag, bytes: body.length })}\n`), body]);
    (await listNames()).add(basename(path));
  }

  async function readMeta(key: string): Promise<PackedMeta | null> {
    const packed = await index.get(key);
    if (packed) return packed;
    // Not in the index: outlined again from the kept copy, or an older version's meta file.
    const kept = await readKept(key);
    const decoded = kept?.etag ? await outline(kept.body, key).catch(() => null) : null;
    let meta: PackedMeta | null = null;
    if (kept?.etag && decoded) {
      meta = { etag: kept.etag, summary: summaryOf(key, kept.etag, decoded), rollups: decoded.rollups };
    } else {
      const older = fileOf(key, '.meta.json');
      const text = (await has(older)) ? await readFile(older, 'utf8').catch(() => null) : null;
      if (text === null) return null;
      meta = JSON.parse(text) as PackedMeta;
    }
    await remember(key, meta);
    return meta;
  }

  // At most MAX_IN_FLIGHT downloads at a time: a month of 5-minute batches is 8,640 objects, and the S3
  // client queues beyond its 50 sockets anyway (measured: no slower than unbounded, locally or on moto).
  let inFlight = 0;
  const queued: (() => void)[] = [];
  async function refresh(object: ListedObject, wantRows: boolean): Promise<Fetched> {
    if (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => queued.push(resolve));
    inFlight += 1;
    try {
      return await download(object, wantRows);
    } finally {
      inFlight -= 1;
      queued.shift()?.();
    }
  }

  /**
   * GET the object once; keep its body (rows are decoded from it when asked), then remember its meta. Only a
   * caller that wants rows now decodes the whole document.
   */
  async function download(object: ListedObject, wantRows: boolean): Promise<Fetched> {
    const stored = await options.store.get(object.key);
    if (!stored) {
      throw new AppError(
        'OBJECT_GONE',
        `${object.key} disappeared between listing and reading.`,
        'Reload the chart; something deleted processed data meanwhile.',
      );
    }
    let decoded: DecodedOutline;
    let rows: BatchRows | undefined;
    if (wantRows) {
      const batch = options.decode(stored.body, object.key);
      rows = batch.rows;
      decoded = { ...batch, ...spanOf(rows.t, batch.rollups.t) };
    } else decoded = await outline(stored.body, object.key);
    const summary = summaryOf(object.key, stored.etag, decoded);
    if (keepCopies) await keepLater(object.key, stored.etag, stored.body);
    summaries.set(seen(object.key, stored.etag), summary);
    await remember(object.key, { etag: stored.etag, summary, rollups: decoded.rollups });
    return rows ? { summary, rollups: decoded.rollups, rows } : { summary, rollups: decoded.rollups };
  }

  /** The rows of a current copy, decoded from the kept body; without one (or a torn one) it GETs again. */
  async function rowsOf(object: ListedObject): Promise<BatchRows> {
    // A zoom moments after a cold load: the copy may still wait for its writer.
    const unwritten = toKeep.get(object.key) ?? writing.get(object.key);
    if (unwritten?.etag === object.etag) return options.decode(unwritten.body, object.key).rows;
    const kept = await readKept(object.key);
    if (kept && (kept.etag === null || kept.etag === object.etag))
      return options.decode(kept.body, object.key).rows;
    const fetched = await refresh(object, true);
    return fetched.rows!;
  }

  async function part<P extends Part>(object: ListedObject, name: P): Promise<PartValue[P]> {
    // The folder read once, at the first use: stale temp files swept, copies trimmed (behind this read).
    void listNames();
    if (name === 'summary') {
      const hit = summaries.get(seen(object.key, object.etag));
      if (hit) return hit as PartValue[P];
      // An extent or a sensor list over a year: only the heads of the index's day files are read.
      await index.loadHeads([object.key]);
      const head = index.head(object.key);
      if (head?.etag === object.etag) {
        summaries.set(seen(object.key, object.etag), head.summary);
        return head.summary as PartValue[P];
      }
    }
    const meta = await readMeta(object.key);
    if (meta?.etag !== object.etag) {
      const pending =
        inflight.get(object.key) ??
        refresh(object, name === 'rows').finally(() => inflight.delete(object.key));
      inflight.set(object.key, pending);
      const fetched = await pending;
      if (name !== 'rows') return fetched[name as 'summary' | 'rollups'] as PartValue[P];
      return (fetched.rows ?? (await rowsOf(object))) as PartValue[P];
    }
    if (name !== 'rows') {
      summaries.set(seen(object.key, object.etag), meta.summary);
      return meta[name as 'summary' | 'rollups'] as PartValue[P];
    }
    // Rows are the big part: decoded from the kept body each time, never kept in memory across queries.
    return (await rowsOf(object)) as PartValue[P];
  }

  // One prime at a time: the sensor list and the first chart ask together, and the second then finds the first's
  // outlines in memory instead of GETting the same day documents again.
  let priming: Promise<void> = Promise.resolve();
  function prime(objects: ListedObject[], onOutline?: (key: string) => void): Promise<void> {
    priming = priming.then(() => primeNow(objects, onOutline)).catch(() => undefined);
    return priming;
  }
  async function primeNow(objects: ListedObject[], onOutline?: (key: string) => void): Promise<void> {
    if (!options.outlines) return;
    await index.loadHeads(objects.map((object) => object.key));
    const names = await listNames();
    // Known: in memory or the index with this ETag, or kept as a copy (outlined from it again, no request).
    const unknown = objects.filter(
      (object) =>
        !summaries.has(seen(object.key, object.etag)) &&
        index.head(object.key)?.etag !== object.etag &&
        !names.has(basename(fileOf(object.key, '.object'))),
    );
    if (unknown.length < 2) return;
    const etags = new Map(unknown.map((object) => [object.key, object.etag]));
    // Remembered as each day document comes, not all at once at the end (a year's outlines are ≈ 400 MB in memory).
    await options.outlines(unknown, async (key, decoded) => {
      const etag = etags.get(key)!;
      const summary = summaryOf(key, etag, decoded);
      summaries.set(seen(key, etag), summary);
      await remember(key, { etag, summary, rollups: decoded.rollups });
      onOutline?.(key);
    });
  }

  async function keptObjects(host: string, fromDay: number, toDay: number): Promise<ListedObject[]> {
    const days: string[] = [];
    for (let day = fromDay; day <= toDay; day += DAY_MS) days.push(`${host}/${dayPath(day)}`);
    const heads = await Promise.all(days.map((day) => index.dayHeads(day)));
    const never = new Date(0);
    return heads
      .flatMap((found) =>
        [...found].map(([key, head]) => ({ key, etag: head.etag, size: 0, lastModified: never })),
      )
      .sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }

  async function hasRows(object: ListedObject): Promise<boolean> {
    if ((toKeep.get(object.key) ?? writing.get(object.key))?.etag === object.etag) return true;
    return (await has(fileOf(object.key, '.object'))) || has(fileOf(object.key, '.body'));
  }

  async function keptDays(host: string): Promise<{ first: number; last: number } | null> {
    const days = await index.knownDays(host);
    if (days.length === 0) return null;
    // `{host}/{yyyy}/{mm}/{dd}`: the key date of a key in that folder
    const midnight = (day: string) => keyDay(`processed/${day}/x`)!;
    return { first: midnight(days[0]!), last: midnight(days.at(-1)!) };
  }

  return {
    prime,
    keptObjects,
    keptDays,
    hasRows,
    summary: (object) => part(object, 'summary'),
    heldSummary: (object) => summaries.get(seen(object.key, object.etag)) ?? null,
    rollups: (object) => part(object, 'rollups'),
    rows: (object) => part(object, 'rows'),
    flush: async () => {
      while (writers.size > 0) await Promise.all(writers);
      await index.flush();
    },
  };
}

const DAY_MS = 86_400_000;

/** Downloads at a time (see refresh). */
export const MAX_IN_FLIGHT = 48;
/** Cache copies written at a time, behind the downloads. */
const KEEP_WRITERS = 2;
/** Bytes of a bucket's copies kept (≈ 17,000 hourly objects: two years). */
const COPIES_CAP_BYTES = 1024 * 1024 * 1024;
/** Bytes of copies waiting for the writers before downloads wait for them (≈ 500 hourly objects). */
const KEEP_QUEUE_BYTES = 32 * 1024 * 1024;

function summaryOf(key: string, etag: string, decoded: DecodedOutline): BatchSummary {
  return {
    key,
    etag,
    first: decoded.first,
    last: decoded.last,
    sensors: decoded.sensors,
    sessionStarts: decoded.sessionStarts,
  };
}

/**
 * The cache over processed documents as the app and the benchmarks use it (decode for rows, outline for long
 * ranges, day documents for many outlines at once).
 */
export function createProcessedBatchCache(options: {
  store: Store;
  dir: string;
  /** Default: for a bucket only (see createBatchCache). */
  keepCopies?: boolean;
}): BatchCache {
  return createBatchCache({
    ...options,
    keepCopies: options.keepCopies ?? options.store.kind !== 'local',
    decode: decodeProcessed,
    outline: outlineProcessed,
    outlines: (objects, each) => dayOutlines(options.store, objects, each),
  });
}
