/**
 * The processor's document (src/shared/process/types.ts, schema gpuz-cloud/processed/v1) → the dashboard's batch:
 *   decodeProcessed(gzip(JSON.stringify(doc)), 'processed/pc/2024/04/20/b.json.gz')
 *     → { sensors: [{ key, name, unit }], rows: { t, values }, rollups: { t, min, max, avg, count } }
 * Sessions are concatenated; a key missing from a session gets nulls there, so columns stay aligned; the
 * first row of each session that starts at a GPU-Z header is listed in sessionStarts.
 */
import { promisify } from 'node:util';
import { gunzip, gunzipSync, type ZlibOptions, constants as zlibConstants } from 'node:zlib';
import type { SensorInfo } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import {
  PROCESSED_SCHEMA,
  type ProcessedDocument,
  type ProcessedSession,
} from '../../../shared/process/types';
import type { BatchRollups, Columns, DecodedBatch, DecodedOutline } from './types';

const gunzipAsync = (body: Uint8Array, options: ZlibOptions) => promisify(gunzip)(body, options);
// A slice ends mid-stream: flush what it holds instead of failing. An outline is tens of KB of text.
const PARTIAL = { finishFlush: zlibConstants.Z_SYNC_FLUSH, chunkSize: 64 * 1024 };
const WHOLE = { chunkSize: 256 * 1024 };

export function decodeProcessed(body: Uint8Array, key: string): DecodedBatch {
  let doc: ProcessedDocument;
  try {
    const bytes = body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body) : body;
    doc = JSON.parse(Buffer.from(bytes).toString('utf8')) as ProcessedDocument;
  } catch (error) {
    throw unreadable(key, error);
  }
  return fromDocument(doc, key);
}

/**
 * What a long-range chart needs of a processed document — sensors, session starts, earliest and latest time
 * stamp, rollups — without parsing its rows (≈ 95 % of the text): the cold 30-day chart reads 720 documents.
 *
 *   await outlineProcessed(gzipBody, key) → { sensors, sessionStarts, first, last, rollups }
 * encodeProcessed writes the header, `rollups` and `summary` before the `sessions` (since 2026-12-02): the
 * body is inflated a slice at a time (off the main thread, in libuv's pool) only until the first session's
 * columns and first time stamp, typically the first few kilobytes of tens. Older documents (rollups after the
 * rows) are inflated whole and only their head and tail parsed; a document of several sessions, or one laid
 * out otherwise, is decoded whole, with the same result.
 */
export async function outlineProcessed(body: Uint8Array, key: string): Promise<DecodedOutline> {
  const gzipped = body[0] === 0x1f && body[1] === 0x8b;
  let text: Buffer;
  try {
    // Slices of 16 KB, 64 KB, 256 KB … of the compressed body, each inflated from the start (the waste is at
    // most a third of the last), until one holds the outline; an older layout is inflated whole at once.
    for (let size = 16 * 1024; ; size *= 4) {
      const whole = !gzipped || size >= body.length;
      const bytes = !gzipped
        ? Buffer.from(body)
        : await gunzipAsync(whole ? body : body.subarray(0, size), whole ? WHOLE : PARTIAL);
      const found = outlineAhead(bytes);
      if (typeof found === 'object') {
        if (found.schema !== PROCESSED_SCHEMA) throw wrongSchema(key, found.schema);
        return found.decoded;
      }
      if (whole) {
        text = bytes;
        break;
      }
      if (found === 'old') size = body.length;
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw unreadable(key, error);
  }
  const outline = outlineOfSingleSession(text);
  if (outline) {
    if (outline.schema !== PROCESSED_SCHEMA) throw wrongSchema(key, outline.schema);
    return outline.decoded;
  }
  const { rows, ...rest } = decodeProcessed(text, key);
  return { ...rest, ...spanOf(rows.t, rest.rollups.t) };
}

/** Earliest and latest time stamp of a batch's rows (its rollups' when it has none). */
export function spanOf(t: number[], rollupsT: number[]): { first: number; last: number } {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const time of t) {
    if (time < first) first = time;
    if (time > last) last = time;
  }
  if (t.length > 0) return { first, last };
  return { first: rollupsT[0] ?? 0, last: rollupsT.at(-1) ?? 0 };
}

const ROLLUPS_FIRST_MARK = Buffer.from(',"rollups":{');
const SESSIONS_MARK = Buffer.from(',"sessions":[');
const T_MARK = Buffer.from(',"t":[');
const ROLLUPS_MARK = Buffer.from('],"rollups":{');

type Head = Pick<ProcessedDocument, 'schema' | 'rollups' | 'summary'>;
type SessionHead = Pick<ProcessedSession, 'header' | 'columns'>;

/**
 * The outline from the inflated start of a document laid out outline-first: 'more' when the text ends
 * before the first session's first time stamp, 'old' when the rows come first (or the layout is not
 * recognised, or the document has several sessions): read it whole.
 *
 * The markers cannot occur inside a JSON string (their quotes would be escaped), the header's fields are
 * flat, and inside `rollups` and `summary` a key "sessions" or "t" never opens an array at a comma (the
 * column maps hold objects, summary.sessions is a number): JSON.parse of each slice checks the rest.
 */
function outlineAhead(text: Buffer): { schema: unknown; decoded: DecodedOutline } | 'more' | 'old' {
  const rollupsAt = text.indexOf(ROLLUPS_FIRST_MARK);
  const sessionsFirst = text.indexOf(SESSIONS_MARK);
  if (rollupsAt < 0 && sessionsFirst < 0) return 'more';
  if (rollupsAt < 0 || (sessionsFirst >= 0 && sessionsFirst < rollupsAt)) return 'old';
  const sessionsAt = text.indexOf(SESSIONS_MARK, rollupsAt);
  if (sessionsAt < 0) return 'more';
  const tAt = text.indexOf(T_MARK, sessionsAt);
  if (tAt < 0) return 'more';
  const numbersAt = tAt + T_MARK.length;
  let end = numbersAt;
  while (end < text.length && text[end] !== 44 && text[end] !== 93) end += 1; // ',' or ']'
  if (end >= text.length) return 'more';
  try {
    const head = JSON.parse(`${text.toString('utf8', 0, sessionsAt)}}`) as Head;
    if (head.summary?.sessions !== 1) return 'old';
    const session = JSON.parse(
      `${text.toString('utf8', sessionsAt + SESSIONS_MARK.length, tAt)}}`,
    ) as SessionHead;
    const t0 = Number(text.toString('latin1', numbersAt, end));
    if (end === numbersAt || !Number.isFinite(t0)) return 'old';
    return singleSessionOutline(head.schema, session, t0, head);
  } catch {
    return 'old';
  }
}

/** One session's columns and first time stamp, with the document's rollups and summary → the outline. */
function singleSessionOutline(
  schema: unknown,
  session: SessionHead,
  t0: number,
  { rollups, summary }: Pick<ProcessedDocument, 'rollups' | 'summary'>,
): { schema: unknown; decoded: DecodedOutline } {
  return {
    schema,
    decoded: {
      sensors: session.columns.map((c) => ({ key: c.key, name: c.name, unit: c.unit })),
      sessionStarts: session.header ? [t0] : [],
      first: summary.firstT,
      last: summary.lastT,
      rollups: toBatchRollups(rollups),
    },
  };
}

/** A document with the rows first (written before 2026-12-02): its head and tail, when it has one session. */
function outlineOfSingleSession(bytes: Buffer): { schema: unknown; decoded: DecodedOutline } | undefined {
  try {
    const tAt = bytes.indexOf(T_MARK);
    const rollupsAt = bytes.lastIndexOf(ROLLUPS_MARK);
    if (tAt < 0 || rollupsAt < tAt) return undefined;
    const tail = JSON.parse(`{${bytes.toString('utf8', rollupsAt + 2)}`) as Pick<
      ProcessedDocument,
      'rollups' | 'summary'
    >;
    if (tail.summary?.sessions !== 1) return undefined;
    const head = JSON.parse(`${bytes.toString('utf8', 0, tAt)}}]}`) as Pick<
      ProcessedDocument,
      'schema' | 'sessions'
    >;
    const session = head.sessions[0]!;
    const tEnd = bytes.indexOf(93, tAt); // ']' ends the array of numbers
    const times = bytes.toString('latin1', tAt + T_MARK.length, tEnd);
    if (times === '') return undefined;
    const first = Number(times.slice(0, times.indexOf(',') >>> 0));
    if (!Number.isFinite(first)) return undefined;
    return singleSessionOutline(head.schema, session, first, tail);
  } catch {
    return undefined;
  }
}

function unreadable(key: string, cause: unknown): AppError {
  return new AppError(
    'PROCESSED_UNREADABLE',
    `${key} is not a readable processed document.`,
    'Re-process the raw batch (gpuz-cloud reprocess) or delete the object.',
    { cause },
  );
}

function wrongSchema(key: string, schema: unknown): AppError {
  return new AppError(
    'PROCESSED_SCHEMA',
    `${key} has schema "${String(schema)}", expected ${PROCESSED_SCHEMA}.`,
    'Update GPU-Z Cloud: this object was written by another version.',
  );
}

function fromDocument(doc: ProcessedDocument, key: string): DecodedBatch {
  if (doc.schema !== PROCESSED_SCHEMA) throw wrongSchema(key, doc.schema);
  const sensors = new Map<string, SensorInfo>();
  for (const session of doc.sessions) {
    for (const column of session.columns)
      sensors.set(column.key, { key: column.key, name: column.name, unit: column.unit });
  }
  const t: number[] = [];
  const values: Columns = {};
  // A second session in one document always began at a header; the first one when the document says so.
  const sessionStarts = doc.sessions.flatMap((session, i) =>
    (i > 0 || session.header) && session.t.length > 0 ? [session.t[0]!] : [],
  );
  for (const key of sensors.keys()) values[key] = [];
  for (const session of doc.sessions) {
    for (const time of session.t) t.push(time); // not push(...t): a 100 MB batch has ~180,000 rows, above V8's argument limit
    for (const key of sensors.keys()) {
      const column = session.values[key];
      const target = values[key]!;
      for (let i = 0; i < session.t.length; i++) target.push(column?.[i] ?? null);
    }
  }
  return {
    sensors: [...sensors.values()],
    sessionStarts,
    rows: { t, values },
    rollups: toBatchRollups(doc.rollups),
  };
}

/** The processor's rollups (one object per key) → the dashboard's (one column set per statistic). */
export function toBatchRollups(rollups: Pick<ProcessedDocument['rollups'], 't' | 'columns'>): BatchRollups {
  const out: BatchRollups = { t: rollups.t, min: {}, max: {}, avg: {}, count: {} };
  for (const [key, series] of Object.entries(rollups.columns)) {
    out.min[key] = series.min;
    out.max[key] = series.max;
    out.avg[key] = series.avg;
    out.count[key] = series.count;
  }
  return out;
}
