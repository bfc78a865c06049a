import type { LogFormat } from '../parse/types';
import { QUARANTINE_SCHEMA, type QuarantineCode, type QuarantineDocument } from './types';

/**
 * The document stored at quarantineKeyFor(rawKey) when a raw object cannot become processed data.
 *
 *   createQuarantine({ sourceKey: 'raw/pc/…/b.csv.gz', code: 'EMPTY', message: 'The object has no content',
 *                      bytes: 0, at: new Date('2024-04-20T12:00:00Z') })
 *     → { schema: 'gpuz-cloud/quarantine/v1', sourceKey, reason: { code: 'EMPTY', message }, at: '2024-04-20T12:00:00.000Z', bytes: 0 }
 */
export function createQuarantine(options: {
  sourceKey: string;
  code: QuarantineCode;
  message: string;
  bytes: number;
  at: Date;
  format?: LogFormat | null;
  skippedLines?: number;
}): QuarantineDocument {
  const document: QuarantineDocument = {
    schema: QUARANTINE_SCHEMA,
    sourceKey: options.sourceKey,
    reason: { code: options.code, message: options.message },
    at: options.at.toISOString(),
    bytes: options.bytes,
  };
  if (options.format !== undefined) document.format = options.format;
  if (options.skippedLines !== undefined) document.skippedLines = options.skippedLines;
  return document;
}

/** Quarantine documents are small: plain JSON (the key ends in `.json`). */
export function encodeQuarantine(document: QuarantineDocument): Uint8Array {
  return new TextEncoder().encode(`${JSON.stringify(document, null, 2)}\n`);
}
