import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createPackedIndex, dayOf, packedIndexPath } from './packed-index';
import { decodePack, encodePack, type PackedMeta, packHeadEnd } from './rollup-pack';

const DAY_A = 'processed/pc/2026/11/01/';
const DAY_B = 'processed/pc/2026/11/02/';

/** An object's key on day `d` of 2025 (28 days a month, so every `d` is another day). */
const dayKey = (d: number) =>
  `processed/pc/2025/${String(1 + Math.floor(d / 28)).padStart(2, '0')}/${String(1 + (d % 28)).padStart(2, '0')}/b.json.gz`;

function meta(key: string, etag: string, value: number): PackedMeta {
  const t = [Date.UTC(2026, 10, 1), Date.UTC(2026, 10, 1, 0, 1)];
  return {
    etag,
    summary: { key, etag, first: t[0]!, last: t[1]!, sensors: [], sessionStarts: [] },
    rollups: {
      t,
      min: { gpu_temperature_c: [value, null] },
      max: { gpu_temperature_c: [value + 1, null] },
      avg: { gpu_temperature_c: [value + 0.5, null] },
      count: { gpu_temperature_c: [60, 0] },
    },
  };
}

/** The metas of one day file, as plain objects. */
async function dayFile(dir: string, key: string) {
  const metas = decodePack(await readFile(packedIndexPath(dir, key)));
  return metas && JSON.parse(JSON.stringify(Object.fromEntries(metas)));
}

describe('the packed index, one file per host and day', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gpuz-index-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('names the day from the key; keys outside the layout share one file', () => {
    expect(dayOf(`${DAY_A}batch-1.json.gz`)).toBe('pc/2026/11/01');
    expect(dayOf('processed/laptop/2026/11/01/batch-1.json.gz')).toBe('laptop/2026/11/01');
    expect(dayOf('elsewhere/batch.json')).toBe('');
    expect(packedIndexPath(dir, `${DAY_A}a`)).not.toBe(packedIndexPath(dir, `${DAY_B}a`));
    expect(packedIndexPath(dir, `${DAY_A}a`)).toBe(packedIndexPath(dir, `${DAY_A}b`));
  });

  it('a new process reads only the days it is asked about, and only their heads for summaries', async () => {
    const first = createPackedIndex({ dir, delayMs: 0 });
    await first.set(`${DAY_A}a.json.gz`, meta(`${DAY_A}a.json.gz`, 'ea', 40));
    await first.set(`${DAY_B}b.json.gz`, meta(`${DAY_B}b.json.gz`, 'eb', 50));
    await first.flush();
    // Day A's rollup columns cut short: its head (ETags, summaries) is still whole.
    const bytes = await readFile(packedIndexPath(dir, DAY_A));
    await writeFile(packedIndexPath(dir, DAY_A), bytes.subarray(0, bytes.length - 8));

    const next = createPackedIndex({ dir });
    expect((await next.get(`${DAY_B}b.json.gz`))?.rollups.min.gpu_temperature_c).toEqual([50, null]);
    expect(next.head(`${DAY_A}a.json.gz`)).toBeUndefined(); // day A not read
    await next.loadHeads([`${DAY_A}x.json.gz`]);
    expect(next.head(`${DAY_A}a.json.gz`)?.summary.key).toBe(`${DAY_A}a.json.gz`); // the head alone was read
    expect(await next.get(`${DAY_A}a.json.gz`)).toBeUndefined(); // the whole file is damaged
    expect(next.head(`${DAY_B}b.json.gz`)?.etag).toBe('eb'); // a day read whole gives its heads too
  });

  it('reads a head longer than its first read (a day of 5-minute batches) in a second read', async () => {
    const first = createPackedIndex({ dir, delayMs: 0 });
    const keys = Array.from({ length: 288 }, (_, i) => `${DAY_A}batch-${String(i).padStart(4, '0')}.json.gz`);
    for (const key of keys) await first.set(key, meta(key, `e-${key}`, 40));
    await first.flush();
    const bytes = await readFile(packedIndexPath(dir, DAY_A));
    expect(packHeadEnd(bytes)).toBeGreaterThan(64 * 1024);

    const next = createPackedIndex({ dir });
    await next.loadHeads([keys[0]!]);
    expect(keys.map((key) => next.head(key)?.etag)).toEqual(keys.map((key) => `e-${key}`));
  });

  it('keeps two months of days read whole; more changed days than that still let a day be read and changed', async () => {
    const first = createPackedIndex({ dir, delayMs: 0 });
    await first.set(dayKey(200), meta(dayKey(200), 'e200', 40));
    await first.flush();

    // 70 changed days (a year's outlines remembered at once; 63 written as they pass the bound): none may be lost.
    const next = createPackedIndex({ dir, delayMs: 60_000 });
    for (let d = 0; d < 70; d++) await next.set(dayKey(d), meta(dayKey(d), `e${d}`, d));
    // A day on disk, read whole while they wait (it was let go as it arrived, again and again: a hang).
    expect((await next.get(dayKey(200)))?.etag).toBe('e200');
    await next.set(dayKey(201), meta(dayKey(201), 'e201', 41));
    await next.flush();
    const again = createPackedIndex({ dir });
    for (const d of [0, 69, 200, 201]) expect((await again.get(dayKey(d)))?.etag).toBe(`e${d}`);
  });

  it('more changed days than it keeps are written as they pass the bound, not held (as arrays) until the end', async () => {
    // A year's outlines remembered at once held every day's rollups until the timer: 171–181 MB of heap after it.
    const index = createPackedIndex({ dir, delayMs: 60_000 });
    for (let d = 0; d < 200; d++) await index.set(dayKey(d), meta(dayKey(d), `e${d}`, d));
    const files = (await readdir(dir)).filter((name) => name.endsWith('.pack'));
    // Written in rounds of 63 while the changes waited: at most 62 days left for the timer.
    expect(files.length).toBeGreaterThanOrEqual(200 - 62);
    await index.flush();
    const again = createPackedIndex({ dir });
    for (const d of [0, 62, 63, 199]) expect((await again.get(dayKey(d)))?.etag).toBe(`e${d}`);
  });

  it('days read while changed days are being written do not push out the ones still waiting for their write', async () => {
    const other = createPackedIndex({ dir, delayMs: 0 });
    for (let d = 100; d < 170; d++) await other.set(dayKey(d), meta(dayKey(d), `e${d}`, d));
    await other.flush();

    const index = createPackedIndex({ dir, delayMs: 60_000 });
    for (let d = 0; d < 70; d++) await index.set(dayKey(d), meta(dayKey(d), `e${d}`, d));
    // The write goes day by day; meanwhile a chart reads 70 other days.
    const written = index.flush();
    await Promise.all(Array.from({ length: 70 }, (_, i) => index.get(dayKey(100 + i))));
    await written;
    const again = createPackedIndex({ dir });
    for (let d = 0; d < 70; d++) expect((await again.get(dayKey(d)))?.etag).toBe(`e${d}`);
  });

  it("a change rewrites only its day's file", async () => {
    const first = createPackedIndex({ dir, delayMs: 0 });
    await first.set(`${DAY_A}a.json.gz`, meta(`${DAY_A}a.json.gz`, 'ea', 40));
    await first.set(`${DAY_B}b.json.gz`, meta(`${DAY_B}b.json.gz`, 'eb', 50));
    await first.flush();
    const before = await stat(packedIndexPath(dir, DAY_A));

    const next = createPackedIndex({ dir, delayMs: 0 });
    await next.set(`${DAY_B}c.json.gz`, meta(`${DAY_B}c.json.gz`, 'ec', 60));
    await next.flush();
    // Day A untouched (an atomic write would have made a new file); day B holds both of its objects.
    const after = await stat(packedIndexPath(dir, DAY_A));
    expect([after.ino, after.mtimeMs]).toEqual([before.ino, before.mtimeMs]);
    expect(Object.keys(await dayFile(dir, DAY_B))).toEqual([`${DAY_B}b.json.gz`, `${DAY_B}c.json.gz`]);
  });

  it('a damaged day file is an empty day (its objects outlined again by the cache), written whole at its next change', async () => {
    const first = createPackedIndex({ dir, delayMs: 0 });
    await first.set(`${DAY_A}a.json.gz`, meta(`${DAY_A}a.json.gz`, 'ea', 40));
    await first.flush();
    const bytes = await readFile(packedIndexPath(dir, DAY_A));
    await writeFile(packedIndexPath(dir, DAY_A), bytes.subarray(0, bytes.length - 9));

    const next = createPackedIndex({ dir, delayMs: 0 });
    expect(await next.get(`${DAY_A}a.json.gz`)).toBeUndefined();
    await next.set(`${DAY_A}a.json.gz`, meta(`${DAY_A}a.json.gz`, 'ea', 40));
    await next.flush();
    expect(Object.keys(await dayFile(dir, DAY_A))).toEqual([`${DAY_A}a.json.gz`]);
  });

  it('the single index.pack of versions before 2026-12-04 is read at once, split into days at the next write, then removed', async () => {
    const older = new Map([
      [`${DAY_A}a.json.gz`, meta(`${DAY_A}a.json.gz`, 'ea', 40)],
      [`${DAY_B}b.json.gz`, meta(`${DAY_B}b.json.gz`, 'eb-old', 50)],
      ['elsewhere/c.json', meta('elsewhere/c.json', 'ec', 60)],
    ]);
    // A day already written as a file (a kill after the split's writes, before the older index went): the file wins.
    const written = createPackedIndex({ dir, delayMs: 0 });
    await written.set(`${DAY_B}b.json.gz`, meta(`${DAY_B}b.json.gz`, 'eb', 51));
    await written.flush();
    await writeFile(join(dir, 'index.pack'), encodePack(older));

    const index = createPackedIndex({ dir, delayMs: 0 });
    expect((await index.get(`${DAY_A}a.json.gz`))?.etag).toBe('ea'); // no GET needed: read from the older file
    await index.flush();
    expect(await readdir(dir)).not.toContain('index.pack');
    const again = createPackedIndex({ dir });
    expect((await again.get(`${DAY_A}a.json.gz`))?.rollups.avg.gpu_temperature_c).toEqual([40.5, null]);
    expect((await again.get(`${DAY_B}b.json.gz`))?.etag).toBe('eb');
    expect((await again.get('elsewhere/c.json'))?.etag).toBe('ec');
    expect((await readdir(dir)).filter((name) => name.endsWith('.pack'))).toHaveLength(3);
  });
});
