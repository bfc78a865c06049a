import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readdir, readFile, rename, rm, stat, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../shared/errors';
import { spanOf } from './decode-processed';
import { createBatchCache } from './etag-cache';
import { createCountingStore } from './memory-store.test-support';
import { packedIndexPath } from './packed-index';
import type { PendingDecoded } from './pending-data';
import { createProcessedData, type ProcessedData } from './processed-data';
import { decodePack, encodePack } from './rollup-pack';
import type { DecodedBatch } from './types';

const HOUR = 3_600_000;
const START = Date.UTC(2024, 3, 20, 0, 0, 0);
const SENSORS = [{ key: 'gpu_temperature_c', name: 'GPU Temperature', unit: '°C' }];

/** One hour of 1 Hz rows (temperature = 40 + minute of the hour) with their 1-minute rollups. */
function hourBatch(hourStart: number): DecodedBatch {
  const t: number[] = [];
  const temp: number[] = [];
  for (let s = 0; s < 3600; s++) {
    t.push(hourStart + s * 1000);
    temp.push(40 + Math.floor(s / 60) + (s % 2) * 0.5);
  }
  const minutes = Array.from({ length: 60 }, (_, m) => hourStart + m * 60_000);
  return {
    sensors: SENSORS,
    sessionStarts: [],
    rows: { t, values: { gpu_temperature_c: temp } },
    rollups: {
      t: minutes,
      min: { gpu_temperature_c: minutes.map((_, m) => 40 + m) },
      max: { gpu_temperature_c: minutes.map((_, m) => 40.5 + m) },
      avg: { gpu_temperature_c: minutes.map((_, m) => 40.25 + m) },
      count: { gpu_temperature_c: minutes.map(() => 60) },
    },
  };
}

const encode = (batch: DecodedBatch) => new TextEncoder().encode(JSON.stringify(batch));
const decode = (body: Uint8Array) => JSON.parse(new TextDecoder().decode(body)) as DecodedBatch;

const opened: ProcessedData[] = [];
/** createProcessedData, closed after the test. */
function open(options: Parameters<typeof createProcessedData>[0]): ProcessedData {
  const data = createProcessedData(options);
  opened.push(data);
  return data;
}

describe('processed data through the ETag cache', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gpuz-data-'));
  });
  afterEach(async () => {
    // Cache copies are written behind the reads: closing waits for them before the folder goes.
    for (const data of opened.splice(0)) await data.close?.();
    await rm(dir, { recursive: true, force: true });
  });

  async function seed() {
    const store = createCountingStore();
    // Hours 0-2 and 5 of one day: a 2-hour gap between logging sessions.
    for (const hour of [0, 1, 2, 5]) {
      const key = `processed/pc/2024/04/20/batch-${hour}.json.gz`;
      await store.put(key, encode(hourBatch(START + hour * HOUR)), { contentType: 'application/json' });
    }
    store.requests.put = 0;
    return store;
  }

  /** The index file of the seeded day. */
  const dayIndex = () => packedIndexPath(dir, 'processed/pc/2024/04/20/batch-0.json.gz');

  /** The seeded day drawn once through a cache in `dir`, then closed (index and copies written): what a reopen finds. */
  async function drawnOnce() {
    const store = await seed();
    const query = { from: START, to: START + 24 * HOUR, keys: ['gpu_temperature_c'] };
    const first = open({ store, cache: createBatchCache({ store, dir, decode }) });
    const cold = await first.query('pc', query);
    await first.close?.();
    return { store, query, cold };
  }

  it('reads of many objects at once with a small write queue all return, and every copy is written', async () => {
    // Sessions over a year: the downloads outran the two writers and the queue held thousands of bodies (1.4 GB);
    // past the queue's limit they now wait for room, and must all get it.
    const store = createCountingStore();
    const objects = 300;
    for (let i = 0; i < objects; i++) {
      await store.put(`processed/pc/2024/04/20/batch-${i}.json.gz`, encode(hourBatch(START + i * HOUR)), {
        contentType: 'application/json',
      });
    }
    const cache = createBatchCache({ store, dir, decode, keepQueueBytes: 1 });
    const listed = await store.list('processed/pc/');
    const rows = await Promise.all(listed.map((object) => cache.rows(object)));
    expect(rows.map((r) => r.t.length)).toEqual(listed.map(() => 3600));
    await cache.flush();
    expect((await readdir(dir)).filter((name) => name.endsWith('.object'))).toHaveLength(objects);
    expect(store.requests.get).toBe(objects);
  }, 30_000);

  it("keeps a bucket's copies under their cap: the oldest written go at the next process, read again when a zoom asks", async () => {
    const { store, query, cold } = await drawnOnce();
    const copies = (await readdir(dir)).filter((name) => name.endsWith('.object'));
    expect(copies).toHaveLength(4);
    // Written an hour apart, oldest first; each the same size.
    for (const [i, name] of copies.entries())
      await utimes(join(dir, name), START / 1000 + i * 3600, START / 1000 + i * 3600);
    const bytes = (await stat(join(dir, copies[0]!))).size;
    // Room for 2.5 copies: trimmed to at most 80 % of that, the two newest stay.
    const reopened = open({
      store,
      cache: createBatchCache({ store, dir, decode, copiesCapBytes: 2.5 * bytes, trimDelayMs: 0 }),
    });
    expect(await reopened.query('pc', query)).toEqual(cold);
    expect(store.requests.get).toBe(4); // the long range reads the index only
    await vi.waitFor(async () => {
      expect((await readdir(dir)).filter((name) => name.endsWith('.object')).sort()).toEqual(
        copies.slice(2).sort(),
      );
    });
    // The rows of every hour are still there: those whose copy went are GET again.
    const zoom = await reopened.query('pc', { ...query, to: START + 6 * HOUR - 1 });
    expect(zoom.series[0]!.stats.count).toBe(4 * 3600);
    expect(store.requests.get).toBe(4 + 2);
  });

  it('without the store, sessionRows reads the rows this PC kept and counts the objects it knows in outline only (their copies trimmed)', async () => {
    const { store, query } = await drawnOnce();
    const copies = (await readdir(dir)).filter((name) => name.endsWith('.object'));
    expect(copies).toHaveLength(4);
    const bytes = (await stat(join(dir, copies[0]!))).size;
    // A later process trims the copies to two (the index keeps every object's outline), then the network goes.
    const trimming = open({
      store,
      cache: createBatchCache({ store, dir, decode, copiesCapBytes: 2.5 * bytes, trimDelayMs: 0 }),
    });
    await trimming.query('pc', query);
    await vi.waitFor(async () => {
      expect((await readdir(dir)).filter((name) => name.endsWith('.object'))).toHaveLength(2);
    });
    await trimming.close?.();
    const refused = () =>
      Promise.reject(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }));
    const offline = { ...store, list: refused, listFolders: refused, get: refused };
    const data = open({ store: offline, cache: createBatchCache({ store: offline, dir, decode }) });

    const read = await data.sessionRows('pc', query);
    const times: number[] = [];
    for await (const piece of read.pieces()) times.push(...piece.t);

    expect(read.keptOnly).toMatchObject({ code: 'ECONNREFUSED' });
    expect(read.outlinedOnly).toBe(2);
    expect(times).toHaveLength(2 * 3600); // the two hours whose copies stayed, none GET (the store refuses)
    expect(new Set(times.map((t) => Math.floor((t - START) / HOUR))).size).toBe(2);
    // The extent ("All stored data") from the kept outlines: all four hours
    expect(await data.extent('pc')).toEqual({ first: START, last: START + 6 * HOUR - 1000 });
  });

  it('without the store and with nothing kept (a first start offline), the extent and sensors say so, keeping an error code of ours and its advice', async () => {
    const store = await seed();
    const refusing = (error: Error) => {
      const refused = () => Promise.reject(error);
      return { ...store, list: refused, listFolders: refused, get: refused };
    };
    const network = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const offline = refusing(network);
    const data = open({ store: offline, cache: createBatchCache({ store: offline, dir, decode }) });
    const said = {
      code: 'STORE_UNREACHABLE',
      message:
        'The stored copy could not be read (connect ECONNREFUSED 127.0.0.1:9), and this PC has kept none of it from earlier views.',
      advice: 'Check the network connection: the stored readings show once the store answers.',
    };
    await expect(data.extent('pc')).rejects.toMatchObject(said);
    await expect(data.listSensors('pc')).rejects.toMatchObject(said);
    // A sign-in that expired still says to sign in again
    const expired = new AppError('CREDENTIALS_EXPIRED', 'The AWS session has expired.', 'aws sso login', {
      gui: 'Sign in again in a terminal.',
    });
    const signedOut = refusing(expired);
    const later = open({ store: signedOut, cache: createBatchCache({ store: signedOut, dir, decode }) });
    await expect(later.extent('pc')).rejects.toMatchObject({
      code: 'CREDENTIALS_EXPIRED',
      message:
        'The stored copy could not be read (The AWS session has expired), and this PC has kept none of it from earlier views.',
      advice: 'aws sso login',
      guiAdvice: 'Sign in again in a terminal.',
    });
  });

  it('downloads each object once; a reopened dashboard (new cache object, same dir) makes no GET', async () => {
    const store = await seed();
    const query = { from: START, to: START + 24 * HOUR, keys: ['gpu_temperature_c'] };
    const first = open({ store, cache: createBatchCache({ store, dir, decode }) });
    const cold = await first.query('pc', query);
    expect(store.requests).toEqual({ put: 0, get: 4, list: 1 });
    await first.close?.(); // as the app's runtime does before a new one opens

    const reopened = open({ store, cache: createBatchCache({ store, dir, decode }) });
    const warm = await reopened.query('pc', query);
    expect(store.requests).toEqual({ put: 0, get: 4, list: 2 });
    expect(warm).toEqual(cold);
  });

  it("packs every cached meta into its day's index file so a new process reads one file per day", async () => {
    const store = await seed();
    const cache = createBatchCache({ store, dir, decode, packDelayMs: 0 });
    await open({ store, cache }).extent('pc');
    await vi.waitFor(async () => {
      const index = decodePack(await readFile(dayIndex()));
      expect([...(index?.keys() ?? [])].sort()).toEqual(
        [0, 1, 2, 5].map((h) => `processed/pc/2024/04/20/batch-${h}.json.gz`),
      );
      // The write is fsynced (file and folder): under a loaded suite that can take more than the default 1 s.
    }, 10_000);
    const reopened = open({ store, cache: createBatchCache({ store, dir, decode }) });
    const chart = await reopened.query('pc', {
      from: START,
      to: START + 24 * HOUR,
      keys: ['gpu_temperature_c'],
    });
    expect(chart.series[0]!.stats.count).toBe(4 * 3600);
    expect(store.requests.get).toBe(4);
  });

  it("with the day's index damaged (or not written: the process ended first) a reopened cache outlines its kept copies: no GET; a torn copy is fetched again", async () => {
    const { store, query, cold } = await drawnOnce();
    const pack = await readFile(dayIndex());
    await writeFile(dayIndex(), pack.subarray(0, pack.length - 100)); // damaged: cut short
    const copies = (await readdir(dir)).filter((name) => name.endsWith('.object'));
    expect(copies).toHaveLength(4);
    const torn = join(dir, copies[0]!);
    await writeFile(torn, (await readFile(torn)).subarray(0, 200));
    const reopened = open({ store, cache: createBatchCache({ store, dir, decode }) });
    expect(await reopened.query('pc', query)).toEqual(cold);
    expect(store.requests.get).toBe(4 + 1);
  });

  it('reads the JSON index of versions before 2026-12-03 (no GET), then writes it as days and removes index.json', async () => {
    const { store, query, cold } = await drawnOnce();
    // The same index as an older version wrote it: one JSON object of metas.
    const metas = decodePack(await readFile(dayIndex()))!;
    await writeFile(join(dir, 'index.json'), JSON.stringify(Object.fromEntries(metas)));
    await rm(dayIndex());
    // Older copies are not re-outlined: a GET would show, an outline of the .object files would not — so remove them.
    for (const name of await readdir(dir)) if (name.endsWith('.object')) await rm(join(dir, name));
    const reopened = open({ store, cache: createBatchCache({ store, dir, decode, packDelayMs: 0 }) });
    expect(await reopened.query('pc', query)).toEqual(cold);
    expect(store.requests.get).toBe(4);
    await reopened.close?.();
    // Written again as its day (at the latest when the cache closes), and the JSON index is gone.
    expect(await readdir(dir)).not.toContain('index.json');
    expect(decodePack(await readFile(dayIndex()))).toEqual(metas);
  });

  it('reads the single index.pack of versions before 2026-12-04 (no GET), then writes it as days and removes it', async () => {
    const { store, query, cold } = await drawnOnce();
    await rename(dayIndex(), join(dir, 'index.pack')); // the same bytes an older version wrote for all days
    for (const name of await readdir(dir)) if (name.endsWith('.object')) await rm(join(dir, name));
    const reopened = open({ store, cache: createBatchCache({ store, dir, decode, packDelayMs: 0 }) });
    expect(await reopened.query('pc', query)).toEqual(cold);
    expect(store.requests.get).toBe(4);
    await reopened.close?.();
    expect(await readdir(dir)).not.toContain('index.pack');
    expect(decodePack(await readFile(dayIndex()))?.size).toBe(4);
  });

  it('index.pack round-trips every meta exactly (nulls, fractions, several sensors) and refuses what is not a whole pack', () => {
    const batch = hourBatch(START);
    const rollups = {
      ...batch.rollups,
      min: {
        ...batch.rollups.min,
        hot_spot_c: batch.rollups.t.map((_, m) => (m % 7 === 0 ? null : 0.1 * m)),
      },
      max: {
        ...batch.rollups.max,
        hot_spot_c: batch.rollups.t.map((_, m) => (m % 7 === 0 ? null : 1 / 3 + m)),
      },
      avg: { ...batch.rollups.avg, hot_spot_c: batch.rollups.t.map(() => null) },
      count: { ...batch.rollups.count, hot_spot_c: batch.rollups.t.map((_, m) => (m % 7 === 0 ? 0 : 60)) },
    };
    const summary = {
      key: 'k',
      etag: '"e"',
      first: START,
      last: START + HOUR - 1000,
      sensors: SENSORS,
      sessionStarts: [START],
    };
    const metas = new Map([
      ['k', { etag: '"e"', summary, rollups }],
      [
        'empty',
        {
          etag: '"f"',
          summary: { ...summary, key: 'empty' },
          rollups: { t: [], min: {}, max: {}, avg: {}, count: {} },
        },
      ],
    ]);
    const bytes = encodePack(metas);
    expect(decodePack(bytes)).toEqual(metas);
    // Read from an odd offset (a Buffer from a pool): the columns are copied to an aligned place.
    const odd = Buffer.alloc(bytes.length + 1);
    bytes.copy(odd, 1);
    expect(decodePack(odd.subarray(1))).toEqual(metas);
    expect(decodePack(bytes.subarray(0, bytes.length - 8))).toBeNull();
    expect(decodePack(Buffer.from('{"k":{"etag":"x"}}'))).toBeNull();
    expect(decodePack(Buffer.alloc(4))).toBeNull();
  });

  it('reads a cache written by older versions (.meta.json + .body per object): no GET, same chart and rows', async () => {
    const store = await seed();
    const query = { from: START, to: START + 24 * HOUR, keys: ['gpu_temperature_c'] };
    const zoom = { from: START + HOUR, to: START + HOUR + 10 * 60_000, keys: ['gpu_temperature_c'] };
    const fresh = open({
      store,
      cache: createBatchCache({ store, dir: join(dir, 'fresh'), decode }),
    });
    const expected = [await fresh.query('pc', query), await fresh.query('pc', zoom)];
    const gets = store.requests.get;
    for (const object of await store.list('processed/pc/')) {
      const body = (await store.get(object.key))!.body;
      const { rows, ...batch } = decode(body);
      const base = join(dir, 'older', createHash('sha256').update(object.key).digest('hex').slice(0, 40));
      const summary = {
        key: object.key,
        etag: object.etag,
        ...spanOf(rows.t, []),
        sensors: batch.sensors,
        sessionStarts: [],
      };
      await mkdir(join(dir, 'older'), { recursive: true });
      await writeFile(
        `${base}.meta.json`,
        JSON.stringify({ etag: object.etag, summary, rollups: batch.rollups }),
      );
      await writeFile(`${base}.body`, body);
    }
    store.requests.get = gets;
    const older = open({
      store,
      cache: createBatchCache({ store, dir: join(dir, 'older'), decode }),
    });
    expect([await older.query('pc', query), await older.query('pc', zoom)]).toEqual(expected);
    expect(store.requests.get).toBe(gets);
  });

  it('fetches again only the object whose ETag changed', async () => {
    const store = await seed();
    const data = open({ store, cache: createBatchCache({ store, dir, decode }) });
    await data.extent('pc');
    await data.close?.();
    const changed = hourBatch(START + 5 * HOUR);
    changed.rollups.max.gpu_temperature_c![0] = 150;
    await store.put('processed/pc/2024/04/20/batch-5.json.gz', encode(changed), {
      contentType: 'application/json',
    });
    const reopened = open({ store, cache: createBatchCache({ store, dir, decode }) });
    const chart = await reopened.query('pc', {
      from: START,
      to: START + 24 * HOUR,
      keys: ['gpu_temperature_c'],
    });
    expect(store.requests.get).toBe(5);
    expect(chart.series[0]!.stats.max).toBe(150);
  });

  it('a long range reads rollups only, with min/max/avg over the range and a break at the session gap', async () => {
    const store = await seed();
    const data = open({
      store,
      cache: createBatchCache({ store, dir, decode }),
      maxPoints: 48,
    });
    const chart = await data.query('pc', { from: START, to: START + 24 * HOUR, keys: ['gpu_temperature_c'] });
    expect(chart.resolution).toBe('rollups');
    if (chart.resolution !== 'rollups') return;
    const series = chart.series[0]!;
    // 24 h / 48 points → 30-minute buckets: hours 0–2 = 6 buckets, gap, hour 5 = 2 buckets.
    expect(series.stats).toEqual({ min: 40, max: 99.5, avg: 69.75, count: 4 * 3600 });
    expect(chart.t).toHaveLength(6 + 1 + 2);
    expect(series.min[6]).toBeNull();
    expect(series.min.slice(0, 2)).toEqual([40, 70]);
    expect(series.max.slice(0, 2)).toEqual([69.5, 99.5]);
    expect(series.avg[0]).toBe(54.75);
  });

  it('counts a chart’s reads as they come: the summaries of the day’s objects (the GETs of a cold read), then the rows of those in a short range', async () => {
    const store = await seed();
    const data = open({ store, cache: createBatchCache({ store, dir, decode }) });
    const steps: [number, number][] = [];
    const onProgress = (done: number, total: number) => steps.push([done, total]);
    const day = { from: START, to: START + 24 * HOUR, keys: ['gpu_temperature_c'] };
    await data.query('pc', day, [], onProgress);
    // Four hourly objects, all in the range: a summary each (4 GETs), which brings its rollups too. The summaries are
    // the whole bar (until 2026-12-06 they were its half, and it jumped from 4/8 to done)
    expect(steps).toEqual([
      [1, 5],
      [2, 5],
      [3, 5],
      [4, 5],
      [4, 4],
    ]);
    expect(store.requests.get).toBe(4);
    steps.length = 0;
    // Ten minutes of hour 1: the day's four summaries (taken to be half the work until the range's objects are
    // known), then hour 1's rows
    const short = { from: START + HOUR, to: START + HOUR + 10 * 60_000, keys: ['gpu_temperature_c'] };
    await data.query('pc', short, [], onProgress);
    expect(steps).toEqual([
      [1, 8],
      [2, 8],
      [3, 8],
      [4, 8],
      [8, 8],
    ]);
  });

  it('a short range reads rows and keeps only those inside it', async () => {
    const store = await seed();
    const data = open({ store, cache: createBatchCache({ store, dir, decode }) });
    const chart = await data.query('pc', {
      from: START + HOUR,
      to: START + HOUR + 10 * 60_000,
      keys: ['gpu_temperature_c', 'missing_key'],
    });
    expect(chart.resolution).toBe('rows');
    if (chart.resolution !== 'rows') return;
    expect(chart.t).toHaveLength(600);
    expect(chart.series[0]!.stats).toMatchObject({ min: 40, max: 49.5, count: 600 });
    expect(chart.series[0]!.unit).toBe('°C');
    expect(chart.series[1]!.stats.count).toBe(0);
  });

  it('a zoom moments after a cold long range reads its rows from the downloaded copy: no second GET', async () => {
    const store = await seed();
    const data = open({ store, cache: createBatchCache({ store, dir, decode }) });
    await data.query('pc', { from: START, to: START + 24 * HOUR, keys: ['gpu_temperature_c'] });
    // No await between: the copies are written behind the reads, some still queued or being written.
    const zoomed = await data.query('pc', {
      from: START + HOUR,
      to: START + HOUR + 10 * 60_000,
      keys: ['gpu_temperature_c'],
    });
    expect(zoomed.resolution).toBe('rows');
    expect(store.requests.get).toBe(4);
    await data.close?.();
    expect((await readdir(dir)).filter((name) => name.endsWith('.object'))).toHaveLength(4);
  });

  it('charts batches not stored yet with the stored ones, and drops each once its processed key is listed', async () => {
    const store = await seed();
    const data = open({
      store,
      cache: createBatchCache({ store, dir, decode }),
      listTtlMs: 0,
    });
    const query = { from: START + 5 * HOUR, to: START + 7 * HOUR, keys: ['gpu_temperature_c'] };
    const hour6 = {
      processedKey: 'processed/pc/2024/04/20/batch-6.json.gz',
      batch: hourBatch(START + 6 * HOUR),
    };
    const withPending = await data.query('pc', query, [hour6]);
    expect(withPending.pending).toEqual({ rows: 3600, notShown: 0 });
    expect(withPending.resolution === 'rows' && withPending.series[0]!.stats.count).toBe(7200);
    await expect(data.query('pc', query)).resolves.not.toHaveProperty('pending');

    // Uploaded and processed: the stored copy is charted, the pending one is not counted twice.
    await store.put(hour6.processedKey, encode(hour6.batch), { contentType: 'application/json' });
    const stored = await data.query('pc', query, [hour6]);
    expect(stored.pending).toBeUndefined();
    expect(stored.resolution === 'rows' && stored.series[0]!.stats.count).toBe(7200);

    // A long range merges the pending rollups into its buckets.
    const day = await data.query('pc', { ...query, from: START, to: START + 24 * HOUR }, [
      { processedKey: 'processed/pc/2024/04/20/batch-9.json.gz', batch: hourBatch(START + 9 * HOUR) },
    ]);
    expect(day.resolution).toBe('rollups');
    expect(day.pending).toEqual({ rows: 3600, notShown: 0 });
    expect(day.series[0]!.stats.count).toBe(6 * 3600);
  });

  it('lists again when a batch that was pending at the last call has left (uploaded), else reuses the listing', async () => {
    const store = await seed();
    const data = open({
      store,
      cache: createBatchCache({ store, dir, decode }),
      listTtlMs: 60_000,
    });
    const query = { from: START + 5 * HOUR, to: START + 7 * HOUR, keys: ['gpu_temperature_c'] };
    const key6 = 'processed/pc/2024/04/20/batch-6.json.gz';
    data.notePending!('pc', [key6]);
    await data.query('pc', query, [{ processedKey: key6, batch: hourBatch(START + 6 * HOUR) }]);
    expect(store.requests.list).toBe(1);
    data.notePending!('pc', [key6]);
    await data.query('pc', query, [{ processedKey: key6, batch: hourBatch(START + 6 * HOUR) }]);
    expect(store.requests.list).toBe(1);

    // Uploaded and processed between two calls: no longer pending, and the old listing does not have it.
    await store.put(key6, encode(hourBatch(START + 6 * HOUR)), { contentType: 'application/json' });
    data.notePending!('pc', []);
    const chart = await data.query('pc', query);
    expect(store.requests.list).toBe(2);
    expect(chart.resolution === 'rows' && chart.series[0]!.stats.count).toBe(7200);
  });

  it('reports the stored extent and the sensors', async () => {
    const store = await seed();
    const data = open({ store, cache: createBatchCache({ store, dir, decode }) });
    await expect(data.extent('pc')).resolves.toEqual({ first: START, last: START + 5 * HOUR + 3599_000 });
    await expect(data.extent('other')).resolves.toEqual({ first: null, last: null });
    await expect(data.listSensors('pc')).resolves.toEqual(SENSORS);
  });
});

describe('processed data: a row two objects carry counts once', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gpuz-data-'));
  });
  afterEach(async () => {
    // Cache copies are written behind the reads: closing waits for them before the folder goes.
    for (const data of opened.splice(0)) await data.close?.();
    await rm(dir, { recursive: true, force: true });
  });

  /** The second half of hour 1 and the first half of hour 2 again, as a range cut again with other boundaries. */
  function recut(): DecodedBatch {
    const [one, two] = [hourBatch(START + HOUR), hourBatch(START + 2 * HOUR)];
    const half = (b: DecodedBatch, from: number, to: number) => ({
      t: b.rows.t.slice(from * 60, to * 60),
      temp: b.rows.values.gpu_temperature_c!.slice(from * 60, to * 60),
      minutes: b.rollups.t.slice(from, to),
      min: b.rollups.min.gpu_temperature_c!.slice(from, to),
      max: b.rollups.max.gpu_temperature_c!.slice(from, to),
      avg: b.rollups.avg.gpu_temperature_c!.slice(from, to),
    });
    const [a, b] = [half(one, 30, 60), half(two, 0, 30)];
    return {
      sensors: SENSORS,
      sessionStarts: [],
      rows: { t: [...a.t, ...b.t], values: { gpu_temperature_c: [...a.temp, ...b.temp] } },
      rollups: {
        t: [...a.minutes, ...b.minutes],
        min: { gpu_temperature_c: [...a.min, ...b.min] },
        max: { gpu_temperature_c: [...a.max, ...b.max] },
        avg: { gpu_temperature_c: [...a.avg, ...b.avg] },
        count: { gpu_temperature_c: new Array(60).fill(60) },
      },
    };
  }

  async function seedWithRecut() {
    const store = createCountingStore();
    for (const hour of [0, 1, 2]) {
      await store.put(
        `processed/pc/2024/04/20/batch-${hour}.json.gz`,
        encode(hourBatch(START + hour * HOUR)),
        {
          contentType: 'application/json',
        },
      );
    }
    await store.put('processed/pc/2024/04/20/batch-1-recut.json.gz', encode(recut()), {
      contentType: 'application/json',
    });
    return store;
  }

  it.each([
    ['rows (a 3-hour chart)', 3 * HOUR],
    ['rollups (a 12-hour chart)', 12 * HOUR],
  ])('%s: each time stamp once, the same statistics as without the repeated object', async (_name, span) => {
    // Prepare
    const store = await seedWithRecut();
    const data = open({ store, cache: createBatchCache({ store, dir, decode }) });
    const query = { from: START, to: START + span, keys: ['gpu_temperature_c'] };
    // Act
    const chart = await data.query('pc', query);
    // Assess
    expect(chart.series[0]!.stats).toEqual({ min: 40, max: 99.5, avg: 69.75, count: 3 * 3600 });
    if (chart.resolution === 'rows') expect(new Set(chart.t).size).toBe(chart.t.length);
  });

  it('a long chart with a re-cut object: its summaries, then the rows of the objects whose times overlap, to the end', async () => {
    const store = await seedWithRecut();
    const data = open({ store, cache: createBatchCache({ store, dir, decode }) });
    const steps: [number, number][] = [];
    await data.query('pc', { from: START, to: START + 12 * HOUR, keys: ['gpu_temperature_c'] }, [], (d, t) =>
      steps.push([d, t]),
    );
    // Four summaries (a step is left for what follows), then the rows of hours 1 and 2 and the re-cut object fill the
    // last fifth: the share never goes back (counted as 5 of 7 it went from 80 % to 71 %).
    expect(steps).toEqual([
      [1, 5],
      [2, 5],
      [3, 5],
      [4, 5],
      [13, 15],
      [14, 15],
      [15, 15],
    ]);
  });

  it('sessionRows names the groups read alike at every read, and pieces(first) reads none of the groups before first', async () => {
    const store = await seedWithRecut();
    await store.put('processed/pc/2024/04/20/batch-5.json.gz', encode(hourBatch(START + 5 * HOUR)), {
      contentType: 'application/json',
    });
    const cache = createBatchCache({ store, dir, decode });
    const read: string[] = [];
    const data = open({
      store,
      cache: {
        ...cache,
        rows: (object) => {
          read.push(object.key);
          return cache.rows(object);
        },
      },
    });
    const keys = ['gpu_temperature_c', 'gpu_load_pct'];
    const pending: PendingDecoded = {
      processedKey: 'processed/pc/2024/04/20/batch-6.json.gz',
      batch: hourBatch(START + 6 * HOUR),
    };
    // Act: the whole range, then one whose start cuts the first hour
    const whole = await data.sessionRows('pc', { from: START, to: START + 8 * HOUR, keys }, [pending]);
    const cut = await data.sessionRows('pc', { from: START + 1800_000, to: START + 8 * HOUR, keys });
    // Assert: hour 0; hours 1 and 2 with their re-cut object; hour 5; the pending hour 6 has no name
    expect(whole.groups).toEqual([
      `processed/pc/2024/04/20/batch-0.json.gz ${(await store.list('processed/pc/2024/04/20/batch-0'))[0]!.etag}`,
      expect.stringMatching(
        /^processed\/pc\/2024\/04\/20\/batch-1-recut\.json\.gz .+\nprocessed\/pc\/2024\/04\/20\/batch-1\.json\.gz .+\nprocessed\/pc\/2024\/04\/20\/batch-2\.json\.gz .+$/,
      ),
      expect.stringMatching(/^processed\/pc\/2024\/04\/20\/batch-5\.json\.gz "[0-9a-f]+"$/),
      null,
    ]);
    // A group the range's start cuts has no name; the ones after it keep theirs.
    expect(cut.groups).toEqual([null, whole.groups[1], whole.groups[2]]);
    const times: number[] = [];
    for await (const piece of whole.pieces(2)) times.push(piece.t[0]!, piece.t.at(-1)!);
    expect(read).toEqual(['processed/pc/2024/04/20/batch-5.json.gz']);
    expect(times).toEqual([
      START + 5 * HOUR,
      START + 6 * HOUR - 1000,
      START + 6 * HOUR,
      START + 7 * HOUR - 1000,
    ]);
  });

  it('sessionRows reads ahead 48 hourly objects, but only 12 of 4 hours each: as much time of readings, not 48 objects of any size', async () => {
    /** `count` objects of `hours` each (a row a minute and the last second: the span is what counts), one after another. */
    async function seeded(count: number, hours: number) {
      const store = createCountingStore();
      for (let n = 0; n < count; n++) {
        const from = START + n * hours * HOUR;
        const t = Array.from({ length: hours * 60 }, (_, m) => from + m * 60_000);
        t.push(from + hours * HOUR - 1000); // the last second of its hours: the span of 1-second rows
        const batch: DecodedBatch = {
          sensors: SENSORS,
          sessionStarts: [],
          rows: { t, values: { gpu_temperature_c: t.map(() => 50) } },
          rollups: { t: [], min: {}, max: {}, avg: {}, count: {} },
        };
        const day = new Date(from).toISOString().slice(0, 10).replaceAll('-', '/');
        await store.put(`processed/pc/${day}/batch-${String(n).padStart(3, '0')}.json.gz`, encode(batch), {
          contentType: 'application/json',
        });
      }
      return store;
    }
    /** How many objects' rows were asked for when the first piece came, and the rows of all pieces. */
    async function readAtFirstPiece(count: number, hours: number) {
      const store = await seeded(count, hours);
      const cache = createBatchCache({ store, dir, decode });
      let asked = 0;
      const data = open({
        store,
        cache: {
          ...cache,
          rows: (object) => {
            asked += 1;
            return cache.rows(object);
          },
        },
      });
      const query = { from: START, to: START + count * hours * HOUR, keys: ['gpu_temperature_c'] };
      const { pieces } = await data.sessionRows('pc', query);
      let atFirst = 0;
      let rows = 0;
      for await (const piece of pieces()) {
        if (atFirst === 0) atFirst = asked;
        rows += piece.t.length;
      }
      return { atFirst, rows };
    }
    // Act + Assert: the one being merged and those ahead of it
    expect(await readAtFirstPiece(60, 1)).toEqual({ atFirst: 1 + 48, rows: 60 * 61 });
    expect(await readAtFirstPiece(40, 4)).toEqual({ atFirst: 1 + 12, rows: 40 * (4 * 60 + 1) });
  });

  it('sessionRows: pieces in time order, one per group of objects whose times meet, each row once', async () => {
    const store = await seedWithRecut();
    await store.put('processed/pc/2024/04/20/batch-5.json.gz', encode(hourBatch(START + 5 * HOUR)), {
      contentType: 'application/json',
    });
    const data = open({ store, cache: createBatchCache({ store, dir, decode }) });
    const query = {
      from: START + 1800_000,
      to: START + 6 * HOUR,
      keys: ['gpu_temperature_c', 'gpu_load_pct'],
    };
    const steps: [number, number][] = [];
    const { pieces } = await data.sessionRows('pc', query, [], (done, total) => steps.push([done, total]));
    // A step per object for its summary, all of them before the first piece: half the total.
    const total = steps[0]![1];
    expect(steps.map(([done]) => done)).toEqual(Array.from({ length: total / 2 }, (_, i) => i + 1));
    const seen: { first: number; rows: number }[] = [];
    const times: number[] = [];
    for await (const piece of pieces()) {
      if (piece.t.length === 0) continue;
      seen.push({ first: piece.t[0]!, rows: piece.t.length });
      times.push(...piece.t);
      // Only the session keys, every one of them (a key no object has: all null).
      expect(Object.keys(piece.values).sort()).toEqual(['gpu_load_pct', 'gpu_temperature_c']);
      expect(piece.values.gpu_load_pct!.every((v) => v === null)).toBe(true);
    }
    // Hour 0 from its middle; hours 1 and 2 with the object cut again across them (one group); hour 5.
    expect(seen).toEqual([
      { first: START + 1800_000, rows: 1800 },
      { first: START + HOUR, rows: 2 * 3600 },
      { first: START + 5 * HOUR, rows: 3600 },
    ]);
    expect(times).toEqual([...times].sort((a, b) => a - b));
    expect(new Set(times).size).toBe(times.length);
    // Then as each group's rows are read (1, 3 and 1 of the 5 objects), over the half the summaries left: 60, 90, 100 %.
    expect(steps.slice(total / 2).map(([done, of]) => done / of)).toEqual([0.6, 0.9, 1]);
  });
});
