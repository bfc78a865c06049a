import { createReadStream, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogParser } from '../../../shared/parse';
import {
  batchOutline,
  decodeDayRollups,
  encodeDayRollups,
  encodeProcessed,
  processRawObject,
  withBatch,
} from '../../../shared/process';
import { SAMPLES_DIR } from '../../../test-support/services';
import { createLocalProcessor, processRawBytes } from '../pipeline/local-processor';
import { createLocalStore } from '../store/local';
import type { Store } from '../store/types';
import { dayOutlines, outlineOf } from './day-outlines';
import { decodeProcessed, outlineProcessed } from './decode-processed';
import { createBatchCache, createProcessedBatchCache } from './etag-cache';
import { createCountingStore } from './memory-store.test-support';
import { createProcessedData } from './processed-data';

describe('day documents give the outline the processed object gives', () => {
  it('for every real sample (one session or several): the entry, stored and read back, outlines as the object does', async () => {
    let compared = 0;
    for (const folder of ['gpuz', 'hwinfo', 'nvidia-smi']) {
      for (const name of readdirSync(join(SAMPLES_DIR, folder))) {
        const key = `processed/pc/2024/04/20/f-0-${name.length}.json.gz`;
        const outcome = await processRawObject(
          {
            sourceKey: `raw/pc/2024/04/20/f-0-${name.length}.csv`,
            body: createReadStream(join(SAMPLES_DIR, folder, name)),
            timeZone: 'Europe/Berlin',
          },
          { createParser: createLogParser },
        );
        if (outcome.kind !== 'processed') continue;
        const body = await encodeProcessed(outcome.batch);
        const doc = decodeDayRollups(
          encodeDayRollups(withBatch(null, batchOutline(outcome.batch, key, '"e"'))),
        );
        expect({ name, ...outlineOf(doc.batches[0]!) }).toEqual({
          name,
          ...(await outlineProcessed(body, key)),
        });
        compared += 1;
      }
    }
    expect(compared).toBeGreaterThanOrEqual(12);
  });
});

/** A store that counts GETs and LISTs (the S3 requests a cold chart makes). */
function counted(store: Store) {
  const requests = { get: 0, list: 0 };
  const wrapped: Store = {
    ...store,
    kind: store.kind,
    description: store.description,
    put: (key, body, options) => store.put(key, body, options),
    get: (key) => {
      requests.get += 1;
      return store.get(key);
    },
    list: (prefix, range) => {
      requests.list += 1;
      return store.list(prefix, range);
    },
    listFolders: (prefix) => store.listFolders(prefix),
  };
  return { store: wrapped, requests };
}

describe('a cold long-range chart over a local store with day documents', () => {
  const log = readFileSync(`${SAMPLES_DIR}gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt`);
  const lines = log.toString('latin1').split('\n');
  const header = lines[0]!;
  const rows = lines.slice(1).filter((line) => line.trim() !== '');
  const range = { from: Date.UTC(2024, 3, 1), to: Date.UTC(2024, 4, 1), keys: ['gpu_temperature_c'] };
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gpuz-days-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  /** The real log cut into four raw batches (each with its header), processed as the agent's local pipeline does. */
  async function stored(timeZone = 'UTC') {
    const store = createLocalStore({ root: join(dir, 'store') });
    const processor = createLocalProcessor({ timeZone, dayRollupsDelayMs: 0 });
    const size = Math.ceil(rows.length / 4);
    for (let i = 0; i < 4; i++) {
      const key = `raw/pc/2024/04/20/b-${i}.csv`;
      const body = Buffer.from([header, ...rows.slice(i * size, (i + 1) * size)].join('\n'), 'latin1');
      await store.put(key, body, { contentType: 'text/csv' });
      await processor.onRawStored(key, store);
    }
    await processor.close();
    return store;
  }

  async function draw(store: Store, cacheDir: string, withDays: boolean) {
    const { store: s, requests } = counted(store);
    const cache = withDays
      ? createProcessedBatchCache({ store: s, dir: join(dir, cacheDir), keepCopies: true }) // as for a bucket
      : createBatchCache({
          store: s,
          dir: join(dir, cacheDir),
          decode: decodeProcessed,
          outline: outlineProcessed,
        });
    const data = createProcessedData({ store: s, cache });
    const chart = await data.query('pc', range);
    const extent = await data.extent('pc');
    const sensors = await data.listSensors('pc');
    const zoom = await data.query('pc', { ...range, from: extent.first!, to: extent.first! + 3600_000 });
    await data.close?.();
    return { chart, extent, sensors, zoom, requests };
  }

  it('one GET for the day instead of one per batch, the same chart, extent, sensors and zoomed rows', async () => {
    const store = await stored();
    const days = await store.list('rollups/pc/');
    expect(days.map((d) => d.key)).toEqual(['rollups/pc/2024/04/20.json.gz']);
    const listed = await store.list('processed/pc/');
    const doc = decodeDayRollups((await store.get(days[0]!.key))!.body);
    expect(doc.batches.map((b) => [b.key, b.etag])).toEqual(listed.map((o) => [o.key, o.etag]));

    const before = await draw(store, 'plain', false);
    const after = await draw(store, 'days', true);
    expect(after.chart).toEqual(before.chart);
    expect(after.extent).toEqual(before.extent);
    expect(after.sensors).toEqual(before.sensors);
    expect(after.zoom).toEqual(before.zoom);
    expect(after.chart.series[0]!.stats.count).toBe(rows.length);
    // Before: 4 object GETs for the long range. After: the day document, and the objects only when the zoom wants rows.
    expect(before.requests).toEqual({ get: 4, list: 1 });
    expect(after.requests).toEqual({ get: 1 + 4, list: 2 });
    const longRangeOnly = counted(store);
    const data = createProcessedData({
      store: longRangeOnly.store,
      cache: createProcessedBatchCache({
        store: longRangeOnly.store,
        dir: join(dir, 'long'),
        keepCopies: true,
      }),
    });
    await data.query('pc', range);
    await data.close?.();
    expect(longRangeOnly.requests).toEqual({ get: 1, list: 2 });
    // The index lost (a kill before it was written): the copies the zoom kept are outlined again, no request.
    const indexFiles = (await readdir(join(dir, 'days'))).filter((name) => name.endsWith('.pack'));
    expect(indexFiles).toHaveLength(1); // one day
    for (const name of indexFiles) await rm(join(dir, 'days', name));
    const again = await draw(store, 'days', true);
    expect(again.chart).toEqual(before.chart);
    expect(again.requests).toEqual({ get: 0, list: 1 });
  });

  it('counts each batch of a long read as its outline comes from the day document, before any summary is asked (the bar moves through the day documents)', async () => {
    const store = await stored();
    const cache = createProcessedBatchCache({ store, dir: join(dir, 'progress'), keepCopies: true });
    const events: string[] = [];
    const summary = cache.summary.bind(cache);
    cache.summary = (object) => {
      events.push('summary asked');
      return summary(object);
    };
    const data = createProcessedData({ store, cache });
    await data.query('pc', range, [], (done, total) => events.push(`${done}/${total}`));
    await data.close?.();
    // Four batches outlined by the one day document (as it came), their rollups with them: the outlines are the
    // whole bar, then done. Before dd41e86, the four summaries were counted after they had all been asked and read:
    // the bar stood still through the day documents' GETs.
    expect(events.filter((e) => e !== 'summary asked')).toEqual(['1/5', '2/5', '3/5', '4/5', '4/4']);
    expect(events.indexOf('4/5')).toBeLessThan(events.indexOf('summary asked'));
  });

  it("keeps no copies of a local store's objects (they are files already): the cache folder holds the index only", async () => {
    const store = await stored();
    const copied = await draw(store, 'copied', true); // copies kept, as for a bucket
    const cache = createProcessedBatchCache({ store, dir: join(dir, 'local') });
    // Twice: drawn cold, then again from the index (a reopened view).
    for (let i = 0; i < 2; i++) {
      const data = createProcessedData({ store, cache });
      expect(await data.query('pc', range)).toEqual(copied.chart);
      expect(
        await data.query('pc', { ...range, from: copied.extent.first!, to: copied.extent.first! + 3600_000 }),
      ).toEqual(copied.zoom);
      await data.close?.();
      const names = await readdir(join(dir, 'local'));
      expect(names.filter((name) => name.endsWith('.object'))).toEqual([]);
      expect(names.filter((name) => name.endsWith('.pack'))).toHaveLength(1); // one day
    }
    // The copies a version before 2026-12-04 kept of a local store's objects go at the next read.
    const old = (await readdir(join(dir, 'copied'))).filter((name) => name.endsWith('.object'));
    expect(old.length).toBeGreaterThan(0);
    const reopened = createProcessedData({
      store,
      cache: createProcessedBatchCache({ store, dir: join(dir, 'copied') }),
    });
    expect(await reopened.query('pc', range)).toEqual(copied.chart);
    await reopened.close?.();
    await vi.waitFor(async () => {
      expect((await readdir(join(dir, 'copied'))).filter((name) => name.endsWith('.object'))).toEqual([]);
    });
  });

  it('an object stored after its day document (another ETag) is read itself; a damaged day document is ignored', async () => {
    const store = await stored();
    const dayKey = 'rollups/pc/2024/04/20.json.gz';
    const doc = (await store.get(dayKey))!.body;
    // Reprocessed in another zone behind the day document's back: new bytes, new ETag for batch 2.
    const raw = (await store.get('raw/pc/2024/04/20/b-2.csv'))!;
    const other = await processRawBytes('raw/pc/2024/04/20/b-2.csv', raw.body, 'Asia/Tokyo');
    if (other.kind !== 'processed') throw new Error('expected a processed batch');
    await store.put('processed/pc/2024/04/20/b-2.json.gz', await encodeProcessed(other.batch), {
      contentType: 'application/json',
      contentEncoding: 'gzip',
    });
    await store.put(dayKey, doc, { contentType: 'application/json', contentEncoding: 'gzip' });
    const stale = await draw(store, 'stale', true);
    expect(stale.chart).toEqual((await draw(store, 'plain', false)).chart);
    // The day, then batch 2 itself (now the earliest: the zoom's hour holds only its rows, from the kept copy).
    expect(stale.requests.get).toBe(1 + 1);

    await store.put(dayKey, Buffer.from('not a day document'), { contentType: 'application/json' });
    const damaged = await draw(store, 'damaged', true);
    expect(damaged.chart).toEqual(stale.chart);
    expect(damaged.requests.get).toBe(1 + 4 + 0); // the day (unreadable), then each object; the zoom reuses the copies
  });
});

describe('the local day documents heal', () => {
  it("a damaged document (or entries lost to a kill) is completed from the day's objects at its next batch", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gpuz-heal-'));
    try {
      const log = readFileSync(`${SAMPLES_DIR}gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt`)
        .toString('latin1')
        .split('\n');
      const rows = log.slice(1).filter((line) => line.trim() !== '');
      const store = createLocalStore({ root: join(dir, 'store') });
      const batch = async (i: number) => {
        const key = `raw/pc/2024/04/20/b-${i}.csv`;
        await store.put(
          key,
          Buffer.from([log[0], ...rows.slice(i * 50, (i + 1) * 50)].join('\n'), 'latin1'),
          {
            contentType: 'text/csv',
          },
        );
        return key;
      };
      const first = createLocalProcessor({ timeZone: 'UTC', dayRollupsDelayMs: 0 });
      for (const i of [0, 1, 2]) await first.onRawStored(await batch(i), store);
      await first.close();
      const dayKey = 'rollups/pc/2024/04/20.json.gz';
      const whole = (await store.get(dayKey))!.body;
      await store.put(dayKey, whole.subarray(0, whole.length >> 1), { contentType: 'application/json' });

      const next = createLocalProcessor({ timeZone: 'UTC', dayRollupsDelayMs: 0 });
      await next.onRawStored(await batch(3), store);
      await next.close();
      const listed = await store.list('processed/pc/');
      const doc = decodeDayRollups((await store.get(dayKey))!.body);
      expect(doc.batches.map((b) => [b.key, b.etag])).toEqual(listed.map((o) => [o.key, o.etag]));
      expect(listed).toHaveLength(4);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('dayOutlines on S3', () => {
  it("leaves out the newest day (the Lambda seals a day when the next begins): today's new batches cost no request", async () => {
    const store = createCountingStore();
    const put = (key: string) => store.put(key, Buffer.from(key), { contentType: 'application/json' });
    const objects = [];
    for (const day of ['19', '20'])
      for (const name of ['a', 'b']) {
        const key = `processed/pc/2024/04/${day}/${name}.json.gz`;
        objects.push({ key, size: 1, etag: (await put(key)).etag, lastModified: new Date(0) });
      }
    for (const day of ['19', '20']) {
      let doc = null;
      for (const object of objects.filter((o) => o.key.includes(`/${day}/`)))
        doc = withBatch(doc, { ...batchOutlineStub(object.key), etag: object.etag });
      await store.put(`rollups/pc/2024/04/${day}.json.gz`, encodeDayRollups(doc!), {
        contentType: 'application/json',
      });
    }
    const s3 = { ...store, kind: 's3' as const };
    expect([...(await dayOutlines(s3, objects)).keys()]).toEqual(objects.slice(0, 2).map((o) => o.key));
    store.requests.get = 0;
    store.requests.list = 0;
    expect((await dayOutlines(s3, objects.slice(2))).size).toBe(0);
    expect(store.requests).toMatchObject({ get: 0, list: 0 });
    expect((await dayOutlines(store, objects)).size).toBe(4); // a local store: today's document is written too
  });

  it('hands each outline on as its day comes (none kept), with at most 8 day documents read at once', async () => {
    // Prepare: 40 days of two objects each, with their day documents
    const store = createCountingStore();
    const objects = [];
    for (let d = 1; d <= 40; d++) {
      const day = `2024/${d <= 30 ? '04' : '05'}/${String(d <= 30 ? d : d - 30).padStart(2, '0')}`;
      let doc = null;
      for (const name of ['a', 'b']) {
        const key = `processed/pc/${day}/${name}.json.gz`;
        const { etag } = await store.put(key, Buffer.from(key), { contentType: 'application/json' });
        objects.push({ key, size: 1, etag, lastModified: new Date(0) });
        doc = withBatch(doc, { ...batchOutlineStub(key), etag });
      }
      await store.put(`rollups/pc/${day}.json.gz`, encodeDayRollups(doc!), {
        contentType: 'application/json',
      });
    }
    let reading = 0;
    let most = 0;
    const get = store.get.bind(store);
    store.get = async (key) => {
      most = Math.max(most, ++reading);
      await new Promise((resolve) => setTimeout(resolve, 2));
      reading -= 1;
      return get(key);
    };
    const handed: string[] = [];
    // Act
    const kept = await dayOutlines(store, objects, (key) => {
      handed.push(key);
    });
    // Assess
    expect(kept.size).toBe(0);
    expect(handed.sort()).toEqual([...(await dayOutlines(store, objects)).keys()].sort());
    expect(handed).toHaveLength(80);
    expect(most).toBe(8);
  });
});

function batchOutlineStub(key: string) {
  return {
    key,
    etag: '',
    sessions: [],
    firstT: 0,
    lastT: 0,
    rollups: { intervalMs: 60_000, t: [], columns: {} },
  };
}
