/**
 * The day documents of a local store (src/shared/process/day-rollups.ts; on S3 the Lambda writes them), written
 * behind the processed objects:
 *
 *   const days = createDayRollupsWriter({ delayMs: 2000 })
 *   days.add(store, { key: processedKey, etag: putResult.etag, ...outline })   after the processed object's PUT
 *   days.heal(store)   at start: days whose document is missing or older than one of their objects are written
 *                      again at the next write (a process killed before its write, with no later batch of that day)
 *   await days.close()                                                          writes what is still pending
 *
 * Entries gather until delayMs pass without a new one (at most 5 × delayMs after the first), then each day's
 * document is read, merged and written once: a backfill of a hundred batches writes each of its days once, not
 * once per batch (the merge re-encodes the whole day). The day's processed objects are listed too, and any the
 * document lacks (a process killed before its write, a document damaged or written by an older version) is read
 * back and added, so the document heals at the day's next batch. Writes never overlap, and the agent holds the
 * store's folder alone, so no other writer can interleave. A write that fails only leaves entries out: the reader
 * GETs those batches themselves (src/main/core/data/day-outlines.ts).
 */
import {
  type DayBatchOutline,
  type DayRollupsDocument,
  dayRollupsKeyFor,
  decodeDayRollups,
  documentOutline,
  encodeDayRollups,
  processedPrefixOf,
  sameEtag,
  withBatch,
} from '../../../shared/process/day-rollups';
import { readProcessedDocument } from '../../../shared/process/read-document';
import type { ListedObject, Store } from '../store/types';

export interface DayRollupsWriter {
  add(store: Store, entry: DayBatchOutline): void;
  /**
   * Looks at the store's processed objects and day documents at the next write (two listings, no reads): a day whose
   * document is missing, or older than one of its objects, is written again then. Scheduled like an entry.
   * `processed`: the store's processed objects as listed at start, when the caller has listed them already.
   */
  heal(store: Store, processed?: Promise<ListedObject[]>): void;
  /** Writes every pending entry now (also what close() does). */
  flush(): Promise<void>;
  close(): Promise<void>;
}

export function createDayRollupsWriter(options: { delayMs?: number | undefined } = {}): DayRollupsWriter {
  const delayMs = options.delayMs ?? 2000;
  const pending = new Map<Store, Map<string, DayBatchOutline[]>>();
  const toHeal = new Map<Store, Promise<ListedObject[]> | undefined>();
  let timer: ReturnType<typeof setTimeout> | null = null;
  let firstAt = 0;
  let writing: Promise<void> = Promise.resolve();

  function schedule(): void {
    if (timer) clearTimeout(timer);
    const now = Date.now();
    if (firstAt === 0) firstAt = now;
    timer = setTimeout(() => void flush(), Math.max(0, Math.min(delayMs, firstAt + 5 * delayMs - now)));
    timer.unref?.();
  }

  function flush(): Promise<void> {
    if (timer) clearTimeout(timer);
    timer = null;
    firstAt = 0;
    const healing = [...toHeal];
    toHeal.clear();
    const batch = new Map(pending);
    pending.clear();
    writing = writing.then(async () => {
      for (const [store, processed] of healing) {
        const days = batch.get(store) ?? new Map<string, DayBatchOutline[]>();
        batch.set(store, days);
        for (const dayKey of await staleDays(store, processed).catch(() => []))
          days.set(dayKey, days.get(dayKey) ?? []);
      }
      for (const [store, days] of batch) {
        for (const [dayKey, entries] of days) await writeDay(store, dayKey, entries).catch(() => undefined);
      }
    });
    return writing;
  }

  return {
    add(store, entry) {
      const dayKey = dayRollupsKeyFor(entry.key);
      if (!dayKey) return;
      const days = pending.get(store) ?? new Map<string, DayBatchOutline[]>();
      pending.set(store, days);
      days.set(dayKey, [...(days.get(dayKey) ?? []), entry]);
      schedule();
    },
    heal(store, processed) {
      toHeal.set(store, processed);
      schedule();
    },
    flush,
    close: flush,
  };
}

/**
 * Day documents a kill left behind: missing, or written before one of their day's processed objects (a file's time
 * is its write's: the local store renames a finished temp file into place). An object written in the same
 * millisecond as the document counts as newer: at worst that day is written once more.
 */
async function staleDays(store: Store, processed?: Promise<ListedObject[]>): Promise<string[]> {
  const [objects, documents] = await Promise.all([
    processed ?? store.list('processed/'),
    store.list('rollups/'),
  ]);
  const writtenAt = new Map(documents.map((doc) => [doc.key, doc.lastModified.getTime()]));
  const stale = new Set<string>();
  for (const object of objects) {
    const dayKey = dayRollupsKeyFor(object.key);
    const at = dayKey ? writtenAt.get(dayKey) : undefined;
    if (dayKey && (at === undefined || object.lastModified.getTime() >= at)) stale.add(dayKey);
  }
  return [...stale];
}

async function writeDay(store: Store, dayKey: string, entries: DayBatchOutline[]): Promise<void> {
  const stored = await store.get(dayKey);
  let doc: DayRollupsDocument | null = null;
  try {
    doc = stored ? decodeDayRollups(stored.body) : null;
  } catch {
    doc = null; // unreadable: written again, the entries it had read back from the objects below
  }
  for (const entry of entries) doc = withBatch(doc, entry);
  const prefix = processedPrefixOf(dayKey);
  const known = new Map(doc?.batches.map((entry) => [entry.key, entry.etag]));
  for (const object of prefix ? await store.list(prefix) : []) {
    const etag = known.get(object.key);
    if (etag !== undefined && sameEtag(etag, object.etag)) continue;
    const found = await store.get(object.key).catch(() => null);
    try {
      if (found)
        doc = withBatch(doc, documentOutline(readProcessedDocument(found.body), object.key, found.etag));
    } catch {
      // not a readable processed document: left out, the reader GETs it itself (and says what is wrong with it)
    }
  }
  if (doc)
    await store.put(dayKey, encodeDayRollups(doc), {
      contentType: 'application/json',
      contentEncoding: 'gzip',
    });
}
