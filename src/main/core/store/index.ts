import type { TargetSettings } from '../../../shared/contract';
import type { AccessKeys } from '../access-keys';
import { createLocalStore } from './local';
import { createS3Client, createS3Store } from './s3';
import type { Store } from './types';

export { createLocalStore, type LocalStore } from './local';
export type { RequestCounts } from './request-counts';
export { createS3Client, createS3Store, type S3ClientOptions, type S3Store } from './s3';
export { classifyS3Error, STOPPING_CODES } from './s3-errors';
export type * from './types';

/** A saved target as the runtime opens it: S3 may carry access keys from the secret vault (memory only). */
export type OpenTarget =
  | Extract<TargetSettings, { kind: 'local' }>
  | (Extract<TargetSettings, { kind: 's3' }> & { accessKeys?: AccessKeys });

/**
 * The store for a saved target (stored access keys win; otherwise the profile, otherwise the default chain):
 *   createStoreFor({ kind: 'local', dir: 'D:/gpuz' })                      → local store on that folder
 *   createStoreFor({ kind: 's3', bucket: 'raw', region: 'eu-west-1', processedBucket: 'p' }, 'processed') → s3://p
 */
export function createStoreFor(target: OpenTarget, role: 'raw' | 'processed' = 'raw'): Store {
  if (target.kind === 'local') return createLocalStore({ root: target.dir });
  const keys = target.accessKeys;
  const client = createS3Client({
    region: target.region,
    ...(keys
      ? { credentials: { accessKeyId: keys.accessKeyId, secretAccessKey: keys.secretAccessKey } }
      : target.profile
        ? { profile: target.profile }
        : {}),
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
  });
  const bucket = role === 'processed' ? (target.processedBucket ?? target.bucket) : target.bucket;
  return createS3Store({ client, bucket });
}
