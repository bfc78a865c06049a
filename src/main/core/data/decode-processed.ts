/**
 * The processor's document (src/shared/process/types.ts, schema gpuz-cloud/processed/v1) → the dashboard's batch:
 *   decodeProcessed(gzip(JSON.stringify(doc)), 'processed/pc/2024/04/20/b.json.gz')
 *     → { sensors: [{ key, name, unit }], rows: { t, values }, rollups: { t, min, max, avg, count } }
 * Sessions are concatenated; a key missing from a session gets nulls there, so columns stay aligned; the
 * first row of each session that starts at a GPU-Z header is listed in sessionStarts.
 */
import { gunzipSync } from 'node:zlib';
import type { SensorInfo } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { PROCESSED_SCHEMA, type ProcessedDocument } from '../../../shared/process/types';
import type { BatchRollups, Columns, DecodedBatch } from './types';

export function decodeProcessed(body: Uint8Array, key: string): DecodedBatch {
  let doc: ProcessedDocument;
  try {
    const bytes = body[0] === 0x1f && body[1] === 0x8b ? gunzipSync(body) : body;
    doc = JSON.parse(Buffer.from(bytes).toString('utf8')) as ProcessedDocument;
  } catch (error) {
    throw new AppError(
      'PROCESSED_UNREADABLE',
      `${key} is not a readable processed document.`,
      'Re-process the raw batch (gpuz-cloud reprocess) or delete the object.',
      { cause: error },
    );
  }
  if (doc.schema !== PROCESSED_SCHEMA) {
    throw new AppError(
      'PROCESSED_SCHEMA',
      `${key} has schema "${String(doc.schema)}", expected ${PROCESSED_SCHEMA}.`,
      'Update GPU-Z Cloud: this object was written by another version.',
    );
  }
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
