/**
 * The processor Lambda and everything it needs: a least-privilege role, its own log group (7 days), the raw
 * bucket's `raw/` ObjectCreated notification with a permission scoped to that bucket and account, and an
 * on-failure destination so an event that fails every attempt is recorded in the failed bucket, not lost.
 *
 *   new Processor(stack, 'processor', { functionName, rawBucket, processedBucket, failedBucket, accountId, config, variables })
 *     → aws_lambda_function.processor, aws_iam_role.processor (+ aws_iam_role_policy.processor),
 *       aws_cloudwatch_log_group.processor, aws_lambda_permission.processor_from_raw_bucket,
 *       aws_s3_bucket_notification.raw, aws_lambda_function_event_invoke_config.processor
 */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaFunctionEventInvokeConfig } from '@cdktf/provider-aws/lib/lambda-function-event-invoke-config';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { Fn, Op, Token } from 'cdktf';
import { Construct } from 'constructs';
import { LAMBDA_NODE_OPTIONS } from '../src/shared/process/lambda-budget';
import { kafkaSecretPolicy, lambdaAssumeRolePolicy, processorPolicy } from '../src/shared/stack/policies';
import type { GpuzCloudConfig } from './config';
import { hashLambdaZip } from './lambda-zip';
import type { StackVariables } from './variables';

export interface ProcessorProps {
  functionName: string;
  rawBucket: S3Bucket;
  processedBucket: S3Bucket;
  failedBucket: S3Bucket;
  accountId: string;
  config: GpuzCloudConfig;
  /** Terraform expressions for what can change per apply (zip path, Kafka, architecture, concurrency). */
  variables: StackVariables;
}

/** Lambda's own retry policy for asynchronous events (S3 notifications): two retries over up to six hours. */
export const ASYNC_RETRIES = 2;
export const ASYNC_MAX_EVENT_AGE_SECONDS = 6 * 60 * 60;

export class Processor extends Construct {
  readonly function: LambdaFunction;
  readonly logGroup: CloudwatchLogGroup;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: ProcessorProps) {
    super(scope, id);
    const { config, variables: v } = props;

    // Created before the function: otherwise Lambda creates it on first run with no retention at all.
    this.logGroup = new CloudwatchLogGroup(this, 'logs', {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: config.logRetentionDays,
    });
    this.logGroup.overrideLogicalId(id);
    this.role = new IamRole(this, 'role', {
      name: `${props.functionName}-role`,
      assumeRolePolicy: JSON.stringify(lambdaAssumeRolePolicy()),
    });
    this.role.overrideLogicalId(id);
    const policy = new IamRolePolicy(this, 'policy', {
      name: 'processor-least-privilege',
      role: this.role.id,
      policy: JSON.stringify(
        processorPolicy({
          rawBucketArn: props.rawBucket.arn,
          processedBucketArn: props.processedBucket.arn,
          failedBucketArn: props.failedBucket.arn,
          logGroupArn: this.logGroup.arn,
        }),
      ),
    });
    policy.overrideLogicalId(id);
    // Only when a Kafka secret is configured: GetSecretValue on that one secret (count 0 otherwise).
    const secretPolicy = new IamRolePolicy(this, 'kafka-secret', {
      // cdktf's Op.eq renders a falsy operand ('' or 0) as `undefined`, so the test is "at least 1 character".
      count: Token.asNumber(Fn.conditional(Op.gte(Fn.lengthOf(v.kafkaSaslSecretArn), 1), 1, 0)),
      name: 'processor-kafka-secret',
      role: this.role.id,
      policy: JSON.stringify(kafkaSecretPolicy(v.kafkaSaslSecretArn)),
    });
    secretPolicy.overrideLogicalId(`${id}_kafka_secret`);

    this.function = new LambdaFunction(this, 'function', {
      functionName: props.functionName,
      role: this.role.arn,
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      architectures: [v.architecture],
      memorySize: config.memoryMb,
      timeout: config.timeoutSeconds,
      // -1 (no reservation) where the account's quota is too small to reserve any: the deploy decides per account.
      reservedConcurrentExecutions: v.reservedConcurrency,
      filename: v.zipPath,
      sourceCodeHash: hashLambdaZip(config.lambdaZipPath),
      environment: {
        variables: {
          PROCESSED_BUCKET: props.processedBucket.bucket,
          // Empty values keep Kafka off (lambda/config.ts needs both).
          KAFKA_BROKERS: v.kafkaEndpoint,
          KAFKA_TOPIC: v.kafkaTopic,
          KAFKA_SASL_SECRET_ARN: v.kafkaSaslSecretArn,
          NODE_OPTIONS: LAMBDA_NODE_OPTIONS,
        },
      },
      dependsOn: [this.logGroup, policy, secretPolicy],
    });
    this.function.overrideLogicalId(id);

    // An event that still fails after Lambda's retries is written to the failed bucket (`gpuz-cloud reprocess`
    // runs it again) instead of surviving only in 7-day logs. Lambda checks the role when this is saved.
    new LambdaFunctionEventInvokeConfig(this, 'async', {
      functionName: this.function.functionName,
      maximumRetryAttempts: ASYNC_RETRIES,
      maximumEventAgeInSeconds: ASYNC_MAX_EVENT_AGE_SECONDS,
      destinationConfig: { onFailure: { destination: props.failedBucket.arn } },
      dependsOn: [policy],
    }).overrideLogicalId(id);

    const permission = new LambdaPermission(this, 'allow-s3', {
      statementId: 'AllowRawBucketNotification',
      action: 'lambda:InvokeFunction',
      functionName: this.function.functionName,
      principal: 's3.amazonaws.com',
      sourceArn: props.rawBucket.arn,
      sourceAccount: props.accountId,
    });
    permission.overrideLogicalId(`${id}_from_raw_bucket`);
    // S3 tests the destination when the notification is saved: the permission must exist first.
    new S3BucketNotification(this, 'raw-created', {
      bucket: props.rawBucket.id,
      lambdaFunction: [
        {
          id: 'process-raw-batches',
          lambdaFunctionArn: this.function.arn,
          events: ['s3:ObjectCreated:*'],
          filterPrefix: 'raw/',
        },
      ],
      dependsOn: [permission],
    }).overrideLogicalId('raw');
  }
}
