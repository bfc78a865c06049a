/**
 * The ETag cache's packed index (etag-cache.ts) as one binary file: every object's ETag and summary in a small JSON
 * head, its 1-minute rollups as float64 columns after it — what a new process reads to draw a 30-day chart from
 * the disk cache without a GET.
 *
 *   encodePack(new Map([[key, { etag, summary, rollups }]])) → Buffer  ('GZCP', version, head length, head, columns)
 *   decodePack(bytes) → the same Map (null = NaN in the columns; each column made an array at its first read), or
 *                       null when the bytes are not a whole pack
 *   decodePackHead(bytes.subarray(0, packHeadEnd(bytes))) → the ETags and summaries alone (an extent, a sensor list)
 *
 * It replaced `index.json` (2026-12-03): a month's 720 objects were 9.5 MB of JSON whose parse, string decoding and
 * garbage took ≈ 350 ms of the ≈ 600 ms the data layer needed for a disk-cache draw (`--cpu-prof`); the columns
 * here are read as they lie. Values are float64, so every rollup comes back exactly as it went in.
 */
import type { BatchRollups, BatchSummary, Columns } from './types';

export interface PackedMeta {
  etag: string;
  summary: BatchSummary;
  rollups: BatchRollups;
}

/** 'GZCP' read as a little-endian uint32. */
const MAGIC = 0x50435a47;
const VERSION = 1;
/** magic, version, head length (uint32 each), then the head padded to 8 bytes, then the columns. */
const PREFIX_BYTES = 12;
const STATS = ['min', 'max', 'avg', 'count'] as const;

interface HeadEntry {
  key: string;
  etag: string;
  summary: BatchSummary;
  /** Sensor keys, each with min, max, avg, count columns of `n` values after `t`. */
  sensors: string[];
  n: number;
  /** Where the entry's columns start, in float64s from the first column. */
  at: number;
}

export function encodePack(metas: Map<string, PackedMeta>): Buffer {
  const entries: HeadEntry[] = [];
  let floats = 0;
  for (const [key, meta] of metas) {
    const sensors = Object.keys(meta.rollups.min);
    const n = meta.rollups.t.length;
    entries.push({ key, etag: meta.etag, summary: meta.summary, sensors, n, at: floats });
    floats += n * (1 + STATS.length * sensors.length);
  }
  const head = Buffer.from(JSON.stringify({ entries }), 'utf8');
  const columnsAt = align8(PREFIX_BYTES + head.length);
  const out = Buffer.alloc(columnsAt + floats * 8);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(VERSION, 4);
  out.writeUInt32LE(head.length, 8);
  head.copy(out, PREFIX_BYTES);
  const columns = new Float64Array(out.buffer, out.byteOffset + columnsAt, floats);
  let i = 0;
  for (const entry of entries) {
    const { rollups } = metas.get(entry.key)!;
    i = put(columns, i, rollups.t, entry.n);
    for (const sensor of entry.sensors)
      for (const stat of STATS) i = put(columns, i, rollups[stat][sensor], entry.n);
  }
  return out;
}

/** The ETag and summary of an object, without its rollups: what an extent or a sensor list reads. */
export type PackedHead = Pick<PackedMeta, 'etag' | 'summary'>;

/**
 * How many bytes from the start of a pack hold its head (the ETags and summaries), from at least its first 12;
 * null when the bytes do not start a pack.
 */
export function packHeadEnd(prefix: Uint8Array): number | null {
  if (prefix.length < PREFIX_BYTES) return null;
  const view = new DataView(prefix.buffer, prefix.byteOffset, prefix.byteLength);
  if (view.getUint32(0, true) !== MAGIC || view.getUint32(4, true) !== VERSION) return null;
  return PREFIX_BYTES + view.getUint32(8, true);
}

/** The ETags and summaries alone, from the pack's first packHeadEnd bytes or more; null when they are not whole. */
export function decodePackHead(bytes: Uint8Array): Map<string, PackedHead> | null {
  const entries = headEntries(bytes);
  return (
    entries && new Map(entries.map((entry) => [entry.key, { etag: entry.etag, summary: entry.summary }]))
  );
}

function headEntries(bytes: Uint8Array): HeadEntry[] | null {
  const end = packHeadEnd(bytes);
  if (end === null || end > bytes.length) return null;
  try {
    const head = JSON.parse(
      Buffer.from(bytes.buffer, bytes.byteOffset + PREFIX_BYTES, end - PREFIX_BYTES).toString('utf8'),
    );
    const entries = (head as { entries: HeadEntry[] }).entries;
    return Array.isArray(entries) ? entries : null;
  } catch {
    return null;
  }
}

export function decodePack(bytes: Uint8Array): Map<string, PackedMeta> | null {
  const entries = headEntries(bytes);
  if (!entries) return null;
  const columnsAt = align8(packHeadEnd(bytes)!);
  if (columnsAt > bytes.length || (bytes.length - columnsAt) % 8 !== 0) return null;
  const floats = (bytes.length - columnsAt) / 8;
  // A Float64Array needs its start on an 8-byte boundary: copied when the read buffer does not give one.
  const start = bytes.byteOffset + columnsAt;
  const columns =
    start % 8 === 0
      ? new Float64Array(bytes.buffer, start, floats)
      : new Float64Array(new Uint8Array(bytes.subarray(columnsAt)).buffer, 0, floats); // a copy (Buffer#slice is not)
  const metas = new Map<string, PackedMeta>();
  for (const entry of entries) {
    const { n, sensors } = entry;
    if (!Number.isInteger(n) || !Number.isInteger(entry.at) || !Array.isArray(sensors)) return null;
    if (entry.at < 0 || entry.at + n * (1 + STATS.length * sensors.length) > floats) return null;
    let i = entry.at;
    const t = Array.from(columns.subarray(i, i + n));
    i += n;
    const rollups: BatchRollups = { t, min: {}, max: {}, avg: {}, count: {} };
    for (const sensor of sensors) {
      for (const stat of STATS) {
        lazyColumn(rollups[stat], sensor, columns, i, n);
        i += n;
      }
    }
    metas.set(entry.key, { etag: entry.etag, summary: entry.summary, rollups });
  }
  return metas;
}

/** Writes `n` values (a missing column or a null: NaN) at `i`; returns the index after them. */
function put(
  columns: Float64Array,
  i: number,
  values: Columns[string] | number[] | undefined,
  n: number,
): number {
  for (let k = 0; k < n; k++) columns[i + k] = values?.[k] ?? Number.NaN;
  return i + n;
}

/**
 * `target[key]` read from the columns at its first use, then kept as a plain array: a chart of 3 sensors out of 8
 * turns only their columns into arrays (the rest would be ≈ 1 M boxed numbers of garbage for a month).
 */
function lazyColumn(target: Columns, key: string, columns: Float64Array, i: number, n: number): void {
  Object.defineProperty(target, key, {
    enumerable: true,
    configurable: true,
    get() {
      const value = take(columns, i, n);
      Object.defineProperty(target, key, { value, enumerable: true, configurable: true, writable: true });
      return value;
    },
  });
}

function take(columns: Float64Array, i: number, n: number): (number | null)[] {
  const out = new Array<number | null>(n);
  for (let k = 0; k < n; k++) {
    const v = columns[i + k]!;
    out[k] = Number.isNaN(v) ? null : v;
  }
  return out;
}

function align8(n: number): number {
  return (n + 7) & ~7;
}
