import type { UploadRecord } from '../../shared/agent-status';
import { AppError, type ErrorData, toErrorData } from '../../shared/errors';
import type { StoredRaw } from './pipeline/local-processor';
import type { Spool, SpoolManifest } from './spool';
import { STOPPING_CODES } from './store/s3-errors';
import type { Store } from './store/types';
import type { Uploader } from './uploader';

/**
 * Spool → store, oldest first, one PUT at a time; a batch leaves the spool only after the store confirmed it.
 *
 *   const queue = createUploadQueue({ spool, uploader, store, … })
 *   await queue.drain()   → every spooled batch uploaded, or stopped at the first stopping error
 *   queue.blocked         → AppError ACCESS_DENIED … until clear() (resume, retry, upload now)
 * A body that fails its check against the manifest is never sent: onDamaged sets it aside (and cuts it again from
 * the log or reports the loss), and the queue goes on with the next batch — no crash loop.
 */
export interface UploadQueueOptions {
  spool: Spool;
  uploader: Uploader;
  store: Store;
  now: () => number;
  /** True for batches whose checkpoint is not on disk yet (see ingest.ts). */
  isHeld: (batchId: string) => boolean;
  /** Asked before each batch is sent: false ends the loop (the agent no longer holds its state folder). */
  mayUpload?: () => Promise<boolean>;
  onRecord: (record: UploadRecord) => void;
  /**
   * A batch is stored. `staysInSpool`: it stays in the spool until its processing is done (onRawStored follows), so
   * a crash before then sends it again; false: it has already left the spool.
   */
  onUploaded: (manifest: SpoolManifest, durationMs: number, staysInSpool: boolean) => Promise<void>;
  onError: (error: ErrorData) => void;
  onState: (state: 'uploading' | 'idle') => void;
  /** After a batch is stored (the local processing); up to PROCESSING_IN_FLIGHT run while the next batches go. */
  onRawStored?: (key: string, store: Store, stored: StoredRaw) => Promise<unknown>;
  /** A stored batch's processing is done and it left the spool (the spool's count and bytes changed). */
  onProcessed?: (manifest: SpoolManifest) => void;
  onHookError: (error: unknown, key: string) => void;
  /** The body failed its check against the manifest (size, sha256) or is gone: never sent as it is. */
  onDamaged: (manifest: SpoolManifest, error: AppError) => Promise<void>;
}

const DAMAGED_CODES = new Set(['SPOOL_BODY_DAMAGED', 'SPOOL_BODY_MISSING']);

/**
 * Stored batches whose onRawStored may still run while the queue sends the next one: the local processing works
 * on another core meanwhile, and each holds a batch's log bytes (≤ maxBatchBytes), so memory stays bounded.
 */
export const PROCESSING_IN_FLIGHT = 2;

/** A spooled batch as the Uploads view lists it, at `now`, before its status (the queue's, the agent's). */
export function uploadRecordOf(
  m: Pick<SpoolManifest, 'batchId' | 'key' | 'rows' | 'rawBytes' | 'storedBytes'>,
  now: number,
): Omit<UploadRecord, 'status'> {
  return {
    batchId: m.batchId,
    key: m.key,
    at: new Date(now).toISOString(),
    rows: m.rows,
    rawBytes: m.rawBytes,
    compressedBytes: m.storedBytes,
    durationMs: 0,
  };
}

export function createUploadQueue(options: UploadQueueOptions) {
  const { spool } = options;
  let running: Promise<void> | null = null;
  let blocked: AppError | null = null;
  let paused = false;
  let abort = new AbortController();
  /** Aborted by wake(): ends the uploader's current wait between attempts. */
  let waker = new AbortController();
  const rejected = new Set<string>();
  /** How often clear() ran (resume, upload now, retry): an attempt begun before the last one answers an old question. */
  let clears = 0;
  const processing = new Set<Promise<void>>();
  /** Stored batches still in the spool until their processing is done: not sent again meanwhile. */
  const inProcessing = new Set<string>();
  /**
   * Stored batches whose processing failed (a full drive…): kept in the spool, sent and processed again (same keys,
   * same bytes) at the next interval's upload (retryProcessing), or at upload now, resume or retry.
   */
  const processingFailed = new Set<string>();
  /** step() callers, told when the loop is done with its next batch (or stops). */
  let stepWaiters: (() => void)[] = [];
  const stepped = () => {
    const waiters = stepWaiters;
    stepWaiters = [];
    for (const wake of waiters) wake();
  };

  const record = (m: SpoolManifest, status: UploadRecord['status'], durationMs: number, error?: ErrorData) =>
    options.onRecord({
      ...uploadRecordOf(m, options.now()),
      durationMs,
      status,
      ...(error ? { error } : {}),
    });

  async function uploadOne(manifest: SpoolManifest): Promise<'next' | 'stop'> {
    const started = options.now();
    let body: Buffer;
    let raw: Buffer;
    try {
      ({ body, raw } = await spool.readChecked(manifest.batchId));
    } catch (error) {
      if (!(error instanceof AppError && DAMAGED_CODES.has(error.code))) throw error;
      try {
        await options.onDamaged(manifest, error);
      } catch (failure) {
        rejected.add(manifest.batchId);
        options.onError(toErrorData(failure));
      }
      return 'next';
    }
    record(manifest, 'uploading', 0);
    const clearsBefore = clears;
    try {
      await options.uploader.upload(manifest, body, { stop: abort.signal, wake: () => waker.signal });
    } catch (error) {
      // A refusal for an attempt begun before the person's "Upload now" or resume (the bucket made again, new keys):
      // tried once more instead of stopping again at once (it then needed a second press).
      const stale = clears !== clearsBefore;
      if (stale && error instanceof AppError && STOPPING_CODES.has(error.code)) return 'next';
      const data = toErrorData(error);
      record(manifest, 'failed', options.now() - started, data);
      options.onError(data);
      if (error instanceof AppError && STOPPING_CODES.has(error.code)) {
        blocked = error;
        return 'stop';
      }
      if (error instanceof AppError && error.code === 'BATCH_REJECTED') {
        rejected.add(manifest.batchId);
        return 'next';
      }
      return 'stop';
    }
    const durationMs = options.now() - started;
    const processes = options.onRawStored;
    if (!processes) await spool.remove(manifest.batchId);
    await options.onUploaded(manifest, durationMs, processes !== undefined);
    record(manifest, 'uploaded', durationMs);
    if (!processes) return 'next';
    // The batch leaves the spool only once its processed output is stored: a crash before that (a kill, a power cut)
    // sends and processes it again at the next start — the same keys and bytes — instead of leaving a raw batch that
    // nothing processes (a local target has no S3 event to run the Lambda again).
    inProcessing.add(manifest.batchId);
    const stored = {
      body: raw,
      size: manifest.storedBytes,
      timeZone: manifest.timeZone,
      firstUtc: manifest.firstUtc ?? undefined,
    };
    const done = processes(manifest.key, options.store, stored)
      .then(
        async () => {
          await spool.remove(manifest.batchId);
          inProcessing.delete(manifest.batchId);
          options.onProcessed?.(manifest);
        },
        // Kept in the spool: sent and processed again at the next interval's upload (it waited for a restart).
        (error: unknown) => {
          inProcessing.delete(manifest.batchId);
          processingFailed.add(manifest.batchId);
          options.onHookError(error, manifest.key);
        },
      )
      .catch((error: unknown) => options.onError(toErrorData(error)));
    processing.add(done);
    void done.finally(() => processing.delete(done));
    // Sent and handed to processing: it no longer waits to be sent, so a reader held by the backpressure may go on
    // now — not only once this loop may take the next batch (it could sit out a whole processing: a race seen as
    // 1 run in 8 of agent.test.ts "reads on while stored batches are processed").
    stepped();
    while (processing.size >= PROCESSING_IN_FLIGHT) await Promise.race(processing);
    return 'next';
  }

  async function loop(): Promise<void> {
    options.onState('uploading');
    try {
      while (!paused && !blocked && !abort.signal.aborted) {
        const next = spool
          .list()
          .find(
            (m) =>
              !options.isHeld(m.batchId) &&
              !rejected.has(m.batchId) &&
              !inProcessing.has(m.batchId) &&
              !processingFailed.has(m.batchId),
          );
        if (!next) break;
        if (options.mayUpload && !(await options.mayUpload())) break;
        const outcome = await uploadOne(next);
        stepped();
        if (outcome === 'stop') break;
      }
    } finally {
      stepped();
      options.onState('idle');
    }
  }

  /**
   * Sends what the spool holds, then waits for the batches still in processing: stop() and `upload` return after
   * the last one. The loop itself never waits for processing once it has no batch left, so a batch spooled a
   * moment later starts a new loop at once (the processing of the previous ones goes on meanwhile).
   */
  async function drain(): Promise<void> {
    running ??= loop().finally(() => {
      running = null;
    });
    await running;
    while (processing.size > 0) await Promise.all(processing);
  }

  return {
    drain,
    /**
     * Resolves when the running loop is done with its next batch (sent, refused or set aside) or stops; at once when
     * it is not running. The agent's backpressure waits on it instead of a whole drain, so reading goes on as soon
     * as the spool is below its mark again (a drain also waits for the last batches' processing).
     */
    step(): Promise<void> {
      if (!running) return Promise.resolve();
      return new Promise<void>((resolve) => stepWaiters.push(resolve));
    },
    /** Forget stopping errors, refused batches and failed processing (resume, upload now), or one batch (retry). */
    clear(batchId?: string) {
      clears += 1;
      if (batchId) {
        rejected.delete(batchId);
        processingFailed.delete(batchId);
      } else {
        rejected.clear();
        processingFailed.clear();
      }
      blocked = null;
    },
    /** The batches whose processing failed go again with the next drain (a watching agent's interval upload). */
    retryProcessing() {
      processingFailed.clear();
    },
    setPaused(value: boolean) {
      paused = value;
    },
    /**
     * Ends the wait between two attempts at once (upload now, resume, retry): the next attempt starts now and the
     * backoff starts over. A PUT in flight goes on.
     */
    wake() {
      waker.abort();
      waker = new AbortController();
    },
    /** Ends a retry wait at once (stop): the batch stays spooled for the next start. */
    async interrupt() {
      abort.abort();
      await running;
      abort = new AbortController();
    },
    /** True for a batch that is stored and being processed (it leaves the spool once its output is stored). */
    isProcessing(batchId: string): boolean {
      return inProcessing.has(batchId);
    },
    get blocked() {
      return blocked;
    },
    get busy() {
      return running !== null;
    },
  };
}
