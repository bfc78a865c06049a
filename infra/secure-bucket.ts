/**
 * A private, versioned, encrypted, TLS-only bucket with the lifecycle rules every GPU-Z Cloud bucket needs.
 *
 *   new SecureBucket(stack, 'raw', { name: 'gpuz-cloud-dev-raw-123456789012', encryption: 'AES256', expireRawAfterDays: 30 })
 *     → aws_s3_bucket.raw + aws_s3_bucket_versioning.raw, …_public_access_block.raw, public access block, SSE, TLS-only policy, lifecycle
 */
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket';
import {
  S3BucketLifecycleConfiguration,
  type S3BucketLifecycleConfigurationRule,
} from '@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration';
import { S3BucketVersioningA } from '@cdktf/provider-aws/lib/s3-bucket-versioning';
import { Construct } from 'constructs';
import { tlsOnlyBucketPolicy } from '../src/shared/stack/policies';
import type { BucketEncryption } from './config';

export interface SecureBucketProps {
  name: string;
  encryption: BucketEncryption;
  /** Adds a rule expiring current objects under `raw/` after this many days. */
  expireRawAfterDays?: number;
}

/** Every resource takes the construct id as its Terraform name (`aws_s3_bucket.raw`), readable in plans. */
export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly publicAccessBlock: S3BucketPublicAccessBlock;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, 'bucket', { bucket: props.name, forceDestroy: false });
    this.bucket.overrideLogicalId(id);
    const bucket = this.bucket.id;

    new S3BucketVersioningA(this, 'versioning', {
      bucket,
      versioningConfiguration: { status: 'Enabled' },
    }).overrideLogicalId(id);
    this.publicAccessBlock = new S3BucketPublicAccessBlock(this, 'public-access-block', {
      bucket,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    this.publicAccessBlock.overrideLogicalId(id);
    new S3BucketServerSideEncryptionConfigurationA(this, 'encryption', {
      bucket,
      rule: [
        {
          applyServerSideEncryptionByDefault: { sseAlgorithm: props.encryption },
          bucketKeyEnabled: props.encryption === 'aws:kms',
        },
      ],
    }).overrideLogicalId(id);
    new S3BucketPolicy(this, 'tls-only', {
      bucket,
      policy: JSON.stringify(tlsOnlyBucketPolicy(this.bucket.arn)),
      // S3 rejects a bucket policy while the public access block is still being applied.
      dependsOn: [this.publicAccessBlock],
    }).overrideLogicalId(id);
    new S3BucketLifecycleConfiguration(this, 'lifecycle', {
      bucket,
      rule: lifecycleRules(props),
    }).overrideLogicalId(id);
  }
}

function lifecycleRules(props: SecureBucketProps): S3BucketLifecycleConfigurationRule[] {
  const rules: S3BucketLifecycleConfigurationRule[] = [
    {
      id: 'expire-noncurrent-versions',
      status: 'Enabled',
      filter: [{ prefix: '' }],
      noncurrentVersionExpiration: [{ noncurrentDays: 7 }],
    },
    {
      id: 'abort-incomplete-multipart-uploads',
      status: 'Enabled',
      filter: [{ prefix: '' }],
      abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
    },
  ];
  if (props.expireRawAfterDays !== undefined) {
    rules.push({
      id: 'expire-raw-batches',
      status: 'Enabled',
      filter: [{ prefix: 'raw/' }],
      expiration: [{ days: props.expireRawAfterDays }],
    });
  }
  return rules;
}
