/**
 * Deletes every object version and delete marker of a versioned bucket, so Terraform can delete the bucket.
 *
 *   await emptyBucket({ s3, bucket: 'gpuz-cloud-dev-raw-1234' }) → { deleted: 5231 }
 *   a bucket that no longer exists → { deleted: 0 }
 * One ListObjectVersions page holds at most 1,000 entries, one DeleteObjects call takes at most 1,000 keys:
 * each page becomes one batch. After a batch is gone the listing starts over instead of following the next
 * markers: they point at entries just deleted, which some S3 implementations (moto) then cannot page past.
 */
import {
  DeleteObjectsCommand,
  ListObjectVersionsCommand,
  type ListObjectVersionsCommandOutput,
  type ObjectIdentifier,
  type S3Client,
} from '@aws-sdk/client-s3';
import { AppError } from '../../../shared/errors';

export async function emptyBucket(options: {
  s3: S3Client;
  bucket: string;
  onProgress?: (deleted: number) => void;
}): Promise<{ deleted: number }> {
  let deleted = 0;
  try {
    for await (const page of listUntilEmpty(options.s3, options.bucket)) {
      const batch: ObjectIdentifier[] = [...(page.Versions ?? []), ...(page.DeleteMarkers ?? [])].map(
        (v) => ({
          Key: v.Key!,
          VersionId: v.VersionId,
        }),
      );
      if (batch.length === 0) continue;
      const result = await options.s3.send(
        new DeleteObjectsCommand({ Bucket: options.bucket, Delete: { Objects: batch, Quiet: true } }),
      );
      const failed = result.Errors ?? [];
      if (failed.length > 0) {
        const first = failed[0]!;
        throw new AppError(
          'EMPTY_BUCKET_FAILED',
          `S3 refused to delete ${failed.length} object versions in ${options.bucket} (first: ${first.Key}: ${first.Code} ${first.Message ?? ''}).`,
          first.Code === 'AccessDenied'
            ? 'The profile may not delete object versions (s3:DeleteObjectVersion): use an administrator profile.'
            : 'Run destroy again; it continues with what is left.',
        );
      }
      deleted += batch.length;
      options.onProgress?.(deleted);
    }
  } catch (error) {
    if ((error as { name?: string }).name === 'NoSuchBucket') return { deleted };
    throw error;
  }
  return { deleted };
}

async function* listUntilEmpty(
  s3: S3Client,
  bucket: string,
): AsyncGenerator<ListObjectVersionsCommandOutput> {
  let previousFirst = '';
  for (;;) {
    const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, MaxKeys: 1000 }));
    const first = page.Versions?.[0] ?? page.DeleteMarkers?.[0];
    if (!first) return;
    const id = `${first.Key} ${first.VersionId}`;
    if (id === previousFirst) {
      throw new AppError(
        'EMPTY_BUCKET_STUCK',
        `Deleted versions keep coming back in ${bucket} (${id}).`,
        'Check the bucket for Object Lock or a legal hold; remove it, then run destroy again.',
      );
    }
    previousFirst = id;
    yield page;
  }
}

/**
 * Before a destroy: the buckets of the stack, as its state names them (`outputs`), emptied in turn;
 * `outputs` null (nothing deployed, or no state): nothing to empty.
 *   await emptyStackBuckets(s3, outputs) → [{ bucket: 'gpuz-cloud-dev-raw-1234', deleted: 3 }, { bucket: '…-processed-…', deleted: 3 }, …]
 */
export async function emptyStackBuckets(
  s3: S3Client,
  outputs: { rawBucket: string; processedBucket: string; failedBucket?: string } | null,
  onEmptied: (emptied: { bucket: string; deleted: number }) => void = () => undefined,
): Promise<{ bucket: string; deleted: number }[]> {
  const emptied: { bucket: string; deleted: number }[] = [];
  const buckets = outputs
    ? [outputs.rawBucket, outputs.processedBucket, ...(outputs.failedBucket ? [outputs.failedBucket] : [])]
    : [];
  for (const bucket of buckets) {
    const { deleted } = await emptyBucket({ s3, bucket });
    emptied.push({ bucket, deleted });
    onEmptied({ bucket, deleted });
  }
  return emptied;
}
