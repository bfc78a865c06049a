/**
 * Processed objects, read through a disk cache keyed by ETag, split into the parts the charts need:
 *   const cache = createBatchCache({ store, dir, decode })
 *   await cache.summary(listed)  → { first, last, sensors }   (GET only when the ETag changed)
 *   await cache.rollups(listed)  → 1-minute rollups           (30-day views read only these)
 *   await cache.rows(listed)     → the rows                   (zoomed-in views)
 * Two files per object: `{sha256(key)}.meta.json` holds the ETag, the summary and the 1-minute rollups
 * (one read tells whether the copy is current and is all a long range needs), `.body` the object as
 * downloaded, decoded for its rows only when a zoomed-in view asks (a cold 30-day chart parses no rows:
 * `outline` reads only a document's head and rollups; 5.2 s → ≈ 1 s for 720 objects here).
 * `index.json` packs every meta in one file (rewritten shortly after changes), so a new process opening a
 * 30-day chart reads one file instead of hundreds. Reopening the dashboard costs no GET at all, and a long
 * range never parses rows.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../../shared/errors';
import { writeFileAtomic } from '../../../shared/fs/atomic-file';
import type { ListedObject, Store } from '../store/types';
import { decodeProcessed, outlineProcessed, spanOf } from './decode-processed';
import type { BatchRollups, BatchRows, BatchSummary, DecodedBatch, DecodedOutline } from './types';

type Part = 'summary' | 'rollups' | 'rows';
type Meta = { etag: string; summary: BatchSummary; rollups: BatchRollups };
type PartValue = { summary: BatchSummary; rollups: BatchRollups; rows: BatchRows };
type Fetched = { summary: BatchSummary; rollups: BatchRollups; rows?: BatchRows };

export interface BatchCache {
  summary(object: ListedObject): Promise<BatchSummary>;
  rollups(object: ListedObject): Promise<BatchRollups>;
  rows(object: ListedObject): Promise<BatchRows>;
  /** Writes the packed index now if a change is pending (on shutdown). */
  flush(): Promise<void>;
}

export function createBatchCache(options: {
  store: Store;
  dir: string;
  decode: (body: Uint8Array, key: string) => DecodedBatch;
  /** The batch without its rows, cheaper than `decode` (default: `decode`, rows dropped). */
  outline?: (body: Uint8Array, key: string) => Promise<DecodedOutline>;
  /** Delay before the packed index is rewritten after a change. */
  packDelayMs?: number;
}): BatchCache {
  // In-memory layer for this run: repeated zooms do not even touch the disk.
  const memory = new Map<string, unknown>();
  const inflight = new Map<string, Promise<Fetched>>();
  const outline =
    options.outline ??
    (async (body: Uint8Array, key: string): Promise<DecodedOutline> => {
      const { rows, ...rest } = options.decode(body, key);
      return { ...rest, ...spanOf(rows.t, rest.rollups.t) };
    });

  const base = (key: string) =>
    join(options.dir, createHash('sha256').update(key).digest('hex').slice(0, 40));

  let pack: Promise<Map<string, Meta>> | null = null;
  let packTimer: ReturnType<typeof setTimeout> | null = null;
  const packPath = join(options.dir, 'index.json');

  function loadPack(): Promise<Map<string, Meta>> {
    pack ??= readFile(packPath, 'utf8').then(
      (text) => new Map(Object.entries(JSON.parse(text) as Record<string, Meta>)),
      () => new Map<string, Meta>(),
    );
    return pack;
  }

  async function remember(key: string, meta: Meta): Promise<void> {
    (await loadPack()).set(key, meta);
    if (packTimer) return;
    packTimer = setTimeout(() => {
      packTimer = null;
      void loadPack().then((metas) =>
        writeFileAtomic(packPath, JSON.stringify(Object.fromEntries(metas))).catch(() => undefined),
      );
    }, options.packDelayMs ?? 1000);
    packTimer.unref?.();
  }

  async function writePack(): Promise<void> {
    if (packTimer) clearTimeout(packTimer);
    packTimer = null;
    const metas = await loadPack();
    await writeFileAtomic(packPath, JSON.stringify(Object.fromEntries(metas))).catch(() => undefined);
  }

  async function readMeta(key: string): Promise<Meta | null> {
    const packed = (await loadPack()).get(key);
    if (packed) return packed;
    const text = await readFile(`${base(key)}.meta.json`, 'utf8').catch(() => null);
    if (text === null) return null;
    const meta = JSON.parse(text) as Meta;
    await remember(key, meta);
    return meta;
  }

  /**
   * GET the object once; keep its body (rows are decoded from it when asked), then the meta with the ETag (the
   * commit marker). Only a caller that wants rows now decodes the whole document.
   */
  async function refresh(object: ListedObject, wantRows: boolean): Promise<Fetched> {
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
    const summary: BatchSummary = {
      key: object.key,
      etag: stored.etag,
      first: decoded.first,
      last: decoded.last,
      sensors: decoded.sensors,
      sessionStarts: decoded.sessionStarts,
    };
    await mkdir(options.dir, { recursive: true });
    await writeFile(`${base(object.key)}.body`, stored.body);
    memory.set(`${object.key}\0${stored.etag}\0summary`, summary);
    memory.set(`${object.key}\0${stored.etag}\0rollups`, decoded.rollups);
    const meta: Meta = { etag: stored.etag, summary, rollups: decoded.rollups };
    await writeFile(`${base(object.key)}.meta.json`, JSON.stringify(meta));
    await remember(object.key, meta);
    return rows ? { summary, rollups: decoded.rollups, rows } : { summary, rollups: decoded.rollups };
  }

  /** The rows of a current copy, decoded from the kept body; a cache without it (older versions) GETs again. */
  async function rowsOf(object: ListedObject): Promise<BatchRows> {
    const body = await readFile(`${base(object.key)}.body`).catch(() => null);
    if (body) return options.decode(body, object.key).rows;
    const fetched = await refresh(object, true);
    return fetched.rows!;
  }

  async function part<P extends Part>(object: ListedObject, name: P): Promise<PartValue[P]> {
    const memoryKey = `${object.key}\0${object.etag}\0${name}`;
    const hit = memory.get(memoryKey);
    if (hit) return hit as PartValue[P];
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
      memory.set(`${object.key}\0${object.etag}\0summary`, meta.summary);
      memory.set(`${object.key}\0${object.etag}\0rollups`, meta.rollups);
      return meta[name as 'summary' | 'rollups'] as PartValue[P];
    }
    // Rows are the big part: decoded from the kept body each time, never kept in memory across queries.
    return (await rowsOf(object)) as PartValue[P];
  }

  return {
    summary: (object) => part(object, 'summary'),
    rollups: (object) => part(object, 'rollups'),
    rows: (object) => part(object, 'rows'),
    flush: async () => {
      if (packTimer) await writePack();
    },
  };
}

/** The cache over processed documents as the app and the benchmarks use it (decode for rows, outline for long ranges). */
export function createProcessedBatchCache(options: { store: Store; dir: string }): BatchCache {
  return createBatchCache({ ...options, decode: decodeProcessed, outline: outlineProcessed });
}
