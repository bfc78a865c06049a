import type { TargetSettings } from '../../../shared/contract';
import type { AccessKeys } from '../access-keys';
import { createLocalStore } from './local';
import type { Store } from './types';

export { createLocalStore, type LocalStore } from './local';
export type { RequestCounts } from './request-counts';
export type { S3ClientOptions, S3Store } from './s3';
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
  const bucket = role === 'processed' ? (target.processedBucket ?? target.bucket) : target.bucket;
  // Stored access keys are what they are; a profile or the default chain is read again by a new client.
  return lazyStore(
    { kind: 's3', description: `s3://${bucket}` },
    () => openS3(target, bucket),
    !target.accessKeys,
  );
}

async function openS3(target: Extract<OpenTarget, { kind: 's3' }>, bucket: string): Promise<Store> {
  const { createS3Client, createS3Store } = await import('./s3');
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
  return createS3Store({ client, bucket });
}

/**
 * A store opened at its first request (and again after renewCredentials): the AWS SDK's S3 client (≈ 30 MB of memory and 0.15 s of CPU to load, measured
 * 2026-12-02) is loaded only by a process that talks to S3, not by every `upload --local` or local-target app.
 */
function lazyStore(
  facts: Pick<Store, 'kind' | 'description'>,
  open: () => Promise<Store>,
  renewable: boolean,
): Store {
  let opened: Promise<Store> | null = null;
  const store = () => {
    opened ??= open();
    return opened;
  };
  return {
    ...facts,
    put: async (key, body, options) => (await store()).put(key, body, options),
    get: async (key) => (await store()).get(key),
    list: async (prefix, range) => (await store()).list(prefix, range),
    listFolders: async (prefix) => (await store()).listFolders(prefix),
    // The next request opens a new client, which reads the credentials again (s3.ts createS3Client).
    ...(renewable
      ? {
          renewCredentials: () => {
            opened = null;
          },
        }
      : {}),
  };
}
