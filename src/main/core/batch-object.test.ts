import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SAMPLES_DIR } from '../../test-support/services';
import type { SealedBatch } from './batch';
import { GZIP_LEVEL, toSpoolEntry } from './batch-object';

/** A one-shot upload's 8 MiB batch of the real bm1 log (its lines repeated), sealed as the builder would. */
function bm1Batch(bytes: number): SealedBatch {
  const log = readFileSync(join(SAMPLES_DIR, 'gpuz', 'nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt'));
  const pieces: Buffer[] = [];
  for (let size = 0; size < bytes; size += log.length) pieces.push(log);
  const body = Buffer.concat(pieces).subarray(0, bytes);
  return {
    batchId: 'abc-0-1',
    fileId: 'abc',
    start: 0,
    end: body.length,
    prefixBytes: 0,
    body,
    rows: 1,
    firstLocal: '2026-01-01 00:00:00',
    lastLocal: '2026-01-01 00:00:01',
    encoding: 'utf-8',
    sessionHeader: null,
    tail: { length: 0, sha256: '' },
    lastRow: null,
    firstT: null,
    anchors: [],
    generation: 0,
  };
}

describe('toSpoolEntry', () => {
  it('gzips a batch in a few hops to the thread pool, into the same bytes as one zlib call', async () => {
    // The agent reads and cuts the next lines while a sealed batch compresses; each piece zlib hands back waits for
    // that work to yield. With zlib's 16 KiB default an 8 MiB batch came back in ≈ 30 pieces (a 100 MB backfill:
    // 1.71 → 1.55 s, median of 5, once it came in one).
    const sealed = bm1Batch(8 << 20);
    // This thread busy 20 ms at a time (as cutting 1 MiB of lines is): each piece waits for the end of a turn.
    let turns = 0;
    let counting = true;
    const busyTurn = () => {
      turns += 1;
      const until = performance.now() + 20;
      while (performance.now() < until) {}
      if (counting) setImmediate(busyTurn);
    };
    setImmediate(busyTurn);
    const { body, manifest } = await toSpoolEntry(sealed, {
      host: 'pc',
      compress: true,
      gzipLevel: GZIP_LEVEL.oneShot,
      timeZone: 'Europe/Berlin',
      now: new Date('2026-01-01T00:00:00Z'),
    });
    counting = false;
    expect(Buffer.compare(body, gzipSync(sealed.body, { level: GZIP_LEVEL.oneShot }))).toBe(0);
    expect(manifest.storedBytes).toBe(body.length);
    // One piece: a turn per 20 ms of the gzip's wall time, ≈ 2–4 on a quiet machine, 5 seen when the machine was busy
    // (the pool thread waits for a core). In 16 KiB pieces: 37, at least one turn per piece however fast the gzip.
    expect(turns).toBeLessThanOrEqual(12);
  });
});
