import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { SAMPLES_DIR } from '../../../test-support/services';
import type { Store } from '../store/types';
import { CHECKPOINT_FILE, type ExportFormat, exportToFolder } from './index';
import { buildSampleStore, retimeGpuzLog } from './sample-store.test-support';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const SMALL = [
  'gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt',
  'gpuz/intel-igpu-gpuz-2017-old-names-tiny-lf.txt',
  'nvidia-smi/nvidia-smi-gtx1650-pstate-units-2024.csv',
];

async function setup(
  files: { file: string; bytes?: Buffer; host?: string }[] = SMALL.map((file) => ({ file })),
) {
  const root = mkdtempSync(join(tmpdir(), 'gpuz-export-'));
  dirs.push(root);
  const built = await buildSampleStore(join(root, 'store'), { timeZone: 'Europe/Berlin', files });
  const outDir = join(root, 'out');
  const run = async (source: Pick<Store, 'list' | 'get'> = built.store, format: ExportFormat = 'parquet') =>
    exportToFolder({ source, sourceId: 'store', outDir, format });
  return { ...built, root, outDir, run };
}

function filesIn(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => relative(dir, join(e.parentPath, e.name)))
    .sort();
}

async function parquetRows(path: string) {
  return parquetReadObjects({ file: await asyncBufferFromFile(path) });
}

describe('exportRows', () => {
  it('writes one Parquet file per host and date, holding every row the parser reads', async () => {
    const t = await setup();
    const report = await t.run();
    expect(filesIn(t.outDir)).toEqual([
      '.gpuz-export.json',
      'host=intel-igpu-gpuz-2017-old-names-tiny-lf/date=2017-06-17/intel-igpu-gpuz-2017-old-names-tiny-lf-2017-06-17.parquet',
      'host=nvidia-ada-pwrsrc-gpuz-2024/date=2024-04-20/nvidia-ada-pwrsrc-gpuz-2024-2024-04-20.parquet',
      'host=nvidia-smi-gtx1650-pstate-units-2024/date=2024-10-13/nvidia-smi-gtx1650-pstate-units-2024-2024-10-13.parquet',
    ]);
    expect(report).toMatchObject({ days: 3, rows: 356 + 3 + 80, objectsRead: 3, unreadable: 0 });
    const rows = await parquetRows(join(t.outDir, filesIn(t.outDir)[3]!));
    expect(rows).toHaveLength(80);
    expect(rows[0]).toMatchObject({
      session: 0,
      time_zone: 'Europe/Berlin',
      pstate: 'P0',
      gpu_temperature_c: 50,
    });
    expect((rows[0]!.time as Date).toISOString()).toBe('2024-10-13T01:33:31.779Z');
  });

  it('reads nothing and rewrites nothing when run again on unchanged batches', async () => {
    const t = await setup();
    await t.run();
    const file = join(t.outDir, filesIn(t.outDir)[2]!);
    const written = statSync(file).mtimeMs;
    const again = await t.run();
    expect(again).toMatchObject({ objectsRead: 0, objectsSkipped: 3, days: 0, daysUpToDate: 3 });
    expect(statSync(file).mtimeMs).toBe(written);
  });

  it('resumes after a storage failure: the days written stay, the rest is written by the rerun', async () => {
    // Prepare: the second GET fails, as a dropped connection would.
    const t = await setup();
    let gets = 0;
    const flaky: Pick<Store, 'list' | 'get'> = {
      list: (prefix) => t.store.list(prefix),
      get: async (key) => {
        gets += 1;
        if (gets === 2) throw new Error('socket hang up');
        return t.store.get(key);
      },
    };
    // Act
    await expect(t.run(flaky)).rejects.toThrow('socket hang up');
    const daysBefore = filesIn(t.outDir).filter((f) => f.endsWith('.parquet'));
    const rerun = await t.run();
    // Assess
    expect(daysBefore).toHaveLength(1);
    expect(rerun).toMatchObject({ objectsRead: 2, objectsSkipped: 1, days: 2, daysUpToDate: 1 });
    expect(filesIn(t.outDir).filter((f) => f.endsWith('.parquet'))).toHaveLength(3);
    expect(filesIn(t.outDir).some((f) => f.includes('.tmp'))).toBe(false);
  });

  it('splits a batch that runs past midnight into both days, and a new batch rewrites only its days', async () => {
    // Prepare: a real log (1182 rows, ~20 min) re-timed to start at 23:50 in Berlin (21:50 UTC).
    const original = readFileSync(`${SAMPLES_DIR}gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt`);
    const night = retimeGpuzLog(original, {
      startUtc: Date.parse('2026-08-05T21:50:00Z'),
      timeZone: 'Europe/Berlin',
    });
    const t = await setup([{ file: 'gpuz/night.txt', bytes: night, host: 'pc' }]);
    // Act
    const first = await t.run();
    const parquet = filesIn(t.outDir).filter((f) => f.endsWith('.parquet'));
    const rows = await Promise.all(parquet.map((f) => parquetRows(join(t.outDir, f))));
    // Assess
    expect(parquet).toEqual([
      'host=pc/date=2026-08-05/pc-2026-08-05.parquet',
      'host=pc/date=2026-08-06/pc-2026-08-06.parquet',
    ]);
    expect(first.rows).toBe(1182);
    expect(rows[0]!.length + rows[1]!.length).toBe(1182);
    expect((rows[0]!.at(-1)!.time as Date).toISOString() < '2026-08-05T22').toBe(true);
    expect((rows[1]![0]!.time as Date).toISOString() >= '2026-08-05T22').toBe(true);

    // Act: a later batch (a week on) arrives; the earlier days are not read or rewritten.
    const later = retimeGpuzLog(original, { startUtc: Date.parse('2026-08-13T10:00:00Z'), timeZone: 'UTC' });
    await buildSampleStore(join(t.root, 'store'), {
      timeZone: 'UTC',
      files: [{ file: 'gpuz/later.txt', bytes: Buffer.concat([later, Buffer.from('\r\n')]), host: 'pc' }],
    });
    const second = await t.run();
    expect(second).toMatchObject({ objectsRead: 1, objectsSkipped: 1, days: 1, daysUpToDate: 2, rows: 1182 });
  });

  it('writes NDJSON lines with host and ISO time', async () => {
    const t = await setup();
    await t.run(t.store, 'ndjson');
    const file = filesIn(t.outDir).find((f) => f.includes('intel-igpu') && f.endsWith('.ndjson'))!;
    const lines = readFileSync(join(t.outDir, file), 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(JSON.parse(lines[0]!)).toMatchObject({
      host: 'intel-igpu-gpuz-2017-old-names-tiny-lf',
      time: '2017-06-17T13:37:57.000Z',
      session: 0,
      gpu_clock_mhz: expect.any(Number),
    });
  });

  it('names an unreadable batch and exports the others', async () => {
    const t = await setup();
    await t.store.put('processed/broken/2024/01/01/x-0-1.json.gz', Buffer.from('{"schema":"other/v9"}'), {
      contentType: 'application/json',
    });
    const report = await t.run();
    expect(report).toMatchObject({ unreadable: 1, days: 3 });
    expect(report.problems[0]).toContain('processed/broken/2024/01/01/x-0-1.json.gz has schema "other/v9"');
  });
});

describe('the export state file', () => {
  it('refuses a damaged one with the way out, instead of exporting twice or crashing', async () => {
    const t = await setup();
    await t.run();
    writeFileSync(join(t.outDir, CHECKPOINT_FILE), '{broken');
    await expect(t.run()).rejects.toMatchObject({
      code: 'EXPORT_CHECKPOINT_UNREADABLE',
      advice: expect.stringContaining('Delete it'),
    });
  });

  it('reports progress up to the last day written', async () => {
    const t = await setup();
    const seen: string[] = [];
    await exportToFolder({
      source: t.store,
      sourceId: 'store',
      outDir: t.outDir,
      format: 'parquet',
      onProgress: (p) => seen.push(`${p.done}/${p.total} ${p.rows} ${p.days}`),
    });
    expect(seen[0]).toBe('0/3 0 0');
    expect(seen.at(-1)).toBe('3/3 439 3');
  });
});
