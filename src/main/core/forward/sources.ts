import { createLocalStore } from '../store/local';
import { createS3Client, createS3Store } from '../store/s3';
import type { Store } from '../store/types';

/**
 * Where `forward` reads processed objects: the part of a Store it needs (list + get), from the same stores
 * the agent writes through (so the key layout, metadata sidecars and temp-file rules are the same).
 *
 *   createS3Source({ bucket: 'gpuz-processed', region: 'eu-central-1', profile: 'home' })
 *   createFolderSource('D:/gpuz-store')      // the local store folder
 */
export type ProcessedSource = Pick<Store, 'list' | 'get' | 'description'>;

export function createS3Source(options: {
  bucket: string;
  endpoint?: string | undefined;
  region?: string | undefined;
  profile?: string | undefined;
}): ProcessedSource {
  const client = createS3Client({
    region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? 'us-east-1',
    ...(options.profile ? { profile: options.profile } : {}),
    ...(options.endpoint ? { endpoint: options.endpoint } : {}),
  });
  return createS3Store({ client, bucket: options.bucket });
}

export function createFolderSource(root: string): ProcessedSource {
  return createLocalStore({ root });
}

/**
 * `--bucket` or `--local`, exactly one: the processed data a command reads (export, forward).
 *   processedSourceFor({ local: 'D:/gpuz-store' }, usage) → the folder's source
 *   processedSourceFor({}, usage) → throws usage('Say where the processed data is: …')
 */
export function processedSourceFor(
  options: {
    bucket?: string | undefined;
    local?: string | undefined;
    endpoint?: string | undefined;
    region?: string | undefined;
    profile?: string | undefined;
  },
  usage: (message: string) => Error,
): ProcessedSource {
  if (options.bucket && options.local) throw usage('Give either --bucket or --local, not both.');
  if (options.local) return createFolderSource(options.local);
  if (options.bucket) {
    return createS3Source({
      bucket: options.bucket,
      endpoint: options.endpoint,
      region: options.region,
      profile: options.profile,
    });
  }
  throw usage('Say where the processed data is: --bucket <name> or --local <dir>.');
}
