/**
 * The hosts in an S3 processed bucket (moto): two real samples uploaded by the CLI under two host names,
 * processed as the Lambda does, listed with one LIST by delimiter (CommonPrefixes), not a walk of every object.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { bundleCli, type CliBundle, runCli } from '../../../test-support/cli-process';
import { motoClientConfig, requireServices, SAMPLES_DIR } from '../../../test-support/services';
import { createLocalProcessor } from '../pipeline/local-processor';
import { createS3Client, createS3Store } from '../store/s3';
import { decodeProcessed } from './decode-processed';
import { createBatchCache } from './etag-cache';
import { createProcessedData } from './processed-data';

const services = requireServices();
const BM1 = join(SAMPLES_DIR, 'gpuz', 'nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt');
const AMD = join(SAMPLES_DIR, 'gpuz', 'amd-radeon-hbm2-gpuz-2020-12-sessions.txt');

describe('hosts seen in an S3 bucket (moto)', () => {
  let cli: CliBundle;
  const dir = mkdtempSync(join(tmpdir(), 'gpuz-hosts-s3-'));
  beforeAll(async () => {
    cli = await bundleCli();
  });
  afterAll(() => {
    cli.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('two hosts uploaded and processed → listFolders(processed/) names both in one LIST', async () => {
    // Prepare
    const bucket = `hosts-${Math.random().toString(36).slice(2, 10)}`;
    await new S3Client(motoClientConfig(services)).send(new CreateBucketCommand({ Bucket: bucket }));
    for (const [file, host] of [
      [BM1, 'gaming-pc'],
      [AMD, 'laptop'],
    ] as const) {
      const result = await runCli(cli, [
        'upload',
        '--file',
        file,
        '--bucket',
        bucket,
        '--endpoint',
        services.motoEndpoint,
        '--region',
        services.region,
        '--host',
        host,
        '--state-dir',
        join(dir, `state-${host}`),
        '--tz',
        'UTC',
      ]);
      expect(result.code, result.stderr).toBe(0);
    }
    const store = createS3Store({
      client: createS3Client({
        region: services.region,
        endpoint: services.motoEndpoint,
        credentials: services.credentials,
      }),
      bucket,
    });
    const processor = createLocalProcessor({ timeZone: 'UTC' });
    for (const object of await store.list('raw/')) await processor.onRawStored(object.key, store);
    await processor.close(); // its day documents written now, before the LISTs are counted
    const data = createProcessedData({
      store,
      cache: createBatchCache({ store, dir: join(dir, 'cache'), decode: decodeProcessed }),
    });
    const listsBefore = store.requests.list;
    // Act
    const hosts = await data.hosts();
    // Assess
    expect(hosts).toEqual(['gaming-pc', 'laptop']);
    expect(store.requests.list - listsBefore).toBe(1);
    expect(await store.listFolders('nothing-here/')).toEqual([]);
  });
});
