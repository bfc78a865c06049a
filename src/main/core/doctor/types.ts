/**
 * One doctor check's verdict, as the CLI table and the app show it.
 *   { id: 'raw-bucket', title: 'Raw bucket', status: 'fail', detail: 'gpuz-cloud-dev-raw-… does not exist',
 *     advice: 'Deploy the stack: gpuz-cloud deploy --env dev' }
 */
import type { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import type { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import type { IAMClient } from '@aws-sdk/client-iam';
import type { LambdaClient } from '@aws-sdk/client-lambda';
import type { S3Client } from '@aws-sdk/client-s3';
import type { SNSClient } from '@aws-sdk/client-sns';
import type { STSClient } from '@aws-sdk/client-sts';

export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skip';

export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  detail: string;
  advice?: string;
  /** Extra lines to show under the check (the last log lines). */
  lines?: string[];
}

export interface DoctorClients {
  sts: STSClient;
  s3: S3Client;
  lambda: LambdaClient;
  iam: IAMClient;
  cloudwatch: CloudWatchClient;
  logs: CloudWatchLogsClient;
  sns: SNSClient;
}

export const REDEPLOY = (environment: string) =>
  `Run \`gpuz-cloud deploy --env ${environment}\` to create or repair it.`;

export function errorName(error: unknown): string {
  return (error as { name?: string }).name ?? 'Error';
}
