/**
 * The resource names of one deployment, the single source for the stack (infra/), deploy and `doctor` (src/main):
 * shared, so neither side imports the other. Every name is predictable from project, environment and account,
 * which is what lets a deploy find (and adopt) what an earlier deploy made.
 *
 *   stackNames({ project: 'gpuz-cloud', environment: 'dev', accountId: '123456789012' })
 *     → { rawBucket: 'gpuz-cloud-dev-raw-123456789012', processedBucket: 'gpuz-cloud-dev-processed-123456789012',
 *         failedBucket: 'gpuz-cloud-dev-failed-123456789012', functionName: 'gpuz-cloud-dev-processor',
 *         roleName: 'gpuz-cloud-dev-processor-role', logGroup: '/aws/lambda/gpuz-cloud-dev-processor',
 *         alarmName: 'gpuz-cloud-dev-processor-errors', topicName: 'gpuz-cloud-dev-processor-errors' }
 * Works on Terraform expressions too (the stack passes `${var.project_name}` tokens).
 */
export interface StackNames {
  rawBucket: string;
  processedBucket: string;
  /** Where Lambda records an event that failed every attempt (its on-failure destination). */
  failedBucket: string;
  functionName: string;
  roleName: string;
  logGroup: string;
  alarmName: string;
  topicName: string;
}

export const DEFAULT_PROJECT = 'gpuz-cloud';

/** S3's limit for a bucket name (https://docs.aws.amazon.com/AmazonS3/latest/userguide/bucketnamingrules.html). */
export const MAX_BUCKET_NAME = 63;
const ACCOUNT_ID_LENGTH = 12;

/**
 * Patterns the stack's variable validations (Terraform `regex`, RE2) and the deploy's own input checks share.
 * Each part starts with a letter or digit; how long both may be together is `MAX_NAME_PARTS`.
 */
export const NAME_PART_PATTERN = '^[a-z0-9][a-z0-9-]*$';
/** A Secrets Manager secret ARN (unanchored: the stack also accepts empty). */
export const SECRET_ARN_PATTERN =
  'arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@-]+';
/**
 * An e-mail address as SNS takes it (unanchored: the stack also accepts empty = no e-mail). No backslashes: the
 * pattern also sits inside a Terraform string, where `\s` is not a valid escape.
 */
export const EMAIL_PATTERN = '[^@ ]+@[^@ ]+[.][^@ ]+';

export function stackNames(parts: { project: string; environment: string; accountId: string }): StackNames {
  return namesWithPrefix(`${parts.project}-${parts.environment}`, parts.accountId);
}

function namesWithPrefix(prefix: string, accountId: string): StackNames {
  const functionName = `${prefix}-processor`;
  return {
    rawBucket: `${prefix}-raw-${accountId}`,
    processedBucket: `${prefix}-processed-${accountId}`,
    failedBucket: `${prefix}-failed-${accountId}`,
    functionName,
    roleName: `${functionName}-role`,
    logGroup: `/aws/lambda/${functionName}`,
    alarmName: `${functionName}-errors`,
    topicName: `${functionName}-errors`,
  };
}

/** The longest bucket name without project and environment: `--processed-` and a 12-digit account id. */
function longestBucketOverhead(): number {
  const names = stackNames({ project: '', environment: '', accountId: '0'.repeat(ACCOUNT_ID_LENGTH) });
  return Math.max(names.rawBucket.length, names.processedBucket.length, names.failedBucket.length);
}

/**
 * Characters project and environment may take together: 63 − `--processed-` − 12 = 39, so
 * `<project>-<environment>-processed-<account>` fits S3's 63.
 */
export const MAX_NAME_PARTS = MAX_BUCKET_NAME - longestBucketOverhead();

/**
 * What is wrong with a project/environment pair, in words a person can act on; null when every name fits.
 *   nameProblem({ project: 'gpuz-cloud', environment: 'dev' }) → null
 *   nameProblem({ project: 'gpuz-cloud', environment: 'a'.repeat(30) })
 *     → { field: 'environment', message: 'gpuz-cloud-aaaa…-processed-<account> would be 64 characters; S3 allows 63: …' }
 */
export function nameProblem(parts: {
  project: string;
  environment: string;
}): { field: 'project' | 'environment'; message: string } | null {
  const pattern = new RegExp(NAME_PART_PATTERN);
  for (const field of ['project', 'environment'] as const) {
    if (!pattern.test(parts[field])) {
      return {
        field,
        message: `The ${field} name "${parts[field]}" may use only lower-case letters, digits and dashes, starting with a letter or digit (it becomes part of every bucket name).`,
      };
    }
  }
  const used = parts.project.length + parts.environment.length;
  if (used <= MAX_NAME_PARTS) return null;
  const example = stackNames({ ...parts, accountId: '<account>' }).processedBucket;
  return {
    field: 'environment',
    message:
      `${example} would be ${used + longestBucketOverhead()} characters; S3 allows ${MAX_BUCKET_NAME}: project and ` +
      `environment may take ${MAX_NAME_PARTS} characters together (now ${parts.project.length} + ${parts.environment.length}).`,
  };
}

/**
 * The names of the stack a raw bucket belongs to, from its predictable name (settings carry the buckets, not the
 * project and environment):
 *   stackOfRawBucket('gpuz-cloud-dev-raw-123456789012') → { functionName: 'gpuz-cloud-dev-processor', … }
 *   stackOfRawBucket('my-own-bucket') → null (not made by our stack)
 */
export function stackOfRawBucket(bucket: string): StackNames | null {
  const match = /^(.+)-raw-(\d{12})$/.exec(bucket);
  return match ? namesWithPrefix(match[1]!, match[2]!) : null;
}

/** The buckets of a stack being destroyed: from its state's outputs, else derived from the parts. */
export function stackBuckets(
  outputs: { rawBucket: string; processedBucket: string; failedBucket?: string } | null,
  parts: { project?: string | undefined; environment: string; accountId: string },
): string[] {
  const derived = stackNames({ ...parts, project: parts.project ?? DEFAULT_PROJECT });
  if (!outputs) return [derived.rawBucket, derived.processedBucket, derived.failedBucket];
  // A stack deployed before the failed bucket existed has no such output.
  return [
    outputs.rawBucket,
    outputs.processedBucket,
    ...(outputs.failedBucket ? [outputs.failedBucket] : []),
  ];
}

/**
 * Where each apply keeps a copy of the Terraform state: the processed bucket (encrypted, versioned), under a
 * prefix the function's role may not write (it writes processed/ and quarantine/ only).
 */
export const STATE_COPY_KEY = 'terraform-state/terraform.tfstate';

/**
 * Where Lambda's S3 on-failure destination writes the record of an event that failed every attempt: a fixed
 * layout, `aws/lambda/async/<function>/YYYY/MM/DD/YYYY-MM-DDTHH.MM.SS-<uuid>`
 * (https://docs.aws.amazon.com/lambda/latest/dg/invocation-async-retain-records.html).
 *   failureRecordsPrefix('gpuz-cloud-dev-processor') → 'aws/lambda/async/gpuz-cloud-dev-processor/'
 */
export function failureRecordsPrefix(functionName: string): string {
  return `aws/lambda/async/${functionName}/`;
}
