/**
 * A spool entry for tests: `raw` stored gzipped as batch `0123456789ab-{start}-{end}`, with the manifest the spool
 * checks it against.
 *   spoolEntry(0, Buffer.from('2026-01-01 00:00:00 , 41.0 ,\r\n')) → { manifest: { batchId: '0123456789ab-0-30', … }, body }
 */
import { createHash } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import type { SpoolManifest } from './spool';

export function spoolEntry(
  start: number,
  raw: Buffer,
): { manifest: Omit<SpoolManifest, 'seq'>; body: Buffer } {
  const body = gzipSync(raw);
  const batchId = `0123456789ab-${start}-${start + raw.length}`;
  return {
    body,
    manifest: {
      version: 1,
      batchId,
      key: `raw/pc/2026/01/01/${batchId}.csv.gz`,
      fileId: '0123456789ab',
      start,
      end: start + raw.length,
      rows: 1,
      firstLocal: '2026-01-01 00:00:00',
      lastLocal: '2026-01-01 00:00:00',
      rawBytes: raw.length,
      storedBytes: body.length,
      sha256: createHash('sha256').update(raw).digest('hex'),
      compressed: true,
      contentType: 'application/gzip',
      encoding: 'windows-1252',
      timeZone: 'UTC',
      sessionHeader: null,
      sealedAt: '2026-01-01T00:00:00.000Z',
    },
  };
}
