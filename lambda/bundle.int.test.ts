/**
 * Runtime parity: the built Lambda bundle (dist/lambda/index.mjs, the file the zip deploys) processes real S3 events
 * against moto on this machine's Node and on Node 22, the runtime it runs on in AWS (nodejs22.x). The handler's
 * logic is tested from the sources in handler.int.test.ts and kafka.int.test.ts; this file and
 * kafka-secret.int.test.ts (the bundle producing to the broker's SASL listener) check the bundle as built, on both.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { processedKeyFor, quarantineKeyFor } from '../src/shared/keys';
import { readProcessedDocument } from '../src/shared/process';
import { SAMPLES_DIR } from '../src/test-support/services';
import { lineStarts } from '../src/test-support/store-lines';
import { invokeBundle, LAMBDA_RUNTIMES } from './testing/invoke-bundle';
import { makeBatches } from './testing/make-batches';
import { createdEvent, createS3Harness } from './testing/s3-harness';

const sample = (path: string) => readFileSync(`${SAMPLES_DIR}${path}`);

describe.each(LAMBDA_RUNTIMES)('built Lambda bundle on $name', (runtime) => {
  const title = (text: string) => (runtime.skip ? `${text} (skipped: ${runtime.skip})` : text);

  it.skipIf(runtime.skip !== null)(
    title(
      'processes 3 batches of a real log into 3 processed objects; a repeated event rewrites the same bytes',
    ),
    async () => {
      // Prepare
      const h = await createS3Harness();
      const batches = makeBatches(sample('gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt'), {
        host: 'test-pc',
        fileId: 'rt',
        parts: 3,
      });
      for (const b of batches) await h.putRaw(b.key, b.body, { timezone: 'Europe/Berlin' });
      const env = { PROCESSED_BUCKET: h.processedBucket, S3_ENDPOINT: h.services.motoEndpoint };
      const event = createdEvent(
        h.rawBucket,
        batches.map((b) => ({ key: b.key, size: b.body.length })),
      );

      // Act
      const first = await invokeBundle(runtime, env, event);
      const again = await invokeBundle(runtime, env, event);

      // Assess
      expect(first.version).toBe(`v${runtime.version}`);
      expect(first.summary).toEqual({
        records: 3,
        processed: 3,
        quarantined: 0,
        missing: 0,
        rows: 1182,
        kafkaSent: 0,
        kafkaFailed: 0,
      });
      expect(again.summary).toEqual(first.summary);
      const docs = await Promise.all(
        batches.map(async (b) => readProcessedDocument(await h.getProcessed(processedKeyFor(b.key)))),
      );
      // Independent figures (awk over the sample): GPU Clock 139–1746.5 MHz; 18:54:53 CEST = 16:54:53 UTC.
      expect(Math.min(...docs.map((d) => d.summary.columns.gpu_clock_mhz!.min))).toBe(139);
      expect(Math.max(...docs.map((d) => d.summary.columns.gpu_clock_mhz!.max))).toBe(1746.5);
      expect(docs[0]!.summary.firstT).toBe(Date.UTC(2026, 7, 6, 16, 54, 53));
      const versions = await h.s3.send(
        new ListObjectVersionsCommand({ Bucket: h.processedBucket, Prefix: 'processed/' }),
      );
      expect(versions.Versions).toHaveLength(6);
      // The day before's document (day-seal.ts), written by the first run only: the second finds it.
      const seals = await h.s3.send(
        new ListObjectVersionsCommand({ Bucket: h.processedBucket, Prefix: 'rollups/' }),
      );
      expect((seals.Versions ?? []).map((v) => v.Key)).toEqual(['rollups/test-pc/2026/08/05.json.gz']);
      expect(new Set(versions.Versions!.map((v) => v.ETag)).size).toBe(3);
    },
  );

  it.skipIf(runtime.skip !== null)(
    title(
      'after a pause in logging, the first batch seals the last day with data and the empty day before it',
    ),
    async () => {
      // Prepare: a real log's batches on 2026-08-06, processed; then nothing until the 9th.
      const h = await createS3Harness();
      const env = { PROCESSED_BUCKET: h.processedBucket, S3_ENDPOINT: h.services.motoEndpoint };
      const batches = makeBatches(sample('gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt'), {
        host: 'test-pc',
        fileId: 'gap',
        parts: 2,
      });
      for (const b of batches) await h.putRaw(b.key, b.body, { timezone: 'Europe/Berlin' });
      const event = (items: { key: string; body: Uint8Array }[]) =>
        createdEvent(
          h.rawBucket,
          items.map((b) => ({ key: b.key, size: b.body.length })),
        );
      await invokeBundle(runtime, env, event(batches));
      const later = {
        key: 'raw/test-pc/2026/08/09/gap2-0-1.csv.gz',
        body: gzipSync(sample('gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt')),
      };
      await h.putRaw(later.key, later.body, { timezone: 'Europe/Berlin' });

      // Act
      const { logs } = await invokeBundle(runtime, env, event([later]));

      // Assess
      expect(logs.find((l) => l.seal)?.seal).toMatchObject({
        day: '2026/08/08',
        outcome: 'sealed',
        batches: 0,
        earlier: { day: '2026/08/06', outcome: 'sealed', batches: 2 },
      });
      expect(await h.listProcessed('rollups/')).toEqual([
        'rollups/test-pc/2026/08/05.json.gz',
        'rollups/test-pc/2026/08/06.json.gz',
        'rollups/test-pc/2026/08/08.json.gz',
      ]);
    },
  );

  it.skipIf(runtime.skip !== null)(
    title('quarantines garbage, empty and cut gzip objects; processes HWiNFO and nvidia-smi logs'),
    async () => {
      // Prepare
      const h = await createS3Harness();
      const inputs: Record<string, Uint8Array> = {
        'raw/test-pc/2024/04/20/garbage-0-16.csv.gz': Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
        'raw/test-pc/2024/04/20/empty-0-0.csv.gz': new Uint8Array(0),
        'raw/test-pc/2024/04/20/cut-0-99.csv.gz': gzipSync(
          sample('gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt'),
        ).subarray(0, 2000),
        'raw/test-pc/2017/02/17/hwinfo-0-1.csv.gz': gzipSync(
          sample('hwinfo/hwinfo-ansi-nvidia-furmark-2017.CSV'),
        ),
        'raw/test-pc/2024/10/13/smi-0-1.csv': sample('nvidia-smi/nvidia-smi-gtx1650-pstate-units-2024.csv'),
      };
      for (const [key, body] of Object.entries(inputs)) await h.putRaw(key, body);
      const event = createdEvent(
        h.rawBucket,
        Object.entries(inputs).map(([key, body]) => ({ key, size: body.length })),
      );

      // Act
      const { summary, logs } = await invokeBundle(
        runtime,
        { PROCESSED_BUCKET: h.processedBucket, S3_ENDPOINT: h.services.motoEndpoint },
        event,
      );

      // Assess
      expect(summary).toMatchObject({ records: 5, processed: 2, quarantined: 3, rows: 483 + 80 });
      const codes = [];
      for (const key of Object.keys(inputs).slice(0, 3)) {
        codes.push(JSON.parse((await h.getProcessed(quarantineKeyFor(key))).toString('utf8')).reason.code);
      }
      expect(codes).toEqual(['UNKNOWN_FORMAT', 'EMPTY', 'BAD_GZIP']);
      expect(logs.filter((l) => l.level === 'error')).toEqual([]);
    },
  );

  it.skipIf(runtime.skip !== null)(
    title('a batch with a row cut short and the next row glued to it: every whole row processed'),
    async () => {
      // Prepare: the agent cuts a header glued to a cut row off, but a row glued to one (GPU-Z's write failed on a
      // full disk, then went on) reaches the processor as one line. The ada log, row 101 cut after 60 bytes.
      const h = await createS3Harness();
      const ada = sample('gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt');
      const starts = lineStarts(ada);
      const log = Buffer.concat([ada.subarray(0, starts[101]! + 60), ada.subarray(starts[102]!)]);
      const key = 'raw/test-pc/2024/04/20/cut-0-1.csv.gz';
      await h.putRaw(key, gzipSync(log), { timezone: 'UTC' });
      const env = { PROCESSED_BUCKET: h.processedBucket, S3_ENDPOINT: h.services.motoEndpoint };

      // Act
      const { summary } = await invokeBundle(
        runtime,
        env,
        createdEvent(h.rawBucket, [{ key, size: log.length }]),
      );

      // Assess: 355 of the 356 rows (the cut one is none); before, the glued row was skipped with it (354).
      expect(summary).toMatchObject({ processed: 1, rows: 355 });
      const document = readProcessedDocument(await h.getProcessed(processedKeyFor(key)));
      expect(document.summary.skipReasons).toEqual({ 'field-count': 1 });
    },
  );
});
