/**
 * The analytics row contract `gpuz-cloud/rows/v1` (docs/schema/rows-v1.md): one row per reading, the same
 * for `gpuz-cloud export` and the Lambda's daily copy, and the column set of one Parquet file.
 *
 *   rowColumnsFor([{ key: 'gpu_clock_mhz', name: 'GPU Clock', unit: 'MHz', type: 'number' }])
 *     → [time, session, batch_id, time_zone, gpu_clock_mhz]   (DOUBLE, unit MHz)
 *   partitionPath('gaming-pc', '2026-08-06') → 'host=gaming-pc/date=2026-08-06'
 *
 * `host` and `date` are Hive partition columns: they live in the path only (as Spark's partitionBy writes
 * them), so every engine prunes by them and none sees a column twice. `date` is the date the log's clock
 * showed (`time` in `time_zone`), the day the owner lived and the date in the processed batch keys.
 */
export const ROWS_SCHEMA = 'gpuz-cloud/rows/v1';

export type RowColumnType = 'timestamp' | 'int32' | 'string' | 'double';

export interface RowColumn {
  name: string;
  type: RowColumnType;
  /** Sensor columns: the log's column name and unit (from the processed document). */
  sensor?: { name: string; unit: string };
  required: boolean;
}

/** The columns every file has, in this order, before the sensor columns (sorted by key). */
export const FIXED_COLUMNS: readonly RowColumn[] = [
  { name: 'time', type: 'timestamp', required: true },
  { name: 'session', type: 'int32', required: true },
  { name: 'batch_id', type: 'string', required: true },
  { name: 'time_zone', type: 'string', required: true },
];

/** Path-only columns (Hive partitions). */
export const PARTITION_COLUMNS = ['host', 'date'] as const;

/** A sensor series as the documents declare it: numeric readings or text cells (nvidia-smi `pstate`, `name`). */
export interface SensorColumn {
  key: string;
  name: string;
  unit: string;
  type: 'number' | 'text';
}

const RESERVED = new Set<string>([...FIXED_COLUMNS.map((c) => c.name), ...PARTITION_COLUMNS]);

/**
 * The column name of a sensor key: the key itself, except where it would collide with a fixed or partition
 * column (`time`, `date`…) or, for text cells, with a numeric key of the same name (`_text`).
 */
export function sensorColumnName(key: string, type: 'number' | 'text', numericKeys: Set<string>): string {
  let name = RESERVED.has(key) ? `${key}_value` : key;
  if (type === 'text' && numericKeys.has(key)) name = `${name}_text`;
  return name;
}

/** Fixed columns, then one column per sensor (DOUBLE for readings, STRING for text), sorted by name. */
export function rowColumnsFor(sensors: Iterable<SensorColumn>): RowColumn[] {
  const list = [...sensors];
  const numeric = new Set(list.filter((s) => s.type === 'number').map((s) => s.key));
  const byName = new Map<string, RowColumn>();
  for (const sensor of list) {
    const name = sensorColumnName(sensor.key, sensor.type, numeric);
    if (byName.has(name)) continue;
    byName.set(name, {
      name,
      type: sensor.type === 'number' ? 'double' : 'string',
      sensor: { name: sensor.name, unit: sensor.unit },
      required: false,
    });
  }
  const sorted = [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [...FIXED_COLUMNS, ...sorted];
}

const HOST = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** `host=…/date=YYYY-MM-DD`: the partition folder (local export) or key prefix below `analytics/` (bucket). */
export function partitionPath(host: string, date: string): string {
  if (!HOST.test(host) || !DATE.test(date)) {
    throw new Error(`partitionPath: "${host}" / "${date}" is not a host name and a YYYY-MM-DD date`);
  }
  return `host=${host}/date=${date}`;
}

/** The UTC date of an epoch-millisecond time: `utcDate(Date.UTC(2026, 7, 6, 23, 59))` → `'2026-08-06'`. */
export function utcDate(t: number): string {
  return new Date(t).toISOString().slice(0, 10);
}

/** Epoch ms of a UTC date's midnight. */
export function dayStart(date: string): number {
  return Date.parse(`${date}T00:00:00Z`);
}

/** `addDays('2026-08-06', -1)` → `'2026-08-05'`. */
export function addDays(date: string, days: number): string {
  return utcDate(dayStart(date) + days * 86_400_000);
}

/** The file of one partition: `partitionFile('pc', '2026-08-06', 'parquet')` → `host=pc/date=2026-08-06/pc-2026-08-06.parquet`. */
export function partitionFile(host: string, date: string, format: 'parquet' | 'ndjson'): string {
  return `${partitionPath(host, date)}/${host}-${date}.${format}`;
}

// processedKeyFor() always ends in .json.gz under processed/{host}/{yyyy}/{mm}/{dd}/.
const PROCESSED_KEY = /^processed\/([^/]+)\/(\d{4})\/(\d{2})\/(\d{2})\/[^/]+\.json\.gz$/;

/** `processed/pc/2026/08/06/b.json.gz` → `{ host: 'pc', date: '2026-08-06' }` (the batch's first local date); else null. */
export function processedKeyParts(key: string): { host: string; date: string } | null {
  const match = PROCESSED_KEY.exec(key);
  return match ? { host: match[1]!, date: `${match[2]}-${match[3]}-${match[4]}` } : null;
}

/**
 * How far forward a batch reaches past its key date: the agent seals before a row 8 hours from the batch's first
 * (MAX_BATCH_SPAN_MINUTES, main/core/batch.ts; since 2026-12-05 — before, only 8 MB of log text bounded it, and a
 * PC asleep for days inside one GPU-Z session made a batch span the sleep). Only a bounded read (`--from`, the daily
 * copy) relies on it.
 */
export const MAX_BATCH_DAYS = 3;
