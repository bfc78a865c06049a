import {
  GetObjectCommand,
  type GetObjectCommandOutput,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { isRawKey, processedKeyFor, quarantineKeyFor } from '../src/shared/keys';
import { createLogParser, timeZoneOr } from '../src/shared/parse';
import {
  batchRows,
  encodeProcessed,
  encodeQuarantine,
  type ProcessOutcome,
  type Producer,
  processRawObject,
  rowMessages,
  type SendReport,
  sendRows,
} from '../src/shared/process';
import type { LambdaConfig } from './config';
import { type SealResult, sealPreviousDay } from './day-seal';
import type { S3ObjectRef } from './s3-event';

/**
 * One raw object named by an S3 event → one object in the processed bucket (+ optional Kafka rows).
 *
 *   await processS3Record({ s3, producer, config }, { bucket: 'raw', key: 'raw/pc/2024/04/20/b-0-9.csv.gz', size: 9 })
 *     → { key, outcome: 'processed', outputKey: 'processed/pc/2024/04/20/b-0-9.json.gz', rows: 356, kafka: { sent: 356, failed: 0 } }
 *     → { key, outcome: 'quarantined', outputKey: 'quarantine/pc/2024/04/20/b-0-9.json', code: 'BAD_GZIP' }
 *
 * After the processed object, the day before gets its day document if it has none yet (day-seal.ts; never fails
 * the batch). The output key derives from the raw key, so redeliveries overwrite. S3 is written before Kafka is
 * tried: a dead broker can delay the invocation by one timeout but never costs the S3 output. Errors of
 * S3 itself propagate (Lambda retries the event); bad input never does.
 */
export interface RecordDeps {
  s3: S3Client;
  producer: Producer | null;
  config: LambdaConfig;
  now?: () => Date;
}

export interface RecordResult {
  key: string;
  outcome: 'processed' | 'quarantined' | 'missing';
  outputKey: string | null;
  rows: number;
  skippedLines: number;
  bytes: number;
  outputBytes: number;
  code?: string;
  kafka?: SendReport;
  /** The day document of the day before this batch (day-seal.ts): present, sealed now, or failed (logged). */
  seal?: SealResult;
  durationMs: number;
}

export async function processS3Record(deps: RecordDeps, ref: S3ObjectRef): Promise<RecordResult> {
  const started = Date.now();
  const finish = (result: Omit<RecordResult, 'durationMs' | 'key'>): RecordResult => ({
    key: ref.key,
    ...result,
    durationMs: Date.now() - started,
  });
  const outcome = await readAndProcess(deps, ref);
  if (outcome === null) {
    return finish({
      outcome: 'missing',
      outputKey: null,
      rows: 0,
      skippedLines: 0,
      bytes: 0,
      outputBytes: 0,
    });
  }
  if (outcome.kind === 'quarantine') {
    const outputKey = quarantineKeyFor(ref.key);
    const body = encodeQuarantine(outcome.document);
    await put(deps, outputKey, body, { ContentType: 'application/json' });
    return finish({
      outcome: 'quarantined',
      outputKey,
      rows: 0,
      skippedLines: outcome.document.skippedLines ?? 0,
      bytes: outcome.document.bytes,
      outputBytes: body.length,
      code: outcome.document.reason.code,
    });
  }
  const { batch } = outcome;
  const outputKey = processedKeyFor(ref.key);
  const body = await encodeProcessed(batch);
  const headers = { ContentType: 'application/json', ContentEncoding: 'gzip' };
  await put(deps, outputKey, body, headers);
  // Old-design compatibility; one more PUT per batch, so off unless LATEST_JSON=true.
  if (deps.config.latestJson) await put(deps, deps.config.latestJsonKey, body, headers);
  const seal = await sealPreviousDay({ s3: deps.s3, bucket: deps.config.processedBucket }, outputKey);
  const result = finish({
    outcome: 'processed',
    outputKey,
    rows: batch.summary.rows,
    skippedLines: batch.summary.skippedLines,
    bytes: batch.header.sourceBytes,
    outputBytes: body.length,
    ...(seal ? { seal } : {}),
  });
  if (deps.producer && deps.config.kafka) {
    const kafka = deps.config.kafka;
    result.kafka = await sendRows(deps.producer, rowMessages(batchRows(batch)), {
      total: batch.summary.rows,
      batchSize: kafka.batchSize,
      timeoutMs: kafka.timeoutMs,
    });
    result.durationMs = Date.now() - started;
  }
  return result;
}

/** Null when the object is gone (deleted before this event was handled): nothing to do, nothing to retry. */
async function readAndProcess(deps: RecordDeps, ref: S3ObjectRef): Promise<ProcessOutcome | null> {
  const parse = { createParser: createLogParser, now: deps.now };
  if (!isRawKey(ref.key)) {
    return processRawObject(
      { sourceKey: ref.key, body: (async function* () {})(), timeZone: 'UTC', size: ref.size },
      parse,
    );
  }
  let response: GetObjectCommandOutput;
  try {
    response = await deps.s3.send(new GetObjectCommand({ Bucket: ref.bucket, Key: ref.key }));
  } catch (error) {
    if (error instanceof NoSuchKey) return null;
    throw error;
  }
  const body = response.Body as AsyncIterable<Uint8Array> | undefined;
  return processRawObject(
    {
      sourceKey: ref.key,
      body: body ?? (async function* () {})(),
      timeZone: timeZoneOr(response.Metadata?.timezone, deps.config.timeZone),
      firstUtc: response.Metadata?.['first-utc'],
    },
    parse,
  );
}

async function put(
  deps: RecordDeps,
  key: string,
  body: Uint8Array,
  headers: { ContentType: string; ContentEncoding?: string },
): Promise<void> {
  await deps.s3.send(
    new PutObjectCommand({ Bucket: deps.config.processedBucket, Key: key, Body: body, ...headers }),
  );
}
