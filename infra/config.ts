/**
 * The typed configuration of the GPU-Z Cloud stack. One stack class serves every environment:
 * the values below become the defaults of the old design's Terraform variables (aws_region, environment,
 * project_name, kafka_endpoint, kafka_topic, upload_batch_interval), so the same synthesized JSON can be
 * applied with `-var environment=prod`; the rest shapes what is synthesized.
 *
 *   resolveConfig({ environment: 'prod' }) → { ...DEFAULT_CONFIG, environment: 'prod' }
 */
export type LambdaArchitecture = 'arm64' | 'x86_64';

/** SSE-S3 (AES256) is free; aws:kms uses the AWS-managed key with an S3 bucket key to keep KMS requests few. */
export type BucketEncryption = 'AES256' | 'aws:kms';

/** Services the stack talks to; an emulator (moto, LocalStack) serves all of them on one URL. */
export const ENDPOINT_SERVICES = ['s3', 'lambda', 'iam', 'sts', 'cloudwatch', 'logs', 'sns'] as const;
export type EndpointService = (typeof ENDPOINT_SERVICES)[number];
export type EmulatorEndpoints = Partial<Record<EndpointService, string>>;

export interface GpuzCloudConfig {
  /** Default of `aws_region`. */
  region: string;
  /** Default of `environment` (dev, prod…): part of every resource name. */
  environment: string;
  /** Default of `project_name`: the first part of every resource name. */
  projectName: string;
  /** Default of `kafka_endpoint` (comma-separated brokers); empty keeps Kafka off in the Lambda. */
  kafkaEndpoint: string;
  /** Default of `kafka_topic`; empty keeps Kafka off. */
  kafkaTopic: string;
  /** Default of `kafka_sasl_secret_arn`: a Secrets Manager secret with the Kafka user; empty: no SASL. */
  kafkaSaslSecretArn: string;
  /** Default of `upload_batch_interval` in minutes; the agent reads it back from the outputs. */
  uploadBatchInterval: number;
  /** The processor bundle (`npm run build:lambda`); its SHA-256 is read at synth time. */
  lambdaZipPath: string;
  architecture: LambdaArchitecture;
  memoryMb: number;
  timeoutSeconds: number;
  /** Caps parallel invocations so a burst of uploads cannot run up a bill. */
  reservedConcurrency: number;
  logRetentionDays: number;
  encryption: BucketEncryption;
  /** Expire `raw/` objects after this many days (the processed copy stays); undefined keeps them. */
  rawExpiryDays?: number;
  /** When set, the error alarm notifies this address through an SNS topic (the owner confirms by e-mail). */
  alarmEmail?: string;
  /** Default of `analytics_copy`: the daily Parquet copy under analytics/ (off unless set). */
  analyticsCopy?: boolean;
  /** Points the AWS provider at an emulator; never set for a real account. */
  endpoints?: EmulatorEndpoints;
}

export const DEFAULT_CONFIG: GpuzCloudConfig = {
  region: 'us-east-1',
  environment: 'dev',
  projectName: 'gpuz-cloud',
  kafkaEndpoint: '',
  kafkaTopic: '',
  kafkaSaslSecretArn: '',
  uploadBatchInterval: 60,
  lambdaZipPath: 'dist/lambda/gpu-processor.zip',
  // Graviton is about 20% cheaper per GB-second than x86 for the same work.
  architecture: 'arm64',
  memoryMb: 256,
  timeoutSeconds: 60,
  reservedConcurrency: 2,
  logRetentionDays: 7,
  encryption: 'AES256',
};

export function resolveConfig(partial: Partial<GpuzCloudConfig> = {}): GpuzCloudConfig {
  return { ...DEFAULT_CONFIG, ...partial };
}

/** Every service of the stack at one emulator URL: `emulatorEndpoints('http://127.0.0.1:5055')`. */
export function emulatorEndpoints(url: string): EmulatorEndpoints {
  return Object.fromEntries(ENDPOINT_SERVICES.map((service) => [service, url]));
}

/**
 * Synth-time overrides from the environment (used by `npm run synth`):
 *   GPUZ_LAMBDA_ZIP, GPUZ_ALARM_EMAIL, GPUZ_RAW_EXPIRY_DAYS, GPUZ_ARCH, GPUZ_EMULATOR_ENDPOINT.
 */
export function configFromEnv(env: Record<string, string | undefined>): GpuzCloudConfig {
  const partial: Partial<GpuzCloudConfig> = {};
  if (env.GPUZ_LAMBDA_ZIP) partial.lambdaZipPath = env.GPUZ_LAMBDA_ZIP;
  if (env.GPUZ_ALARM_EMAIL) partial.alarmEmail = env.GPUZ_ALARM_EMAIL;
  if (env.GPUZ_RAW_EXPIRY_DAYS) partial.rawExpiryDays = Number(env.GPUZ_RAW_EXPIRY_DAYS);
  if (env.GPUZ_ARCH === 'x86_64' || env.GPUZ_ARCH === 'arm64') partial.architecture = env.GPUZ_ARCH;
  if (env.GPUZ_EMULATOR_ENDPOINT) partial.endpoints = emulatorEndpoints(env.GPUZ_EMULATOR_ENDPOINT);
  return resolveConfig(partial);
}
