import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { createDayFile } from './day-file';
import type { RowChunk } from './day-rows';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function chunk(first: number, rows: number, session = 0): RowChunk {
  const t = Array.from({ length: rows }, (_, i) => first + i * 1000);
  return {
    date: '2026-08-06',
    batchId: `b${first}`,
    session,
    timeZone: 'UTC',
    sensors: [{ key: 'gpu_clock_mhz', name: 'GPU Clock', unit: 'MHz', type: 'number' }],
    t,
    values: { gpu_clock_mhz: t.map((_, i) => (i % 7 === 0 ? null : i)) },
    text: {},
  };
}

describe('createDayFile', () => {
  it('keeps every row, in time order, when chunks straddle row-group boundaries', async () => {
    // Prepare: 5 cells per row (4 fixed + 1 sensor) and 50 cells per group → 10 rows per group.
    const dir = mkdtempSync(join(tmpdir(), 'gpuz-dayfile-'));
    dirs.push(dir);
    const day = createDayFile({ tempDir: dir, maxCellsPerGroup: 50 });
    const base = Date.UTC(2026, 7, 6, 12);
    await day.add(chunk(base + 100_000, 23)); // added first, written second (later times)
    await day.add(chunk(base, 17));
    // Act
    const path = join(dir, 'out', 'day.parquet');
    const written = await day.write(path, { format: 'parquet', host: 'pc' });
    // Assess
    const file = await asyncBufferFromFile(path);
    const meta = await parquetMetadataAsync(file);
    const rows = await parquetReadObjects({ file });
    expect(written.rows).toBe(40);
    expect(Number(meta.num_rows)).toBe(40);
    expect(meta.row_groups.map((g) => Number(g.num_rows))).toEqual([10, 10, 10, 10]);
    expect(rows.map((r) => (r.time as Date).getTime())).toEqual([
      ...chunk(base, 17).t,
      ...chunk(base + 100_000, 23).t,
    ]);
    expect(rows.map((r) => r.gpu_clock_mhz)).toEqual([
      ...chunk(base, 17).values.gpu_clock_mhz!,
      ...chunk(base + 100_000, 23).values.gpu_clock_mhz!,
    ]);
  });
});
