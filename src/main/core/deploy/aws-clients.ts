/**
 * The AWS SDK clients deploy, destroy and doctor use, from one profile/region/endpoint.
 *   createAwsClients({ profile: 'home', region: 'eu-central-1' }) → { sts, s3, lambda, iam, cloudwatch, logs, sns }
 *   createAwsClients({ region: 'us-east-1', endpoint: 'http://127.0.0.1:5055' }) → clients for moto / LocalStack
 */
import { CloudWatchClient } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { S3Client } from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import type { DoctorClients } from '../doctor/types';

export interface AwsTarget {
  profile?: string | undefined;
  region: string;
  endpoint?: string | undefined;
  /** Keys typed into Settings (the secret vault); they win over the profile. */
  credentials?: { accessKeyId: string; secretAccessKey: string };
}

export function createAwsClients(target: AwsTarget): DoctorClients {
  const common = {
    region: target.region,
    ...(target.credentials
      ? { credentials: target.credentials }
      : target.profile
        ? { profile: target.profile }
        : {}),
    ...(target.endpoint ? { endpoint: target.endpoint } : {}),
  };
  return {
    sts: new STSClient(common),
    s3: new S3Client({
      ...common,
      // Emulators want path-style and no flexible checksums (ENVIRONMENT.md).
      ...(target.endpoint
        ? {
            forcePathStyle: true,
            requestChecksumCalculation: 'WHEN_REQUIRED',
            responseChecksumValidation: 'WHEN_REQUIRED',
          }
        : {}),
    }),
    lambda: new LambdaClient(common),
    iam: new IAMClient(common),
    cloudwatch: new CloudWatchClient(common),
    logs: new CloudWatchLogsClient(common),
    sns: new SNSClient(common),
  };
}

/** The region to use: the flag, then the usual AWS variables, then us-east-1. */
export function resolveRegion(flag: string | undefined, env: Record<string, string | undefined>): string {
  return flag ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'us-east-1';
}
