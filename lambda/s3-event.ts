/**
 * The records of an S3 notification event that we act on.
 *
 *   s3Objects({ Records: [{ eventName: 'ObjectCreated:Put', s3: { bucket: { name: 'raw' },
 *               object: { key: 'raw/gaming+pc/2024/04/20/a%2Bb-0-9.csv.gz', size: 120 } } }] })
 *     → [{ bucket: 'raw', key: 'raw/gaming pc/2024/04/20/a+b-0-9.csv.gz', size: 120 }]
 *
 * S3 URL-encodes keys in events, with '+' for a space (form encoding), so '+' must become ' ' before
 * decodeURIComponent. Non-ObjectCreated records (tests, deletes) are ignored.
 */
export interface S3ObjectRef {
  bucket: string;
  key: string;
  size: number;
}

export interface S3EventRecord {
  eventName?: string;
  s3: { bucket: { name: string }; object: { key: string; size?: number } };
}

export interface S3Event {
  Records?: S3EventRecord[];
}

export function s3Objects(event: S3Event): S3ObjectRef[] {
  return (event.Records ?? [])
    .filter((record) => record.eventName?.startsWith('ObjectCreated:') ?? true)
    .map((record) => ({
      bucket: record.s3.bucket.name,
      key: decodeURIComponent(record.s3.object.key.replace(/\+/g, ' ')),
      size: record.s3.object.size ?? 0,
    }));
}
