// biome-ignore-all lint/suspicious/noTemplateCurlyInString: Terraform interpolations (${…}) are the expected synthesized values.
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { CloudwatchMetricAlarm } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription';
import { Testing } from 'cdktf';
import { AppError } from '../src/shared/errors';
import { findBroadS3Grants, type PolicyDocument } from '../src/shared/stack/policies';
import { emulatorEndpoints, type GpuzCloudConfig, resolveConfig } from './config';
import { SecureBucket } from './secure-bucket';
import { GpuzCloudStack } from './stack';
import './testing/cdktf-matchers';
import { writeEmptyZip } from './testing/empty-zip';

type Json = Record<string, Record<string, Record<string, Record<string, unknown>>>>;

const zip = writeEmptyZip();
const RAW_ARN = '${aws_s3_bucket.raw.arn}';
const PROCESSED_ARN = '${aws_s3_bucket.processed.arn}';
const FAILED_ARN = '${aws_s3_bucket.failed.arn}';
const LOG_GROUP_ARN = '${aws_cloudwatch_log_group.processor.arn}';
const ACCOUNT = '${data.aws_caller_identity.caller.account_id}';

function synthStack(overrides: Partial<GpuzCloudConfig> = {}): string {
  const stack = new GpuzCloudStack(
    Testing.app(),
    'test',
    resolveConfig({ lambdaZipPath: zip.path, ...overrides }),
  );
  return Testing.synth(stack);
}

function variable(json: string, name: string): Record<string, unknown> {
  const found = (JSON.parse(json) as { variable: Record<string, Record<string, unknown>> }).variable[name];
  if (!found) throw new Error(`variable ${name} is not in the synthesized stack`);
  return found;
}

function resource(json: string, type: string, name: string): Record<string, unknown> {
  const found = (JSON.parse(json) as Json).resource?.[type]?.[name];
  if (!found) throw new Error(`${type}.${name} is not in the synthesized stack`);
  return found;
}

/** Every IAM policy document in the stack: role trust, inline role policies and bucket policies. */
function allPolicyDocuments(json: string): Array<{ where: string; doc: PolicyDocument }> {
  const resources = (JSON.parse(json) as Json).resource ?? {};
  const docs: Array<{ where: string; doc: PolicyDocument }> = [];
  for (const [type, byName] of Object.entries(resources)) {
    for (const [name, body] of Object.entries(byName)) {
      for (const key of ['policy', 'assume_role_policy']) {
        if (typeof body[key] === 'string') {
          docs.push({ where: `${type}.${name}.${key}`, doc: JSON.parse(body[key] as string) });
        }
      }
    }
  }
  return docs;
}

describe('GpuzCloudStack buckets', () => {
  const json = synthStack();

  it.each(['raw', 'processed', 'failed'])(
    'names the %s bucket per project, environment and account',
    (name) => {
      expect(resource(json, 'aws_s3_bucket', name).bucket).toBe(
        `\${var.project_name}-\${var.environment}-${name}-${ACCOUNT}`,
      );
    },
  );

  it.each(['raw', 'processed', 'failed'])(
    '%s: refuses to plan a name over 63 characters, and says why',
    (name) => {
      const [precondition] = (resource(json, 'aws_s3_bucket', name).lifecycle as { precondition: unknown[] })
        .precondition as { condition: string; error_message: string }[];
      expect(precondition!.condition).toBe(
        `\${(length("\${var.project_name}-\${var.environment}-${name}-${ACCOUNT}") <= 63)}`,
      );
      expect(precondition!.error_message).toContain('may take 39 characters together');
    },
  );

  it.each(['raw', 'processed', 'failed'])('%s: versioned, private, encrypted', (name) => {
    expect(json).toHaveResourceWithProperties(S3BucketVersioningA, {
      bucket: `\${aws_s3_bucket.${name}.id}`,
      versioning_configuration: { status: 'Enabled' },
    });
    expect(json).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
      bucket: `\${aws_s3_bucket.${name}.id}`,
      block_public_acls: true,
      block_public_policy: true,
      ignore_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(json).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      bucket: `\${aws_s3_bucket.${name}.id}`,
      rule: [
        { apply_server_side_encryption_by_default: { sse_algorithm: 'AES256' }, bucket_key_enabled: false },
      ],
    });
  });

  it.each(['raw', 'processed', 'failed'])(
    '%s: the bucket policy denies every request without TLS',
    (name) => {
      const policy = resource(json, 'aws_s3_bucket_policy', name);
      expect(policy.depends_on).toEqual([`aws_s3_bucket_public_access_block.${name}`]);
      const arn = `\${aws_s3_bucket.${name}.arn}`;
      expect(JSON.parse(policy.policy as string).Statement).toEqual([
        {
          Sid: 'DenyInsecureTransport',
          Effect: 'Deny',
          Principal: '*',
          Action: 's3:*',
          Resource: [arn, `${arn}/*`],
          Condition: { Bool: { 'aws:SecureTransport': 'false' } },
        },
      ]);
    },
  );

  it.each(['raw', 'processed', 'failed'])(
    '%s: lifecycle expires noncurrent versions (7 d) and stale uploads (1 d)',
    (name) => {
      const rules = resource(json, 'aws_s3_bucket_lifecycle_configuration', name).rule as unknown[];
      expect(rules.slice(0, 2)).toEqual([
        {
          id: 'expire-noncurrent-versions',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          noncurrent_version_expiration: [{ noncurrent_days: 7 }],
        },
        {
          id: 'abort-incomplete-multipart-uploads',
          status: 'Enabled',
          filter: [{ prefix: '' }],
          abort_incomplete_multipart_upload: [{ days_after_initiation: 1 }],
        },
      ]);
    },
  );

  it('expires raw/ objects only when raw_expiry_days is positive (a variable), and only in the raw bucket', () => {
    const rawRules = resource(json, 'aws_s3_bucket_lifecycle_configuration', 'raw').rule as unknown[];
    expect(rawRules).toHaveLength(3);
    expect(rawRules[2]).toEqual({
      id: 'expire-raw-batches',
      status: '${var.raw_expiry_days > 0 ? "Enabled" : "Disabled"}',
      filter: [{ prefix: 'raw/' }],
      expiration: [{ days: '${max(var.raw_expiry_days, 1)}' }],
    });
    expect(resource(json, 'aws_s3_bucket_lifecycle_configuration', 'processed').rule).toHaveLength(2);
    expect(resource(json, 'aws_s3_bucket_lifecycle_configuration', 'failed').rule).toHaveLength(2);
    expect(variable(synthStack({ rawExpiryDays: 30 }), 'raw_expiry_days').default).toBe(30);
  });

  it('uses SSE-KMS with a bucket key when asked (Testing.synthScope on the construct)', () => {
    const scoped = Testing.synthScope((scope) => {
      new SecureBucket(scope, 'b', { name: 'kms-bucket', encryption: 'aws:kms' });
    });
    expect(scoped).toHaveResourceWithProperties(S3BucketServerSideEncryptionConfigurationA, {
      rule: [
        { apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms' }, bucket_key_enabled: true },
      ],
    });
  });
});

describe('GpuzCloudStack processor', () => {
  const json = synthStack();

  it('runs Node.js 22 with 256 MB and 60 s; architecture and reserved concurrency are variables (arm64, 2)', () => {
    expect(json).toHaveResourceWithProperties(LambdaFunction, {
      function_name: '${var.project_name}-${var.environment}-processor',
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      architectures: ['${var.lambda_architecture}'],
      memory_size: 256,
      timeout: 60,
      reserved_concurrent_executions: '${var.reserved_concurrency}',
      role: '${aws_iam_role.processor.arn}',
      depends_on: [
        'aws_cloudwatch_log_group.processor',
        'aws_iam_role_policy.processor',
        'aws_iam_role_policy.processor_kafka_secret',
      ],
    });
    expect(variable(json, 'lambda_architecture').default).toBe('arm64');
    expect(variable(json, 'reserved_concurrency').default).toBe(2);
    expect(variable(synthStack({ architecture: 'x86_64' }), 'lambda_architecture').default).toBe('x86_64');
  });

  it('records an event that fails every attempt in the failed bucket (after its two retries)', () => {
    expect(json).toHaveResourceWithProperties(LambdaFunctionEventInvokeConfig, {
      function_name: '${aws_lambda_function.processor.function_name}',
      maximum_retry_attempts: 2,
      maximum_event_age_in_seconds: 21_600,
      destination_config: { on_failure: { destination: FAILED_ARN } },
      // Lambda checks the role may write there when the destination is saved.
      depends_on: ['aws_iam_role_policy.processor'],
    });
  });

  it('wires the bundle path (a variable defaulting to the config) and its base64 SHA-256', () => {
    const fn = resource(json, 'aws_lambda_function', 'processor');
    expect(fn.filename).toBe('${var.lambda_zip_path}');
    expect(fn.source_code_hash).toBe(zip.sha256Base64);
    expect(zip.sha256Base64).toMatch(/^[A-Za-z0-9+/]{43}=$/);
    const variables = (JSON.parse(json) as { variable: Record<string, { default: unknown }> }).variable;
    expect(variables.lambda_zip_path?.default).toBe(zip.path);
  });

  it('passes the processed bucket and the Kafka variables to the function', () => {
    expect(resource(json, 'aws_lambda_function', 'processor').environment).toEqual({
      variables: {
        PROCESSED_BUCKET: '${aws_s3_bucket.processed.bucket}',
        KAFKA_BROKERS: '${var.kafka_endpoint}',
        KAFKA_TOPIC: '${var.kafka_topic}',
        KAFKA_SASL_SECRET_ARN: '${var.kafka_sasl_secret_arn}',
        NODE_OPTIONS: '--enable-source-maps',
      },
    });
  });

  it('lets the function read the Kafka secret, that one only, and only when one is configured', () => {
    const policy = resource(json, 'aws_iam_role_policy', 'processor_kafka_secret');
    expect(policy.count).toBe('${(length(var.kafka_sasl_secret_arn) >= 1) ? 1 : 0}');
    expect(policy.role).toBe('${aws_iam_role.processor.id}');
    expect(JSON.parse(policy.policy as string).Statement).toEqual([
      {
        Sid: 'ReadKafkaCredentials',
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: '${var.kafka_sasl_secret_arn}',
      },
    ]);
    const variable = (
      JSON.parse(json) as { variable: Record<string, { validation: { condition: string }[] }> }
    ).variable.kafka_sasl_secret_arn!;
    expect(variable.validation[0]!.condition).toContain('secretsmanager');
  });

  it('keeps the function log group for 7 days', () => {
    expect(json).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: '/aws/lambda/${var.project_name}-${var.environment}-processor',
      retention_in_days: 7,
    });
  });

  it('gives the role exactly: read raw/*, write processed/* and quarantine/*, seal days under rollups/, record failures, write its own logs', () => {
    expect(json).toHaveResourceWithProperties(IamRole, {
      assume_role_policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' },
        ],
      }),
    });
    const policy = resource(json, 'aws_iam_role_policy', 'processor');
    expect(policy.role).toBe('${aws_iam_role.processor.id}');
    expect(JSON.parse(policy.policy as string).Statement).toEqual([
      { Sid: 'ReadRawBatches', Effect: 'Allow', Action: 's3:GetObject', Resource: `${RAW_ARN}/raw/*` },
      {
        Sid: 'WriteProcessedAndQuarantine',
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: [`${PROCESSED_ARN}/processed/*`, `${PROCESSED_ARN}/quarantine/*`],
      },
      {
        Sid: 'SealDays',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: [`${PROCESSED_ARN}/processed/*`, `${PROCESSED_ARN}/rollups/*`],
      },
      {
        Sid: 'WriteDayDocuments',
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: `${PROCESSED_ARN}/rollups/*`,
      },
      {
        Sid: 'ListDays',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: PROCESSED_ARN,
        Condition: { StringLike: { 's3:prefix': ['processed/*', 'rollups/*'] } },
      },
      { Sid: 'RecordFailedEvents', Effect: 'Allow', Action: 's3:PutObject', Resource: `${FAILED_ARN}/*` },
      { Sid: 'ListFailedEvents', Effect: 'Allow', Action: 's3:ListBucket', Resource: FAILED_ARN },
      {
        Sid: 'WriteOwnLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        Resource: [LOG_GROUP_ARN, `${LOG_GROUP_ARN}:*`],
      },
    ]);
  });

  it('no policy document in the stack allows s3:* or an S3 action on Resource "*"', () => {
    const docs = allPolicyDocuments(synthStack({ alarmEmail: 'owner@example.com', rawExpiryDays: 3 }));
    expect(docs.map((d) => d.where).sort()).toEqual([
      'aws_iam_role.processor.assume_role_policy',
      'aws_iam_role_policy.analytics_copy.policy',
      'aws_iam_role_policy.processor.policy',
      'aws_iam_role_policy.processor_kafka_secret.policy',
      'aws_s3_bucket_policy.failed.policy',
      'aws_s3_bucket_policy.processed.policy',
      'aws_s3_bucket_policy.raw.policy',
    ]);
    expect(docs.flatMap(({ where, doc }) => findBroadS3Grants(doc).map((p) => `${where}: ${p}`))).toEqual([]);
  });

  it('notifies the function of every object created under raw/, after the scoped permission exists', () => {
    expect(json).toHaveResourceWithProperties(LambdaPermission, {
      action: 'lambda:InvokeFunction',
      function_name: '${aws_lambda_function.processor.function_name}',
      principal: 's3.amazonaws.com',
      source_arn: RAW_ARN,
      source_account: ACCOUNT,
    });
    expect(json).toHaveResourceWithProperties(S3BucketNotification, {
      bucket: '${aws_s3_bucket.raw.id}',
      depends_on: ['aws_lambda_permission.processor_from_raw_bucket'],
      lambda_function: [
        {
          id: 'process-raw-batches',
          lambda_function_arn: '${aws_lambda_function.processor.arn}',
          events: ['s3:ObjectCreated:*'],
          filter_prefix: 'raw/',
        },
      ],
    });
  });

  it('refuses to synthesize without the bundle, and says how to build it', () => {
    let caught: unknown;
    try {
      synthStack({ lambdaZipPath: `${zip.path}.missing` });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(AppError);
    expect((caught as AppError).code).toBe('LAMBDA_ZIP_MISSING');
    expect((caught as AppError).advice).toContain('npm run build:lambda');
  });
});

describe('GpuzCloudStack alarm, variables, outputs, provider', () => {
  const json = synthStack();

  it('alarms on at least one Lambda error in 5 minutes, to its SNS topic (alarm and back to OK)', () => {
    expect(json).toHaveResourceWithProperties(CloudwatchMetricAlarm, {
      namespace: 'AWS/Lambda',
      metric_name: 'Errors',
      dimensions: { FunctionName: '${var.project_name}-${var.environment}-processor' },
      statistic: 'Sum',
      period: 300,
      evaluation_periods: 1,
      threshold: 1,
      comparison_operator: 'GreaterThanOrEqualToThreshold',
      treat_missing_data: 'notBreaching',
      alarm_name: '${var.project_name}-${var.environment}-processor-errors',
      alarm_actions: ['${aws_sns_topic.processor_errors.arn}'],
      ok_actions: ['${aws_sns_topic.processor_errors.arn}'],
    });
    expect(json).toHaveResourceWithProperties(SnsTopic, {
      name: '${var.project_name}-${var.environment}-processor-errors',
    });
  });

  it('e-mails the alarm only when alarm_email is set (a variable the wizard and deploy set)', () => {
    expect(json).toHaveResourceWithProperties(SnsTopicSubscription, {
      count: '${(length(var.alarm_email) >= 1) ? 1 : 0}',
      topic_arn: '${aws_sns_topic.processor_errors.arn}',
      protocol: 'email',
      endpoint: '${var.alarm_email}',
    });
    const email = variable(json, 'alarm_email') as { validation: { condition: string }[] };
    expect(email.validation[0]!.condition).toBe(
      '${can(regex("^([^@ ]+@[^@ ]+[.][^@ ]+)?$", var.alarm_email))}',
    );
    expect(variable(synthStack({ alarmEmail: 'owner@example.com' }), 'alarm_email').default).toBe(
      'owner@example.com',
    );
  });

  it("keeps the old design's variables with the config's defaults", () => {
    const stack = JSON.parse(
      synthStack({ environment: 'prod', region: 'eu-central-1', kafkaEndpoint: 'b:9092', kafkaTopic: 'gpu' }),
    ) as { variable: Record<string, { default: unknown; type: string }> };
    const defaults = Object.fromEntries(Object.entries(stack.variable).map(([k, v]) => [k, v.default]));
    expect(defaults).toEqual({
      aws_region: 'eu-central-1',
      environment: 'prod',
      project_name: 'gpuz-cloud',
      kafka_endpoint: 'b:9092',
      kafka_topic: 'gpu',
      kafka_sasl_secret_arn: '',
      upload_batch_interval: 60,
      alarm_email: '',
      raw_expiry_days: 0,
      lambda_architecture: 'arm64',
      reserved_concurrency: 2,
      lambda_zip_path: zip.path,
      analytics_copy: false,
    });
    expect(stack.variable.upload_batch_interval?.type).toBe('number');
  });

  it('outputs what the agent needs', () => {
    const { output } = JSON.parse(json) as { output: Record<string, { value: string }> };
    expect(Object.fromEntries(Object.entries(output).map(([k, v]) => [k, v.value]))).toEqual({
      raw_bucket: '${aws_s3_bucket.raw.bucket}',
      processed_bucket: '${aws_s3_bucket.processed.bucket}',
      failed_bucket: '${aws_s3_bucket.failed.bucket}',
      function_name: '${aws_lambda_function.processor.function_name}',
      region: '${var.aws_region}',
      log_group: '${aws_cloudwatch_log_group.processor.name}',
      alarm_name: '${aws_cloudwatch_metric_alarm.processor_errors.alarm_name}',
      alarm_email: '${var.alarm_email}',
      raw_expiry_days: '${var.raw_expiry_days}',
      lambda_architecture: '${var.lambda_architecture}',
      reserved_concurrency: '${var.reserved_concurrency}',
      analytics_copy: '${var.analytics_copy}',
      upload_batch_interval: '${var.upload_batch_interval}',
    });
  });

  it('denies non-TLS requests on the whole bucket; only an emulator build narrows it to a placeholder (moto ignores conditions)', () => {
    const emulated = synthStack({ endpoints: emulatorEndpoints('http://127.0.0.1:5055') });
    for (const name of ['raw', 'processed', 'failed']) {
      const arn = `\${aws_s3_bucket.${name}.arn}`;
      const real = JSON.parse(resource(json, 'aws_s3_bucket_policy', name).policy as string);
      expect(real.Statement[0].Resource).toEqual([arn, `${arn}/*`]);
      const moto = JSON.parse(resource(emulated, 'aws_s3_bucket_policy', name).policy as string);
      expect(moto.Statement[0]).toMatchObject({ Principal: '*', Resource: `${arn}/emulator-placeholder/*` });
    }
  });

  it('talks to real AWS by default and to an emulator only when endpoints are given', () => {
    const real = JSON.parse(json) as { provider: { aws: Array<Record<string, unknown>> } };
    expect(real.provider.aws[0]).toEqual(expect.objectContaining({ region: '${var.aws_region}' }));
    expect(real.provider.aws[0]).not.toHaveProperty('endpoints');
    expect(real.provider.aws[0]).not.toHaveProperty('skip_credentials_validation');

    const emulated = synthStack({ endpoints: emulatorEndpoints('http://127.0.0.1:5055') });
    const url = 'http://127.0.0.1:5055';
    expect(emulated).toHaveProviderWithProperties(AwsProvider, {
      endpoints: [{ s3: url, lambda: url, iam: url, sts: url, cloudwatch: url, logs: url, sns: url }],
      s3_use_path_style: true,
      skip_credentials_validation: true,
      skip_requesting_account_id: true,
      skip_metadata_api_check: 'true',
    });
  });

  it('keeps state in the working folder (local backend)', () => {
    expect((JSON.parse(json) as { terraform: { backend: unknown } }).terraform.backend).toEqual({
      local: { path: 'terraform.tfstate' },
    });
  });
});

describe('findBroadS3Grants', () => {
  it('flags s3:* and S3 actions on Resource "*" in Allow statements, and ignores Deny', () => {
    const doc: PolicyDocument = {
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 's3:*', Resource: 'arn:aws:s3:::b/*' },
        { Effect: 'Allow', Action: ['logs:PutLogEvents', 's3:GetObject'], Resource: '*' },
        { Effect: 'Allow', Action: 'logs:PutLogEvents', Resource: '*' },
        { Effect: 'Deny', Action: 's3:*', Resource: '*' },
      ],
    };
    expect(findBroadS3Grants(doc)).toEqual([
      'statement 0 allows s3:*',
      'statement 1 allows S3 on Resource "*"',
    ]);
  });
});
