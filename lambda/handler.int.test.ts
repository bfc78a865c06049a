import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import { processedKeyFor, quarantineKeyFor } from '../src/shared/keys';
import { readProcessedDocument } from '../src/shared/process';
import {
  schemaErrors,
  validateProcessed,
  validateQuarantine,
} from '../src/shared/process/testing/schema-validators';
import type { ProcessedDocument } from '../src/shared/process/types';
import { SAMPLES_DIR } from '../src/test-support/services';
import { createHandler } from './create-handler';
import { makeBatches } from './testing/make-batches';
import { createdEvent, createS3Harness } from './testing/s3-harness';

const sample = (path: string) => readFileSync(`${SAMPLES_DIR}${path}`);

describe('handler against moto S3', () => {
  it('writes one schema-valid processed object per raw batch; rows and extremes match the sample', async () => {
    const h = await createS3Harness();
    const batches = makeBatches(sample('gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt'), {
      host: 'test-pc',
      fileId: 'f1',
      parts: 3,
    });
    for (const batch of batches) await h.putRaw(batch.key, batch.body, { timezone: 'Europe/Berlin' });
    const handler = createHandler({ s3: h.s3, producer: null, config: h.config, logger: h.logger });
    const event = createdEvent(
      h.rawBucket,
      batches.map((b) => ({ key: b.key, size: b.body.length })),
    );

    const summary = await handler(event);

    expect(summary).toEqual({
      records: 3,
      processed: 3,
      quarantined: 0,
      missing: 0,
      rows: 1182,
      kafkaSent: 0,
      kafkaFailed: 0,
    });
    const docs: ProcessedDocument[] = [];
    for (const batch of batches) {
      const document = readProcessedDocument(await h.getProcessed(processedKeyFor(batch.key)));
      expect(schemaErrors(validateProcessed, document)).toEqual([]);
      docs.push(document);
    }
    // Independent figures (awk over the sample): 1182 rows, GPU Clock 139–1746.5 MHz, Hot Spot 40.1–105.5 °C.
    expect(docs.reduce((n, d) => n + d.summary.rows, 0)).toBe(1182);
    expect(Math.min(...docs.map((d) => d.summary.columns.gpu_clock_mhz!.min))).toBe(139);
    expect(Math.max(...docs.map((d) => d.summary.columns.gpu_clock_mhz!.max))).toBe(1746.5);
    expect(Math.min(...docs.map((d) => d.summary.columns.hot_spot_c!.min))).toBe(40.1);
    expect(Math.max(...docs.map((d) => d.summary.columns.hot_spot_c!.max))).toBe(105.5);
    expect(docs[0]).toMatchObject({
      host: 'test-pc',
      timeZone: 'Europe/Berlin',
      batchId: `f1-0-${batches[0]!.end}`,
    });
    // 18:54:53 CEST = 16:54:53 UTC.
    expect(docs[0]!.summary.firstT).toBe(Date.UTC(2026, 7, 6, 16, 54, 53));
    expect(h.lines).toHaveLength(3);
    expect(h.lines[0]).toMatchObject({
      level: 'info',
      message: 'record processed',
      rows: docs[0]!.summary.rows,
    });

    // The same event again (S3 delivers at least once): same keys, new versions with identical bytes.
    await handler(event);
    const versions = await h.s3.send(
      new ListObjectVersionsCommand({ Bucket: h.processedBucket, Prefix: 'processed/' }),
    );
    const keys = new Set((versions.Versions ?? []).map((v) => v.Key));
    expect([...keys].sort()).toEqual(batches.map((b) => processedKeyFor(b.key)).sort());
    expect(versions.Versions).toHaveLength(6);
    for (const key of keys) {
      const etags = new Set(versions.Versions!.filter((v) => v.Key === key).map((v) => v.ETag));
      expect(etags.size).toBe(1);
    }
  });

  it('quarantines garbage, empty and truncated-gzip objects and processes HWiNFO and nvidia-smi logs', async () => {
    const h = await createS3Harness();
    const gz = gzipSync(sample('gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt'));
    const inputs: Record<string, Uint8Array> = {
      'raw/test-pc/2024/04/20/garbage-0-16.csv.gz': Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'),
      'raw/test-pc/2024/04/20/empty-0-0.csv.gz': new Uint8Array(0),
      'raw/test-pc/2024/04/20/cut-0-99.csv.gz': gz.subarray(0, 2000),
      'raw/test-pc/2017/02/17/hwinfo-0-1.csv.gz': gzipSync(
        sample('hwinfo/hwinfo-ansi-nvidia-furmark-2017.CSV'),
      ),
      'raw/test-pc/2024/10/13/smi-0-1.csv': sample('nvidia-smi/nvidia-smi-gtx1650-pstate-units-2024.csv'),
    };
    for (const [key, body] of Object.entries(inputs)) await h.putRaw(key, body);
    const handler = createHandler({ s3: h.s3, producer: null, config: h.config, logger: h.logger });
    const objects = Object.entries(inputs).map(([key, body]) => ({ key, size: body.length }));
    const summary = await handler(
      createdEvent(h.rawBucket, [...objects, { key: 'notes/readme.txt', size: 5 }]),
    );

    expect(summary).toMatchObject({ records: 6, processed: 2, quarantined: 4, rows: 483 + 80 });
    const codes: Record<string, string> = {};
    for (const key of [...Object.keys(inputs).slice(0, 3), 'notes/readme.txt']) {
      const document = JSON.parse((await h.getProcessed(quarantineKeyFor(key))).toString('utf8'));
      expect(schemaErrors(validateQuarantine, document)).toEqual([]);
      codes[key] = document.reason.code;
    }
    expect(Object.values(codes)).toEqual(['UNKNOWN_FORMAT', 'EMPTY', 'BAD_GZIP', 'FOREIGN_KEY']);
    const hwinfo = readProcessedDocument(
      await h.getProcessed('processed/test-pc/2017/02/17/hwinfo-0-1.json.gz'),
    );
    const smi = readProcessedDocument(await h.getProcessed('processed/test-pc/2024/10/13/smi-0-1.json.gz'));
    expect([hwinfo.format, hwinfo.summary.rows, smi.format, smi.summary.rows]).toEqual([
      'hwinfo',
      483,
      'nvidia-smi',
      80,
    ]);
  });

  it('writes processed/latest.json.gz (where the role may write) only when LATEST_JSON=true', async () => {
    const h = await createS3Harness({ LATEST_JSON: 'true' });
    const key = 'raw/test-pc/2024/04/20/a-0-1.csv.gz';
    await h.putRaw(key, gzipSync(sample('gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt')));
    const handler = createHandler({ s3: h.s3, producer: null, config: h.config, logger: h.logger });
    await handler(createdEvent(h.rawBucket, [{ key, size: 1 }]));
    expect((await h.listProcessed()).sort()).toEqual(
      ['processed/latest.json.gz', processedKeyFor(key)].sort(),
    );
    expect(readProcessedDocument(await h.getProcessed('processed/latest.json.gz')).summary.rows).toBe(356);

    const off = await createS3Harness();
    await off.putRaw(key, gzipSync(sample('gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt')));
    await createHandler({ s3: off.s3, producer: null, config: off.config, logger: off.logger })(
      createdEvent(off.rawBucket, [{ key, size: 1 }]),
    );
    expect(await off.listProcessed()).toEqual([processedKeyFor(key)]);
  });

  it('skips an object deleted before its event was handled, and rethrows S3 errors for a retry', async () => {
    const h = await createS3Harness();
    const handler = createHandler({ s3: h.s3, producer: null, config: h.config, logger: h.logger });
    const gone = await handler(
      createdEvent(h.rawBucket, [{ key: 'raw/test-pc/2024/04/20/gone-0-1.csv.gz', size: 1 }]),
    );
    expect(gone).toMatchObject({ records: 1, missing: 1 });
    await expect(
      handler(createdEvent('no-such-bucket-gpuz', [{ key: 'raw/test-pc/2024/04/20/x-0-1.csv.gz', size: 1 }])),
    ).rejects.toMatchObject({ name: 'NoSuchBucket' });
    expect(h.lines.at(-1)).toMatchObject({ level: 'error', key: 'raw/test-pc/2024/04/20/x-0-1.csv.gz' });
  });
});
