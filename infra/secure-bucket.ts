/**
 * A private, versioned, encrypted, TLS-only bucket with the lifecycle rules every GPU-Z Cloud bucket needs.
 *
 *   new SecureBucket(stack, 'raw', { name: 'gpuz-cloud-dev-raw-123456789012', encryption: 'AES256', extraRules: [...] })
 *     → aws_s3_bucket.raw + aws_s3_bucket_versioning.raw, …_public_access_block.raw, SSE, TLS-only policy, lifecycle
 * The bucket refuses to plan when its name would exceed S3's 63 characters (a precondition with the reason).
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
import { Fn, Op, Token } from 'cdktf';
import { Construct } from 'constructs';
import { NONCURRENT_VERSION_DAYS } from '../src/shared/stack/lifecycle';
import { MAX_BUCKET_NAME, MAX_NAME_PARTS } from '../src/shared/stack/names';
import { tlsOnlyBucketPolicy } from '../src/shared/stack/policies';
import type { BucketEncryption } from './config';

export interface SecureBucketProps {
  name: string;
  encryption: BucketEncryption;
  /** Lifecycle rules after the two every bucket has (noncurrent versions, stale multipart uploads). */
  extraRules?: S3BucketLifecycleConfigurationRule[];
  /** Synthesized for an emulator (see tlsOnlyBucketPolicy); never for a real account. */
  emulator?: boolean | undefined;
}

/** Every resource takes the construct id as its Terraform name (`aws_s3_bucket.raw`), readable in plans. */
export class SecureBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly publicAccessBlock: S3BucketPublicAccessBlock;

  constructor(scope: Construct, id: string, props: SecureBucketProps) {
    super(scope, id);
    this.bucket = new S3Bucket(this, 'bucket', {
      bucket: props.name,
      forceDestroy: false,
      lifecycle: {
        precondition: [
          {
            condition: Token.asAny(Op.lte(Fn.lengthOf(props.name), MAX_BUCKET_NAME)),
            errorMessage:
              `The bucket name is longer than S3's ${MAX_BUCKET_NAME} characters: project_name and environment ` +
              `may take ${MAX_NAME_PARTS} characters together.`,
          },
        ],
      },
    });
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
      policy: JSON.stringify(tlsOnlyBucketPolicy(this.bucket.arn, { emulator: props.emulator })),
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
      noncurrentVersionExpiration: [{ noncurrentDays: NONCURRENT_VERSION_DAYS }],
    },
    {
      id: 'abort-incomplete-multipart-uploads',
      status: 'Enabled',
      filter: [{ prefix: '' }],
      abortIncompleteMultipartUpload: [{ daysAfterInitiation: 1 }],
    },
  ];
  return [...rules, ...(props.extraRules ?? [])];
}
