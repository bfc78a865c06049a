/**
 * Rows this PC has read but the store does not have yet, decoded exactly as the processor will store them,
 * so "1 h" does not go blank between uploads:
 *   const pending = createPendingData()
 *   await pending.decode(agent.pending(), { from, to })
 *     → { batches: [{ processedKey: 'processed/pc/2024/04/20/ab-0-9.json.gz', batch: { sensors, rows, rollups } }],
 *         notShown: 0 }
 * Same code path as the Lambda and the local processor (processRawObject → encodeProcessed → decodeProcessed).
 * Spooled batches never change and are cached by id; the open batch is decoded again only when it grew.
 * Bounded: batches whose dates cannot touch the range are not read, and at most maxRawBytes of log text per
 * query, newest first; the rows of batches left out are counted in `notShown`, not guessed.
 */
import { processedKeyFor } from '../../../shared/keys';
import { encodeProcessed } from '../../../shared/process';
import type { PendingBatch } from '../agent/types';
import { processRawBytes } from '../pipeline/local-processor';
import { decodeProcessed } from './decode-processed';
import type { DecodedBatch } from './types';

export interface PendingDecoded {
  /** Where the processor will put it: once listed there, the stored copy is charted instead. */
  processedKey: string;
  batch: DecodedBatch;
}

export interface PendingData {
  decode(
    batches: PendingBatch[],
    range: { from: number; to: number },
  ): Promise<{ batches: PendingDecoded[]; notShown: number }>;
}

const DAY = 24 * 60 * 60 * 1000;
const LOCAL_DAY = /^(\d{4})-(\d{2})-(\d{2})/;

export function createPendingData(
  options: { maxRawBytes?: number; cachedBatches?: number } = {},
): PendingData {
  const maxRawBytes = options.maxRawBytes ?? 32 << 20;
  const cachedBatches = options.cachedBatches ?? 16;
  // Insertion order = age: the oldest entry goes first when the cache is full.
  const cache = new Map<string, Promise<DecodedBatch | null>>();

  function cached(batch: PendingBatch): Promise<DecodedBatch | null> {
    // The id names the byte range, so a grown open batch has a new id; the zone changes the time stamps.
    const id = `${batch.batchId}|${batch.timeZone}`;
    let decoded = cache.get(id);
    if (!decoded) {
      decoded = decodeOne(batch);
      cache.set(id, decoded);
      for (const old of cache.keys()) {
        if (cache.size <= cachedBatches) break;
        cache.delete(old);
      }
    }
    return decoded;
  }

  return {
    async decode(batches, range) {
      let budget = maxRawBytes;
      let notShown = 0;
      const chosen: PendingBatch[] = [];
      for (const batch of [...batches].reverse()) {
        if (!mayOverlap(batch, range)) continue;
        if (batch.rawBytes > budget) {
          notShown += batch.rows;
          continue;
        }
        budget -= batch.rawBytes;
        chosen.unshift(batch);
      }
      const decoded = await Promise.all(chosen.map(cached));
      return {
        batches: chosen.flatMap((batch, i) => {
          const done = decoded[i];
          return done ? [{ processedKey: processedKeyFor(batch.rawKey), batch: done }] : [];
        }),
        notShown,
      };
    },
  };
}

async function decodeOne(batch: PendingBatch): Promise<DecodedBatch | null> {
  let body: Buffer;
  try {
    body = await batch.body();
  } catch {
    return null; // uploaded and removed from the spool meanwhile: the store has it now
  }
  const outcome = await processRawBytes(batch.rawKey, body, batch.timeZone);
  // A batch the processor would quarantine has no rows to chart here either; the upload reports it.
  if (outcome.kind === 'quarantine') return null;
  return decodeProcessed(await encodeProcessed(outcome.batch), processedKeyFor(batch.rawKey));
}

/** Local dates ± a day (any time zone) against the range; a batch without dates is read to find out. */
function mayOverlap(batch: PendingBatch, range: { from: number; to: number }): boolean {
  const first = localDay(batch.firstLocal);
  const last = localDay(batch.lastLocal ?? batch.firstLocal);
  if (first === null || last === null) return true;
  return first - DAY < range.to && last + 2 * DAY > range.from;
}

function localDay(local: string | null): number | null {
  const match = local ? LOCAL_DAY.exec(local) : null;
  return match ? Date.UTC(Number(match[1]), Number(match[2]) - 1, Number(match[3])) : null;
}
