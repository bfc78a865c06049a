/**
 * One document per host and day with the outline of every processed batch of that day — what a long-range
 * chart reads of a batch (columns, session starts, span, 1-minute rollups), without its rows:
 *
 *   dayRollupsKeyFor('processed/pc/2024/04/20/ab12-0-4096.json.gz') → 'rollups/pc/2024/04/20.json.gz'
 *   previousDay('processed/pc/2024/04/21/b.json.gz')
 *     → { host: 'pc', day: '2024/04/20', key: 'rollups/pc/2024/04/20.json.gz', prefix: 'processed/pc/2024/04/20/' }
 *   const entry = batchOutline(batch, processedKey, etagOfThePut)       (a batch just processed: the local store)
 *   const entry = documentOutline(readProcessedDocument(body), key, etag) (a stored one: the Lambda's daily seal)
 *   const doc = withBatch(await read(dayKey) ?? null, entry)             → written back
 *
 * A cold 30-day chart GETs 30 of these instead of 720 processed objects (issue 18, goal 4). Who writes them: the
 * local processing after each quiet spell (free: a folder), the Lambda once per host and day, for the day before,
 * when that day's first batch arrives (lambda/day-seal.ts: a few requests a day instead of two per batch). It is an
 * index, never the truth: an entry counts only while the processed object listed under its key has the entry's
 * ETag, so a batch that came after its day was sealed, one reprocessed, or a day never sealed only sends the reader
 * back to the processed objects themselves.
 */
import { gunzipSync, gzipSync } from 'node:zlib';
import type { ProcessedBatch } from './process-raw';
import type { ColumnInfo, ProcessedDocument, Rollups } from './types';

export const DAY_ROLLUPS_SCHEMA = 'gpuz-cloud/day-rollups/v1';

export interface DayBatchSession {
  /** The session starts at a GPU-Z header line (as ProcessedSession.header). */
  header?: true;
  columns: ColumnInfo[];
  /** Its first time stamp (epoch ms); null for a session without rows. */
  t0: number | null;
}

export interface DayBatchOutline {
  /** The processed object's key. */
  key: string;
  /** Its ETag as the store reported it for the PUT (quotes as given; compare with sameEtag). */
  etag: string;
  sessions: DayBatchSession[];
  /** Earliest and latest sample (summary.firstT / lastT). */
  firstT: number;
  lastT: number;
  rollups: Rollups;
}

export interface DayRollupsDocument {
  schema: typeof DAY_ROLLUPS_SCHEMA;
  host: string;
  /** The processed keys' date folder: `YYYY/MM/DD` (the first sample's local date). */
  day: string;
  /** Sorted by key, one per key. */
  batches: DayBatchOutline[];
}

const PROCESSED_KEY = /^processed\/([^/]+)\/(\d{4}\/\d{2}\/\d{2})\/[^/]+\.json(?:\.gz)?$/;

/** The day document a processed key belongs to; null for keys outside the dated layout (latest.json). */
export function dayRollupsKeyFor(processedKey: string): string | null {
  const match = PROCESSED_KEY.exec(processedKey);
  return match ? `rollups/${match[1]}/${match[2]}.json.gz` : null;
}

/** The processed objects' prefix of a day document: 'rollups/pc/2024/04/20.json.gz' → 'processed/pc/2024/04/20/'. */
export function processedPrefixOf(dayKey: string): string | null {
  const match = /^rollups\/([^/]+)\/(\d{4}\/\d{2}\/\d{2})\.json\.gz$/.exec(dayKey);
  return match ? `processed/${match[1]}/${match[2]}/` : null;
}

/** `rollups/{host}/` — where the day documents of a host are listed. */
export function dayRollupsPrefix(host: string): string {
  return `rollups/${host}/`;
}

function daySession(header: boolean | undefined, columns: ColumnInfo[], t0: number | null): DayBatchSession {
  return { ...(header ? { header: true as const } : {}), columns, t0 };
}

/** A processed batch as just encoded and stored under `key` with `etag` → its entry. */
export function batchOutline(batch: ProcessedBatch, key: string, etag: string): DayBatchOutline {
  return {
    key,
    etag,
    sessions: batch.sessions.map((session) =>
      daySession(session.header, session.columns, session.length > 0 ? session.t.get(0) : null),
    ),
    firstT: batch.summary.firstT,
    lastT: batch.summary.lastT,
    rollups: batch.rollups,
  };
}

/** A stored processed document (read back whole) → its entry, the same as batchOutline gave when it was made. */
export function documentOutline(doc: ProcessedDocument, key: string, etag: string): DayBatchOutline {
  return {
    key,
    etag,
    sessions: doc.sessions.map((session) =>
      daySession(session.header, session.columns, session.t[0] ?? null),
    ),
    firstT: doc.summary.firstT,
    lastT: doc.summary.lastT,
    rollups: doc.rollups,
  };
}

/** A host's day ('2024/04/20'): its document's key and the processed objects' prefix. */
export interface DayRef {
  host: string;
  day: string;
  key: string;
  prefix: string;
}

export function dayRef(host: string, day: string): DayRef {
  return { host, day, key: `rollups/${host}/${day}.json.gz`, prefix: `processed/${host}/${day}/` };
}

/** The day before the processed key's date folder: its document's key and the processed objects' prefix. */
export function previousDay(processedKey: string): DayRef | null {
  const match = PROCESSED_KEY.exec(processedKey);
  if (!match) return null;
  const [yyyy, mm, dd] = match[2]!.split('/').map(Number) as [number, number, number];
  const day = new Date(Date.UTC(yyyy, mm - 1, dd - 1)).toISOString().slice(0, 10).replaceAll('-', '/');
  return dayRef(match[1]!, day);
}

/** A day's document of these entries (any order): sorted by key, one per key as given. */
export function dayDocument(host: string, day: string, entries: DayBatchOutline[]): DayRollupsDocument {
  const batches = [...entries].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return { schema: DAY_ROLLUPS_SCHEMA, host, day, batches };
}

/** The document with `entry` added, or replacing the entry of the same key (a batch reprocessed). */
export function withBatch(doc: DayRollupsDocument | null, entry: DayBatchOutline): DayRollupsDocument {
  const match = PROCESSED_KEY.exec(entry.key);
  if (!match) throw new Error(`withBatch: "${entry.key}" is not a dated processed key`);
  const others = (doc?.batches ?? []).filter((batch) => batch.key !== entry.key);
  return dayDocument(match[1]!, match[2]!, [...others, entry]);
}

/** ETags compare without their quotes (S3 quotes them, a local store may not). */
export function sameEtag(a: string, b: string): boolean {
  return a.replace(/"/g, '') === b.replace(/"/g, '');
}

export function encodeDayRollups(doc: DayRollupsDocument): Uint8Array {
  return gzipSync(JSON.stringify(doc), { level: 6 });
}

/** The stored bytes (gzip or plain JSON) → the document; throws on anything else (the caller ignores the file). */
export function decodeDayRollups(body: Uint8Array): DayRollupsDocument {
  const bytes = body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body) : body;
  const doc = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8')) as
    | DayRollupsDocument
    | undefined;
  if (doc?.schema !== DAY_ROLLUPS_SCHEMA || !Array.isArray(doc.batches))
    throw new Error(`not a ${DAY_ROLLUPS_SCHEMA} document`);
  return doc;
}
