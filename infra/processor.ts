/**
 * The processor Lambda and everything it needs: a least-privilege role, its own log group (7 days), and the
 * raw bucket's `raw/` ObjectCreated notification with a permission scoped to that bucket and account.
 *
 *   new Processor(stack, 'processor', { functionName, rawBucket, processedBucket, accountId, config, variables })
 *     → aws_lambda_function.processor, aws_iam_role.processor (+ aws_iam_role_policy.processor),
 *       aws_cloudwatch_log_group.processor, aws_lambda_permission.processor_from_raw_bucket,
 *       aws_s3_bucket_notification.raw
 */
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy';
import { LambdaFunction } from '@cdktf/provider-aws/lib/lambda-function';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission';
import type { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import { S3BucketNotification } from '@cdktf/provider-aws/lib/s3-bucket-notification';
import { Fn, Op, Token } from 'cdktf';
import { Construct } from 'constructs';
import { kafkaSecretPolicy, lambdaAssumeRolePolicy, processorPolicy } from '../src/shared/stack/policies';
import type { GpuzCloudConfig } from './config';
import { hashLambdaZip } from './lambda-zip';

export interface ProcessorProps {
  functionName: string;
  rawBucket: S3Bucket;
  processedBucket: S3Bucket;
  accountId: string;
  config: GpuzCloudConfig;
  /** Terraform expressions (variables) for values that can change per apply. */
  zipPath: string;
  kafkaBrokers: string;
  kafkaTopic: string;
  /** Empty: no SASL; else the function reads this one secret at cold start (and may read nothing else). */
  kafkaSaslSecretArn: string;
}

export class Processor extends Construct {
  readonly function: LambdaFunction;
  readonly logGroup: CloudwatchLogGroup;
  readonly role: IamRole;

  constructor(scope: Construct, id: string, props: ProcessorProps) {
    super(scope, id);
    const { config } = props;

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
          logGroupArn: this.logGroup.arn,
        }),
      ),
    });
    policy.overrideLogicalId(id);
    // Only when a Kafka secret is configured: GetSecretValue on that one secret (count 0 otherwise).
    const secretPolicy = new IamRolePolicy(this, 'kafka-secret', {
      // cdktf's Op.eq renders a falsy operand ('' or 0) as `undefined`, so the test is "at least 1 character".
      count: Token.asNumber(Fn.conditional(Op.gte(Fn.lengthOf(props.kafkaSaslSecretArn), 1), 1, 0)),
      name: 'processor-kafka-secret',
      role: this.role.id,
      policy: JSON.stringify(kafkaSecretPolicy(props.kafkaSaslSecretArn)),
    });
    secretPolicy.overrideLogicalId(`${id}_kafka_secret`);

    this.function = new LambdaFunction(this, 'function', {
      functionName: props.functionName,
      role: this.role.arn,
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      architectures: [config.architecture],
      memorySize: config.memoryMb,
      timeout: config.timeoutSeconds,
      reservedConcurrentExecutions: config.reservedConcurrency,
      filename: props.zipPath,
      sourceCodeHash: hashLambdaZip(config.lambdaZipPath),
      environment: {
        variables: {
          PROCESSED_BUCKET: props.processedBucket.bucket,
          // Empty values keep Kafka off (lambda/config.ts needs both).
          KAFKA_BROKERS: props.kafkaBrokers,
          KAFKA_TOPIC: props.kafkaTopic,
          KAFKA_SASL_SECRET_ARN: props.kafkaSaslSecretArn,
          NODE_OPTIONS: '--enable-source-maps',
        },
      },
      dependsOn: [this.logGroup, policy, secretPolicy],
    });
    this.function.overrideLogicalId(id);

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
