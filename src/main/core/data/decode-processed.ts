/**
 * The processor's document (src/shared/process/types.ts, schema gpuz-cloud/processed/v1) → the dashboard's batch:
 *   decodeProcessed(gzip(JSON.stringify(doc)), 'processed/pc/2024/04/20/b.json.gz')
 *     → { sensors: [{ key, name, unit }], rows: { t, values }, rollups: { t, min, max, avg, count } }
 * Sessions are concatenated; a key missing from a session gets nulls there, so columns stay aligned; the
 * first row of each session that starts at a GPU-Z header is listed in sessionStarts.
 */
import { promisify } from 'node:util';
import { gunzip, gunzipSync } from 'node:zlib';
import type { SensorInfo } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { PROCESSED_SCHEMA, type ProcessedDocument } from '../../../shared/process/types';
import type { BatchRollups, Columns, DecodedBatch, DecodedOutline } from './types';

const gunzipAsync = (body: Uint8Array) => promisify(gunzip)(body, { chunkSize: 1024 * 1024 });

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
 * What a long-range chart needs of a processed document — sensors, session starts, first and last time stamp,
 * rollups — without parsing its rows (≈ 95 % of the text): the cold 30-day chart reads 720 documents.
 *
 *   await outlineProcessed(gzipBody, key) → { sensors, sessionStarts, first, last, rollups }
 * The document is gunzipped off the main thread (libuv's pool), then only its head (up to the first session's
 * `"t":[`) and its tail (`"rollups":…,"summary":…`) are parsed: encodeProcessed writes them in that order, and
 * the markers cannot occur inside a JSON string (their quotes would be escaped). A document of several
 * sessions, or one not laid out so, is decoded whole, with the same result.
 */
export async function outlineProcessed(body: Uint8Array, key: string): Promise<DecodedOutline> {
  let bytes: Buffer;
  try {
    bytes = body[0] === 0x1f && body[1] === 0x8b ? await gunzipAsync(body) : Buffer.from(body);
  } catch (error) {
    throw unreadable(key, error);
  }
  const outline = outlineOfSingleSession(bytes);
  if (outline) {
    if (outline.schema !== PROCESSED_SCHEMA) throw wrongSchema(key, outline.schema);
    return outline.decoded;
  }
  const { rows, ...rest } = decodeProcessed(bytes, key);
  return {
    ...rest,
    first: rows.t[0] ?? rest.rollups.t[0] ?? 0,
    last: rows.t.at(-1) ?? rest.rollups.t.at(-1) ?? 0,
  };
}

const T_MARK = Buffer.from(',"t":[');
const ROLLUPS_MARK = Buffer.from('],"rollups":{');

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
    const last = Number(times.slice(times.lastIndexOf(',') + 1));
    if (!Number.isFinite(first) || !Number.isFinite(last)) return undefined;
    return {
      schema: head.schema,
      decoded: {
        sensors: session.columns.map((c) => ({ key: c.key, name: c.name, unit: c.unit })),
        sessionStarts: session.header ? [first] : [],
        first,
        last,
        rollups: toBatchRollups(tail.rollups),
      },
    };
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
