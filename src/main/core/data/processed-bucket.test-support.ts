/**
 * A bucket in the shared moto server holding real samples as the app stores them: each uploaded by the built CLI
 * under its host name (in UTC), then processed as the Lambda does (the local processor on the S3 store).
 *   const store = await processedBucket(cli, dir, 'hosts', [[BM1, 'gaming-pc'], [AMD, 'laptop']])
 *   store.bucket → 'hosts-k2j9x0ab'; store.requests counts what the caller asks of it from here on
 */
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { type CliBundle, runCli } from '../../../test-support/cli-process';
import { motoClientConfig, requireServices } from '../../../test-support/services';
import { createLocalProcessor } from '../pipeline/local-processor';
import { motoStore } from '../store/moto-store.test-support';
import type { S3Store } from '../store/s3';

export async function processedBucket(
  cli: CliBundle,
  dir: string,
  name: string,
  uploads: readonly (readonly [file: string, host: string])[],
): Promise<S3Store> {
  const services = requireServices();
  const bucket = `${name}-${Math.random().toString(36).slice(2, 10)}`;
  await new S3Client(motoClientConfig(services)).send(new CreateBucketCommand({ Bucket: bucket }));
  for (const [file, host] of uploads) {
    const result = await runCli(cli, [
      ...['upload', '--file', file, '--bucket', bucket, '--endpoint', services.motoEndpoint],
      ...['--region', services.region, '--host', host, '--state-dir', join(dir, `state-${bucket}-${host}`)],
      ...['--tz', 'UTC'],
    ]);
    if (result.code !== 0) throw new Error(`upload of ${file} failed: ${result.stderr}`);
  }
  const store = motoStore(bucket);
  const processor = createLocalProcessor({ timeZone: 'UTC' });
  for (const object of await store.list('raw/')) await processor.onRawStored(object.key, store);
  await processor.close(); // its day documents written now
  return store;
}
