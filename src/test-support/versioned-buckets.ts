/**
 * Versioned buckets holding several versions of one object, as weeks of uploads leave them: what destroy must
 * empty before Terraform can delete a bucket (tests only).
 *   await fillVersionedBuckets(s3, ['gpuz-cloud-dev-raw-…', '…-processed-…'], 3)   → 3 versions of raw/a.csv each
 */
import {
  CreateBucketCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';

export async function fillVersionedBuckets(s3: S3Client, buckets: string[], versions: number): Promise<void> {
  for (const bucket of buckets) {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    for (let v = 0; v < versions; v++)
      await s3.send(new PutObjectCommand({ Bucket: bucket, Key: 'raw/a.csv', Body: `${v}` }));
  }
}
