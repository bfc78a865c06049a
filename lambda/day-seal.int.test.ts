import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { outlineOf } from '../src/main/core/data/day-outlines';
import { decodeProcessed, outlineProcessed } from '../src/main/core/data/decode-processed';
import { createBatchCache, createProcessedBatchCache } from '../src/main/core/data/etag-cache';
import { createProcessedData } from '../src/main/core/data/processed-data';
import { createS3Store } from '../src/main/core/store/s3';
import type { Store } from '../src/main/core/store/types';
import { decodeDayRollups } from '../src/shared/process/day-rollups';
import { SAMPLES_DIR } from '../src/test-support/services';
import { createHandler } from './create-handler';
import { forgetSealedDays } from './day-seal';
import { makeBatches } from './testing/make-batches';
import { createdEvent, createS3Harness } from './testing/s3-harness';

const bm1 = readFileSync(`${SAMPLES_DIR}gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt`);
// Another real log (2024-04-20) for the batches filed under other keys: rows of their own, overlapping no others'
// (overlapping batches are charted from their rows, which would GET them: repeated-rows.ts).
const ada = readFileSync(`${SAMPLES_DIR}gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt`);
const DAY_DOC = 'rollups/test-pc/2026/08/06.json.gz';

/** The real bm1 log as three raw batches of 2026-08-06 (its date), then batches filed under the 7th. */
async function twoDays(h: Awaited<ReturnType<typeof createS3Harness>>, s3: S3Client = h.s3) {
  const handler = createHandler({ s3, producer: null, config: h.config, logger: h.logger });
  const batches = makeBatches(bm1, { host: 'test-pc', fileId: 'f1', parts: 3 });
  const run = async (key: string, body: Uint8Array) => {
    await h.putRaw(key, body, { timezone: 'Europe/Berlin' });
    await handler(createdEvent(h.rawBucket, [{ key, size: body.length }]));
    return h.lines.at(-1)!;
  };
  for (const batch of batches) await run(batch.key, batch.body);
  const nextDay = (name: string) => run(`raw/test-pc/2026/08/07/${name}.csv.gz`, gzipSync(ada));
  /** A batch filed under another day ('2026/08/09'). */
  const on = (day: string, name: string) => run(`raw/test-pc/${day}/${name}.csv.gz`, gzipSync(ada));
  return { batches, run, nextDay, on };
}

/** The harness's client, counting the LISTs by folder (Delimiter) the seal sends; `refuse` fails PUTs of that key. */
function listing(s3: S3Client) {
  const seen = { folderLists: 0, refuse: null as string | null };
  const client = new Proxy(s3, {
    get(target, name, receiver) {
      if (name !== 'send') return Reflect.get(target, name, receiver);
      return (command: { input?: { Key?: string; Delimiter?: string } }) => {
        if (command instanceof ListObjectsV2Command && command.input?.Delimiter) seen.folderLists += 1;
        if (command instanceof PutObjectCommand && command.input?.Key === seen.refuse)
          return Promise.reject(Object.assign(new Error('SlowDown'), { name: 'SlowDown' }));
        return target.send(command as PutObjectCommand);
      };
    },
  });
  return { client, seen };
}

/** A store that counts GETs (the requests a cold chart pays per object). */
function counted(store: Store) {
  const requests = { get: 0 };
  return {
    requests,
    store: {
      ...store,
      get: (key: string) => {
        requests.get += 1;
        return store.get(key);
      },
    } as Store,
  };
}

describe('the daily seal against moto S3', () => {
  let dir: string;
  beforeEach(async () => {
    forgetSealedDays();
    dir = await mkdtemp(join(tmpdir(), 'gpuz-seal-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  it("a day's first batch seals the day before: every batch of it, with the listed ETags, outlined as the objects are; later batches only look", async () => {
    const h = await createS3Harness();
    const { nextDay } = await twoDays(h);
    expect(await h.listProcessed('rollups/')).toEqual(['rollups/test-pc/2026/08/05.json.gz']); // empty: no data that day

    const line = await nextDay('g-0-1');
    expect(line).toMatchObject({ level: 'info', seal: { day: '2026/08/06', outcome: 'sealed', batches: 3 } });
    const listed = await h.s3.send(
      new ListObjectsV2Command({ Bucket: h.processedBucket, Prefix: 'processed/test-pc/2026/08/06/' }),
    );
    const doc = decodeDayRollups(await h.getProcessed(DAY_DOC));
    expect(doc.batches.map((b) => [b.key, b.etag])).toEqual(
      (listed.Contents ?? []).map((o) => [o.Key, o.ETag]),
    );
    for (const entry of doc.batches)
      expect(outlineOf(entry)).toEqual(await outlineProcessed(await h.getProcessed(entry.key), entry.key));

    const sealed = await h.s3.send(new HeadObjectCommand({ Bucket: h.processedBucket, Key: DAY_DOC }));
    expect(await nextDay('g-1-2')).toMatchObject({ seal: { outcome: 'present' } }); // remembered: no request
    forgetSealedDays(); // a new container: one HEAD
    expect(await nextDay('g-2-3')).toMatchObject({ seal: { outcome: 'present' } });
    const after = await h.s3.send(new HeadObjectCommand({ Bucket: h.processedBucket, Key: DAY_DOC }));
    expect(after.ETag).toBe(sealed.ETag);
  });

  it('a cold 30-day chart over S3 reads the sealed day in one GET, the same chart as object by object; a batch that came late is read itself', async () => {
    const h = await createS3Harness();
    const { run, nextDay } = await twoDays(h);
    await nextDay('g-0-1');
    // A batch of the 6th uploaded after its day was sealed (the agent was offline): not in the document.
    await run('raw/test-pc/2026/08/06/late-0-1.csv.gz', gzipSync(ada));
    const range = { from: Date.UTC(2026, 7, 1), to: Date.UTC(2026, 8, 1), keys: ['gpu_temperature_c'] };
    const draw = async (name: string, withDays: boolean) => {
      const { store, requests } = counted(createS3Store({ client: h.s3, bucket: h.processedBucket }));
      const cacheDir = join(dir, name);
      const cache = withDays
        ? createProcessedBatchCache({ store, dir: cacheDir })
        : createBatchCache({ store, dir: cacheDir, decode: decodeProcessed, outline: outlineProcessed });
      const data = createProcessedData({ store, cache });
      const chart = await data.query('test-pc', range);
      await data.close?.();
      return { chart, gets: requests.get };
    };
    const objects = await draw('objects', false);
    const days = await draw('days', true);
    expect(days.chart).toEqual(objects.chart);
    expect(objects.chart.series[0]!.stats.count).toBe(1182); // bm1's rows; the other two are of 2024
    expect(objects.gets).toBe(5); // 3 + the late one of the 6th, 1 of the 7th
    expect(days.gets).toBe(1 + 1 + 1); // the 6th's document, the late batch, the 7th's one batch
  });

  it('a seal that cannot be written leaves the batch processed, its log line an error, and the next batch tries again', async () => {
    const h = await createS3Harness();
    let refuse = true;
    const s3 = new Proxy(h.s3, {
      get(target, name, receiver) {
        if (name !== 'send') return Reflect.get(target, name, receiver);
        return (command: { input?: { Key?: string } }) =>
          refuse && command instanceof PutObjectCommand && command.input?.Key?.startsWith('rollups/')
            ? Promise.reject(Object.assign(new Error('SlowDown'), { name: 'SlowDown' }))
            : target.send(command as PutObjectCommand);
      },
    });
    const { nextDay } = await twoDays(h, s3);
    expect(await nextDay('g-0-1')).toMatchObject({
      level: 'error',
      message: 'record processed',
      seal: { day: '2026/08/06', outcome: 'failed', error: 'SlowDown' },
    });
    expect(await h.listProcessed('processed/test-pc/2026/08/07/')).toHaveLength(1);
    refuse = false;
    expect(await nextDay('g-1-2')).toMatchObject({ seal: { outcome: 'sealed', batches: 3 } });
  });

  it('after a pause in logging, the first batch seals the empty day before it and the last day with data, which no next day had sealed', async () => {
    const h = await createS3Harness();
    const { client, seen } = listing(h.s3);
    const { on } = await twoDays(h, client);
    expect(seen.folderLists).toBe(3); // the host's first batch looked back: no day, month or year before
    seen.folderLists = 0;
    // Played on the 6th, then not until the 9th: the 7th and 8th have no batch, nothing sealed the 6th.
    const line = await on('2026/08/09', 'g-0-1');
    expect(line).toMatchObject({
      level: 'info',
      seal: {
        day: '2026/08/08',
        outcome: 'sealed',
        batches: 0,
        earlier: { day: '2026/08/06', outcome: 'sealed', batches: 3 },
      },
    });
    expect(seen.folderLists).toBe(1); // the days of August
    const doc = decodeDayRollups(await h.getProcessed(DAY_DOC));
    const listed = await h.s3.send(
      new ListObjectsV2Command({ Bucket: h.processedBucket, Prefix: 'processed/test-pc/2026/08/06/' }),
    );
    expect(doc.batches.map((b) => [b.key, b.etag])).toEqual(
      (listed.Contents ?? []).map((o) => [o.Key, o.ETag]),
    );
    expect(await h.listProcessed('rollups/')).toEqual([
      'rollups/test-pc/2026/08/05.json.gz',
      'rollups/test-pc/2026/08/06.json.gz',
      'rollups/test-pc/2026/08/08.json.gz',
    ]);
    // The same day again, in a new container: one HEAD, no looking back.
    forgetSealedDays();
    seen.folderLists = 0;
    expect(await on('2026/08/09', 'g-1-2')).toMatchObject({
      seal: { day: '2026/08/08', outcome: 'present' },
    });
    expect(seen.folderLists).toBe(0);

    // Across a month: the 9th of August is found from the 2nd of October (its month, its year's months, August's days).
    seen.folderLists = 0;
    expect(await on('2026/10/02', 'g-0-1')).toMatchObject({
      seal: { day: '2026/10/01', outcome: 'sealed', batches: 0, earlier: { day: '2026/08/09', batches: 2 } },
    });
    expect(seen.folderLists).toBe(3);
    // Across a year: the 2nd of October 2026 from the 3rd of January 2027.
    seen.folderLists = 0;
    expect(await on('2027/01/03', 'g-0-1')).toMatchObject({
      seal: { day: '2027/01/02', outcome: 'sealed', earlier: { day: '2026/10/02', batches: 1 } },
    });
    expect(seen.folderLists).toBe(5);
  });

  it('a day before a pause that cannot be sealed leaves the empty day unwritten: the next batch tries both again', async () => {
    const h = await createS3Harness();
    const { client, seen } = listing(h.s3);
    const { on } = await twoDays(h, client);
    seen.refuse = DAY_DOC;
    expect(await on('2026/08/09', 'g-0-1')).toMatchObject({
      level: 'error',
      seal: { day: '2026/08/08', outcome: 'failed', earlier: { day: '2026/08/06', outcome: 'failed' } },
    });
    expect(await h.listProcessed('rollups/')).toEqual(['rollups/test-pc/2026/08/05.json.gz']);
    expect(await h.listProcessed('processed/test-pc/2026/08/09/')).toHaveLength(1);
    seen.refuse = null;
    expect(await on('2026/08/09', 'g-1-2')).toMatchObject({
      seal: {
        day: '2026/08/08',
        outcome: 'sealed',
        earlier: { day: '2026/08/06', outcome: 'sealed', batches: 3 },
      },
    });
  });
});
