import { createHash } from 'node:crypto';
import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  type S3ClientConfig,
} from '@aws-sdk/client-s3';
import { defaultProvider } from '@aws-sdk/credential-provider-node';
import { inKeyRange } from './key-range';
import { createRequestCounts, type RequestCounts } from './request-counts';
import { classifyS3Error } from './s3-errors';
import type { KeyRange, ListedObject, PutOptions, Store, StoredObject } from './types';

/**
 * The S3 store (AWS or any S3-compatible server); the client is configured by the caller.
 *
 *   const store = createS3Store({ client: createS3Client({ region: 'eu-central-1' }), bucket: 'my-gpuz-raw' })
 *   await store.put('raw/pc/2024/04/20/ab-0-9.csv.gz', body, { contentType: 'application/gzip' })  // one PUT
 *
 * Errors that cannot heal by waiting (no credentials, access denied, no bucket) come out as AppError with
 * advice; everything else is rethrown as the SDK gave it (see s3-errors.ts for what is retried).
 */
export interface S3Store extends Store {
  readonly bucket: string;
  readonly requests: RequestCounts;
}

export interface S3ClientOptions {
  region: string;
  profile?: string;
  endpoint?: string;
  credentials?: S3ClientConfig['credentials'];
  /** SDK-internal attempts per request; our uploader retries with its own backoff on top. */
  maxAttempts?: number;
  /** Milliseconds: connecting, and a connection with no byte in either direction, before the request fails. */
  timeouts?: { connectMs: number; idleMs: number };
}

/**
 * The SDK waits forever by default: a PUT on a connection that went dead without a reset (a Wi-Fi switch, a router
 * that drops its NAT entry) would hold the upload queue until the app restarts. A connection that makes no progress
 * fails instead and is retried like any network error; 60 s idle leaves room for a slow uplink sending 8 MiB.
 */
export const S3_TIMEOUTS = { connectMs: 10_000, idleMs: 60_000 };

/** Default credential chain, or a named profile from ~/.aws; a custom endpoint gets emulator-safe settings. */
export function createS3Client(options: S3ClientOptions): S3Client {
  const timeouts = options.timeouts ?? S3_TIMEOUTS;
  const config: S3ClientConfig = {
    region: options.region,
    maxAttempts: options.maxAttempts ?? 2,
    requestHandler: { connectionTimeout: timeouts.connectMs, socketTimeout: timeouts.idleMs },
  };
  if (options.credentials) config.credentials = options.credentials;
  else {
    config.credentials = credentialChain(options.profile);
    if (options.profile) config.profile = options.profile;
  }
  if (options.endpoint) {
    // ENVIRONMENT.md: without these an emulator may store the aws-chunked framing inside the object.
    config.endpoint = options.endpoint;
    config.forcePathStyle = true;
    config.requestChecksumCalculation = 'WHEN_REQUIRED';
    config.responseChecksumValidation = 'WHEN_REQUIRED';
  }
  return new S3Client(config);
}

/**
 * The default chain (or the profile), read afresh by each client: the SDK keeps the ~/.aws files it has read for the
 * whole process, so a key fixed with `aws configure` after a refusal would be ignored until a restart (the store
 * opens a new client after a refusal of its credentials: store/index.ts).
 */
function credentialChain(profile: string | undefined) {
  return defaultProvider({ ...(profile ? { profile } : {}), ignoreCache: true });
}

/**
 * What a new client would sign with now, as 16 hex digits of a SHA-256 (the keys never leave this function); null
 * when the chain finds none (an SSO session that ended, an empty profile):
 *   await credentialsFingerprint('home')  → '3f9a0c…' before `aws sso login --profile home`, another one after
 */
export async function credentialsFingerprint(profile?: string): Promise<string | null> {
  try {
    const found = await credentialChain(profile)();
    return createHash('sha256')
      .update(`${found.accessKeyId}\n${found.secretAccessKey}\n${found.sessionToken ?? ''}`)
      .digest('hex')
      .slice(0, 16);
  } catch {
    return null;
  }
}

export function createS3Store(options: { client: S3Client; bucket: string }): S3Store {
  const { client, bucket } = options;
  const requests = createRequestCounts();
  const rethrow = (error: unknown): never => {
    const verdict = classifyS3Error(error, bucket);
    throw typeof verdict === 'string' ? error : verdict;
  };
  return {
    kind: 's3',
    description: `s3://${bucket}`,
    bucket,
    requests,
    async put(key: string, body: Uint8Array, put: PutOptions) {
      requests.put += 1;
      const result = await client
        .send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: body,
            ContentLength: body.byteLength,
            ContentType: put.contentType,
            ...(put.contentEncoding ? { ContentEncoding: put.contentEncoding } : {}),
            ...(put.metadata ? { Metadata: put.metadata } : {}),
          }),
          put.signal ? { abortSignal: put.signal } : {},
        )
        .catch(rethrow);
      return { etag: result.ETag ?? '' };
    },
    async get(key: string): Promise<StoredObject | null> {
      requests.get += 1;
      try {
        const result = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        const body = result.Body ? await result.Body.transformToByteArray() : new Uint8Array();
        return { body, etag: result.ETag ?? '', metadata: result.Metadata ?? {} };
      } catch (error) {
        if ((error as { name?: string }).name === 'NoSuchKey') return null;
        return rethrow(error);
      }
    },
    async list(prefix: string, range?: KeyRange): Promise<ListedObject[]> {
      const objects: ListedObject[] = [];
      let token: string | undefined;
      let more = true;
      do {
        requests.list += 1;
        const page = await client
          .send(
            new ListObjectsV2Command({
              Bucket: bucket,
              Prefix: prefix,
              ContinuationToken: token,
              ...(range?.startAfter === undefined ? {} : { StartAfter: range.startAfter }),
              ...(range?.limit === undefined ? {} : { MaxKeys: Math.min(range.limit, 1000) }),
            }),
          )
          .catch(rethrow);
        for (const o of page.Contents ?? []) {
          if (o.Key === undefined) continue;
          // Keys come in order: past endBefore or the limit, no later page can hold one of the range.
          if (!inKeyRange(o.Key, range)) {
            more = false;
            break;
          }
          objects.push({
            key: o.Key,
            size: o.Size ?? 0,
            etag: o.ETag ?? '',
            lastModified: o.LastModified ?? new Date(0),
          });
          if (objects.length === range?.limit) {
            more = false;
            break;
          }
        }
        token = more && page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return objects.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    },
    async listFolders(prefix: string): Promise<string[]> {
      const names: string[] = [];
      let token: string | undefined;
      do {
        requests.list += 1;
        const page = await client
          .send(
            new ListObjectsV2Command({
              Bucket: bucket,
              Prefix: prefix,
              Delimiter: '/',
              ContinuationToken: token,
            }),
          )
          .catch(rethrow);
        for (const common of page.CommonPrefixes ?? []) {
          const name = common.Prefix?.slice(prefix.length).replace(/\/$/, '');
          if (name) names.push(name);
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return names.sort();
    },
  };
}
