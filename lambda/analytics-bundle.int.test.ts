import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand } from '@aws-sdk/client-s3';
import { parquetReadObjects } from 'hyparquet';
import { ANALYTICS_EVENT } from '../infra/analytics-copy';
import { retimeGpuzLog } from '../src/main/core/export/sample-store.test-support';
import { SAMPLES_DIR } from '../src/test-support/services';
import { ANALYTICS_TEMP_PREFIX } from './analytics-copy';
import { invokeBundle, LAMBDA_RUNTIMES } from './testing/invoke-bundle';
import { createdEvent, createS3Harness } from './testing/s3-harness';

/**
 * The deployed path end to end, with the built bundle: an S3 event processes a raw batch, then the event the
 * schedule sends (the stack's own constant) makes the same function write yesterday's Parquet object.
 */
describe.each(LAMBDA_RUNTIMES)('built Lambda on $name, daily analytics copy', (runtime) => {
  it.skipIf(runtime.skip !== null)(
    'answers the schedule’s event with yesterday’s rows as one Parquet object, after deleting the spill of an invocation that timed out',
    async () => {
      // Prepare: a real log re-timed to yesterday 18:00 UTC, uploaded raw and processed by the bundle.
      const h = await createS3Harness();
      const yesterday = new Date(Date.now() - 86_400_000).toISOString().slice(0, 10);
      const log = retimeGpuzLog(readFileSync(`${SAMPLES_DIR}gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt`), {
        startUtc: Date.parse(`${yesterday}T18:00:00Z`),
        timeZone: 'UTC',
      });
      const key = `raw/gaming-pc/${yesterday.replaceAll('-', '/')}/f1-0-${log.length}.csv`;
      await h.putRaw(key, log, { timezone: 'UTC' });
      // The warm container's /tmp, holding what an earlier invocation that timed out left: its spilled rows.
      const tmp = mkdtempSync(join(tmpdir(), 'gpuz-lambda-tmp-'));
      const timedOut = join(tmp, `${ANALYTICS_TEMP_PREFIX}Ab12Cd`);
      mkdirSync(join(timedOut, 'day-1a2b3c4d'), { recursive: true });
      const ended = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))']);
      writeFileSync(
        join(timedOut, 'owner.json'),
        JSON.stringify({ pid: Number(ended.stdout), run: 'earlier' }),
      );
      writeFileSync(join(timedOut, 'day-1a2b3c4d', '0.json'), Buffer.alloc(4 * 1024 * 1024, 0x20));
      const env = {
        PROCESSED_BUCKET: h.processedBucket,
        S3_ENDPOINT: h.services.motoEndpoint,
        TMPDIR: tmp,
      };
      const processed = await invokeBundle(
        runtime,
        env,
        createdEvent(h.rawBucket, [{ key, size: log.length }]),
      );
      expect(processed.summary).toMatchObject({ processed: 1, rows: 1182 });
      // Act
      const { summary, logs } = await invokeBundle(runtime, env, ANALYTICS_EVENT);
      // Assess
      const written = `analytics/host=gaming-pc/date=${yesterday}/gaming-pc-${yesterday}.parquet`;
      expect(summary).toMatchObject({ hosts: 1, days: 1, rows: 1182, written: [written] });
      expect(logs.find((l) => l.message === 'analytics copy written')).toMatchObject({ days: 1 });
      const object = await h.s3.send(new GetObjectCommand({ Bucket: h.processedBucket, Key: written }));
      const bytes = await object.Body!.transformToByteArray();
      expect(
        await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset) as ArrayBuffer }),
      ).toHaveLength(1182);
      // The timed-out invocation's spill is gone, and this one left none of its own.
      expect(readdirSync(tmp)).toEqual([]);
      rmSync(tmp, { recursive: true, force: true });
    },
  );
});
