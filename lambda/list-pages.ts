/**
 * Every page of one S3 listing (the continuation token followed), for the Lambda's own listings:
 *
 *   await listPages(s3, { Bucket, Prefix: 'processed/', Delimiter: '/' }) → [page, …]   (one LIST request per page)
 */
import {
  ListObjectsV2Command,
  type ListObjectsV2CommandInput,
  type ListObjectsV2CommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';

export async function listPages(
  s3: S3Client,
  input: Omit<ListObjectsV2CommandInput, 'ContinuationToken'>,
): Promise<ListObjectsV2CommandOutput[]> {
  const pages: ListObjectsV2CommandOutput[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(new ListObjectsV2Command({ ...input, ContinuationToken: token }));
    pages.push(page);
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return pages;
}
