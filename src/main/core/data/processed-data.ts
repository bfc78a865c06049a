/**
 * Charts from the processed objects in the store (local folder or S3):
 *   const data = createProcessedData({ store, cache })
 *   await data.query('gaming-pc', { from, to, keys: ['gpu_temperature_c'] })
 *     span > rowsBelowMs (6 h) → 1-minute rollups merged to ≈ maxPoints buckets (rows never read)
 *     otherwise               → the rows themselves
 *   await data.query(host, query, pending)   plus batches not stored yet (pending-data.ts), each until its
 *                                              processed key is listed: then the stored copy counts, never both
 * A row of one time stamp carried by two objects counts once (repeated-rows.ts), in rows, rollups and stats.
 * What is listed (S3 bills a LIST per 1,000 keys): a host's first page of keys (all of them for a host with fewer
 * than 1,000 objects: then the only LIST), and the key dates a call needs — the last week for the sensors and the
 * newest reading, a chart's days for a chart (listed to the end when the range reaches the last two days, so one
 * listing serves them all). A listing is kept for listTtlMs after it came; objects come through the ETag cache,
 * so reopening costs no GET. A store that cannot be listed (offline, a refused sign-in) is answered from the objects
 * the cache knows of those days, and the chart says so (`keptOnly`: the store's error).
 */
import { MAX_BATCH_DAYS } from '../../../shared/analytics/row-schema';
import type { ChartData, ChartQuery, DataExtent, SensorInfo } from '../../../shared/contract';
import type { LoggedBytes } from '../../../shared/cost/answer';
import { DASHBOARD_RECENT_DAYS } from '../../../shared/cost/usage';
import { isErrorCode } from '../../../shared/error-codes';
import { AppError, type ErrorData, toErrorData } from '../../../shared/errors';
import { batchByteRange } from '../../../shared/keys';
import type { ListedObject, Store } from '../store/types';
import { foldRollups, seriesFromRows } from './chart-series';
import { type BatchCache, MAX_IN_FLIGHT } from './etag-cache';
import { dayPath, keyDay } from './key-date';
import type { PendingDecoded } from './pending-data';
import { overlappingRanges, rangeOf, rollupsOf, timeGroups, withoutRepeatedRows } from './repeated-rows';
import type { BatchRows } from './types';

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
  /**
   * Days with stored objects of `host` (key dates) before `before` (a UTC midnight), from the host's first page of
   * keys (the extent's LIST, no other request): all of them when it holds every key; past 1,000 keys, the page's
   * days and every day after its last one (the store taken as kept up since). What storage the month pays for: a
   * PC that uploaded one day a year ago has one day stored, not a year.
   */
  storedDays(host: string, before: number): Promise<number>;
  /**
   * How much `host` logged a day lately: the log bytes its batches carry (each key's byte range, batchByteRange)
   * on the whole days among the last DASHBOARD_RECENT_DAYS dates, those before `today` (a UTC midnight naming this
   * PC's local date, as key dates do), from the listing the extent makes anyway (no other request). A host that
   * began within them counts from the day after its first (most likely a part of a day). A host with no object in
   * them (off for weeks, or a log backfilled from long ago) is measured on as many days up to and with its last key
   * date, which `lastDay` names, from its first if later: how long it logs when it does, not nothing. null: nothing
   * to measure — no whole day, no object at all, or a key without a byte range (not written by the agent).
   * `bytesPerSecond`: the log bytes a second of its logging writes, from the objects whose time span this run holds
   * (the extent's newest: no request either), when it holds any.
   */
  loggedBytes(host: string, today: number): Promise<LoggedBytes | null>;
  /** A chart's series; `onProgress` tells how far the read is, in steps of its own (twoPhases: summaries, then rows). */
  query(
    host: string,
    query: ChartQuery,
    pending?: PendingDecoded[],
    onProgress?: Progress,
  ): Promise<ChartData>;
  /**
   * The rows of `keys` in a range, in time order, each row once, in pieces — one object at a time, or the objects
   * whose times meet together — with the times of rows that follow a GPU-Z header (for session detection). At most
   * READ_AHEAD groups and READ_AHEAD_SPAN_MS of readings are read ahead, so a range of months holds about two days
   * of readings, not months, whatever the objects' size (hourly batches, or a backfill's 8 MiB ones).
   * Each piece's group is named (`groups`) when its rows are the same at every read that names it the same, so a
   * caller that folded them before can start reading after them (`pieces(first)`; session-memo.ts).
   * Without the store, the objects this PC kept the rows of, said as `keptOnly` (as a chart's).
   */
  sessionRows(
    host: string,
    query: ChartQuery,
    pending?: PendingDecoded[],
    onProgress?: Progress,
  ): Promise<SessionRows>;
  /**
   * The processed keys of the batches the agent has not stored yet. A key that was pending at the last call and
   * is not now was uploaded meanwhile: the next call lists again instead of reusing a listing without it.
   */
  notePending?(host: string, processedKeys: string[]): void;
  /** Persists what the cache learnt (called when the runtime closes). */
  close?(): Promise<void>;
}

/** sessionRows' answer. */
export interface SessionRows {
  /** Times of rows that follow a GPU-Z header. */
  starts: number[];
  /**
   * One entry per piece, in their order: the group's objects with their versions (key and ETag) when the group lies
   * whole inside the range and holds no batch still pending; null when its rows could differ at another read.
   */
  groups: (string | null)[];
  /** The groups' rows from group `first` on (default 0), one piece each, empty where none is in the range; the
   * groups before `first` are not read, and count as read for the progress. */
  pieces(first?: number): AsyncIterable<BatchRows>;
  /** The store could not be listed: the rows are those this PC kept (the store's error). */
  keptOnly?: ErrorData;
  /** With keptOnly: objects of the range this PC knows in outline only (no copy of their rows), left out. */
  outlinedOnly?: number;
}

const DAY = 24 * 60 * 60 * 1000;

/** Key dates before the last one whose objects can still hold the newest reading (a day each side for zones). */
const REACH_DAYS = MAX_BATCH_DAYS + 2;
/**
 * The days the newest objects are looked for in by one LIST (as the cost model counts): a host whose last key date
 * is in the last week has the REACH_DAYS before it in the same listing.
 */
const RECENT_DAYS = DASHBOARD_RECENT_DAYS - 1;

/** Key dates `from` … `to` (UTC midnights), null meaning open. */
interface DaySpan {
  from: number | null;
  to: number | null;
}

/** One LIST of a host's key dates: in flight while `at` is undefined, then fresh for listTtlMs. */
interface Listing extends DaySpan {
  at: number | undefined;
  /** The host's first page of keys (firstPage below). */
  firstPage?: true;
  objects: Promise<ListedObject[]>;
}

/** Keys in one S3 LIST page. */
const PAGE = 1000;
/** A span start no day reaches: a listing spanning NONE … -NONE covers nothing. */
const NONE = Number.POSITIVE_INFINITY;

const isProcessed = (object: ListedObject) => object.key.endsWith('.json.gz') || object.key.endsWith('.json');

const startOfDay = (ms: number) => Math.floor(ms / DAY) * DAY;

/**
 * The store could not be listed and this PC has kept nothing of the host (a first start without network): the
 * store's error said as such, its code and advice kept (an expired sign-in still says to sign in again).
 */
function keptNothing(error: unknown): AppError {
  const data = toErrorData(error);
  return new AppError(
    isErrorCode(data.code) ? data.code : 'STORE_UNREACHABLE',
    `The stored copy could not be read (${data.message.replace(/\.$/, '')}), and this PC has kept none of it from earlier views.`,
    data.advice ?? 'Check the network connection: the stored readings show once the store answers.',
    { cause: error, ...(data.guiAdvice ? { gui: data.guiAdvice } : {}) },
  );
}

const covers = (listing: DaySpan, want: DaySpan) =>
  (listing.from === null || (want.from !== null && listing.from <= want.from)) &&
  (listing.to === null || (want.to !== null && listing.to >= want.to));

function onDays(object: ListedObject, span: DaySpan): boolean {
  const day = keyDay(object.key);
  if (day === null) return span.from === null && span.to === null;
  return (span.from === null || day >= span.from) && (span.to === null || day <= span.to);
}

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

  const listTtlMs = options.listTtlMs ?? 30_000;
  const now = options.now ?? Date.now;
  const listings = new Map<string, Listing[]>();
  const pendingSeen = new Map<string, Set<string>>();
  /** Object lists that come from the cache because the store could not be listed, with the store's error. */
  const keptInstead = new WeakMap<ListedObject[], ErrorData>();

  /** The host's listings still of use: in flight, or fresh (listed less than listTtlMs ago). */
  function kept(host: string): Listing[] {
    const fresh = (listings.get(host) ?? []).filter(
      (listing) => listing.at === undefined || now() - listing.at < listTtlMs,
    );
    listings.set(host, fresh);
    return fresh;
  }

  const folderLists = new Map<string, { at: number; names: Promise<string[]> }>();

  /**
   * The folders under `path` (store.listFolders), kept for listTtlMs as listings are: the Costs view's slider and the
   * Settings hint ask the cost at each move, and an idle PC's last key date is found by folder each time.
   */
  function listFolders(path: string): Promise<string[]> {
    const held = folderLists.get(path);
    if (held && now() - held.at < listTtlMs) return held.names;
    const names = options.store.listFolders(path);
    folderLists.set(path, { at: now(), names });
    names.catch(() => folderLists.delete(path));
    return names;
  }

  /** Lists `span` (once for all who ask meanwhile) and keeps the listing for listTtlMs. */
  function listing(host: string, span: DaySpan): Listing {
    const prefix = `processed/${host}/`;
    const made: Listing = { ...span, at: undefined, objects: Promise.resolve([]) };
    made.objects = options.store
      .list(prefix, {
        ...(span.from === null ? {} : { startAfter: `${prefix}${dayPath(span.from)}` }),
        ...(span.to === null ? {} : { endBefore: `${prefix}${dayPath(span.to + DAY)}` }),
      })
      .then((all) => {
        made.at = now();
        return all.filter(isProcessed);
      });
    return keep(host, made);
  }

  function keep(host: string, made: Listing): Listing {
    made.objects.catch(() =>
      listings.set(
        host,
        (listings.get(host) ?? []).filter((l) => l !== made),
      ),
    );
    kept(host).push(made);
    return made;
  }

  /**
   * The host's first LIST page (1,000 keys): its oldest objects, and for a host with fewer, all of them — then
   * every other listing of the host is served from it, so a view over a small store costs one LIST, as before.
   * Until it has come it covers no days; a full page covers the days before its last key's.
   */
  function firstPage(host: string): Promise<ListedObject[]> {
    return firstListing(host).objects;
  }

  /** firstPage's listing: once its objects came, `from` and `to` say which days it holds whole. */
  function firstListing(host: string): Listing {
    const page = kept(host).find((l) => l.firstPage);
    if (page) return page;
    const made: Listing = {
      from: NONE,
      to: -NONE,
      firstPage: true,
      at: undefined,
      objects: Promise.resolve([]),
    };
    made.objects = options.store.list(`processed/${host}/`, { limit: PAGE }).then((all) => {
      made.at = now();
      const last = keyDay(all.at(-1)?.key ?? '');
      if (all.length < PAGE) Object.assign(made, { from: null, to: null });
      else if (last !== null) Object.assign(made, { from: null, to: last - DAY });
      return all.filter(isProcessed);
    });
    return keep(host, made);
  }

  /**
   * The host's objects of key dates `from` … `to` (UTC midnights; null: from the first, to the last): from the
   * first page when it holds every object, else from a listing that covers those days (one made now if none is
   * kept), so the sensor picker, the extent and a view's first chart share a LIST.
   */
  async function listDays(host: string, from: number | null, to: number | null): Promise<ListedObject[]> {
    const want = { from, to };
    await firstPage(host).catch(() => undefined);
    const covering = kept(host).find((l) => covers(l, want)) ?? listing(host, want);
    try {
      return (await covering.objects).filter((object) => onDays(object, want));
    } catch (error) {
      // The store cannot be listed (offline, a refused or expired sign-in, the bucket gone): the objects of those
      // days this PC has read before (maybe none), said as such (keptOnly), rather than no chart at all.
      if (from === null) throw error;
      const objects = await options.cache.keptObjects(host, from, to ?? startOfDay(now()) + DAY);
      keptInstead.set(objects, toErrorData(error));
      return objects;
    }
  }

  /** Objects whose key date (first sample, local) can overlap the range; ±1 day covers zones and midnight. */
  async function overlapping(
    host: string,
    from: number,
    to: number,
    onSummary: Progress = () => {},
  ): Promise<{ objects: ListedObject[]; listed: Set<string>; keptOnly?: ErrorData }> {
    // A range that reaches the last two days is listed to the end: the listing the sensors and the extent use.
    const listed = await listDays(
      host,
      startOfDay(from - 2 * DAY),
      to >= now() - 2 * DAY ? null : startOfDay(to + DAY),
    );
    const candidates = listed.filter((object) => {
      const day = keyDay(object.key);
      return day !== null && day >= from - 2 * DAY && day < to + DAY;
    });
    // On a cold cache each summary is a download: of the object, or of its day's document (prime: one GET for the
    // day's objects). Most of a cold read's time; each object is counted once, as its outline comes.
    const counted = new Set<string>();
    const step = (key: string) => {
      if (counted.has(key)) return;
      counted.add(key);
      onSummary(counted.size, candidates.length);
    };
    await options.cache.prime(candidates, step);
    const summaries = await Promise.all(
      candidates.map((object) =>
        options.cache.summary(object).then((summary) => {
          step(object.key);
          return summary;
        }),
      ),
    );
    const keptOnly = keptInstead.get(listed);
    return {
      objects: candidates.filter((_, i) => summaries[i]!.last >= from && summaries[i]!.first < to),
      listed: new Set(listed.map((object) => object.key)),
      ...(keptOnly ? { keptOnly } : {}),
    };
  }

  /**
   * The host's newest objects: those of the last key date and the days before it that a batch can reach past
   * (MAX_BATCH_DAYS, and a day each side for time zones). One LIST of the last 13 days when the host stored anything
   * in the last week; else the last key date from that LIST or by folder (years, months, days: three LISTs by
   * delimiter), then its days.
   */
  async function newest(host: string): Promise<ListedObject[]> {
    const since = startOfDay(now()) - RECENT_DAYS * DAY;
    let objects = await listDays(host, since, null);
    const last = objects.length > 0 ? keyDay(objects.at(-1)!.key) : await lastDay(host);
    if (last === null) return [];
    // Nothing in the last 13 days: as many days before the last key date (loggedBytes measures them, no LIST more).
    const reach = objects.length > 0 ? REACH_DAYS : Math.max(REACH_DAYS, RECENT_DAYS);
    if (last - REACH_DAYS * DAY < since) objects = await listDays(host, last - reach * DAY, null);
    const end = keyDay(objects.at(-1)?.key ?? '') ?? last;
    return objects.filter((object) => (keyDay(object.key) ?? 0) >= end - REACH_DAYS * DAY);
  }

  /** The key date of the host's last object: from a listing kept, else by folder; null when it has none. */
  async function lastDay(host: string): Promise<number | null> {
    // A listing kept that ran to the end ends with the last object (and holding none, if it is the whole prefix).
    for (const listed of kept(host).filter((l) => l.at !== undefined && l.to === null)) {
      const objects = await listed.objects;
      const dated = objects.findLast((object) => keyDay(object.key) !== null);
      if (dated || listed.from === null) return dated ? keyDay(dated.key) : null;
    }
    try {
      return await lastFolderDay(host, null);
    } catch (error) {
      // Not listed (offline…): the last day this PC has read (its objects come from the cache, said as keptOnly).
      return keptDay(host, 'last', error);
    }
  }

  /**
   * The key date of the host's last object before `before` (a UTC midnight): from a listing kept that holds every
   * day before it (the first page of a host with fewer than 1,000 keys), else by folder; null when it has none, or
   * the store does not answer.
   */
  async function lastDayBefore(host: string, before: number): Promise<number | null> {
    const all = { from: null, to: before - DAY };
    for (const listed of kept(host).filter((l) => l.at !== undefined && covers(l, all))) {
      const days = (await listed.objects).map((object) => keyDay(object.key));
      return days.findLast((day): day is number => day !== null && day < before) ?? null;
    }
    return lastFolderDay(host, before).catch(() => null);
  }

  /**
   * The last date folder of `host` (before `before`, a UTC midnight; null: any): years, months, days, the newest
   * first — three LISTs, more only when a folder holds no date folder (before it); null when there is none.
   */
  async function lastFolderDay(host: string, before: number | null): Promise<number | null> {
    const bound = before === null ? null : new Date(before - DAY);
    const most = bound ? [bound.getUTCFullYear(), bound.getUTCMonth() + 1, bound.getUTCDate()] : [];
    async function latest(path: string, depth: number, capped: boolean): Promise<number | null> {
      if (depth === 3) return keyDay(`${path}x`);
      const names = (await listFolders(path)).filter((name) => /^\d+$/.test(name));
      for (const name of names.reverse()) {
        if (capped && Number(name) > most[depth]!) continue;
        const day = await latest(`${path}${name}/`, depth + 1, capped && Number(name) === most[depth]);
        if (day !== null) return day;
      }
      return null;
    }
    return latest(`processed/${host}/`, 0, bound !== null);
  }

  /** The first or last key date this PC has read of `host`, the store unread with `error`; none: keptNothing. */
  async function keptDay(host: string, which: 'first' | 'last', error: unknown): Promise<number> {
    const kept = await options.cache.keptDays(host);
    if (kept === null) throw keptNothing(error);
    return kept[which];
  }

  /**
   * The host's oldest objects: those of the first key date and the two after it (time zones). Not listed
   * (offline…): from the first day this PC has read (the oldest it can show).
   */
  async function oldest(host: string): Promise<ListedObject[]> {
    let day: number | null;
    try {
      const first = (await firstPage(host)).find((object) => keyDay(object.key) !== null);
      day = first ? keyDay(first.key)! : null;
    } catch (error) {
      day = await keptDay(host, 'first', error);
    }
    return day === null ? [] : listDays(host, day, day + 2 * DAY);
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
      return sensorsOf(await newest(host));
    },
    async extent(host) {
      const [first, last] = await Promise.all([oldest(host), newest(host)]);
      if (first.length === 0 || last.length === 0) return { first: null, last: null };
      await options.cache.prime([...first, ...last]);
      const summaries = (objects: ListedObject[]) =>
        Promise.all(objects.map((object) => options.cache.summary(object)));
      return {
        first: Math.min(...(await summaries(first)).map((s) => s.first)),
        last: Math.max(...(await summaries(last)).map((s) => s.last)),
      };
    },
    async storedDays(host, before) {
      const listing = firstListing(host);
      const days = new Set<number>();
      let last = Number.NEGATIVE_INFINITY;
      for (const object of await listing.objects) {
        const day = keyDay(object.key);
        if (day === null) continue;
        if (day < before) days.add(day);
        last = Math.max(last, day);
      }
      // Every key, or a page that reaches past `before`: the days before it are all listed.
      if ((listing.from === null && listing.to === null) || last >= before) return days.size;
      // A full page ending before it: its last day may go on past the page, and the days after are taken as kept up.
      return days.size - 1 + (before - last) / DAY;
    },
    async loggedBytes(host, today) {
      const datedOf = (objects: ListedObject[]) =>
        objects.flatMap((object) => {
          const day = keyDay(object.key);
          return day === null ? [] : [{ object, day, range: batchByteRange(object.key) }];
        });
      let since = startOfDay(now()) - RECENT_DAYS * DAY;
      let to = today - DAY;
      let dated = datedOf(await listDays(host, since, null));
      let lastLogged: number | undefined;
      let resumed: number | undefined;
      const firstOf = (objects: typeof dated) =>
        objects.reduce((day, object) => Math.min(day, object.day), Number.POSITIVE_INFINITY);
      // Stored again yesterday or today after 13 days or more without: no whole day of it yet, so its days of
      // logging before the break say how long it logs (not around the clock until tomorrow's measure).
      const back = firstOf(dated);
      if (dated.length > 0 && back > since && back + DAY > to) resumed = back;
      if (dated.length === 0 || resumed !== undefined) {
        // Nothing stored lately (a PC off for weeks, a log backfilled from long ago): its last days of logging, up to
        // and with its last key date, say how long it logs when it does (from newest's listing).
        const last = resumed === undefined ? await lastDay(host) : await lastDayBefore(host, resumed);
        if (last === null) return null;
        lastLogged = last;
        to = last;
        since = last - (RECENT_DAYS - 1) * DAY;
        dated = datedOf(await listDays(host, last - RECENT_DAYS * DAY, null));
      }
      const first = firstOf(dated);
      // A host that began within the days counts from the day after its first (a part of a day, most likely); one
      // measured on its last days of logging from its first, as from its last: those are its days of logging.
      const from =
        Number.isFinite(first) && first > since ? (lastLogged === undefined ? first + DAY : first) : since;
      if (to < from) return null;
      let bytes = 0;
      for (const { day, range } of dated) {
        if (day < from || day > to) continue;
        if (!range) return null;
        bytes += range.end - range.start;
      }
      // How many bytes a second of logging writes (the row width at GPU-Z's interval), from the objects whose time
      // span this run holds already (the extent's newest ones): the hours of a PC whose rows are not this PC's.
      let spanBytes = 0;
      let spanSeconds = 0;
      for (const { object, range } of dated) {
        const summary = range && options.cache.heldSummary(object);
        if (!summary) continue;
        spanBytes += range.end - range.start;
        // A batch of N rows a second apart spans N - 1 seconds.
        spanSeconds += (summary.last - summary.first) / 1000 + 1;
      }
      return {
        days: (to - from) / DAY + 1,
        bytes,
        ...(spanSeconds > 0 ? { bytesPerSecond: spanBytes / spanSeconds } : {}),
        ...(lastLogged !== undefined ? { lastDay: lastLogged } : {}),
        ...(resumed !== undefined ? { resumedDay: resumed } : {}),
      };
    },
    async sessionRows(host, query, pending = [], onProgress = () => {}) {
      const progress = twoPhases(onProgress, 'halves');
      const {
        objects: inRange,
        listed,
        keptOnly,
      } = await overlapping(host, query.from, query.to, progress.summaries);
      // Without the store, an object whose rows this PC never kept (outlined from its day document) cannot be read.
      const readable = keptOnly
        ? await Promise.all(inRange.map((object) => options.cache.hasRows(object)))
        : inRange.map(() => true);
      const objects = inRange.filter((_, i) => readable[i]);
      const extra = pending.filter((p) => !listed.has(p.processedKey)).map((p) => p.batch);
      const step = progress.reads(objects.length + extra.length);
      const summaries = await Promise.all(objects.map((object) => options.cache.summary(object)));
      const starts = [
        ...summaries.flatMap((summary) => summary.sessionStarts ?? []),
        ...extra.flatMap((batch) => batch.sessionStarts),
      ];
      const rowsOf = (i: number) =>
        i < objects.length
          ? options.cache.rows(objects[i]!)
          : Promise.resolve(extra[i - objects.length]!.rows);
      const ranges = [...summaries, ...extra.map((batch) => rangeOf(batch.rows))];
      const groups = timeGroups(ranges);
      const named = (group: number[]) =>
        group.every((i) => i < objects.length && ranges[i]!.first >= query.from && ranges[i]!.last < query.to)
          ? group.map((i) => `${objects[i]!.key} ${objects[i]!.etag}`).join('\n')
          : null;
      return {
        starts,
        groups: groups.map(named),
        pieces: (first = 0) => {
          const skipped = groups.slice(0, first).reduce((sum, group) => sum + group.length, 0);
          if (skipped > 0) step(skipped);
          const spans = groups.slice(first).map((group) => spanOfGroup(group.map((i) => ranges[i]!)));
          return piecesOf(groups.slice(first), rowsOf, query, (group) => step(group.length), spans);
        },
        ...(keptOnly ? { keptOnly, outlinedOnly: inRange.length - objects.length } : {}),
      };
    },
    async query(host, query, pending = [], onProgress = () => {}) {
      // A long range draws from rollups, which come with each object's outline (its summary's GET or its day's
      // document): after the summaries only the rows of objects whose times overlap are left to read, so the
      // summaries are the whole bar (a cold month's bar stood at half until its end and jumped to done).
      const long = query.to - query.from > rowsBelowMs;
      const progress = twoPhases(onProgress, long ? 'summaries' : 'halves');
      const { objects, listed, keptOnly } = await overlapping(host, query.from, query.to, progress.summaries);
      const sensors = await sensorsOf(objects);
      const extra = pending.filter((p) => !listed.has(p.processedKey)).map((p) => p.batch);
      for (const batch of extra) {
        for (const sensor of batch.sensors)
          if (!sensors.some((s) => s.key === sensor.key)) sensors.push(sensor);
      }
      const inRange = (rows: BatchRows) => rows.t.filter((t) => t >= query.from && t < query.to).length;
      /** The chart with what it says of itself: rows not stored yet, and a store that could not be listed. */
      const answered = (chart: ChartData, pendingRows: number): ChartData => ({
        ...chart,
        ...(pendingRows > 0 ? { pending: { rows: pendingRows, notShown: 0 } } : {}),
        ...(keptOnly ? { keptOnly } : {}),
      });
      if (long) {
        // Stored rollups, except for batches whose time overlaps another's: theirs come from their rows, each
        // time stamp once (see repeated-rows.ts).
        const ranges = [
          ...(await Promise.all(objects.map((object) => options.cache.summary(object)))),
          ...extra.map((batch) => rangeOf(batch.rows)),
        ];
        const shared = overlappingRanges(ranges);
        const counted = countedBy(progress.reads([...shared].filter((i) => i < objects.length).length));
        const rowsOf = (i: number) =>
          i < objects.length
            ? counted(options.cache.rows(objects[i]!))
            : Promise.resolve(extra[i - objects.length]!.rows);
        const order = [...shared].sort((a, b) => a - b);
        const once = withoutRepeatedRows(await Promise.all(order.map(rowsOf)));
        // Folded as they come: a year's rollups of every sensor held at once took the agent from 160 to 445 MB.
        const fold = foldRollups(query, maxPoints);
        let pendingRows = 0;
        for (let i = 0; i < ranges.length; i++) {
          const k = order.indexOf(i);
          const pending = i >= objects.length;
          if (k >= 0) fold.add(rollupsOf(once[k]!));
          else
            fold.add(pending ? extra[i - objects.length]!.rollups : await options.cache.rollups(objects[i]!));
          if (pending) pendingRows += inRange(k >= 0 ? once[k]! : extra[i - objects.length]!.rows);
        }
        return answered(fold.series(sensors), pendingRows);
      }
      const counted = countedBy(progress.reads(objects.length));
      const rows = await Promise.all(objects.map((object) => counted(options.cache.rows(object))));
      rows.push(...extra.map((batch) => batch.rows));
      const once = withoutRepeatedRows(rows);
      const pendingRows = once.slice(objects.length).reduce((sum, batch) => sum + inRange(batch), 0);
      return answered(seriesFromRows(once, query, sensors), pendingRows);
    },
  };
}

/** Counts one object's rows as they come (a GET where only the outline was cached) as a step of `step`. */
function countedBy(step: (steps: number) => void) {
  return <T>(read: Promise<T>): Promise<T> =>
    read.then((value) => {
      step(1);
      return value;
    });
}

/**
 * A read's progress in two phases: the summaries of the objects whose key dates can meet the range (overlapping),
 * then the reads left (a step each). Until the second phase's size is known it is taken to be the first's
 * ('halves': the rows of the range's objects, some of the candidates) or one step ('summaries': a long chart, whose
 * rollups came with the summaries); the second phase then fills what the first left of the bar, so the share never
 * goes back, and a second phase of none ends it at once.
 *   const progress = twoPhases(onProgress, 'halves'); await overlapping(…, progress.summaries)   → (1, 8) … (4, 8)
 *   const step = progress.reads(2); step(1); step(1)                                               → (12, 16), (16, 16)
 *   twoPhases(onProgress, 'summaries'): (1, 5) … (4, 5), then reads(0)                             → (4, 4)
 */
function twoPhases(onProgress: Progress, guess: 'halves' | 'summaries') {
  let first = 0;
  /** The second phase's guessed size: 1 at least (where no summary came, only batches not stored yet are read). */
  const rest = () => (guess === 'halves' ? Math.max(1, first) : 1);
  return {
    summaries(done: number, total: number) {
      first = total;
      onProgress(done, first + rest());
    },
    reads(count: number): (steps: number) => void {
      if (count === 0) onProgress(first, first);
      // first / (first + e) of the bar is done; each read adds e / (first + e) / count: in whole steps, out of
      // (first + e) × count.
      const e = rest();
      let done = 0;
      return (steps) => {
        done += steps;
        onProgress(first * count + e * done, (first + e) * count);
      };
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
 * And at most this much time of readings ahead: 48 hourly objects, as above, but only 12 of the 8 MiB batches of a
 * backfill (3.4 h of 1-second rows each; decoded, ≈ 9 MB each). With 48 of those ahead, Sessions "All stored data"
 * over 80 days of one long GPU-Z session took the agent to 901 MB; with 4, 583 MB, in the same 21 s.
 */
export const READ_AHEAD_SPAN_MS = 48 * 3_600_000;

/** The time of readings a group holds: each object's first to last reading, one interval (1 s) each counted. */
function spanOfGroup(ranges: { first: number; last: number }[]): number {
  return ranges.reduce((sum, range) => sum + Math.max(0, range.last - range.first) + 1000, 0);
}

/**
 * The rows of each group of batches (timeGroups) in turn, each row once, inside the range (a piece per group, empty
 * where none is): a group's rows are read while the groups before it are merged, at most READ_AHEAD groups and
 * READ_AHEAD_SPAN_MS of readings (`spans`, per group) ahead.
 */
async function* piecesOf(
  groups: number[][],
  rowsOf: (i: number) => Promise<BatchRows>,
  query: ChartQuery,
  read: (group: number[]) => void,
  spans: number[],
): AsyncGenerator<BatchRows> {
  const reads: (Promise<BatchRows[]> | undefined)[] = [];
  const readAhead = (g: number) => {
    let ahead = 0;
    for (let k = g + 1; k < reads.length; k++) ahead += spans[k]!;
    for (let k = reads.length; k < groups.length; k++) {
      // The group being merged is always read; those after it while within both bounds.
      if (k > g && (k > g + READ_AHEAD || ahead >= READ_AHEAD_SPAN_MS)) break;
      const read = Promise.all(groups[k]!.map(rowsOf));
      read.catch(() => undefined); // said when its turn comes; not an unhandled rejection meanwhile
      reads.push(read);
      if (k > g) ahead += spans[k]!;
    }
  };
  for (let g = 0; g < groups.length; g++) {
    readAhead(g);
    const piece = mergeRows(withoutRepeatedRows(await reads[g]!), query);
    reads[g] = undefined; // its rows go once merged
    read(groups[g]!);
    yield piece;
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
