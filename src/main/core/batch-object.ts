import { createHash } from 'node:crypto';
import { promisify } from 'node:util';
import { gzip as gzipCallback } from 'node:zlib';
import { rawKey } from '../../shared/keys';
import type { SealedBatch } from './batch';
import { type SpoolManifest, ZLIB_PIECE_BYTES } from './spool';
import type { PutOptions } from './store/types';

const gzip = promisify(gzipCallback);

/**
 * zlib levels for raw batches. Watching, batches are an interval's rows and CPU is no concern: 6 (gzip's default,
 * 17.7:1 on the bm1 replay). A one-shot upload (a backfill of a whole log) uses 3: on the 100 MB bm1 replay in
 * 8 MiB batches 0.23 s of CPU instead of 0.68 s, 14.9:1 instead of 17.7:1 (19 % more stored bytes). The object is
 * the same gzip either way (`.csv.gz`, same key, same sha256 of the raw bytes); the cost model reads the ratio
 * actually sent from the counters.
 */
export const GZIP_LEVEL = { watching: 6, oneShot: 3 } as const;

/**
 * A sealed batch → the object to PUT (body + manifest), and the manifest → the PUT's options.
 *
 *   await toSpoolEntry(sealed, { host: 'gaming-pc', compress: true, timeZone: 'Europe/Berlin', now })
 *   → { manifest: { key: 'raw/gaming-pc/2024/04/20/3f9a0c2e7b11-0-4096.csv.gz', rawBytes: 4120, storedBytes: 803 … }, body }
 *   putOptionsFor(manifest, '0.1.0')
 *   → { contentType: 'application/gzip', metadata: { rows: '40', 'first-local': '2024-04-20 13:02:09', … } }
 *
 * Compressed objects are `.csv.gz` with `application/gzip` and no Content-Encoding, so every S3 client
 * (and the Lambda) gets the gzip bytes as stored instead of a transparently inflated body.
 */
export interface EntryOptions {
  host: string;
  compress: boolean;
  /** zlib level (default GZIP_LEVEL.watching): see GZIP_LEVEL. */
  gzipLevel?: number;
  timeZone: string;
  now: Date;
}

export async function toSpoolEntry(
  sealed: SealedBatch,
  options: EntryOptions,
): Promise<{ manifest: Omit<SpoolManifest, 'seq'>; body: Buffer }> {
  // The gzip in one piece (ZLIB_PIECE_BYTES): ≈ 30 of 16 KiB took an 8 MiB batch 50–130 ms for ≈ 25 ms of CPU, as
  // each waited for the reading thread (100 MB backfill 1.71 → 1.55 s, median of 5 alternating).
  const body = options.compress
    ? await gzip(sealed.body, {
        level: options.gzipLevel ?? GZIP_LEVEL.watching,
        chunkSize: ZLIB_PIECE_BYTES,
      })
    : sealed.body;
  // No timestamp in any row (a broken batch): date it by the seal day; the manifest keeps the key stable.
  const firstLocal = sealed.firstLocal ?? options.now.toISOString().slice(0, 10);
  const manifest: Omit<SpoolManifest, 'seq'> = {
    version: 1,
    batchId: sealed.batchId,
    key: rawKey({ host: options.host, firstLocal, batchId: sealed.batchId, compressed: options.compress }),
    fileId: sealed.fileId,
    start: sealed.start,
    end: sealed.end,
    rows: sealed.rows,
    firstLocal: sealed.firstLocal,
    lastLocal: sealed.lastLocal,
    rawBytes: sealed.body.length,
    storedBytes: body.length,
    sha256: createHash('sha256').update(sealed.body).digest('hex'),
    compressed: options.compress,
    contentType: options.compress ? 'application/gzip' : `text/csv; charset=${charsetOf(sealed.encoding)}`,
    encoding: sealed.encoding,
    timeZone: options.timeZone,
    sessionHeader: sealed.sessionHeader ? sealed.sessionHeader.toString('latin1') : null,
    sealedAt: options.now.toISOString(),
    tail: sealed.tail,
    lastRow: sealed.lastRow,
    anchors: sealed.anchors,
    firstUtc: sealed.firstT === null ? null : new Date(sealed.firstT).toISOString(),
    generation: sealed.generation,
  };
  return { manifest, body };
}

export function putOptionsFor(manifest: SpoolManifest, agentVersion: string): PutOptions {
  const metadata: Record<string, string> = {
    rows: String(manifest.rows),
    'raw-bytes': String(manifest.rawBytes),
    sha256: manifest.sha256,
    timezone: manifest.timeZone,
    'agent-version': agentVersion,
    'source-range': `${manifest.start}-${manifest.end}`,
  };
  if (manifest.firstLocal) metadata['first-local'] = manifest.firstLocal;
  if (manifest.lastLocal) metadata['last-local'] = manifest.lastLocal;
  if (manifest.firstUtc) metadata['first-utc'] = manifest.firstUtc;
  if (manifest.encoding) metadata.encoding = manifest.encoding;
  return { contentType: manifest.contentType, metadata };
}

function charsetOf(encoding: string | null): string {
  if (encoding === 'utf-8' || encoding === 'utf-8-bom') return 'utf-8';
  if (encoding === 'utf-16le' || encoding === 'utf-16be') return encoding;
  // GPU-Z writes the system ANSI code page; windows-1252 on western systems (° is 0xB0).
  return 'windows-1252';
}
