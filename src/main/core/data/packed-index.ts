/**
 * The ETag cache's index (etag-cache.ts): every cached object's ETag, summary and 1-minute rollups, kept on disk
 * as one packed file per host and day of the object's key (`index-{sha256(host/yyyy/mm/dd)}.pack`, rollup-pack.ts):
 *   const index = createPackedIndex({ dir })
 *   await index.loadHeads(keys) → the ETags and summaries of these keys' days (only each file's head is read)
 *   index.head(key)             → { etag, summary } once its day's head is loaded (undefined: not cached)
 *   await index.dayHeads('pc/2026/12/05') → every key of that day this PC knows, with its head
 *   await index.knownDays('pc')           → ['pc/2026/12/04', 'pc/2026/12/05'] (reads every day file's head)
 *   await index.get(key)        → the whole meta (ETag, summary, rollups): its day's file read whole, once
 *   await index.set(key, meta)  → its day rewritten once changes stop for delayMs (at most 10 × that after the
 *                                 first)
 *   await index.flush()         → pending days written now (on shutdown)
 * One file for all days (`index.pack`, until 2026-12-04) grew with everything ever viewed and was read whole for a
 * 1-hour chart and rewritten whole for each new batch: 24 MB for 60 days of hourly objects, 147 MB for a year
 * (docs/dashboard.md). Per day, a 1-hour chart reads one day, a new batch rewrites one day, and the data's extent
 * (every object's first and last row) reads only the small heads of the files. A cache of an older
 * version (`index.pack`, or `index.json` before 2026-12-03) is read at the first load, split into days at the next
 * write, then removed. A damaged or missing day file is an empty day: its objects are outlined again from their kept
 * copies (no GET).
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../../shared/fs/atomic-file';
import { readPrefixCb } from '../../../shared/fs/callback-fs';
import {
  decodePack,
  decodePackHead,
  encodePack,
  type PackedHead,
  type PackedMeta,
  packHeadEnd,
} from './rollup-pack';

export interface PackedIndex {
  loadHeads(keys: Iterable<string>): Promise<void>;
  head(key: string): PackedHead | undefined;
  /** The keys a day holds (`{host}/{yyyy}/{mm}/{dd}`) with their heads: what this PC knows of that day's objects. */
  dayHeads(day: string): Promise<ReadonlyMap<string, PackedHead>>;
  /** The days of `host` this index knows, oldest first (`{host}/{yyyy}/{mm}/{dd}`): every day file's head read. */
  knownDays(host: string): Promise<string[]>;
  get(key: string): Promise<PackedMeta | undefined>;
  set(key: string, meta: PackedMeta): Promise<void>;
  flush(): Promise<void>;
}

type Day = Map<string, PackedMeta>;
type Heads = Map<string, PackedHead>;
/** Days kept read whole (two months: a 30-day chart's days with room); the rest are read again when asked. */
const KEEP_DAYS = 62;
/**
 * Read first when only a head is wanted (the rest, when longer, in a second read): a day of hourly batches of 8
 * sensors has a head of 23 KB, of a GPU-Z log's ≈ 20 sensors about twice that.
 */
const HEAD_GUESS_BYTES = 64 * 1024;

export function createPackedIndex(options: { dir: string; delayMs?: number }): PackedIndex {
  const delayMs = options.delayMs ?? 1000;
  const days = new Map<string, Promise<Day>>();
  const ready = new Map<string, Day>();
  /** Head reads of days not read whole (in flight or done), and the heads of days not (or no longer) read whole. */
  const heads = new Map<string, Promise<void>>();
  const headsReady = new Map<string, Heads>();
  const dirty = new Set<string>();
  /** Days being written: taken out of `dirty` when their write starts, still not to be let go. */
  const writing = new Set<string>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let pendingSince = 0;
  /** A write started because more days changed than are kept; changes meanwhile wait for it (set below). */
  let catchingUp: Promise<void> | null = null;

  /** The single index of older versions, split by day; null once written as days (or when there is none). */
  let older: Promise<Map<string, Day> | null> | null = null;
  const olderPaths = [join(options.dir, 'index.pack'), join(options.dir, 'index.json')];
  const readOlder = () => {
    older ??= readFile(olderPaths[0]!)
      .then((bytes) => decodePack(bytes))
      .catch(() => null)
      .then(
        async (metas) =>
          metas ??
          readFile(olderPaths[1]!, 'utf8')
            .then((text) => new Map(Object.entries(JSON.parse(text) as Record<string, PackedMeta>)))
            .catch(() => null),
      )
      .then((metas) => {
        if (!metas) return null;
        const byDay = new Map<string, Day>();
        for (const [key, meta] of metas) {
          const day = dayOf(key);
          if (!byDay.has(day)) byDay.set(day, new Map());
          byDay.get(day)!.set(key, meta);
        }
        // Written again as days soon: the next process reads only the days it needs.
        schedule();
        return byDay;
      });
    return older;
  };

  function loadDay(day: string): Promise<Day> {
    let pending = days.get(day);
    if (!pending) {
      pending = Promise.all([
        readFile(pathOf(options.dir, day)).then(
          (bytes) => decodePack(bytes) ?? new Map<string, PackedMeta>(),
          () => new Map<string, PackedMeta>(),
        ),
        readOlder(),
      ]).then(([metas, byDay]) => {
        const fromOlder = byDay?.get(day);
        if (fromOlder) {
          // The day file, if one exists, was written after the older index: its metas win.
          for (const [key, meta] of fromOlder) if (!metas.has(key)) metas.set(key, meta);
          dirty.add(day);
        }
        keep(day, metas);
        evict(day);
        return metas;
      });
      days.set(day, pending);
    } else if (ready.has(day)) keep(day, ready.get(day)!); // most recently used last
    return pending;
  }

  /** The day's metas as the day read whole, most recently used. */
  function keep(day: string, metas: Day): void {
    ready.delete(day);
    ready.set(day, metas);
    days.set(day, Promise.resolve(metas));
  }

  /**
   * Days read whole beyond KEEP_DAYS, least recently used first, are let go (read again when asked); heads stay. Never
   * a changed day (until written, or while it is), nor `loading`: with more changed days than that (a year's outlines
   * remembered at once), the day being read was let go as it arrived, read again, let go… forever.
   */
  function evict(loading?: string): void {
    for (const day of ready.keys()) {
      if (ready.size <= KEEP_DAYS) break;
      if (dirty.has(day) || writing.has(day) || day === loading) continue;
      // Its heads stay (an extent asks for every day's), without the rollups.
      const found: Heads = new Map();
      for (const [key, { etag, summary }] of ready.get(day)!) found.set(key, { etag, summary });
      headsReady.set(day, found);
      heads.set(day, Promise.resolve());
      ready.delete(day);
      days.delete(day);
    }
  }

  /** A day's heads: from its whole file when that is read anyway, else from the file's head alone. */
  function loadDayHeads(day: string): Promise<unknown> {
    if (days.has(day)) return loadDay(day);
    let pending = heads.get(day);
    if (!pending) {
      pending = Promise.all([readHeads(pathOf(options.dir, day)), readOlder()]).then(([found, byDay]) => {
        const merged: Heads = found ?? new Map();
        for (const [key, meta] of byDay?.get(day) ?? []) if (!merged.has(key)) merged.set(key, meta);
        // A whole read of the day may have finished first: its metas are the newer.
        if (!ready.has(day)) headsReady.set(day, merged);
      });
      heads.set(day, pending);
    }
    return pending;
  }

  async function loadHeads(keys: Iterable<string>): Promise<void> {
    const wanted = new Set<string>();
    for (const key of keys) wanted.add(dayOf(key));
    await Promise.all([...wanted].map(loadDayHeads));
  }

  function schedule(): void {
    if (timer) clearTimeout(timer);
    const now = Date.now();
    if (pendingSince === 0) pendingSince = now;
    const wait = Math.max(0, Math.min(delayMs, pendingSince + 10 * delayMs - now));
    timer = setTimeout(() => void write(), wait);
    timer.unref?.();
  }

  // Writes run one after another: a flush during a timed write waits for it, then writes what changed since.
  let writes: Promise<void> = Promise.resolve();
  function write(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    pendingSince = 0;
    writes = writes.then(writeNow);
    return writes;
  }

  async function writeNow(): Promise<void> {
    const byDay = await readOlder();
    if (byDay) for (const day of byDay.keys()) await loadDay(day);
    const toWrite = [...dirty];
    dirty.clear();
    for (const day of toWrite) writing.add(day);
    let failed = false;
    for (const day of toWrite) {
      const bytes = encodePack(await loadDay(day));
      const written = await writeFileAtomic(pathOf(options.dir, day), bytes).then(
        () => true,
        () => false,
      );
      failed ||= !written;
      // Not written (a full disk): kept as changed, so it is not let go, and written with the next change.
      if (!written) dirty.add(day);
      // Kept as written (its rollups read from the bytes) instead of as arrays: a number takes 8 bytes, not ≈ 24.
      if (written && !dirty.has(day) && ready.has(day)) keep(day, decodePack(bytes)!);
      writing.delete(day);
    }
    evict();
    if (byDay && !failed) {
      await Promise.all(olderPaths.map((path) => rm(path, { force: true }))).catch(() => undefined);
      older = Promise.resolve(null);
    }
  }

  return {
    loadHeads,
    // A day read whole holds the newest metas (a set() reads its day whole first); one let go, its heads.
    head: (key) => {
      const day = dayOf(key);
      return (ready.get(day) ?? headsReady.get(day))?.get(key);
    },
    dayHeads: async (day) => {
      await loadDayHeads(day);
      return ready.get(day) ?? headsReady.get(day) ?? new Map();
    },
    knownDays: async (host) => {
      const names = await readdir(options.dir).catch(() => [] as string[]);
      // Days asked for and found empty are in memory too: only days with a key count.
      const found = new Set(
        [...ready, ...headsReady].filter(([, keys]) => keys.size > 0).map(([day]) => day),
      );
      for (const name of names.filter((n) => /^index-[0-9a-f]+\.pack$/.test(n))) {
        for (const key of (await readHeads(join(options.dir, name)))?.keys() ?? []) found.add(dayOf(key));
      }
      return [...found].filter((day) => day.startsWith(`${host}/`)).sort();
    },
    get: async (key) => (await loadDay(dayOf(key))).get(key),
    set: async (key, meta) => {
      const day = dayOf(key);
      let metas = await loadDay(day);
      // Let go meanwhile (another day's load evicted it): the change goes into the day as it is now.
      while (ready.get(day) !== metas) metas = await loadDay(day);
      metas.set(key, meta);
      dirty.add(day);
      schedule();
      // More days changed than are kept: written now, and the changes wait for it, so days can be let go (a year's
      // outlines remembered at once held every day's rollups as arrays until the end).
      if (dirty.size > KEEP_DAYS) {
        catchingUp ??= write().finally(() => {
          catchingUp = null;
        });
        await catchingUp;
      }
    },
    flush: () => (timer || dirty.size > 0 ? write() : writes),
  };
}

/** The ETags and summaries of a day file, reading only its head; null: no file, or not a pack. */
async function readHeads(path: string): Promise<Heads | null> {
  try {
    let bytes = await readPrefixCb(path, HEAD_GUESS_BYTES);
    const end = packHeadEnd(bytes);
    if (end !== null && end > bytes.length && bytes.length === HEAD_GUESS_BYTES)
      bytes = await readPrefixCb(path, end);
    return decodePackHead(bytes);
  } catch {
    return null;
  }
}

/** `processed/{host}/{yyyy}/{mm}/{dd}/…` → `{host}/{yyyy}/{mm}/{dd}`; any other key → '' (one file for all). */
export function dayOf(key: string): string {
  const match = /^processed\/([^/]+)\/(\d{4})\/(\d{2})\/(\d{2})\//.exec(key);
  return match ? `${match[1]}/${match[2]}/${match[3]}/${match[4]}` : '';
}

/** The file holding the metas of `key`'s day. */
export function packedIndexPath(dir: string, key: string): string {
  return pathOf(dir, dayOf(key));
}

function pathOf(dir: string, day: string): string {
  return join(dir, `index-${createHash('sha256').update(day).digest('hex').slice(0, 40)}.pack`);
}
