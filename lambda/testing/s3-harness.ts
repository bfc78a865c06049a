import { readFileSync } from 'node:fs';
import {
  CreateBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  PutBucketVersioningCommand,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { motoClientConfig, requireServices } from '../../src/test-support/services';
import { type LambdaConfig, readConfig } from '../config';
import type { Logger } from '../logger';
import type { S3Event, S3EventRecord } from '../s3-event';

/**
 * Test-only: a moto S3 client, fresh raw + processed (versioned) buckets, S3 events shaped like the
 * fixture a real PUT produces, and a logger that keeps its lines.
 */
export async function createS3Harness(env: Record<string, string> = {}) {
  const services = requireServices();
  const s3 = new S3Client(motoClientConfig(services));
  const suffix = Math.random().toString(36).slice(2, 10);
  const rawBucket = `gpuz-raw-${suffix}`;
  const processedBucket = `gpuz-processed-${suffix}`;
  await s3.send(new CreateBucketCommand({ Bucket: rawBucket }));
  await s3.send(new CreateBucketCommand({ Bucket: processedBucket }));
  await s3.send(
    new PutBucketVersioningCommand({
      Bucket: processedBucket,
      VersioningConfiguration: { Status: 'Enabled' },
    }),
  );
  const config: LambdaConfig = readConfig({ PROCESSED_BUCKET: processedBucket, ...env });
  const lines: Record<string, unknown>[] = [];
  const logger: Logger = {
    info: (message, fields) => lines.push({ level: 'info', message, ...fields }),
    error: (message, fields) => lines.push({ level: 'error', message, ...fields }),
  };

  async function putRaw(key: string, body: Uint8Array, metadata: Record<string, string> = {}): Promise<void> {
    await s3.send(new PutObjectCommand({ Bucket: rawBucket, Key: key, Body: body, Metadata: metadata }));
  }

  async function getProcessed(key: string): Promise<Buffer> {
    const response = await s3.send(new GetObjectCommand({ Bucket: processedBucket, Key: key }));
    return Buffer.from(await response.Body!.transformToByteArray());
  }

  /** Keys under `processed/` (the day documents under `rollups/` are listed with their prefix). */
  async function listProcessed(prefix = 'processed/'): Promise<string[]> {
    const response = await s3.send(new ListObjectsV2Command({ Bucket: processedBucket, Prefix: prefix }));
    return (response.Contents ?? []).map((object) => object.Key!);
  }

  return {
    s3,
    rawBucket,
    processedBucket,
    config,
    lines,
    logger,
    putRaw,
    getProcessed,
    listProcessed,
    services,
  };
}

const template: S3EventRecord = JSON.parse(
  readFileSync(new URL('../fixtures/s3-put-event.json', import.meta.url), 'utf8'),
).Records[0];

/** The event S3 sends for these objects: keys form-encoded like S3 does (space → '+'). */
export function createdEvent(bucket: string, objects: { key: string; size: number }[]): S3Event {
  return {
    Records: objects.map(({ key, size }) => ({
      ...template,
      s3: {
        ...template.s3,
        bucket: { ...template.s3.bucket, name: bucket },
        object: {
          ...template.s3.object,
          key: encodeURIComponent(key).replace(/%20/g, '+').replace(/%2F/g, '/'),
          size,
        },
      },
    })),
  };
}
