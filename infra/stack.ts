/**
 * The GPU-Z Cloud stack: raw, processed and failed buckets, the processor Lambda with its role, log group, S3
 * notification and on-failure destination, and the error alarm with its SNS topic, as Terraform JSON.
 *
 *   new GpuzCloudStack(app, 'gpuz-cloud', resolveConfig({ lambdaZipPath: 'dist/lambda/gpu-processor.zip' }))
 *     → cdktf.out/stacks/gpuz-cloud/cdk.tf.json with the variables of variables.ts (aws_region, environment,
 *       project_name, kafka_*, upload_batch_interval, alarm_email, raw_expiry_days, lambda_architecture,
 *       reserved_concurrency, analytics_copy, lambda_zip_path) and outputs raw_bucket, processed_bucket, failed_bucket,
 *       function_name, region, log_group, alarm_name, upload_batch_interval and the settings a later deploy keeps
 */
import { DataAwsCallerIdentity } from '@cdktf/provider-aws/lib/data-aws-caller-identity';
import { AwsProvider, type AwsProviderEndpoints } from '@cdktf/provider-aws/lib/provider';
import { Fn, LocalBackend, TerraformOutput, TerraformStack, Token } from 'cdktf';
import type { Construct } from 'constructs';
import { stackNames } from '../src/shared/stack/names';
import { AnalyticsCopy } from './analytics-copy';
import type { GpuzCloudConfig } from './config';
import { ErrorAlarm } from './error-alarm';
import { Processor } from './processor';
import { SecureBucket } from './secure-bucket';
import { declareVariables } from './variables';

export class GpuzCloudStack extends TerraformStack {
  readonly raw: SecureBucket;
  readonly processed: SecureBucket;
  readonly failed: SecureBucket;
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
    const emulator = config.endpoints !== undefined;
    this.raw = new SecureBucket(this, 'raw', {
      name: names.rawBucket,
      encryption: config.encryption,
      emulator,
      extraRules: [
        {
          // Always present, enabled only with a positive raw_expiry_days: the setting is a variable, not a synth choice.
          id: 'expire-raw-batches',
          status: `\${var.raw_expiry_days > 0 ? "Enabled" : "Disabled"}`,
          filter: [{ prefix: 'raw/' }],
          expiration: [{ days: Fn.max([v.rawExpiryDays, 1]) }],
        },
      ],
    });
    this.processed = new SecureBucket(this, 'processed', {
      name: names.processedBucket,
      encryption: config.encryption,
      emulator,
    });
    this.failed = new SecureBucket(this, 'failed', {
      name: names.failedBucket,
      encryption: config.encryption,
      emulator,
    });
    const { functionName } = names;
    this.processor = new Processor(this, 'processor', {
      functionName,
      rawBucket: this.raw.bucket,
      processedBucket: this.processed.bucket,
      failedBucket: this.failed.bucket,
      accountId,
      config,
      variables: v,
    });
    this.alarm = new ErrorAlarm(this, 'processor_errors', {
      functionName,
      alarmName: names.alarmName,
      topicName: names.topicName,
      alarmEmail: v.alarmEmail,
    });
    new AnalyticsCopy(this, 'analytics_copy_schedule', {
      enabled: v.analyticsCopy,
      functionArn: this.processor.function.arn,
      functionName,
      roleId: this.processor.role.id,
      processedBucketArn: this.processed.bucket.arn,
    });

    const outputs: Record<string, string | number> = {
      raw_bucket: this.raw.bucket.bucket,
      processed_bucket: this.processed.bucket.bucket,
      failed_bucket: this.failed.bucket.bucket,
      function_name: this.processor.function.functionName,
      region: v.region,
      log_group: this.processor.logGroup.name,
      alarm_name: this.alarm.alarm.alarmName,
      // The settings a later deploy keeps unless told otherwise (they are not in the state's variables).
      alarm_email: v.alarmEmail,
      raw_expiry_days: v.rawExpiryDays,
      lambda_architecture: v.architecture,
      reserved_concurrency: v.reservedConcurrency,
      analytics_copy: Token.asString(v.analyticsCopy),
      upload_batch_interval: v.uploadBatchInterval,
    };
    for (const [name, value] of Object.entries(outputs)) {
      // Outputs and variables live in separate Terraform namespaces, constructs in one: rename the logical id.
      new TerraformOutput(this, `${name}_output`, { value }).overrideLogicalId(name);
    }
  }
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
