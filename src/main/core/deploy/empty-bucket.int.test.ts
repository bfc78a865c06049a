import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  ListObjectVersionsCommand,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { motoClientConfig, requireServices } from '../../../test-support/services';
import { checkCredentials } from './credentials';
import { emptyBucket } from './empty-bucket';

const services = requireServices();
const s3 = new S3Client(motoClientConfig(services));

async function versionedBucket(): Promise<string> {
  const bucket = `gpuz-empty-${Math.random().toString(36).slice(2, 10)}`;
  await s3.send(new CreateBucketCommand({ Bucket: bucket }));
  await s3.send(
    new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
  );
  return bucket;
}

async function countVersions(bucket: string): Promise<{ versions: number; markers: number }> {
  const page = await s3.send(new ListObjectVersionsCommand({ Bucket: bucket }));
  return { versions: page.Versions?.length ?? 0, markers: page.DeleteMarkers?.length ?? 0 };
}

describe('emptyBucket against moto', () => {
  it('deletes every version and delete marker, so the bucket can be deleted', async () => {
    const bucket = await versionedBucket();
    for (const key of [
      'raw/pc/2024/04/20/a.csv.gz',
      'raw/pc/2024/04/20/b.csv.gz',
      'processed/pc/x.json.gz',
    ]) {
      for (let v = 0; v < 3; v++) {
        await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: `version ${v}` }));
      }
    }
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'raw/pc/2024/04/20/a.csv.gz' }));
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: 'processed/pc/x.json.gz' }));
    expect(await countVersions(bucket)).toEqual({ versions: 9, markers: 2 });

    const progress: number[] = [];
    expect(await emptyBucket({ s3, bucket, onProgress: (n) => progress.push(n) })).toEqual({ deleted: 11 });
    expect(progress).toEqual([11]);
    expect(await countVersions(bucket)).toEqual({ versions: 0, markers: 0 });
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
  });

  it('pages through more than 1,000 versions in batches of at most 1,000', async () => {
    const bucket = await versionedBucket();
    for (let i = 0; i < 1205; i += 50) {
      const batch = Array.from({ length: Math.min(50, 1205 - i) }, (_, j) => i + j);
      await Promise.all(
        batch.map((n) =>
          s3.send(new PutObjectCommand({ Bucket: bucket, Key: `raw/k${n % 400}`, Body: String(n) })),
        ),
      );
    }
    const progress: number[] = [];
    expect(await emptyBucket({ s3, bucket, onProgress: (n) => progress.push(n) })).toEqual({ deleted: 1205 });
    expect(progress).toEqual([1000, 1205]);
    expect(await countVersions(bucket)).toEqual({ versions: 0, markers: 0 });
  });

  it('treats a bucket that is already gone as empty', async () => {
    expect(await emptyBucket({ s3, bucket: 'gpuz-never-created-bucket-x1' })).toEqual({ deleted: 0 });
  });
});

describe('checkCredentials against moto STS', () => {
  it('returns the account and caller ARN', async () => {
    const sts = new STSClient(motoClientConfig(services));
    const identity = await checkCredentials({ sts });
    expect(identity.account).toMatch(/^\d{12}$/);
    expect(identity.arn).toMatch(/^arn:aws:(iam|sts)::\d{12}:/);
  });
});
