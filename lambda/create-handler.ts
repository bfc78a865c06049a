import type { S3Client } from '@aws-sdk/client-s3';
import type { Producer } from '../src/shared/process';
import type { LambdaConfig } from './config';
import type { Logger } from './logger';
import { processS3Record, type RecordResult } from './process-s3-record';
import { type S3Event, s3Objects } from './s3-event';

/**
 * The handler with its dependencies passed in (tests give it moto and a real broker; handler.ts the real clients).
 *
 *   await createHandler({ s3, producer, config, logger })({ Records: [s3 ObjectCreated record, …] })
 *     → { records: 2, processed: 1, quarantined: 1, missing: 0, rows: 356, kafkaSent: 356, kafkaFailed: 0 }
 *
 * Records run one after another: memory stays that of one batch (256 MB function). An S3 error rethrows
 * so Lambda retries the event; outputs are keyed by the raw key, so a retry overwrites, never duplicates.
 */
export interface HandlerSummary {
  records: number;
  processed: number;
  quarantined: number;
  missing: number;
  rows: number;
  kafkaSent: number;
  kafkaFailed: number;
}

export function createHandler(deps: {
  s3: S3Client;
  producer: Producer | null;
  config: LambdaConfig;
  logger: Logger;
  now?: () => Date;
}): (event: S3Event) => Promise<HandlerSummary> {
  return async (event) => {
    const summary: HandlerSummary = {
      records: 0,
      processed: 0,
      quarantined: 0,
      missing: 0,
      rows: 0,
      kafkaSent: 0,
      kafkaFailed: 0,
    };
    for (const ref of s3Objects(event)) {
      let result: RecordResult;
      try {
        result = await processS3Record(deps, ref);
      } catch (error) {
        deps.logger.error('record failed; the event will be retried', {
          bucket: ref.bucket,
          key: ref.key,
          error: errorFields(error),
        });
        throw error;
      }
      summary.records += 1;
      summary[result.outcome] += 1;
      summary.rows += result.rows;
      summary.kafkaSent += result.kafka?.sent ?? 0;
      summary.kafkaFailed += result.kafka?.failed ?? 0;
      const log =
        result.kafka?.error || result.seal?.outcome === 'failed' ? deps.logger.error : deps.logger.info;
      log(`record ${result.outcome}`, { bucket: ref.bucket, ...result });
    }
    return summary;
  };
}

function errorFields(error: unknown): { name: string; message: string } {
  return error instanceof Error
    ? { name: error.name, message: error.message }
    : { name: 'Error', message: String(error) };
}
