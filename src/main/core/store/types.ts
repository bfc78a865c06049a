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

export interface Store {
  readonly kind: 'local' | 's3';
  /** Human-readable target for messages: `s3://bucket` or the folder path. */
  readonly description: string;
  put(key: string, body: Uint8Array, options: PutOptions): Promise<PutResult>;
  /** Null when the key does not exist. */
  get(key: string): Promise<StoredObject | null>;
  /** Every object under the prefix (pages followed), sorted by key. */
  list(prefix: string): Promise<ListedObject[]>;
  /**
   * The names of the folders directly under the prefix (`processed/` → `['gaming-pc', 'laptop']`), sorted:
   * one LIST with a delimiter on S3 (per 1000 names), one directory read locally.
   */
  listFolders(prefix: string): Promise<string[]>;
}
