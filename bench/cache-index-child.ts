/**
 * Child of bench/cache-index.ts: one step of the Charts view over a disk cache that holds a long history, in a
 * fresh process, through the ETag cache (etag-cache.ts) as the app builds it. Prints `{"ms":…}`; the bench takes
 * wall, CPU and peak RSS from outside (measure.py). Only imports that the baseline commit has too: the bench bundles
 * this same file against that commit.
 *
 *   node cache-index-child.mjs '{"dir":"/tmp/x/cache","objects":"/tmp/x/objects.json","step":"hour"}'
 *
 * hour = the Charts view opened on the last hour: the data's extent (every object's summary), then the newest
 *        object's 1-minute rollups
 * add  = a new batch processed: the newest object's summary, then a new object's (one GET), index written
 */
import { createBatchCache } from '../src/main/core/data/etag-cache';
import { createCountingStore } from '../src/main/core/data/memory-store.test-support';
import type { DecodedBatch } from '../src/main/core/data/types';
import type { ListedObject } from '../src/main/core/store/types';

const options = JSON.parse(process.argv[2] ?? '{}') as { dir: string; objects: string; step: 'hour' | 'add' };
const { readFile } = await import('node:fs/promises');
const listed = (JSON.parse(await readFile(options.objects, 'utf8')) as { key: string; etag: string }[]).map(
  (object): ListedObject => ({ ...object, size: 0, lastModified: new Date(0) }),
);
const store = createCountingStore();
const decode = (body: Uint8Array) => JSON.parse(new TextDecoder().decode(body)) as DecodedBatch;
const cache = createBatchCache({ store, dir: options.dir, decode });
const newest = listed.at(-1)!;
const started = performance.now();
if (options.step === 'hour') {
  const summaries = await Promise.all(listed.map((object) => cache.summary(object)));
  const last = Math.max(...summaries.map((summary) => summary.last));
  const rollups = await cache.rollups(newest);
  if (rollups.t.at(-1)! > last) throw new Error('rollups after the extent');
} else {
  await cache.summary(newest);
  const summary = await cache.summary(newest);
  const t = Array.from({ length: 60 }, (_, m) => summary.last + 1000 + m * 60_000);
  const column = t.map(() => 50);
  const batch: DecodedBatch = {
    sensors: summary.sensors,
    sessionStarts: [],
    rows: { t, values: { gpu_temperature_c: column } },
    rollups: {
      t,
      min: { gpu_temperature_c: column },
      max: { gpu_temperature_c: column },
      avg: { gpu_temperature_c: column },
      count: { gpu_temperature_c: column },
    },
  };
  const key = newest.key.replace(/[^/]+$/, `bench-added-${process.pid}.json.gz`);
  const { etag } = await store.put(key, new TextEncoder().encode(JSON.stringify(batch)), {
    contentType: 'application/json',
  });
  await cache.summary({ key, etag, size: 0, lastModified: new Date() });
}
await cache.flush();
if (store.requests.get > (options.step === 'add' ? 1 : 0))
  throw new Error(`${store.requests.get} GETs: the index was not read`);
console.log(JSON.stringify({ ms: Math.round(performance.now() - started) }));
