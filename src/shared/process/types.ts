/**
 * The processed document: one per raw batch object, stored at processedKeyFor(rawKey).
 * Columnar and compact — every series is one JSON array aligned with its session's `t`.
 * Documented in docs/processed-format.md; JSON Schema in docs/schema/processed-v1.schema.json.
 *
 *   { schema: 'gpuz-cloud/processed/v1', host: 'gaming-pc', batchId: 'ab12-0-4096', sourceKey: 'raw/…csv.gz',
 *     timeZone: 'Europe/Berlin', format: 'gpuz',
 *     sessions: [{ columns: [{ key: 'gpu_clock_mhz', name: 'GPU Clock', unit: 'MHz' }],
 *                  t: [1713610929000, …], values: { gpu_clock_mhz: [2490, null, …] } }],
 *     rollups: { intervalMs: 60000, t: [1713610920000, …], columns: { gpu_clock_mhz: { min, max, avg, count } } },
 *     summary: { rows: 356, skippedLines: 0, firstT, lastT, firstLocal, lastLocal, columns: {…}, warnings: [] } }
 */
import type { LogFormat, TextEncoding } from '../parse/types';

export const PROCESSED_SCHEMA = 'gpuz-cloud/processed/v1';
export const QUARANTINE_SCHEMA = 'gpuz-cloud/quarantine/v1';
export const ROLLUP_INTERVAL_MS = 60_000;

export interface ColumnInfo {
  key: string;
  name: string;
  unit: string;
  gpu?: string;
}

export interface ProcessedSession {
  /**
   * true: the session starts at a header line of the log (GPU-Z started logging). Absent: it continues the
   * session of the previous batch (the uploader prepended the header), or the document predates revision 2.
   */
  header?: true;
  columns: ColumnInfo[];
  /** Epoch milliseconds (UTC), one per row. */
  t: number[];
  /** One array per column key, aligned with `t`; null = no reading. */
  values: Record<string, (number | null)[]>;
  /** Non-numeric cells (nvidia-smi `pstate`, `name`…) by key, aligned with `t`; only when the source has any. */
  text?: Record<string, (string | null)[]>;
}

export interface ColumnStats {
  min: number;
  max: number;
  avg: number;
  count: number;
}

export interface RollupSeries {
  min: (number | null)[];
  max: (number | null)[];
  avg: (number | null)[];
  count: number[];
}

export interface Rollups {
  intervalMs: number;
  /** Bucket starts (epoch ms, UTC minute), ascending. */
  t: number[];
  columns: Record<string, RollupSeries>;
}

export interface ProcessWarning {
  code: string;
  message: string;
  line?: number;
}

export interface Summary {
  rows: number;
  sessions: number;
  skippedLines: number;
  skipReasons: Record<string, number>;
  /** Earliest and latest sample (epoch ms UTC) and their time stamps as written in the log. */
  firstT: number;
  lastT: number;
  firstLocal: string;
  lastLocal: string;
  /** Per key over every session; keys with no reading at all are absent. */
  columns: Record<string, ColumnStats>;
  warnings: ProcessWarning[];
  /** Warnings beyond the kept ones (the list is capped so a bad file cannot bloat the document). */
  warningsDropped: number;
}

export interface ProcessedDocument {
  schema: typeof PROCESSED_SCHEMA;
  host: string;
  batchId: string;
  sourceKey: string;
  sourceBytes: number;
  timeZone: string;
  format: LogFormat;
  encoding: TextEncoding | null;
  sessions: ProcessedSession[];
  rollups: Rollups;
  summary: Summary;
}

export type QuarantineCode =
  | 'EMPTY'
  | 'FOREIGN_KEY'
  | 'BAD_GZIP'
  | 'UNKNOWN_FORMAT'
  | 'NO_ROWS'
  | 'PARSE_ERROR'
  | 'TOO_LARGE';

export interface QuarantineDocument {
  schema: typeof QUARANTINE_SCHEMA;
  sourceKey: string;
  reason: { code: QuarantineCode; message: string };
  /** ISO time of the decision. */
  at: string;
  /** Size of the raw object as stored. */
  bytes: number;
  format?: LogFormat | null;
  skippedLines?: number;
}
