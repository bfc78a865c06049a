/**
 * IAM policy documents of the stack as plain objects (serialised with JSON.stringify; CDKTF resolves the
 * ARN tokens inside the string at synth time).
 *
 *   processorPolicy({ rawBucketArn, processedBucketArn, failedBucketArn, logGroupArn })
 *     → GetObject on <raw>/raw/*, PutObject on <processed>/processed/* and /quarantine/*,
 *       the daily seal of day documents (lambda/day-seal.ts): GetObject on <processed>/processed/* and
 *       /rollups/*, PutObject on /rollups/*, ListBucket of the processed bucket under those two prefixes only,
 *       PutObject + ListBucket on the failed bucket (Lambda's on-failure destination writes with the function's
 *       role), CreateLogStream + PutLogEvents on the function's own log group only
 */
/** A prefix nothing is written to: the emulator variant of the TLS-only Deny covers only it (see tlsOnlyBucketPolicy). */
export const EMULATOR_PLACEHOLDER_PREFIX = 'emulator-placeholder/';

export interface PolicyStatement {
  Sid?: string;
  Effect: 'Allow' | 'Deny';
  Principal?: string | Record<string, string | string[]>;
  Action: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PolicyDocument {
  Version: '2012-10-17';
  Statement: PolicyStatement[];
}

export function processorPolicy(arns: {
  rawBucketArn: string;
  processedBucketArn: string;
  failedBucketArn: string;
  logGroupArn: string;
}): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ReadRawBatches',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: `${arns.rawBucketArn}/raw/*`,
      },
      {
        Sid: 'WriteProcessedAndQuarantine',
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: [`${arns.processedBucketArn}/processed/*`, `${arns.processedBucketArn}/quarantine/*`],
      },
      {
        // The day seal reads the day's processed objects back and HEADs/writes the day document.
        Sid: 'SealDays',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: [`${arns.processedBucketArn}/processed/*`, `${arns.processedBucketArn}/rollups/*`],
      },
      {
        Sid: 'WriteDayDocuments',
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: `${arns.processedBucketArn}/rollups/*`,
      },
      {
        // Lists the day's processed keys (and the seal's HEAD of a missing day document is then a 404 where S3 counts
        // this grant; day-seal.ts reads a 403 there as missing too).
        Sid: 'ListDays',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: arns.processedBucketArn,
        Condition: { StringLike: { 's3:prefix': ['processed/*', 'rollups/*'] } },
      },
      {
        // Lambda checks these two when the destination is saved and writes each record with the function's role.
        // The bucket holds nothing else, so the whole bucket is as narrow as the prefix Lambda picks.
        Sid: 'RecordFailedEvents',
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: `${arns.failedBucketArn}/*`,
      },
      {
        Sid: 'ListFailedEvents',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: arns.failedBucketArn,
      },
      {
        Sid: 'WriteOwnLogs',
        Effect: 'Allow',
        Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        // Log streams are addressed as <log group ARN>:log-stream:<name>.
        Resource: [arns.logGroupArn, `${arns.logGroupArn}:*`],
      },
    ],
  };
}

/**
 * The daily analytics copy: list the processed and analytics prefixes (hosts, recent keys), read processed
 * documents, write analytics objects — nothing else in the bucket.
 */
export function analyticsCopyPolicy(processedBucketArn: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ListProcessedAndAnalytics',
        Effect: 'Allow',
        Action: 's3:ListBucket',
        Resource: processedBucketArn,
        Condition: { StringLike: { 's3:prefix': ['processed/', 'processed/*', 'analytics/*'] } },
      },
      {
        Sid: 'ReadProcessed',
        Effect: 'Allow',
        Action: 's3:GetObject',
        Resource: `${processedBucketArn}/processed/*`,
      },
      {
        Sid: 'WriteAnalytics',
        Effect: 'Allow',
        Action: 's3:PutObject',
        Resource: `${processedBucketArn}/analytics/*`,
      },
    ],
  };
}

/** Reading the Kafka credentials: one action on one secret (the default aws/secretsmanager key decrypts it). */
export function kafkaSecretPolicy(secretArn: string): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'ReadKafkaCredentials',
        Effect: 'Allow',
        Action: 'secretsmanager:GetSecretValue',
        Resource: secretArn,
      },
    ],
  };
}

/** Only the Lambda service may assume the role. */
export function lambdaAssumeRolePolicy(): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Service: 'lambda.amazonaws.com' },
        Action: 'sts:AssumeRole',
      },
    ],
  };
}

/**
 * Refuses every request that does not arrive over TLS. A Deny may name `s3:*`: it only takes rights
 * away, which is why the least-privilege check looks at Allow statements.
 * `emulator`: moto ignores a policy's conditions and principals, so this Deny would refuse every object request
 * (ENVIRONMENT.md); against an emulator the same statement covers only a placeholder prefix, so the resource exists
 * and reads back but the stack's buckets stay usable. A real account always gets the bucket and all its objects.
 */
export function tlsOnlyBucketPolicy(
  bucketArn: string,
  options: { emulator?: boolean | undefined } = {},
): PolicyDocument {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyInsecureTransport',
        Effect: 'Deny',
        Principal: '*',
        Action: 's3:*',
        Resource: options.emulator
          ? `${bucketArn}/${EMULATOR_PLACEHOLDER_PREFIX}*`
          : [bucketArn, `${bucketArn}/*`],
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      },
    ],
  };
}

/**
 * Problems with an Allow statement that grants S3 more than it names: `s3:*` (or `*`), or an S3 action
 * on `Resource: "*"`.
 *   findBroadS3Grants(doc) → ['statement 0 allows s3:*']
 */
export function findBroadS3Grants(document: PolicyDocument): string[] {
  const problems: string[] = [];
  document.Statement.forEach((statement, index) => {
    if (statement.Effect !== 'Allow') return;
    const actions = [statement.Action].flat();
    const resources = [statement.Resource ?? []].flat();
    for (const action of actions) {
      if (action === '*' || action.toLowerCase() === 's3:*')
        problems.push(`statement ${index} allows ${action}`);
    }
    const touchesS3 = actions.some((a) => a === '*' || a.toLowerCase().startsWith('s3:'));
    if (touchesS3 && resources.includes('*')) problems.push(`statement ${index} allows S3 on Resource "*"`);
  });
  return problems;
}
