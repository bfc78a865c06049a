/**
 * A listing by key range answers the same on every store, and on S3 it costs the pages of the range, not of the
 * prefix: 1,500 objects over 30 days in moto, a local folder and the memory store of the data layer's tests.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { motoClientConfig, requireServices } from '../../../test-support/services';
import { createCountingStore } from '../data/memory-store.test-support';
import { createLocalStore } from './local';
import { createS3Client, createS3Store } from './s3';
import type { KeyRange, Store } from './types';

const services = requireServices();

/** 50 objects a day on 1–30 March 2026, and one under another host that no listing of pc/ may return. */
const KEYS = [
  ...Array.from({ length: 30 }, (_, d) =>
    Array.from(
      { length: 50 },
      (_, i) =>
        `processed/pc/2026/03/${String(d + 1).padStart(2, '0')}/b${String(i).padStart(2, '0')}.json.gz`,
    ),
  ).flat(),
  'processed/pc2/2026/03/01/other.json.gz',
];
const PREFIX = 'processed/pc/';
const day = (d: number) => `processed/pc/2026/03/${String(d).padStart(2, '0')}`;

const RANGES: [string, KeyRange | undefined, number, string | undefined][] = [
  // name, range, objects, first key
  ['the whole prefix', undefined, 1500, 'processed/pc/2026/03/01/b00.json.gz'],
  ['from 29 March on', { startAfter: day(29) }, 100, 'processed/pc/2026/03/29/b00.json.gz'],
  ['10–11 March', { startAfter: day(10), endBefore: day(12) }, 100, 'processed/pc/2026/03/10/b00.json.gz'],
  ['from 5 March on (two pages)', { startAfter: day(5) }, 1300, 'processed/pc/2026/03/05/b00.json.gz'],
  ['the first key', { limit: 1 }, 1, 'processed/pc/2026/03/01/b00.json.gz'],
  [
    'the first two keys of 5 March on',
    { startAfter: day(5), limit: 2 },
    2,
    'processed/pc/2026/03/05/b00.json.gz',
  ],
  ['before the first day', { endBefore: day(1) }, 0, undefined],
  ['after the last day', { startAfter: day(31) }, 0, undefined],
];

describe('listing a key range', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpuz-key-range-'));
  const stores: [string, Store & { requests: { list: number } }][] = [];

  beforeAll(async () => {
    const bucket = `range-${Math.random().toString(36).slice(2, 10)}`;
    const s3 = new S3Client(motoClientConfig(services));
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    const memory = createCountingStore();
    const local = createLocalStore({ root: join(dir, 'store') });
    const body = new Uint8Array([1]);
    for (let i = 0; i < KEYS.length; i += 50) {
      await Promise.all(
        KEYS.slice(i, i + 50).flatMap((key) => [
          s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: body })),
          local.put(key, body, { contentType: 'application/gzip' }),
          memory.put(key, body, { contentType: 'application/gzip' }),
        ]),
      );
    }
    s3.destroy();
    const client = createS3Client({
      region: services.region,
      endpoint: services.motoEndpoint,
      credentials: services.credentials,
    });
    stores.push(['s3', createS3Store({ client, bucket })], ['local', local], ['memory', memory]);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(RANGES)(
    '%s: the same objects from S3, a local folder and memory',
    async (_, range, count, first) => {
      for (const [name, store] of stores) {
        // Act
        const listed = await store.list(PREFIX, range);
        // Assess
        expect(listed.length, name).toBe(count);
        expect(listed[0]?.key, name).toBe(first);
        expect(
          listed.every((object) => object.key.startsWith(PREFIX)),
          name,
        ).toBe(true);
        expect(
          listed.every((object, i) => i === 0 || listed[i - 1]!.key < object.key),
          name,
        ).toBe(true);
      }
    },
  );

  it('on S3, two days of a month of 1,500 objects take one LIST (the whole prefix two pages)', async () => {
    // Prepare
    const s3 = stores.find(([name]) => name === 's3')![1];
    const count = async (range?: KeyRange) => {
      const before = s3.requests.list;
      await s3.list(PREFIX, range);
      return s3.requests.list - before;
    };
    // Act, Assess
    expect(await count()).toBe(2);
    expect(await count({ startAfter: day(10), endBefore: day(12) })).toBe(1);
    expect(await count({ startAfter: day(29) })).toBe(1);
    expect(await count({ startAfter: day(5) })).toBe(2); // the second page follows the first's token
    expect(await count({ limit: 1 })).toBe(1);
    // 1,000 keys from the start of a page: the page limit is reached exactly, and no second page is asked for.
    expect(await count({ limit: 1000 })).toBe(1);
  });
});
