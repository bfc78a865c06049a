/**
 * Adopting a stack whose state is lost everywhere (no local file, no copy in the account): every name is
 * predictable, so each resource that already exists is found with one read and imported by a Terraform `import`
 * block instead of failing with "already exists" (log group, role, buckets) or being taken over silently (alarm).
 *
 *   const found = await findExistingResources({ clients, names, region, accountId, kafkaSecret: false, alarmEmail: '' })
 *     → [{ to: 'aws_s3_bucket.raw', id: 'gpuz-cloud-dev-raw-123456789012' }, …]
 *   await writeImportBlocks(dir, found)   → <dir>/adopt.tf.json (removed again with writeImportBlocks(dir, []))
 * ADOPTABLE lists every resource of the stack; a test keeps it complete against the synthesized stack.
 */
import { rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetRoleCommand, GetRolePolicyCommand } from '@aws-sdk/client-iam';
import {
  GetFunctionCommand,
  GetFunctionEventInvokeConfigCommand,
  GetPolicyCommand,
} from '@aws-sdk/client-lambda';
import {
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketNotificationConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  HeadBucketCommand,
} from '@aws-sdk/client-s3';
import { GetTopicAttributesCommand, ListSubscriptionsByTopicCommand } from '@aws-sdk/client-sns';
import type { StackNames } from '../../../shared/stack/names';
import type { DoctorClients } from '../doctor/types';

export const IMPORTS_FILE = 'adopt.tf.json';

export interface ImportTarget {
  to: string;
  id: string;
}

export interface AdoptContext {
  clients: DoctorClients;
  names: StackNames;
  region: string;
  accountId: string;
  /** kafka_sasl_secret_arn is set: its role policy exists in the configuration (count 1). */
  kafkaSecret: boolean;
  /** alarm_email is set: the e-mail subscription exists in the configuration (count 1). */
  alarmEmail: string;
  /** analytics_copy is on: the daily copy's schedule, permission and policy exist in the configuration (count 1). */
  analyticsCopy?: boolean;
}

type Probe = (c: AdoptContext) => Promise<string | null>;

/** Runs a read; its id when it answered, null when AWS says the thing is not there (or cannot be read). */
const exists = (read: () => Promise<unknown>, id: string): Promise<string | null> =>
  read().then(
    () => id,
    () => null,
  );

function bucketParts(
  key: 'raw' | 'processed' | 'failed',
  bucket: (n: StackNames) => string,
): Record<string, Probe> {
  const s3 = (c: AdoptContext) => c.clients.s3;
  const on = (c: AdoptContext) => ({ Bucket: bucket(c.names) });
  return {
    [`aws_s3_bucket.${key}`]: (c) => exists(() => s3(c).send(new HeadBucketCommand(on(c))), bucket(c.names)),
    // Versioning that was never set has no status: then there is nothing to import, only to create.
    [`aws_s3_bucket_versioning.${key}`]: async (c) => {
      const out = await s3(c)
        .send(new GetBucketVersioningCommand(on(c)))
        .catch(() => null);
      return out?.Status ? bucket(c.names) : null;
    },
    [`aws_s3_bucket_public_access_block.${key}`]: (c) =>
      exists(() => s3(c).send(new GetPublicAccessBlockCommand(on(c))), bucket(c.names)),
    [`aws_s3_bucket_server_side_encryption_configuration.${key}`]: (c) =>
      exists(() => s3(c).send(new GetBucketEncryptionCommand(on(c))), bucket(c.names)),
    [`aws_s3_bucket_policy.${key}`]: (c) =>
      exists(() => s3(c).send(new GetBucketPolicyCommand(on(c))), bucket(c.names)),
    [`aws_s3_bucket_lifecycle_configuration.${key}`]: (c) =>
      exists(() => s3(c).send(new GetBucketLifecycleConfigurationCommand(on(c))), bucket(c.names)),
  };
}

/** A statement of the function's resource policy, by Sid: its import id `function/sid`, or null. */
async function permissionStatement(c: AdoptContext, sid: string): Promise<string | null> {
  const out = await c.clients.lambda
    .send(new GetPolicyCommand({ FunctionName: c.names.functionName }))
    .catch(() => null);
  const statements = (JSON.parse(out?.Policy ?? '{}') as { Statement?: { Sid?: string }[] }).Statement;
  return statements?.some((s) => s.Sid === sid) ? `${c.names.functionName}/${sid}` : null;
}

const topicArn = (c: AdoptContext) => `arn:aws:sns:${c.region}:${c.accountId}:${c.names.topicName}`;

/** Every resource of the stack, by Terraform address, and how to find its import id. */
export const ADOPTABLE: Record<string, Probe> = {
  ...bucketParts('raw', (n) => n.rawBucket),
  ...bucketParts('processed', (n) => n.processedBucket),
  ...bucketParts('failed', (n) => n.failedBucket),
  'aws_s3_bucket_notification.raw': async (c) => {
    const out = await c.clients.s3
      .send(new GetBucketNotificationConfigurationCommand({ Bucket: c.names.rawBucket }))
      .catch(() => null);
    return out?.LambdaFunctionConfigurations?.length ? c.names.rawBucket : null;
  },
  'aws_iam_role.processor': (c) =>
    exists(() => c.clients.iam.send(new GetRoleCommand({ RoleName: c.names.roleName })), c.names.roleName),
  'aws_iam_role_policy.processor': (c) =>
    exists(
      () =>
        c.clients.iam.send(
          new GetRolePolicyCommand({ RoleName: c.names.roleName, PolicyName: 'processor-least-privilege' }),
        ),
      `${c.names.roleName}:processor-least-privilege`,
    ),
  'aws_iam_role_policy.processor_kafka_secret[0]': (c) =>
    c.kafkaSecret
      ? exists(
          () =>
            c.clients.iam.send(
              new GetRolePolicyCommand({ RoleName: c.names.roleName, PolicyName: 'processor-kafka-secret' }),
            ),
          `${c.names.roleName}:processor-kafka-secret`,
        )
      : Promise.resolve(null),
  // The daily analytics copy (count 1 only with analytics_copy on). EventBridge's PutRule/PutTargets overwrite what
  // exists, so the rule and target need no import; Lambda's AddPermission refuses a duplicate statement.
  'aws_cloudwatch_event_rule.analytics_copy[0]': () => Promise.resolve(null),
  'aws_cloudwatch_event_target.analytics_copy[0]': () => Promise.resolve(null),
  'aws_iam_role_policy.analytics_copy[0]': (c) =>
    c.analyticsCopy
      ? exists(
          () =>
            c.clients.iam.send(
              new GetRolePolicyCommand({
                RoleName: c.names.roleName,
                PolicyName: 'processor-analytics-copy',
              }),
            ),
          `${c.names.roleName}:processor-analytics-copy`,
        )
      : Promise.resolve(null),
  'aws_lambda_permission.analytics_copy[0]': (c) =>
    c.analyticsCopy ? permissionStatement(c, 'AllowDailyAnalyticsCopy') : Promise.resolve(null),
  'aws_cloudwatch_log_group.processor': async (c) => {
    const out = await c.clients.logs
      .send(new DescribeLogGroupsCommand({ logGroupNamePrefix: c.names.logGroup }))
      .catch(() => null);
    return out?.logGroups?.some((g) => g.logGroupName === c.names.logGroup) ? c.names.logGroup : null;
  },
  'aws_lambda_function.processor': (c) =>
    exists(
      () => c.clients.lambda.send(new GetFunctionCommand({ FunctionName: c.names.functionName })),
      c.names.functionName,
    ),
  'aws_lambda_permission.processor_from_raw_bucket': (c) =>
    permissionStatement(c, 'AllowRawBucketNotification'),
  'aws_lambda_function_event_invoke_config.processor': (c) =>
    exists(
      () =>
        c.clients.lambda.send(
          new GetFunctionEventInvokeConfigCommand({ FunctionName: c.names.functionName }),
        ),
      c.names.functionName,
    ),
  'aws_cloudwatch_metric_alarm.processor_errors': async (c) => {
    const out = await c.clients.cloudwatch
      .send(new DescribeAlarmsCommand({ AlarmNames: [c.names.alarmName] }))
      .catch(() => null);
    return out?.MetricAlarms?.length ? c.names.alarmName : null;
  },
  'aws_sns_topic.processor_errors': (c) =>
    exists(() => c.clients.sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn(c) })), topicArn(c)),
  // A subscription still waiting for its confirmation has no ARN to import: the plan creates (re-sends) it.
  'aws_sns_topic_subscription.processor_errors_email[0]': async (c) => {
    if (!c.alarmEmail) return null;
    const out = await c.clients.sns
      .send(new ListSubscriptionsByTopicCommand({ TopicArn: topicArn(c) }))
      .catch(() => null);
    const found = out?.Subscriptions?.find(
      (s) => s.Protocol === 'email' && s.Endpoint === c.alarmEmail && s.SubscriptionArn?.startsWith('arn:'),
    );
    return found?.SubscriptionArn ?? null;
  },
};

export async function findExistingResources(context: AdoptContext): Promise<ImportTarget[]> {
  const found = await Promise.all(
    Object.entries(ADOPTABLE).map(async ([to, probe]) => ({ to, id: await probe(context) })),
  );
  return found.filter((f): f is ImportTarget => f.id !== null);
}

/** `import` blocks (Terraform ≥ 1.5) in their own file of the working folder; none: the file is removed. */
export async function writeImportBlocks(dir: string, targets: ImportTarget[]): Promise<void> {
  const path = join(dir, IMPORTS_FILE);
  if (targets.length === 0) {
    await rm(path, { force: true });
    return;
  }
  await writeFile(path, `${JSON.stringify({ import: targets }, null, 2)}\n`);
}
