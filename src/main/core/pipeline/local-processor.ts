import { isRawKey, LATEST_JSON_KEY, processedKeyFor, quarantineKeyFor } from '../../../shared/keys';
import { createLogParser, systemTimeZone, timeZoneOr } from '../../../shared/parse';
import {
  encodeProcessed,
  encodeQuarantine,
  type ProcessOutcome,
  processRawObject,
} from '../../../shared/process';
import type { Store } from '../store/types';

/**
 * The Lambda's work, in-process, for the `local` store: the embedded default has processed data with
 * no AWS account.
 *
 *   const { onRawStored } = createLocalProcessor({ timeZone: 'Europe/Berlin' });
 *   await onRawStored('raw/pc/2024/04/20/b-0-9.csv.gz', store)
 *     → { outcome: 'processed', outputKey: 'processed/pc/2024/04/20/b-0-9.json.gz', rows: 356 }
 *     → { outcome: 'quarantined', outputKey: 'quarantine/pc/2024/04/20/b-0-9.json', code: 'BAD_GZIP' }
 *
 * Same core, same keys, same bytes as the Lambda (minus Kafka: `gpuz-cloud forward --local` does that).
 */
export interface LocalProcessResult {
  outcome: 'processed' | 'quarantined' | 'missing' | 'ignored';
  outputKey: string | null;
  rows: number;
  code?: string;
}

export interface LocalProcessor {
  onRawStored(key: string, store: Store): Promise<LocalProcessResult>;
}

export function createLocalProcessor(
  options: { timeZone?: string; latestJson?: boolean; latestJsonKey?: string; now?: () => Date } = {},
): LocalProcessor {
  const fallbackZone = options.timeZone ?? systemTimeZone();
  return {
    async onRawStored(key, store) {
      // The hook fires for every stored object; only raw batches are ours to process.
      if (!isRawKey(key)) return { outcome: 'ignored', outputKey: null, rows: 0 };
      const raw = await store.get(key);
      if (!raw) return { outcome: 'missing', outputKey: null, rows: 0 };
      const outcome = await processRawBytes(
        key,
        raw.body,
        timeZoneOr(raw.metadata.timezone, fallbackZone),
        options.now,
        raw.metadata['first-utc'],
      );
      if (outcome.kind === 'quarantine') {
        const outputKey = quarantineKeyFor(key);
        await store.put(outputKey, encodeQuarantine(outcome.document), { contentType: 'application/json' });
        return { outcome: 'quarantined', outputKey, rows: 0, code: outcome.document.reason.code };
      }
      const outputKey = processedKeyFor(key);
      const body = await encodeProcessed(outcome.batch);
      const put = { contentType: 'application/json', contentEncoding: 'gzip' };
      await store.put(outputKey, body, put);
      if (options.latestJson) await store.put(options.latestJsonKey ?? LATEST_JSON_KEY, body, put);
      return { outcome: 'processed', outputKey, rows: outcome.batch.summary.rows };
    },
  };
}

/** One raw batch held in memory (gzip or text, as its key says) → what the Lambda would make of it. */
export function processRawBytes(
  key: string,
  body: Uint8Array,
  timeZone: string,
  now?: () => Date,
  firstUtc?: string,
): Promise<ProcessOutcome> {
  return processRawObject(
    { sourceKey: key, body: once(body), timeZone, firstUtc },
    { createParser: createLogParser, now },
  );
}

async function* once(body: Uint8Array): AsyncGenerator<Uint8Array> {
  yield body;
}
