/**
 * Doctor checks for the buckets and the raw bucket's notification.
 *   checkBucket(s3, 'Raw bucket', 'gpuz-cloud-dev-raw-1234', 'dev') → { status: 'pass', detail: 'gpuz-cloud-dev-raw-1234 exists' }
 *   checkNotification(s3, names, 'dev') → pass when ObjectCreated events under raw/ go to the processor
 */
import {
  GetBucketNotificationConfigurationCommand,
  type GetBucketNotificationConfigurationCommandOutput,
  HeadBucketCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { StackNames } from '../../../shared/stack/names';
import { type CheckResult, errorName, REDEPLOY } from './types';

export async function checkBucket(
  s3: S3Client,
  id: string,
  title: string,
  bucket: string,
  environment: string,
): Promise<CheckResult> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: bucket }));
    return { id, title, status: 'pass', detail: `${bucket} exists` };
  } catch (error) {
    const name = errorName(error);
    if (name === 'NotFound' || name === 'NoSuchBucket') {
      return { id, title, status: 'fail', detail: `${bucket} does not exist`, advice: REDEPLOY(environment) };
    }
    if (name === 'Forbidden' || name === 'AccessDenied') {
      return {
        id,
        title,
        status: 'fail',
        detail: `${bucket}: access denied`,
        advice: 'The bucket belongs to another account, or this profile may not read it: check --profile.',
      };
    }
    return {
      id,
      title,
      status: 'fail',
      detail: `${bucket}: ${name}`,
      advice: 'Check the region (--region).',
    };
  }
}

export async function checkNotification(
  s3: S3Client,
  names: StackNames,
  environment: string,
): Promise<CheckResult> {
  const base = { id: 'notification', title: 'S3 → Lambda notification' };
  let config: GetBucketNotificationConfigurationCommandOutput;
  try {
    config = await s3.send(new GetBucketNotificationConfigurationCommand({ Bucket: names.rawBucket }));
  } catch (error) {
    return {
      ...base,
      status: 'fail',
      detail: `cannot read it: ${errorName(error)}`,
      advice: REDEPLOY(environment),
    };
  }
  const targets = config.LambdaFunctionConfigurations ?? [];
  const ours = targets.find((t) => t.LambdaFunctionArn?.endsWith(`:function:${names.functionName}`));
  if (!ours) {
    return {
      ...base,
      status: 'fail',
      detail: `${names.rawBucket} does not notify ${names.functionName} (${targets.length} Lambda targets)`,
      advice: `Uploads are stored but never processed. ${REDEPLOY(environment)}`,
    };
  }
  const events = ours.Events ?? [];
  const prefix = ours.Filter?.Key?.FilterRules?.find((r) => r.Name?.toLowerCase() === 'prefix')?.Value ?? '';
  const created = events.some((e) => e === 's3:ObjectCreated:*' || e === 's3:ObjectCreated:Put');
  if (!created || (prefix !== 'raw/' && prefix !== '')) {
    return {
      ...base,
      status: 'fail',
      detail: `events ${events.join(', ') || 'none'}, prefix "${prefix}": uploads under raw/ are not all delivered`,
      advice: REDEPLOY(environment),
    };
  }
  return {
    ...base,
    status: 'pass',
    detail: `${events.join(', ')} under "${prefix}" → ${names.functionName}`,
  };
}
