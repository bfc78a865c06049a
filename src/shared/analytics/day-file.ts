import { randomUUID } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { renameRetrying, syncDir } from '../fs/atomic-file';
import { makeFolder } from '../fs/make-folder';
import type { RowChunk } from './day-rows';
import { openParquetFile } from './parquet-file';
import { type RowColumn, rowColumnsFor, type SensorColumn, sensorColumnName } from './row-schema';

/**
 * One partition's rows (one host, one date), gathered from any number of documents in any order and
 * written as one file once complete — with bounded memory.
 *
 *   const day = createDayFile({ tempDir })
 *   await day.add(chunk)   // spilled to tempDir at once; only its time range and columns stay in memory
 *   await day.write('/out/host=pc/date=2026-08-06/pc-2026-08-06.parquet', { format: 'parquet', host: 'pc' })
 *     → { rows: 86400, bytes: 3854534 }   (written beside, fsynced, renamed: never half a file)
 *
 * The file's columns are the union of its chunks' (a key missing from a chunk is null there); chunks are
 * written in time order, coalesced into row groups of at most `maxCellsPerGroup` cells, so a 437-column
 * HWiNFO day and a 12-column GPU-Z day both hold a few tens of MB at most.
 */
export type ExportFormat = 'parquet' | 'ndjson';

export interface DayFile {
  readonly rows: number;
  add(chunk: RowChunk): Promise<void>;
  write(
    path: string,
    options: { format: ExportFormat; host: string },
  ): Promise<{ rows: number; bytes: number }>;
  discard(): Promise<void>;
}

interface Spilled {
  file: string;
  firstT: number;
}

const DEFAULT_MAX_CELLS = 1_000_000;

export function createDayFile(options: { tempDir: string; maxCellsPerGroup?: number }): DayFile {
  const dir = join(options.tempDir, `day-${randomUUID().slice(0, 8)}`);
  const spilled: Spilled[] = [];
  const sensors = new Map<string, SensorColumn>();
  let rows = 0;
  return {
    get rows() {
      return rows;
    },
    async add(chunk) {
      if (chunk.t.length === 0) return;
      await makeFolder(dir);
      const file = join(dir, `${spilled.length}.json`);
      await writeFile(file, JSON.stringify(chunk));
      spilled.push({ file, firstT: chunk.t[0]! });
      for (const sensor of chunk.sensors) {
        const id = `${sensor.type}:${sensor.key}`;
        if (!sensors.has(id)) sensors.set(id, sensor);
      }
      rows += chunk.t.length;
    },
    async write(path, { format, host }) {
      const columns = rowColumnsFor(sensors.values());
      const numericKeys = new Set([...sensors.values()].filter((s) => s.type === 'number').map((s) => s.key));
      const ordered = [...spilled].sort((a, b) => a.firstT - b.firstT);
      const chunks = (async function* () {
        for (const entry of ordered) yield JSON.parse(await readFile(entry.file, 'utf8')) as RowChunk;
      })();
      await makeFolder(dirname(path));
      const temp = join(dirname(path), `.${basename(path)}.${randomUUID().slice(0, 8)}.tmp`);
      try {
        if (format === 'parquet') {
          await writeParquet(
            temp,
            columns,
            chunks,
            numericKeys,
            options.maxCellsPerGroup ?? DEFAULT_MAX_CELLS,
          );
        } else {
          await writeNdjson(temp, columns, chunks, numericKeys, host);
        }
        await fsync(temp);
        await renameRetrying(temp, path);
        await syncDir(dirname(path));
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
      return { rows, bytes: (await stat(path)).size };
    },
    async discard() {
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** Column values of one chunk by output column name (`_text`/`_value` renames applied). */
function chunkColumns(chunk: RowChunk, numericKeys: Set<string>): Map<string, ArrayLike<unknown>> {
  const out = new Map<string, ArrayLike<unknown>>([
    ['time', chunk.t],
    ['session', new Array(chunk.t.length).fill(chunk.session)],
    ['batch_id', new Array(chunk.t.length).fill(chunk.batchId)],
    ['time_zone', new Array(chunk.t.length).fill(chunk.timeZone)],
  ]);
  for (const [key, values] of Object.entries(chunk.values)) {
    out.set(sensorColumnName(key, 'number', numericKeys), values);
  }
  for (const [key, cells] of Object.entries(chunk.text)) {
    out.set(sensorColumnName(key, 'text', numericKeys), cells);
  }
  return out;
}

async function writeParquet(
  path: string,
  columns: RowColumn[],
  chunks: AsyncIterable<RowChunk>,
  numericKeys: Set<string>,
  maxCells: number,
): Promise<void> {
  const file = openParquetFile(path, columns);
  const maxRows = Math.max(1, Math.floor(maxCells / columns.length));
  let group = emptyGroup(columns);
  let groupRows = 0;
  const flush = () => {
    file.writeRowGroup(group);
    group = emptyGroup(columns);
    groupRows = 0;
  };
  for await (const chunk of chunks) {
    const values = chunkColumns(chunk, numericKeys);
    let start = 0;
    while (start < chunk.t.length) {
      const end = Math.min(chunk.t.length, start + (maxRows - groupRows));
      for (const column of columns) {
        const source = values.get(column.name);
        const target = group[column.name]!;
        for (let i = start; i < end; i += 1) target.push(source ? (source[i] ?? null) : null);
      }
      groupRows += end - start;
      start = end;
      if (groupRows >= maxRows) flush();
    }
  }
  if (groupRows > 0) flush();
  file.finish();
}

function emptyGroup(columns: RowColumn[]): Record<string, unknown[]> {
  return Object.fromEntries(columns.map((c) => [c.name, []]));
}

/** One JSON object per line: host, time as ISO-8601 UTC, the fixed columns, then every sensor column. */
async function writeNdjson(
  path: string,
  columns: RowColumn[],
  chunks: AsyncIterable<RowChunk>,
  numericKeys: Set<string>,
  host: string,
): Promise<void> {
  // pipeline, not write() and 'drain' by hand: a write refused by a full drive (ENOSPC) was an 'error' event no one
  // listened to yet, which ended the whole process (an uncaught exception), or left the loop waiting for a 'drain'.
  await pipeline(ndjsonText(columns, chunks, numericKeys, host), createWriteStream(path));
}

async function* ndjsonText(
  columns: RowColumn[],
  chunks: AsyncIterable<RowChunk>,
  numericKeys: Set<string>,
  host: string,
): AsyncGenerator<string> {
  for await (const chunk of chunks) {
    const values = chunkColumns(chunk, numericKeys);
    let text = '';
    for (let i = 0; i < chunk.t.length; i += 1) {
      const row: Record<string, unknown> = { host };
      for (const column of columns) {
        const value = values.get(column.name)?.[i] ?? null;
        row[column.name] = column.type === 'timestamp' ? new Date(value as number).toISOString() : value;
      }
      text += `${JSON.stringify(row)}\n`;
      if (text.length > 1 << 20) {
        yield text;
        text = '';
      }
    }
    if (text) yield text;
  }
}

async function fsync(path: string): Promise<void> {
  const handle = await open(path, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
