import { rawKey } from '../../shared/keys';
import type { PendingBatch } from './agent/types';
import type { SealedBatch } from './batch';
import type { Spool } from './spool';

/**
 * What the store does not have yet, for charts up to now: the spooled batches (oldest first), then the open one
 * as it would be sealed now (uncompressed; its key is the one it will get, minus `.gz`).
 *   pendingBatches(spool, ingest.peekOpen(), { host: 'gaming-pc', timeZone: 'Europe/Berlin', now: Date.now })
 *     → [{ batchId: 'ab12-0-4096', rawKey: 'raw/gaming-pc/2024/04/20/ab12-0-4096.csv.gz', rows: 40, body() }, …]
 */
export function pendingBatches(
  spool: Spool,
  open: SealedBatch | null,
  context: { host: string; timeZone: string; now: () => number },
): PendingBatch[] {
  const batches: PendingBatch[] = spool.list().map((m) => ({
    batchId: m.batchId,
    rawKey: m.key,
    rows: m.rows,
    rawBytes: m.rawBytes,
    firstLocal: m.firstLocal,
    lastLocal: m.lastLocal,
    timeZone: m.timeZone,
    body: () => spool.read(m.batchId),
  }));
  if (open) {
    // As toSpoolEntry dates a batch without time stamps: by today.
    const firstLocal = open.firstLocal ?? new Date(context.now()).toISOString().slice(0, 10);
    batches.push({
      batchId: open.batchId,
      rawKey: rawKey({ host: context.host, firstLocal, batchId: open.batchId, compressed: false }),
      rows: open.rows,
      rawBytes: open.body.length,
      firstLocal: open.firstLocal,
      lastLocal: open.lastLocal,
      timeZone: context.timeZone,
      body: async () => open.body,
    });
  }
  return batches;
}
