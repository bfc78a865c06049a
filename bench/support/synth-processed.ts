/**
 * Synthesizes processed-v1 documents (src/shared/process/types.ts) for the dashboard benchmark:
 *   await writeSyntheticMonth({ dir, host: 'bench-pc', days: 30, end }) → 720 hourly objects of 3,600 rows
 * under {dir}/processed/{host}/{yyyy}/{mm}/{dd}/{batchId}.json.gz — the local store's key layout.
 * Values follow a smooth daily load curve with noise, so min/max bands have real width. Each object is built
 * and written by the processor's own batch builder and encoder, and stored by the local store's own put (with the
 * sidecar of metadata and ETag every stored object has: the stored layout the dashboard really reads), with the
 * day documents the local processing writes beside them (day-rollups-writer.ts: one per day, written once).
 */
import { createDayRollupsWriter } from '../../src/main/core/pipeline/day-rollups-writer';
import { createLocalStore } from '../../src/main/core/store/local';
import { createBatchBuilder } from '../../src/shared/process/batch-builder';
import { batchOutline } from '../../src/shared/process/day-rollups';
import { encodeProcessed } from '../../src/shared/process/encode-processed';
import type { ProcessedBatch } from '../../src/shared/process/process-raw';
import { PROCESSED_SCHEMA } from '../../src/shared/process/types';

export const BENCH_SENSORS = [
  { key: 'gpu_clock_mhz', name: 'GPU Clock', unit: 'MHz', base: 1800, swing: 700 },
  { key: 'memory_clock_mhz', name: 'Memory Clock', unit: 'MHz', base: 2000, swing: 60 },
  { key: 'gpu_temperature_c', name: 'GPU Temperature', unit: '°C', base: 55, swing: 20 },
  { key: 'hot_spot_c', name: 'Hot Spot', unit: '°C', base: 65, swing: 22 },
  { key: 'gpu_load_pct', name: 'GPU Load', unit: '%', base: 50, swing: 50 },
  { key: 'board_power_draw_w', name: 'Board Power Draw', unit: 'W', base: 150, swing: 120 },
  { key: 'fan_speed_pct', name: 'Fan Speed', unit: '%', base: 45, swing: 30 },
  { key: 'memory_used_mb', name: 'Memory Used', unit: 'MB', base: 5000, swing: 2500 },
] as const;

const HOUR = 3_600_000;

export async function writeSyntheticMonth(options: {
  dir: string;
  host: string;
  days: number;
  end: number;
  /** Rows per hourly object, evenly spaced (default 3,600: one a second). */
  rowsPerHour?: number;
}) {
  const rowsPerHour = options.rowsPerHour ?? 3600;
  const stepMs = HOUR / rowsPerHour;
  const start = Math.floor(options.end / HOUR) * HOUR - options.days * 24 * HOUR;
  const store = createLocalStore({ root: options.dir });
  const days = createDayRollupsWriter({ delayMs: 60_000 });
  let objects = 0;
  let bytes = 0;
  let seed = 1;
  const random = () => {
    seed = (seed * 16807) % 2147483647;
    return seed / 2147483647;
  };
  for (let hour = start; hour < start + options.days * 24 * HOUR; hour += HOUR) {
    // The processor's own builder and encoder, as the Lambda writes the object (same layout, same sizes).
    const builder = createBatchBuilder();
    const columns = BENCH_SENSORS.map(({ key, name, unit }) => ({ key, name, unit }));
    builder.add({ type: 'session', session: 0, format: 'gpuz', columns, line: 1 });
    for (let s = 0; s < rowsPerHour; s++) {
      const at = hour + s * stepMs;
      const phase = Math.sin((at / (24 * HOUR)) * 2 * Math.PI);
      const values = BENCH_SENSORS.map(
        (sensor) =>
          Math.round(
            (sensor.base + sensor.swing * 0.5 * phase + sensor.swing * 0.3 * (random() - 0.5)) * 10,
          ) / 10,
      );
      const local = new Date(at).toISOString().slice(0, 19).replace('T', ' ');
      builder.add({ type: 'row', session: 0, line: s + 2, t: at, local, values });
    }
    const date = new Date(hour).toISOString();
    const batchId = `bench-${hour}`;
    const sourceKey = `raw/${options.host}/${date.slice(0, 4)}/${date.slice(5, 7)}/${date.slice(8, 10)}/${batchId}.csv.gz`;
    const batch: ProcessedBatch = {
      ...builder.result(),
      header: {
        schema: PROCESSED_SCHEMA,
        host: options.host,
        batchId,
        sourceKey,
        sourceBytes: rowsPerHour * 560,
        timeZone: 'UTC',
        format: 'gpuz',
        encoding: 'windows-1252',
      },
    };
    const body = await encodeProcessed(batch);
    const key = sourceKey.replace(/^raw\//, 'processed/').replace(/\.csv\.gz$/, '.json.gz');
    const { etag } = await store.put(key, body, { contentType: 'application/json', contentEncoding: 'gzip' });
    days.add(store, batchOutline(batch, key, etag));
    objects += 1;
    bytes += body.length;
  }
  await days.close();
  return { objects, bytes, rows: objects * rowsPerHour, from: start, to: start + options.days * 24 * HOUR };
}
