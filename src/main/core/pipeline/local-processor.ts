import { isRawKey, LATEST_JSON_KEY, processedKeyFor, quarantineKeyFor } from '../../../shared/keys';
import { createLogParser, systemTimeZone, timeZoneOr } from '../../../shared/parse';
import { type ProcessOutcome, processRawObject } from '../../../shared/process';
import type { ListedObject, Store } from '../store/types';
import { createDayRollupsWriter } from './day-rollups-writer';
import { rawLeftUnprocessed } from './left-raw';
import { type ProcessJob, type ProcessJobResult, runProcessJob } from './process-job';
import { openProcessThread } from './process-thread';

/**
 * The Lambda's work, in-process, for the `local` store: the embedded default has processed data with
 * no AWS account.
 *
 *   const processor = createLocalProcessor({ timeZone: 'Europe/Berlin', thread: processWorkerEntry() });
 *   await processor.onRawStored('raw/pc/2024/04/20/b-0-9.csv.gz', store)
 *     → { outcome: 'processed', outputKey: 'processed/pc/2024/04/20/b-0-9.json.gz', rows: 356 }
 *     → { outcome: 'quarantined', outputKey: 'quarantine/pc/2024/04/20/b-0-9.json', code: 'BAD_GZIP' }
 *   await processor.onRawStored(key, store, { body: logBytes, size: 803, timeZone, firstUtc })
 *     → the same, from the bytes the uploader just stored (no GET, no second gunzip; they may be moved to the
 *       thread: the caller must not use them afterwards)
 *   await processor.heal(store)  (at start: day documents a kill left missing or behind are written again, and raw
 *                                 batches stored without output — an earlier `upload --local` — are processed)
 *     → { processed: 2, quarantined: 0, left: 0 }
 *   await processor.close()   (writes the day documents still pending: day-rollups-writer.ts)
 *
 * Same core, same keys, same bytes as the Lambda (minus Kafka: `gpuz-cloud forward --local` does that). With
 * `thread` (the processing worker's bundle, worker-entry.ts) the work runs on another core (process-thread.ts) while
 * the caller goes on with the next batch; outputs are stored in the order the batches came. A thread that cannot
 * start or dies is given up: that batch and the rest are processed in this thread (slower, the same bytes).
 */
export interface LocalProcessResult {
  outcome: 'processed' | 'quarantined' | 'missing' | 'ignored';
  outputKey: string | null;
  rows: number;
  code?: string;
}

/** A raw batch as it was just stored: its log bytes (or the stored gzip), stored size and metadata. */
export interface StoredRaw {
  body: Uint8Array;
  size: number;
  timeZone: string;
  firstUtc?: string | undefined;
}

/** What a start's heal did with the raw batches it found without output (left-raw.ts). */
export interface LeftRawResult {
  processed: number;
  quarantined: number;
  /** Not processed this time (the store failed, or the processor closed first): tried again at the next start. */
  left: number;
}

export interface LocalProcessor {
  onRawStored(key: string, store: Store, stored?: StoredRaw): Promise<LocalProcessResult>;
  /**
   * At start: the store's day documents that a kill left missing or behind are written at the next write, and the
   * raw batches stored earlier without a processed document or quarantine record (left-raw.ts) are processed, one
   * at a time. Resolves when they are (close() stops it after the batch in hand).
   */
  heal(store: Store): Promise<LeftRawResult>;
  close(): Promise<void>;
}

export function createLocalProcessor(
  options: {
    timeZone?: string;
    latestJson?: boolean;
    latestJsonKey?: string;
    now?: () => Date;
    /** The processing worker's bundle: run on another core (null or absent: in this thread). */
    thread?: URL | null;
    /**
     * A one-shot upload: batches are coming, so the thread starts now and loads its code while the first one is cut.
     * (This thread does not process beside it: reading, cutting and storing keep it about half busy, and batches it
     * processed made the thread wait for the next one — a 100 MB backfill took 2.39–2.87 s with the thread alone,
     * 2.96–3.10 s with both, alternating.)
     */
    oneShot?: boolean;
    /** Quiet time before the day documents are written (day-rollups-writer.ts; default 2 s). */
    dayRollupsDelayMs?: number;
  } = {},
): LocalProcessor {
  const fallbackZone = options.timeZone ?? systemTimeZone();
  // A fixed clock (tests) stays in this thread: the worker reads the real one.
  let thread = options.thread && !options.now ? openProcessThread(options.thread) : null;
  if (options.oneShot) thread?.start();
  /** The stored object as a job (null: it is gone). */
  const fromStore = async (key: string, store: Store): Promise<ProcessJob | null> => {
    const raw = await store.get(key);
    if (!raw) return null;
    return {
      key,
      body: raw.body,
      size: raw.body.length,
      timeZone: timeZoneOr(raw.metadata.timezone, fallbackZone),
      firstUtc: raw.metadata['first-utc'],
    };
  };
  const run = async (job: ProcessJob, store: Store, move: boolean): Promise<ProcessJobResult> => {
    const current = thread;
    if (current) {
      try {
        return await current.run(job, { move });
      } catch {
        // The thread could not start or died (out of memory…): this batch and the rest are processed here —
        // from the store when the job's bytes went to the thread. Every job it held lands here; the first closes it.
        if (thread === current) {
          thread = null;
          void current.close();
        }
        const again = job.body.byteLength > 0 ? job : await fromStore(job.key, store);
        if (!again) throw new Error(`${job.key} is gone from the store`);
        return runProcessJob(again, options.now);
      }
    }
    return runProcessJob(job, options.now);
  };
  const days = createDayRollupsWriter({ delayMs: options.dayRollupsDelayMs });
  let storing: Promise<unknown> = Promise.resolve();
  /** Stores one output after every earlier one (latest.json ends with the last batch's). */
  const inOrder = <T>(work: () => Promise<T>): Promise<T> => {
    const next = storing.then(work, work);
    storing = next.catch(() => undefined);
    return next;
  };
  /** One batch's output stored: its processed document (and day entry, and latest.json when asked) or its record. */
  const storeOutput = async (
    key: string,
    output: ProcessJobResult,
    store: Store,
    latest: boolean,
  ): Promise<LocalProcessResult> => {
    if (output.kind === 'quarantine') {
      const outputKey = quarantineKeyFor(key);
      await store.put(outputKey, output.body, { contentType: 'application/json' });
      return { outcome: 'quarantined', outputKey, rows: 0, code: output.code };
    }
    const outputKey = processedKeyFor(key);
    const put = { contentType: 'application/json', contentEncoding: 'gzip' };
    const { etag } = await store.put(outputKey, output.body, put);
    days.add(store, { ...output.outline, etag });
    if (latest) await store.put(options.latestJsonKey ?? LATEST_JSON_KEY, output.body, put);
    return { outcome: 'processed', outputKey, rows: output.rows };
  };
  /** Raw keys handed to onRawStored while a heal runs: it leaves them to it (forgotten once it is done). */
  const handed = new Set<string>();
  let healingNow = false;
  let closing = false;
  let healing: Promise<unknown> = Promise.resolve();
  const processLeftRaw = async (
    store: Store,
    startedAt: number,
    processed: Promise<ListedObject[]>,
  ): Promise<LeftRawResult> => {
    // A second's margin: an object this run stores as the listing runs is its own, processed as it is stored.
    const keys = await rawLeftUnprocessed(store, startedAt - 1000, processed);
    const result: LeftRawResult = { processed: 0, quarantined: 0, left: 0 };
    for (const key of keys) {
      if (handed.has(key)) continue;
      if (closing) {
        result.left += 1;
        continue;
      }
      try {
        const job = await fromStore(key, store);
        if (!job) continue;
        // Older rows: never latest.json. Stored in their own turn, so they never come between two new batches.
        const output = await run(job, store, false);
        const stored = await inOrder(() => storeOutput(key, output, store, false));
        result[stored.outcome === 'quarantined' ? 'quarantined' : 'processed'] += 1;
      } catch {
        result.left += 1; // the store failed: the next start lists it again
      }
    }
    return result;
  };
  return {
    async onRawStored(key, store, stored) {
      // The hook fires for every stored object; only raw batches are ours to process.
      if (!isRawKey(key)) return { outcome: 'ignored', outputKey: null, rows: 0 };
      if (healingNow) handed.add(key);
      const job = stored
        ? { key, ...stored, timeZone: timeZoneOr(stored.timeZone, fallbackZone) }
        : await fromStore(key, store);
      if (!job) return { outcome: 'missing', outputKey: null, rows: 0 };
      const result = run(job, store, stored !== undefined);
      // Awaited in its turn below; a failure that comes before an earlier batch is stored is not unhandled meanwhile.
      result.catch(() => undefined);
      return inOrder(async () => storeOutput(key, await result, store, options.latestJson === true));
    },
    heal(store) {
      // One walk of processed/ for both heals (a year of hourly objects: ≈ 0.3 s each).
      const processed = store.list('processed/');
      processed.catch(() => undefined);
      days.heal(store, processed);
      healingNow = true;
      const left = processLeftRaw(store, Date.now(), processed)
        .catch(() => ({ processed: 0, quarantined: 0, left: 0 }))
        .finally(() => {
          healingNow = false;
          handed.clear();
        });
      healing = left;
      return left;
    },
    close: async () => {
      closing = true;
      await healing;
      await days.close();
      await thread?.close();
    },
  };
}

/** One raw batch held in memory (gzip or text, as its key says) → what the Lambda would make of it. */
export function processRawBytes(
  key: string,
  body: Uint8Array,
  timeZone: string,
  now?: () => Date,
  firstUtc?: string,
): Promise<ProcessOutcome> {
  return processRawObject(
    { sourceKey: key, body: once(body), timeZone, firstUtc },
    { createParser: createLogParser, now },
  );
}

async function* once(body: Uint8Array): AsyncGenerator<Uint8Array> {
  yield body;
}
