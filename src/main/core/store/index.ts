import type { TargetSettings } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import type { AccessKeys } from '../access-keys';
import { createLocalStore } from './local';
import { CREDENTIAL_CODES } from './s3-errors';
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
    target.accessKeys ? null : { profile: target.profile },
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

/** Refusals after which the next request opens a new client, which reads the credentials again (s3.ts). */
const RENEWING_CODES: ReadonlySet<string> = new Set([...CREDENTIAL_CODES, 'ACCESS_DENIED']);

/**
 * A store opened at its first request: the AWS SDK's S3 client (≈ 30 MB of memory and 0.15 s of CPU to load,
 * measured 2026-12-02) is loaded only by a process that talks to S3, not by every `upload --local` or local-target
 * app. `renewable` (a profile or the default chain, not stored keys): after a request is refused for its
 * credentials, the next request opens a new client, so a key fixed or a session renewed meanwhile is used — by the
 * agent's next attempt and by the next chart alike.
 */
function lazyStore(
  facts: Pick<Store, 'kind' | 'description'>,
  open: () => Promise<Store>,
  renewable: { profile: string | undefined } | null,
): Store {
  let opened: Promise<Store> | null = null;
  const request = async <T>(use: (store: Store) => Promise<T>): Promise<T> => {
    opened ??= open();
    const current = opened;
    try {
      return await use(await current);
    } catch (error) {
      const refused = error instanceof AppError && RENEWING_CODES.has(error.code);
      if (renewable && refused && opened === current) opened = null;
      throw error;
    }
  };
  return {
    ...facts,
    put: (key, body, options) => request((store) => store.put(key, body, options)),
    get: (key) => request((store) => store.get(key)),
    list: (prefix, range) => request((store) => store.list(prefix, range)),
    listFolders: (prefix) => request((store) => store.listFolders(prefix)),
    ...(renewable
      ? {
          credentialsFingerprint: async () =>
            (await import('./s3')).credentialsFingerprint(renewable.profile),
        }
      : {}),
  };
}
