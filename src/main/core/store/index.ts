import type { TargetSettings } from '../../../shared/contract';
import { createLocalStore } from './local';
import { createS3Client, createS3Store } from './s3';
import type { Store } from './types';

export { createLocalStore, type LocalStore } from './local';
export type { RequestCounts } from './request-counts';
export { createS3Client, createS3Store, type S3ClientOptions, type S3Store } from './s3';
export { classifyS3Error, STOPPING_CODES } from './s3-errors';
export type * from './types';

/**
 * The store for a saved target:
 *   createStoreFor({ kind: 'local', dir: 'D:/gpuz' })                      → local store on that folder
 *   createStoreFor({ kind: 's3', bucket: 'raw', region: 'eu-west-1', processedBucket: 'p' }, 'processed') → s3://p
 */
export function createStoreFor(target: TargetSettings, role: 'raw' | 'processed' = 'raw'): Store {
  if (target.kind === 'local') return createLocalStore({ root: target.dir });
  const client = createS3Client({
    region: target.region,
    ...(target.profile ? { profile: target.profile } : {}),
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
  });
  const bucket = role === 'processed' ? (target.processedBucket ?? target.bucket) : target.bucket;
  return createS3Store({ client, bucket });
}
