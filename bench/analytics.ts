/**
 * Analytics benchmark (docs/benchmarks.md, Analytics): `npx tsx bench/analytics.ts [--days 30]`.
 *
 * 1. export: `days` days of 1 Hz processed data (the dashboard bench's synthetic month, 8 sensors, hourly
 *    batches) → Parquet with exportRows, in a child process: wall time, rows/s, peak RSS, bytes per row.
 * 2. real logs: the GPU-Z samples of ≥ 1,000 rows exported as they are → bytes per row (the cost model's
 *    figure; a short file carries its footer and dictionaries over few rows, so this errs high).
 * 3. long-range chart input: what a cold 30-day chart of one sensor costs today (every hourly processed
 *    object: GET, gunzip, JSON.parse, take its 1-minute rollups) against reading the daily Parquet files
 *    (one per day: GET, then only the `time` and sensor columns, folded into the same 1-minute min/max/avg).
 *    Objects read, bytes read, CPU time — on local files, so S3 round trips (the 24× fewer GETs) come on top.
 */
import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { parquetMetadata, parquetRead } from 'hyparquet';
import { exportToFolder } from '../src/main/core/export';
import { buildSampleStore, sampleFiles } from '../src/main/core/export/sample-store.test-support';
import { createLocalStore } from '../src/main/core/store/local';
import type { ProcessedDocument } from '../src/shared/process';
import { numberArg } from './support/measure';
import { writeSyntheticMonth } from './support/synth-processed';

const days = numberArg('days', 30);
const host = 'bench-pc';
const SENSOR = 'gpu_temperature_c';

async function exportFolder(storeDir: string, outDir: string) {
  const store = createLocalStore({ root: storeDir });
  return exportToFolder({ source: store, sourceId: 'bench', outDir, format: 'parquet' });
}

async function filesUnder(dir: string, suffix: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries.filter((e) => e.isFile() && e.name.endsWith(suffix)).map((e) => join(e.parentPath, e.name));
}

/** Part 1 runs in a child so its peak RSS is its own. */
if (process.argv[2] === '--child-export') {
  const t0 = performance.now();
  const report = await exportFolder(process.argv[3]!, process.argv[4]!);
  const ms = performance.now() - t0;
  process.stdout.write(JSON.stringify({ ms, rssMb: process.resourceUsage().maxRSS / 1024, report }));
  process.exit(0);
}

const root = await mkdtemp(join(tmpdir(), 'gpuz-bench-analytics-'));
try {
  // 1. export
  const storeDir = join(root, 'store');
  const outDir = join(root, 'out');
  const synth = await writeSyntheticMonth({ dir: storeDir, host, days, end: Date.UTC(2026, 7, 31) });
  const child = spawnSync(
    process.execPath,
    ['--import', 'tsx', import.meta.filename, '--child-export', storeDir, outDir],
    {
      encoding: 'utf8',
      maxBuffer: 16 << 20,
    },
  );
  if (child.status !== 0) throw new Error(child.stderr);
  const run = JSON.parse(child.stdout) as {
    ms: number;
    rssMb: number;
    report: { rows: number; bytes: number; days: number };
  };
  console.log(
    `export: ${synth.objects} processed objects (${(synth.bytes / 1e6).toFixed(1)} MB gz), ` +
      `${run.report.rows.toLocaleString('en-US')} rows → ${run.report.days} Parquet files, ` +
      `${(run.report.bytes / 1e6).toFixed(1)} MB (${(run.report.bytes / run.report.rows).toFixed(1)} B/row, 8 sensors) ` +
      `in ${(run.ms / 1000).toFixed(1)} s = ${Math.round(run.report.rows / (run.ms / 1000)).toLocaleString('en-US')} rows/s; ` +
      `peak RSS ${run.rssMb.toFixed(0)} MB`,
  );

  // 2. real logs: every GPU-Z sample of 1,000 rows or more, exported as it is (distinct readings, real noise)
  const realRoot = join(root, 'real');
  const samples = sampleFiles().filter((f) => f.startsWith('gpuz/'));
  const built = await buildSampleStore(join(realRoot, 'store'), {
    timeZone: 'UTC',
    files: samples.map((file) => ({ file })),
  });
  await exportFolder(join(realRoot, 'store'), join(realRoot, 'out'));
  for (const sample of built.samples.filter((s) => s.rows >= 1000)) {
    const written = await filesUnder(join(realRoot, 'out', `host=${sample.host}`), '.parquet');
    const bytes = (await Promise.all(written.map((f) => stat(f)))).reduce((sum, s) => sum + s.size, 0);
    console.log(
      `real log ${sample.file.replace('gpuz/', '')}: ${sample.rows} rows → ${(bytes / sample.rows).toFixed(1)} B/row`,
    );
  }

  // 3. long-range chart input
  const processed = await filesUnder(join(storeDir, 'processed'), '.json.gz');
  let processedBytes = 0;
  let t0 = performance.now();
  let minutes = 0;
  for (const path of processed) {
    const body = await readFile(path);
    processedBytes += body.length;
    const doc = JSON.parse(gunzipSync(body).toString('utf8')) as ProcessedDocument;
    minutes += doc.rollups.columns[SENSOR]?.avg.length ?? 0;
  }
  const jsonMs = performance.now() - t0;
  const parquet = await filesUnder(outDir, '.parquet');
  let parquetBytes = 0;
  let columnBytes = 0;
  t0 = performance.now();
  let parquetMinutes = 0;
  for (const path of parquet) {
    const body = await readFile(path);
    parquetBytes += (await stat(path)).size;
    const buckets = new Map<number, { min: number; max: number; sum: number; n: number }>();
    const file = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
    // What ranged GETs of just these two columns would transfer (plus the footer).
    for (const group of parquetMetadata(file).row_groups) {
      for (const chunk of group.columns) {
        const name = chunk.meta_data?.path_in_schema.join('.');
        if (name === 'time' || name === SENSOR) columnBytes += Number(chunk.meta_data!.total_compressed_size);
      }
    }
    await parquetRead({
      file,
      columns: ['time', SENSOR],
      onComplete: (rows: unknown[][]) => {
        for (const [time, value] of rows) {
          if (typeof value !== 'number') continue;
          const minute = Math.floor((time as Date).getTime() / 60_000);
          const b = buckets.get(minute);
          if (b) {
            b.min = Math.min(b.min, value);
            b.max = Math.max(b.max, value);
            b.sum += value;
            b.n += 1;
          } else buckets.set(minute, { min: value, max: value, sum: value, n: 1 });
        }
      },
    });
    parquetMinutes += buckets.size;
  }
  const parquetMs = performance.now() - t0;
  console.log(
    `30-day chart input, today: ${processed.length} GETs, ${(processedBytes / 1e6).toFixed(1)} MB, ` +
      `${jsonMs.toFixed(0)} ms CPU (gunzip + JSON.parse, ${minutes.toLocaleString('en-US')} minutes of rollups)`,
  );
  console.log(
    `30-day chart input, daily Parquet: ${parquet.length} GETs, ${(parquetBytes / 1e6).toFixed(1)} MB, ` +
      `${parquetMs.toFixed(0)} ms CPU (2 columns read, ${parquetMinutes.toLocaleString('en-US')} minutes folded); ` +
      `the two columns alone are ${(columnBytes / 1e6).toFixed(1)} MB (ranged GETs); ` +
      `GETs ×${(processed.length / parquet.length).toFixed(0)} fewer, bytes ×${(parquetBytes / processedBytes).toFixed(2)}, ` +
      `CPU ×${(parquetMs / jsonMs).toFixed(2)} of today's`,
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
