/**
 * The resource names of one deployment, the single source for the stack (infra/), deploy and `doctor` (src/main):
 * shared, so neither side imports the other.
 *
 *   stackNames({ project: 'gpuz-cloud', environment: 'dev', accountId: '123456789012' })
 *     → { rawBucket: 'gpuz-cloud-dev-raw-123456789012', processedBucket: 'gpuz-cloud-dev-processed-123456789012',
 *         functionName: 'gpuz-cloud-dev-processor', logGroup: '/aws/lambda/gpuz-cloud-dev-processor' }
 * Works on Terraform expressions too (the stack passes `${var.project_name}` tokens).
 */
export interface StackNames {
  rawBucket: string;
  processedBucket: string;
  functionName: string;
  logGroup: string;
}

export const DEFAULT_PROJECT = 'gpuz-cloud';

/**
 * Patterns the stack's variable validations (Terraform `regex`, RE2) and the deploy's own input checks share.
 * A project or environment name is part of every bucket name (`<project>-<env>-processed-<account>` ≤ 63).
 */
export const NAME_PART_PATTERN = '^[a-z0-9][a-z0-9-]{0,19}$';
/** A Secrets Manager secret ARN (unanchored: the stack also accepts empty). */
export const SECRET_ARN_PATTERN =
  'arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+';

export function stackNames(parts: { project: string; environment: string; accountId: string }): StackNames {
  const prefix = `${parts.project}-${parts.environment}`;
  const functionName = `${prefix}-processor`;
  return {
    rawBucket: `${prefix}-raw-${parts.accountId}`,
    processedBucket: `${prefix}-processed-${parts.accountId}`,
    functionName,
    logGroup: `/aws/lambda/${functionName}`,
  };
}

/** The two bucket names of a stack being destroyed: from its state's outputs, else derived from the parts. */
export function stackBuckets(
  outputs: { rawBucket: string; processedBucket: string } | null,
  parts: { project?: string; environment: string; accountId: string },
): [string, string] {
  const names = outputs ?? stackNames({ ...parts, project: parts.project ?? DEFAULT_PROJECT });
  return [names.rawBucket, names.processedBucket];
}
