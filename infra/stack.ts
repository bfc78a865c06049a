/**
 * The GPU-Z Cloud stack: raw and processed buckets, the processor Lambda with its role, log group, S3
 * notification and error alarm, as Terraform JSON.
 *
 *   new GpuzCloudStack(app, 'gpuz-cloud', resolveConfig({ lambdaZipPath: 'dist/lambda/gpu-processor.zip' }))
 *     → cdktf.out/stacks/gpuz-cloud/cdk.tf.json with variables aws_region, environment, project_name,
 *       kafka_endpoint, kafka_topic, kafka_sasl_secret_arn, upload_batch_interval, lambda_zip_path and outputs raw_bucket,
 *       processed_bucket, function_name, region, log_group, upload_batch_interval
 */
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { AwsProvider, type AwsProviderEndpoints } from '@cdktf/provider-aws/lib/provider';
import { LocalBackend, TerraformOutput, TerraformStack, TerraformVariable } from 'cdktf';
import type { Construct } from 'constructs';
import { NAME_PART_PATTERN, SECRET_ARN_PATTERN, stackNames } from '../src/shared/stack/names';
import type { GpuzCloudConfig } from './config';
import { ErrorAlarm } from './error-alarm';
import { Processor } from './processor';
import { SecureBucket } from './secure-bucket';

const NAME_PART = NAME_PART_PATTERN;
const SECRET_ARN = `^(${SECRET_ARN_PATTERN})?$`;

export class GpuzCloudStack extends TerraformStack {
  readonly raw: SecureBucket;
  readonly processed: SecureBucket;
  readonly processor: Processor;
  readonly alarm: ErrorAlarm;

  constructor(scope: Construct, id: string, config: GpuzCloudConfig) {
    super(scope, id);
    // State next to the JSON in the working folder the deploy engine prepares (one per account and env).
    new LocalBackend(this, { path: 'terraform.tfstate' });

    const v = declareVariables(this, config);
    new AwsProvider(this, 'aws', {
      region: v.region,
      defaultTags: [{ tags: { Project: v.project, Environment: v.environment, ManagedBy: 'gpuz-cloud' } }],
      ...(config.endpoints ? emulatorSettings(config.endpoints) : {}),
    });
    const accountId = new DataAwsCallerIdentity(this, 'caller').accountId;

    // Bucket names are global: the account id keeps them unique per account, the environment per stage.
    const names = stackNames({ project: v.project, environment: v.environment, accountId });
    this.raw = new SecureBucket(this, 'raw', {
      name: names.rawBucket,
      encryption: config.encryption,
      expireRawAfterDays: config.rawExpiryDays,
    });
    this.processed = new SecureBucket(this, 'processed', {
      name: names.processedBucket,
      encryption: config.encryption,
    });
    const { functionName } = names;
    this.processor = new Processor(this, 'processor', {
      functionName,
      rawBucket: this.raw.bucket,
      processedBucket: this.processed.bucket,
      accountId,
      config,
      zipPath: v.zipPath,
      kafkaBrokers: v.kafkaEndpoint,
      kafkaTopic: v.kafkaTopic,
      kafkaSaslSecretArn: v.kafkaSaslSecretArn,
    });
    this.alarm = new ErrorAlarm(this, 'processor_errors', { functionName, alarmEmail: config.alarmEmail });

    new TerraformOutput(this, 'raw_bucket', { value: this.raw.bucket.bucket });
    new TerraformOutput(this, 'processed_bucket', { value: this.processed.bucket.bucket });
    new TerraformOutput(this, 'function_name', { value: this.processor.function.functionName });
    new TerraformOutput(this, 'region', { value: v.region });
    new TerraformOutput(this, 'log_group', { value: this.processor.logGroup.name });
    // Outputs and variables live in separate Terraform namespaces, constructs in one: rename the logical id.
    new TerraformOutput(this, 'upload_batch_interval_output', {
      value: v.uploadBatchInterval,
    }).overrideLogicalId('upload_batch_interval');
  }
}

function declareVariables(stack: TerraformStack, config: GpuzCloudConfig) {
  const text = (id: string, value: string, description: string, pattern?: string) =>
    new TerraformVariable(stack, id, {
      type: 'string',
      default: value,
      description,
      ...(pattern
        ? {
            validation: [
              {
                condition: `\${can(regex("${pattern}", var.${id}))}`,
                errorMessage: `${id} must be lower-case letters, digits and dashes (at most 20).`,
              },
            ],
          }
        : {}),
    });
  return {
    region: text('aws_region', config.region, 'AWS region for every resource').stringValue,
    environment: text('environment', config.environment, 'Stage name (dev, prod…)', NAME_PART).stringValue,
    project: text('project_name', config.projectName, 'First part of every resource name', NAME_PART)
      .stringValue,
    kafkaEndpoint: text('kafka_endpoint', config.kafkaEndpoint, 'Kafka brokers (host:port,…); empty: off')
      .stringValue,
    kafkaTopic: text('kafka_topic', config.kafkaTopic, 'Kafka topic; empty: off').stringValue,
    kafkaSaslSecretArn: new TerraformVariable(stack, 'kafka_sasl_secret_arn', {
      type: 'string',
      default: config.kafkaSaslSecretArn,
      description:
        'Secrets Manager secret holding {"username","password","mechanism"} for Kafka; empty: no SASL',
      validation: [
        {
          condition: `\${can(regex("${SECRET_ARN}", var.kafka_sasl_secret_arn))}`,
          errorMessage: 'kafka_sasl_secret_arn must be empty or a Secrets Manager secret ARN.',
        },
      ],
    }).stringValue,
    uploadBatchInterval: new TerraformVariable(stack, 'upload_batch_interval', {
      type: 'number',
      default: config.uploadBatchInterval,
      description: 'Minutes between the agent uploads (read back by the agent from the outputs)',
    }).numberValue,
    zipPath: text('lambda_zip_path', config.lambdaZipPath, 'Path of the processor bundle zip').stringValue,
  };
}

/** Provider settings for an emulator: path-style S3, and no calls that only real AWS answers. */
function emulatorSettings(endpoints: NonNullable<GpuzCloudConfig['endpoints']>) {
  return {
    endpoints: [endpoints satisfies AwsProviderEndpoints],
    s3UsePathStyle: true,
    skipCredentialsValidation: true,
    skipMetadataApiCheck: 'true',
    skipRegionValidation: true,
    skipRequestingAccountId: true,
  };
}
