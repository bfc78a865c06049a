/**
 * Endpoints of the real test servers that `scripts/services.mjs start` runs on 127.0.0.1.
 * `npm test` starts them and passes these variables on; to run one suite by hand:
 *   eval "$(node scripts/services.mjs env)" && npx vitest run --project integration
 */
export interface TestServices {
  /** moto server: S3, CloudWatch, CloudWatch Logs, IAM, STS and the Lambda API on one port. */
  motoEndpoint: string;
  /** Apache Kafka (KRaft, single node): `127.0.0.1:port`. */
  kafkaBrokers: string[];
  region: string;
  credentials: { accessKeyId: string; secretAccessKey: string };
}

export function requireServices(): TestServices {
  const motoEndpoint = process.env.MOTO_ENDPOINT;
  const kafka = process.env.KAFKA_BROKERS;
  if (!motoEndpoint || !kafka) {
    throw new Error(
      'Integration tests need the real test servers: run `eval "$(node scripts/services.mjs env)"` ' +
        '(it starts moto and Kafka on 127.0.0.1 if they are not running), or run `npm test`.',
    );
  }
  return {
    motoEndpoint,
    kafkaBrokers: kafka.split(',').map((b) => b.trim()),
    region: process.env.AWS_REGION ?? 'us-east-1',
    credentials: {
      accessKeyId: process.env.AWS_ACCESS_KEY_ID ?? 'testing',
      secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY ?? 'testing',
    },
  };
}

/** Client settings for any AWS SDK v3 client pointed at moto (see ENVIRONMENT.md: path style, no flexible checksums). */
export function motoClientConfig(services: TestServices) {
  return {
    endpoint: services.motoEndpoint,
    region: services.region,
    credentials: services.credentials,
    forcePathStyle: true,
    requestChecksumCalculation: 'WHEN_REQUIRED' as const,
    responseChecksumValidation: 'WHEN_REQUIRED' as const,
  };
}

/** Where the real-world sample logs live (../shared/samples beside the repository). */
export const SAMPLES_DIR = new URL('../../../shared/samples/', import.meta.url).pathname;
