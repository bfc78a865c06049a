import { readFileSync } from 'node:fs';
import { GetObjectCommand, ListObjectsV2Command, ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { parquetReadObjects } from 'hyparquet';
import { SAMPLES_DIR } from '../src/test-support/services';
import { copyAnalytics } from './analytics-copy';
import { createHandler } from './create-handler';
import { createdEvent, createS3Harness } from './testing/s3-harness';

/** Real samples uploaded as raw batches of two hosts, processed by the real handler against moto. */
async function processedBucketWithTwoHosts() {
  const h = await createS3Harness();
  const handler = createHandler({ s3: h.s3, producer: null, config: h.config, logger: h.logger });
  const raws = [
    { key: 'raw/gaming-pc/2026/08/06/a-0-1.csv', file: 'gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt' },
    { key: 'raw/living-room/2024/04/20/b-0-1.csv', file: 'gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt' },
  ];
  const upload = async () => {
    for (const raw of raws) {
      const body = readFileSync(`${SAMPLES_DIR}${raw.file}`);
      await h.putRaw(raw.key, body, { timezone: 'Europe/Berlin' });
      await handler(createdEvent(h.rawBucket, [{ key: raw.key, size: body.length }]));
    }
  };
  await upload();
  return { h, upload };
}

async function analyticsObjects(h: Awaited<ReturnType<typeof createS3Harness>>) {
  const listed = await h.s3.send(
    new ListObjectsV2Command({ Bucket: h.processedBucket, Prefix: 'analytics/' }),
  );
  return (listed.Contents ?? []).map((o) => ({ key: o.Key!, etag: o.ETag! }));
}

describe('the daily analytics copy against moto', () => {
  it('writes one Parquet object per host and day, with every row of that day', async () => {
    // Prepare: the gaming PC logged on 2026-08-06 (UTC); the copy runs at 12:20 UTC the next day.
    const { h } = await processedBucketWithTwoHosts();
    // Act
    const summary = await copyAnalytics({
      s3: h.s3,
      bucket: h.processedBucket,
      now: new Date('2026-08-07T12:20:00Z'),
    });
    // Assess: living-room's 2024 batch is outside the three days looked at.
    expect(summary).toMatchObject({ hosts: 2, days: 1, rows: 1182, requests: { list: 5, get: 1, put: 1 } });
    const objects = await analyticsObjects(h);
    expect(objects.map((o) => o.key)).toEqual([
      'analytics/host=gaming-pc/date=2026-08-06/gaming-pc-2026-08-06.parquet',
    ]);
    const got = await h.s3.send(new GetObjectCommand({ Bucket: h.processedBucket, Key: objects[0]!.key }));
    expect(got.ContentType).toBe('application/vnd.apache.parquet');
    const bytes = await got.Body!.transformToByteArray();
    const rows = await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset) as ArrayBuffer });
    expect(rows).toHaveLength(1182);
    expect((rows[0]!.time as Date).toISOString()).toBe('2026-08-06T16:54:53.000Z');
  });

  it('is idempotent: a second run the same day makes no GET and no PUT', async () => {
    const { h } = await processedBucketWithTwoHosts();
    const now = new Date('2026-08-07T12:20:00Z');
    await copyAnalytics({ s3: h.s3, bucket: h.processedBucket, now });
    const again = await copyAnalytics({ s3: h.s3, bucket: h.processedBucket, now });
    expect(again).toMatchObject({ days: 0, requests: { list: 5, get: 0, put: 0 } });
    const versions = await h.s3.send(
      new ListObjectVersionsCommand({ Bucket: h.processedBucket, Prefix: 'analytics/' }),
    );
    expect(versions.Versions).toHaveLength(1);
  });

  it('rewrites a day whose batch was processed again, with the same bytes', async () => {
    const { h, upload } = await processedBucketWithTwoHosts();
    const now = new Date('2026-08-07T12:20:00Z');
    await copyAnalytics({ s3: h.s3, bucket: h.processedBucket, now });
    const before = await analyticsObjects(h);
    await new Promise((resolve) => setTimeout(resolve, 1100)); // S3 times have whole seconds
    await upload(); // a late re-upload of the same batches: the processor writes them again
    const rerun = await copyAnalytics({ s3: h.s3, bucket: h.processedBucket, now });
    expect(rerun).toMatchObject({ days: 1, requests: { get: 1, put: 1 } });
    expect(await analyticsObjects(h)).toEqual(before);
  });

  it('looks back: a day two days old is written when its batch arrives late', async () => {
    const { h } = await processedBucketWithTwoHosts();
    const summary = await copyAnalytics({
      s3: h.s3,
      bucket: h.processedBucket,
      now: new Date('2026-08-09T12:20:00Z'),
    });
    // The batch was written after 08-07 and 08-08 began, so it could have reached them: they get empty objects.
    expect(summary).toMatchObject({ days: 1, empty: 2, rows: 1182 });
    expect(summary.written[0]).toBe('analytics/host=gaming-pc/date=2026-08-06/gaming-pc-2026-08-06.parquet');
  });
});
