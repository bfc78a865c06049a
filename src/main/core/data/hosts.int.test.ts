/**
 * The hosts in an S3 processed bucket (moto): two real samples uploaded by the CLI under two host names,
 * processed as the Lambda does, listed with one LIST by delimiter (CommonPrefixes), not a walk of every object.
 */

import { join } from 'node:path';
import { useBundledCli } from '../../../test-support/bundled-cli';
import { SAMPLES_DIR } from '../../../test-support/services';
import { decodeProcessed } from './decode-processed';
import { createBatchCache } from './etag-cache';
import { processedBucket } from './processed-bucket.test-support';
import { createProcessedData } from './processed-data';

const BM1 = join(SAMPLES_DIR, 'gpuz', 'nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt');
const AMD = join(SAMPLES_DIR, 'gpuz', 'amd-radeon-hbm2-gpuz-2020-12-sessions.txt');

describe('hosts seen in an S3 bucket (moto)', () => {
  const { dir, cli } = useBundledCli('gpuz-hosts-s3-');

  it('two hosts uploaded and processed → listFolders(processed/) names both in one LIST', async () => {
    // Prepare
    const store = await processedBucket(cli, dir, 'hosts', [
      [BM1, 'gaming-pc'],
      [AMD, 'laptop'],
    ]);
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
