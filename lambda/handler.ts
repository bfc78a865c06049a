import { S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { createKafkaProducer } from '../src/shared/process/kafka-producer';
import { type AnalyticsCopyEvent, copyAnalytics, isAnalyticsCopyEvent } from './analytics-copy';
import { readConfig } from './config';
import { createHandler } from './create-handler';
import { withKafkaSecret } from './kafka-secret';
import { createJsonLogger } from './logger';
import type { S3Event } from './s3-event';

/**
 * The S3 → processed-bucket Lambda. Runtime nodejs22.x, bundle dist/lambda/index.mjs, handler `index.handler`.
 * Wiring only: config and clients are created once per container at cold start and reused by every
 * invocation; the work is in create-handler.ts and src/shared/process.
 */
const logger = createJsonLogger();
const config = await withKafkaSecret(readConfig(process.env), {
  getSecret: async (arn) =>
    (await new SecretsManagerClient({}).send(new GetSecretValueCommand({ SecretId: arn }))).SecretString,
  logger,
});
const s3 = new S3Client(config.s3Endpoint ? { endpoint: config.s3Endpoint, forcePathStyle: true } : {});
const producer = config.kafka ? createKafkaProducer(config.kafka) : null;

const processRaw = createHandler({ s3, producer, config, logger });

/** S3 events process raw batches; the daily schedule's event writes the analytics copy (analytics-copy.ts). */
export const handler = async (event: S3Event | AnalyticsCopyEvent) => {
  if (!isAnalyticsCopyEvent(event)) return processRaw(event);
  const { lookbackDays } = event.gpuzAnalyticsCopy;
  const summary = await copyAnalytics({ s3, bucket: config.processedBucket, now: new Date(), lookbackDays });
  logger.info('analytics copy written', { ...summary });
  return summary;
};
export type { HandlerSummary } from './create-handler';
