/**
 * One raw batch → the bytes the Lambda would store for it: what the local processor runs, in this thread or in the
 * processing thread (process-worker.ts), and nothing else — so both give the same bytes.
 *
 *   await runProcessJob({ key: 'raw/pc/2024/04/20/b-0-9.csv.gz', body, size: 803, timeZone: 'Europe/Berlin' })
 *     → { kind: 'processed', body: <gzip JSON>, rows: 356, outline: <its day document entry> }
 *     → { kind: 'quarantine', body: <JSON>, code: 'BAD_GZIP' }
 *
 * `body` is the object as stored or its log bytes already gunzipped (decodeBody tells them apart by the gzip
 * magic); `size` is the stored object's size, written into the document as `sourceBytes` either way.
 */

import { processedKeyFor } from '../../../shared/keys';
import { createLogParser } from '../../../shared/parse';
import {
  batchOutline,
  type DayBatchOutline,
  encodeProcessed,
  encodeQuarantine,
  processRawObject,
} from '../../../shared/process';

export interface ProcessJob {
  key: string;
  body: Uint8Array;
  size: number;
  timeZone: string;
  firstUtc?: string | undefined;
}

export type ProcessJobResult =
  /** `outline`: the batch's entry for its day document, with its ETag still empty (known once it is stored). */
  | { kind: 'processed'; body: Uint8Array; rows: number; outline: DayBatchOutline }
  | { kind: 'quarantine'; body: Uint8Array; code: string };

export async function runProcessJob(job: ProcessJob, now?: () => Date): Promise<ProcessJobResult> {
  const outcome = await processRawObject(
    {
      sourceKey: job.key,
      body: chunksOf(job.body),
      size: job.size,
      timeZone: job.timeZone,
      firstUtc: job.firstUtc,
    },
    { createParser: createLogParser, now },
  );
  if (outcome.kind === 'quarantine') {
    return {
      kind: 'quarantine',
      body: encodeQuarantine(outcome.document),
      code: outcome.document.reason.code,
    };
  }
  return {
    kind: 'processed',
    body: await encodeProcessed(outcome.batch),
    rows: outcome.batch.summary.rows,
    outline: batchOutline(outcome.batch, processedKeyFor(job.key), ''),
  };
}

/**
 * The body in 256 KiB pieces, as a gunzip stream gives it: the parser reads GPU-Z rows from bytes only after the
 * push that held the header, so one 8 MiB push would decode every line of it as text (≈ 2.3× the CPU).
 */
async function* chunksOf(body: Uint8Array): AsyncGenerator<Uint8Array> {
  // Bytes sent to the thread arrive as a plain Uint8Array: seen as a Buffer again (no copy), since the parser's
  // line and NUL searches are memchr on a Buffer and a byte loop on a Uint8Array.
  const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  for (let at = 0; at < bytes.length; at += CHUNK_BYTES) yield bytes.subarray(at, at + CHUNK_BYTES);
}

const CHUNK_BYTES = 256 * 1024;
