import { AppError } from '../src/shared/errors';
import { LATEST_JSON_KEY } from '../src/shared/keys';
import type { KafkaConfig } from '../src/shared/process/kafka-producer';

export type { KafkaConfig };

/**
 * The Lambda's settings from its environment (set by the infra stack), read once at cold start.
 *
 *   readConfig({ PROCESSED_BUCKET: 'p', KAFKA_BROKERS: 'b1:9092,b2:9092', KAFKA_TOPIC: 'gpu' })
 *     → { processedBucket: 'p', timeZone: 'UTC', latestJson: false, latestJsonKey: 'processed/latest.json.gz', kafka: { brokers: ['b1:9092', 'b2:9092'], topic: 'gpu', … } }
 * Kafka is off (kafka: null) unless both KAFKA_BROKERS and KAFKA_TOPIC are set.
 */

export interface LambdaConfig {
  processedBucket: string;
  /** Zone for logs whose raw object carries no `timezone` metadata. */
  timeZone: string;
  latestJson: boolean;
  latestJsonKey: string;
  /** S3 endpoint override (moto, MinIO); path-style addressing is used with it. */
  s3Endpoint: string | undefined;
  kafka: KafkaConfig | null;
}

/** The SASL mechanisms kafkajs supports without plugins (environment and Secrets Manager alike). */
export const MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

export function readConfig(env: Record<string, string | undefined>): LambdaConfig {
  const processedBucket = env.PROCESSED_BUCKET;
  if (!processedBucket) {
    throw new AppError(
      'CONFIG_MISSING',
      'PROCESSED_BUCKET is not set',
      'Deploy the stack again: it sets PROCESSED_BUCKET on the function.',
    );
  }
  const latestJsonKey = env.LATEST_JSON_KEY || LATEST_JSON_KEY;
  if (!latestJsonKey.startsWith('processed/')) {
    throw new AppError(
      'CONFIG_INVALID',
      `LATEST_JSON_KEY "${latestJsonKey}" is outside processed/, where the function may not write`,
      `Leave LATEST_JSON_KEY empty (${LATEST_JSON_KEY}) or choose a key under processed/.`,
    );
  }
  return {
    processedBucket,
    timeZone: env.DEFAULT_TIME_ZONE || 'UTC',
    latestJson: env.LATEST_JSON === 'true',
    latestJsonKey,
    s3Endpoint: env.S3_ENDPOINT || undefined,
    kafka: readKafka(env),
  };
}

function readKafka(env: Record<string, string | undefined>): KafkaConfig | null {
  const brokers = (env.KAFKA_BROKERS ?? '')
    .split(',')
    .map((b) => b.trim())
    .filter(Boolean);
  const topic = env.KAFKA_TOPIC?.trim();
  if (brokers.length === 0 || !topic) return null;
  const mechanism = env.KAFKA_SASL_MECHANISM?.toLowerCase();
  if (mechanism && !(MECHANISMS as readonly string[]).includes(mechanism)) {
    throw new AppError(
      'CONFIG_INVALID',
      `KAFKA_SASL_MECHANISM "${mechanism}" is not supported`,
      `Use one of ${MECHANISMS.join(', ')}, or leave it empty for no authentication.`,
    );
  }
  return {
    brokers,
    topic,
    clientId: env.KAFKA_CLIENT_ID || 'gpuz-cloud-processor',
    ssl: env.KAFKA_SSL === 'true',
    sasl: mechanism
      ? {
          mechanism: mechanism as (typeof MECHANISMS)[number],
          username: env.KAFKA_SASL_USERNAME ?? '',
          password: env.KAFKA_SASL_PASSWORD ?? '',
        }
      : null,
    timeoutMs: positiveInt(env.KAFKA_TIMEOUT_MS, 5000),
    batchSize: positiveInt(env.KAFKA_BATCH_SIZE, 500),
    ...(env.KAFKA_SASL_SECRET_ARN ? { saslSecretArn: env.KAFKA_SASL_SECRET_ARN } : {}),
  };
}

function positiveInt(text: string | undefined, fallback: number): number {
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}
