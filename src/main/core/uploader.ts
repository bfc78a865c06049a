import { AppError, toError } from '../../shared/errors';
import { type BackoffOptions, backoffDelay } from './backoff';
import { putOptionsFor } from './batch-object';
import type { SpoolManifest } from './spool';
import {
  classifyS3Error,
  describeSdkError,
  neverSent,
  OUTAGE_CODES,
  STOPPING_CODES,
} from './store/s3-errors';
import type { Store } from './store/types';

/**
 * One spooled batch → one PUT, retried with backoff while the failure can heal.
 *
 *   const uploader = createUploader({ store, agentVersion: '0.1.0', backoff: { baseMs: 1000, maxMs: 300_000 }, … })
 *   await uploader.upload(manifest, body) → { etag: '"9b2…"', attempts: 1 }
 *   await uploader.upload(manifest, body, { stop, wake }) → stop ends it, a wake ends the current wait between attempts
 *   → throws AppError ACCESS_DENIED / BUCKET_MISSING / CREDENTIALS_* at once (stopping: waiting cannot fix it)
 *   → throws AppError BATCH_REJECTED for any other refusal (kept in the spool, retried later)
 *   → throws AppError STORE_UNREACHABLE after maxAttempts network/5xx/throttling failures
 *
 * The key is fixed in the manifest (derived from file identity and byte range), so a retry after a timeout
 * that actually succeeded overwrites the same object: never a duplicate.
 */
export interface UploaderDeps {
  store: Store;
  agentVersion: string;
  backoff: BackoffOptions;
  /** Attempts per upload call before giving up for now (Infinity: until it works or `signal` aborts). */
  maxAttempts: number;
  random: () => number;
  sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  onAttempt?: (info: { batchId: string; attempt: number; error?: unknown; retryInMs?: number }) => void;
  /** A PUT reached the store (answered, refused, or cut after it went): the requests it bills, counted. */
  onSent?: () => void;
}

/** What may end an upload call's waits early. */
export interface UploadSignals {
  /** Aborted: the call gives up at its next wait or failure (stop); the batch stays in the spool. */
  stop?: AbortSignal;
  /**
   * The signal of the wait now starting; aborted, that wait ends and the backoff starts over from its first step
   * ("Upload now" after the network came back must not sit out a wait of up to 5 minutes).
   */
  wake?: () => AbortSignal;
}

export interface UploadResult {
  etag: string;
  attempts: number;
}

export function createUploader(deps: UploaderDeps) {
  async function upload(
    manifest: SpoolManifest,
    body: Uint8Array,
    signals: UploadSignals = {},
  ): Promise<UploadResult> {
    const signal = signals.stop;
    const options = { ...putOptionsFor(manifest, deps.agentVersion), ...(signal ? { signal } : {}) };
    for (let attempt = 0, tries = 0; ; attempt++) {
      try {
        deps.onAttempt?.({ batchId: manifest.batchId, attempt });
        tries += 1;
        const { etag } = await deps.store.put(manifest.key, body, options);
        deps.onSent?.();
        return { etag, attempts: tries };
      } catch (error) {
        if (!neverSent(error)) deps.onSent?.();
        if (error instanceof AppError && STOPPING_CODES.has(error.code)) throw error;
        // A store that words its own outage (a local folder on a drive that went away or is full) is retried like the
        // network.
        const unreachable = error instanceof AppError && OUTAGE_CODES.has(error.code);
        const verdict = unreachable
          ? 'retry'
          : error instanceof AppError
            ? 'fail'
            : classifyS3Error(error, deps.store.description);
        if (verdict instanceof AppError) throw verdict;
        if (verdict === 'fail') {
          throw new AppError(
            'BATCH_REJECTED',
            `${deps.store.description} refused batch ${manifest.batchId}: ${toError(error).message}`,
            'The batch stays in the spool and is tried again with the next upload; use retry to try now.',
            { cause: error },
          );
        }
        if (attempt + 1 >= deps.maxAttempts || signal?.aborted) {
          if (unreachable) throw error;
          throw new AppError(
            'STORE_UNREACHABLE',
            `${deps.store.description} could not be reached (${describeSdkError(error)})`,
            'Check the network connection; the batches wait in the spool and are sent when it is back.',
            { cause: error },
          );
        }
        const retryInMs = backoffDelay(attempt, deps.backoff, deps.random);
        deps.onAttempt?.({ batchId: manifest.batchId, attempt, error, retryInMs });
        const wake = signals.wake?.();
        await deps.sleep(retryInMs, anyOf(signal, wake));
        if (signal?.aborted) {
          throw new AppError(
            'STORE_UNREACHABLE',
            `Upload of ${manifest.batchId} interrupted`,
            'It is retried on the next start.',
          );
        }
        if (wake?.aborted) attempt = -1;
      }
    }
  }
  return { upload };
}

export type Uploader = ReturnType<typeof createUploader>;

function anyOf(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((s): s is AbortSignal => s !== undefined);
  return present.length > 1 ? AbortSignal.any(present) : present[0];
}
