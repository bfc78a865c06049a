/**
 * Where batches and processed documents live. Two implementations with one key layout
 * (src/shared/keys.ts): `local` (a folder; the embedded default) and `s3` (AWS or any S3-compatible server).
 */
export interface PutOptions {
  contentType: string;
  contentEncoding?: string;
  /** User metadata (S3 `x-amz-meta-*`); keys lower-case, values ASCII. */
  metadata?: Record<string, string>;
  /** Aborted: the request is cut off (the agent stops); the store gives up with an error. */
  signal?: AbortSignal;
}

export interface PutResult {
  etag: string;
}

export interface StoredObject {
  body: Uint8Array;
  etag: string;
  metadata: Record<string, string>;
}

export interface ListedObject {
  key: string;
  size: number;
  etag: string;
  lastModified: Date;
}

/**
 * A slice of a listing by key order (keys are compared as S3 does, byte by byte; ours are ASCII):
 *   { startAfter: 'processed/pc/2026/03/04' }  → keys after it: the objects of 4 March onwards
 *   { endBefore: 'processed/pc/2026/03/06' }   → keys before it: up to the objects of 5 March
 *   { limit: 1 }                               → the first key only (one request on S3)
 * S3 starts the LIST at startAfter and stops paging at endBefore or the limit, so a few days of a year cost one
 * request, not a page per 1,000 objects of the year. A store may return more than asked (callers filter).
 */
export interface KeyRange {
  startAfter?: string;
  endBefore?: string;
  limit?: number;
}

export interface Store {
  readonly kind: 'local' | 's3';
  /** Human-readable target for messages: `s3://bucket` or the folder path. */
  readonly description: string;
  put(key: string, body: Uint8Array, options: PutOptions): Promise<PutResult>;
  /** Null when the key does not exist. */
  get(key: string): Promise<StoredObject | null>;
  /** Every object under the prefix (pages followed), or those in `range`, sorted by key. */
  list(prefix: string, range?: KeyRange): Promise<ListedObject[]>;
  /**
   * The names of the folders directly under the prefix (`processed/` → `['gaming-pc', 'laptop']`), sorted:
   * one LIST with a delimiter on S3 (per 1000 names), one directory read locally.
   */
  listFolders(prefix: string): Promise<string[]>;
  /**
   * A fingerprint of the credentials a request would be signed with if made now (a hash, never the keys), read
   * afresh from the environment, the profile or the ~/.aws files; null when none can be found. It changes when a
   * person signs in again or fixes the key (`aws sso login`, `aws configure`) after a refusal. Absent: the store's
   * credentials cannot change while it is open (a folder, access keys from the app's vault).
   */
  credentialsFingerprint?(): Promise<string | null>;
  /**
   * A local folder the agent's checkpoint says holds its rows: from now on a missing folder is STORE_GONE (an
   * outage), never made again (local.ts). Absent: a bucket is never made by a put.
   */
  expectRoot?(): void;
}
