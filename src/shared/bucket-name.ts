/**
 * S3's bucket naming rules (general purpose buckets), checked before any request is made:
 *
 *   bucketNameProblem('my-gpuz-raw') → null
 *   bucketNameProblem('My_Bucket!!') → 'Bucket names have 3–63 lower-case letters, digits, dots or dashes, …'
 */
const BUCKET = /^(?!\d+\.\d+\.\d+\.\d+$)[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export const BUCKET_NAME_RULE =
  'Bucket names have 3–63 lower-case letters, digits, dots or dashes, and start and end with a letter or digit.';

export function bucketNameProblem(name: string): string | null {
  return BUCKET.test(name) && !name.includes('..') ? null : BUCKET_NAME_RULE;
}
