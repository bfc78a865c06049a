import { S3Client } from '@aws-sdk/client-s3';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { readConfig } from './config';
import { createHandler } from './create-handler';
import { createKafkaProducer } from './kafka';
import { withKafkaSecret } from './kafka-secret';
import { createJsonLogger } from './logger';

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

export const handler = createHandler({ s3, producer, config, logger });
export type { HandlerSummary } from './create-handler';
