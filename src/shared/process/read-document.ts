import { gunzipSync } from 'node:zlib';
import { AppError, toError } from '../errors';
import { isGzip } from './decode-body';
import { PROCESSED_SCHEMA, type ProcessedDocument } from './types';

/**
 * A stored processed object's bytes → the document (gzip detected by magic bytes, because some HTTP
 * clients undo `Content-Encoding: gzip` on the way and others do not).
 *
 *   readProcessedDocument(await store.get(key).body) → { schema: 'gpuz-cloud/processed/v1', sessions: […], … }
 */
export function readProcessedDocument(bytes: Uint8Array, key = 'the object'): ProcessedDocument {
  let parsed: unknown;
  try {
    const text = Buffer.from(isGzip(bytes) ? gunzipSync(bytes) : bytes).toString('utf8');
    parsed = JSON.parse(text);
  } catch (error) {
    throw new AppError(
      'PROCESSED_UNREADABLE',
      `${key} is not a readable processed document: ${toError(error).message}`,
      'Reprocess its raw object (re-upload it or re-run the processor); the raw batch is the source of truth.',
      { cause: error },
    );
  }
  const schema = (parsed as { schema?: unknown } | null)?.schema;
  if (schema !== PROCESSED_SCHEMA) {
    throw new AppError(
      'PROCESSED_SCHEMA',
      `${key} has schema ${JSON.stringify(schema)}, expected ${PROCESSED_SCHEMA}`,
      'Update GPU-Z Cloud: this document was written by a different processor version.',
    );
  }
  return parsed as ProcessedDocument;
}
