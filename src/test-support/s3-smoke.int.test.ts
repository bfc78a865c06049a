import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  DeleteObjectCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { motoClientConfig, requireServices } from './services';

// Proves the S3 emulator and our client settings agree: a streamed gzip body must come back byte-for-byte
// (with the SDK's default flexible checksums it would be stored with aws-chunked framing inside).
describe('S3 on the moto test server', () => {
  const s3 = new S3Client(motoClientConfig(requireServices()));
  const bucket = `smoke-${randomUUID()}`;
  const key = 'raw/host-a/2026/11/28/batch-0001.csv.gz';
  let versionId: string | undefined;

  afterAll(async () => {
    await s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: key, VersionId: versionId }));
    await s3.send(new DeleteBucketCommand({ Bucket: bucket }));
    s3.destroy();
  });

  it('creates a versioned bucket', async () => {
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }),
    );
    const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
    expect(versioning.Status).toBe('Enabled');
  });

  it('puts a gzip object from a stream and gets the same bytes back, then lists it', async () => {
    const csv = Array.from(
      { length: 2000 },
      (_, i) => `2026-11-28 12:00:${i % 60},${1500 + i},${60 + (i % 20)}`,
    );
    const gz = gzipSync(Buffer.from(`${csv.join('\n')}\n${randomBytes(64).toString('hex')}`));
    // Chunks of 4 KiB: a real stream, not one buffer, with the length known up front as our uploader knows it.
    const chunks = Array.from({ length: Math.ceil(gz.length / 4096) }, (_, i) =>
      gz.subarray(i * 4096, (i + 1) * 4096),
    );
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: bucket,
        Key: key,
        Body: Readable.from(chunks),
        ContentLength: gz.length,
        ContentType: 'text/csv',
        ContentEncoding: 'gzip',
      }),
    );
    versionId = put.VersionId;
    expect(versionId).toBeTruthy();

    const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const bytes = Buffer.from(await got.Body!.transformToByteArray());
    expect(bytes.length).toBe(gz.length);
    expect(bytes.equals(gz)).toBe(true);
    expect(gunzipSync(bytes).toString().split('\n')).toHaveLength(2001);
    expect(got.ContentEncoding).toBe('gzip');

    const list = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'raw/host-a/' }));
    expect(list.KeyCount).toBe(1);
    expect(list.Contents?.[0]).toMatchObject({ Key: key, Size: gz.length });
  });
});
