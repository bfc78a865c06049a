import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EngineRow, engineRows, runRecipe } from '../../../test-support/analytics-engines';
import { SAMPLES_DIR } from '../../../test-support/services';
import { expectedRows, hottestMinutes, hottestMismatches, rowSignature } from './expected-rows.test-support';
import { exportToFolder } from './index';
import { buildSampleStore, retimeGpuzLog, type StoredSample } from './sample-store.test-support';

const FIXED = new Set(['t_ms', 'local', 'host', 'date', 'session', 'batch_id', 'time_zone']);
const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpuz-analytics-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function exportSamples(samples?: { file: string; bytes?: Buffer; host?: string }[]) {
  const root = tempDir();
  const { store, samples: stored } = await buildSampleStore(join(root, 'store'), {
    timeZone: 'Europe/Berlin',
    ...(samples ? { files: samples } : {}),
  });
  const outDir = join(root, 'out');
  const report = await exportToFolder({
    source: store,
    sourceId: store.description,
    outDir,
    format: 'parquet',
  });
  return { outDir, stored, report };
}

describe('export read back by DuckDB (every shared sample through the local pipeline)', () => {
  let outDir: string;
  let stored: StoredSample[];
  let rows: EngineRow[];

  beforeAll(async () => {
    ({ outDir, stored } = await exportSamples());
    rows = engineRows(outDir);
  }, 120_000);

  it('gives each host exactly the rows the parser reads, every column equal', () => {
    const expected = stored.flatMap(expectedRows);
    // Assess
    const signatures = (list: { host: string; signature: string }[]) =>
      list.map((r) => `${r.host} ${r.signature}`).sort();
    const read = rows.map((row) => {
      const cells = Object.fromEntries(Object.entries(row).filter(([key]) => !FIXED.has(key)));
      return { host: row.host, signature: rowSignature(row.t_ms, cells) };
    });
    expect(rows).toHaveLength(stored.reduce((sum, s) => sum + s.rows, 0));
    expect(signatures(read)).toEqual(
      signatures(expected.map((r) => ({ host: r.host, signature: rowSignature(r.t, r.cells) }))),
    );
  });

  it('puts every row in the folder of its log-clock date and recovers the log time from time_zone', () => {
    const expected = new Map(stored.flatMap(expectedRows).map((r) => [`${r.host}|${r.t}`, r]));
    for (const row of rows) {
      const source = expected.get(`${row.host}|${row.t_ms}`)!;
      expect([row.date, row.local]).toEqual([source.date, source.local]);
    }
  });

  it('answers the DuckDB recipe (hottest minute per day per host) with the parser’s numbers', () => {
    const answer = runRecipe<{ host: string; date: string; minute: string; temp_c: number }>('duckdb-local', {
      '/data/gpuz': outDir,
    });
    expect(hottestMismatches(answer, hottestMinutes(stored.flatMap(expectedRows)))).toEqual([]);
    expect(answer.length).toBeGreaterThan(10);
  });

  it('answers the pyspark recipe (local mode) with the same aggregates', () => {
    const answer = runRecipe<{ host: string; date: string; minute: string; temp_c: number }>('spark-local', {
      '/data/gpuz': outDir,
    });
    const duck = runRecipe<{ host: string; date: string; minute: string; temp_c: number }>('duckdb-local', {
      '/data/gpuz': outDir,
    });
    expect(hottestMismatches(answer, hottestMinutes(stored.flatMap(expectedRows)))).toEqual([]);
    expect(answer).toEqual(duck);
  });
});

describe('export across a DST change (a real GPU-Z log re-timed as GPU-Z would have stamped it)', () => {
  const original = readFileSync(`${SAMPLES_DIR}gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt`);

  it.each([
    ['autumn: the hour 02:00–03:00 repeats', '2024-10-27T00:50:00Z'],
    ['spring: 02:00–03:00 does not exist', '2024-03-31T00:50:00Z'],
  ])('%s — UTC times run on, partitions follow the log clock', async (_name, start) => {
    // Prepare: 1182 rows over ~20 minutes around 01:00 UTC, the moment of both changes in Europe/Berlin.
    const startUtc = Date.parse(start);
    const bytes = retimeGpuzLog(original, { startUtc, timeZone: 'Europe/Berlin' });
    const { outDir, stored } = await exportSamples([
      { file: 'gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt', bytes, host: 'dst-pc' },
    ]);
    const offsets = expectedRows({ ...stored[0]!, bytes: original, timeZone: 'UTC' }).map(
      (r, _i, all) => r.t - all[0]!.t,
    );
    // Act
    const rows = engineRows(outDir);
    // Assess
    expect(rows.map((r) => r.t_ms)).toEqual(offsets.map((offset) => startUtc + offset));
    expect(rows.map((r) => r.local)).toEqual(expectedRows(stored[0]!).map((r) => r.local));
    expect(new Set(rows.map((r) => r.date))).toEqual(new Set([start.slice(0, 10)]));
  });
});
