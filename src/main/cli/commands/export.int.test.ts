import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetReadObjects } from 'hyparquet';
import { createHandler } from '../../../../lambda/create-handler';
import { createdEvent, createS3Harness } from '../../../../lambda/testing/s3-harness';
import { SAMPLES_DIR } from '../../../test-support/services';
import { runExport } from './export';

describe('gpuz-cloud export --bucket (moto)', () => {
  const out = mkdtempSync(join(tmpdir(), 'gpuz-export-s3-'));
  afterAll(() => rmSync(out, { recursive: true, force: true }));

  it('reads the processed bucket the Lambda wrote and writes one Parquet file per host and day', async () => {
    // Prepare: two real logs of two hosts, processed by the real handler into the bucket.
    const h = await createS3Harness();
    const handler = createHandler({ s3: h.s3, producer: null, config: h.config, logger: h.logger });
    for (const [key, file] of [
      ['raw/gaming-pc/2026/08/06/a-0-1.csv', 'gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt'],
      ['raw/living-room/2024/04/20/b-0-1.csv', 'gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt'],
    ] as const) {
      const body = readFileSync(`${SAMPLES_DIR}${file}`);
      await h.putRaw(key, body, { timezone: 'Europe/Berlin' });
      await handler(createdEvent(h.rawBucket, [{ key, size: body.length }]));
    }
    const said: string[] = [];
    const io = {
      out: { write: (text: string) => said.push(text) },
      err: Object.assign({ write: (text: string) => said.push(text) }) as unknown as NodeJS.WritableStream,
    };
    // Act
    const code = await runExport(
      {
        bucket: h.processedBucket,
        endpoint: h.services.motoEndpoint,
        region: h.services.region,
        out,
        format: 'parquet',
        host: ['gaming-pc', 'living-room'],
      },
      io,
    );
    // Assess
    expect(code).toBe(0);
    expect(said.join('')).toContain('exported 1538 rows on 2 days');
    const files = readdirSync(out, { recursive: true })
      .filter((f) => String(f).endsWith('.parquet'))
      .sort();
    expect(files).toEqual([
      'host=gaming-pc/date=2026-08-06/gaming-pc-2026-08-06.parquet',
      'host=living-room/date=2024-04-20/living-room-2024-04-20.parquet',
    ]);
    const rows = await parquetReadObjects({ file: await asyncBufferFromFile(join(out, String(files[1]))) });
    expect(rows).toHaveLength(356);
  });
});
