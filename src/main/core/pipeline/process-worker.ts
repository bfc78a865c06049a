/**
 * The processing thread's entry (a bundle of its own: dist/cli/process-worker.mjs, out/main/process-worker.js):
 * runs each job it is sent (process-job.ts) and answers with its id. See process-thread.ts for the other side.
 *
 *   → { id: 3, job: { key, body, size, timeZone, firstUtc } }
 *   ← { id: 3, result: { kind: 'processed', body, rows } }   or   ← { id: 3, error: 'message' }
 */
import { parentPort } from 'node:worker_threads';
import { toError } from '../../../shared/errors';
import { type ProcessJob, runProcessJob } from './process-job';
import { ownedBuffers, release } from './transfer';

const port = parentPort;
if (!port) throw new Error('process-worker.ts runs as a worker thread only');
port.on('message', (message: { id: number; job: ProcessJob }) => {
  runProcessJob(message.job)
    .then(
      (result) => port.postMessage({ id: message.id, result }, ownedBuffers(result.body)),
      (error: unknown) => port.postMessage({ id: message.id, error: toError(error).message }),
    )
    // The batch's bytes are done with (the answer holds none of them): freed now, not at the thread's next full
    // collection, which comes only after ≈ 64 MB of such memory (8 batches of a backfill) piled up.
    .finally(() => release(message.job.body));
});
