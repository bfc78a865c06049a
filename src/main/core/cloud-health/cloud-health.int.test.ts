/**
 * Failures reaching the user, against moto: the alarm's state, the failure records Lambda's on-failure destination
 * leaves in the failed bucket and the quarantined batches are read; `reprocess` runs each recorded event through the
 * processor again — here the real handler in this process (moto cannot run Lambda code without Docker), in the
 * deployed stack the function itself (lambdaInvoker) — and removes the records that now succeed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { PutMetricAlarmCommand, SetAlarmStateCommand } from '@aws-sdk/client-cloudwatch';
import { CreateBucketCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { readConfig } from '../../../../lambda/config';
import { createHandler } from '../../../../lambda/create-handler';
import { createdEvent } from '../../../../lambda/testing/s3-harness';
import { processedKeyFor } from '../../../shared/keys';
import { failureRecordsPrefix, stackNames } from '../../../shared/stack/names';
import { requireServices, SAMPLES_DIR } from '../../../test-support/services';
import { runReprocess } from '../../cli/commands/reprocess';
import { createAwsClients } from '../deploy/aws-clients';
import { readCloudHealth } from './read-health';
import { reprocessFailed } from './reprocess';

const services = requireServices();
const clients = createAwsClients({ region: services.region, endpoint: services.motoEndpoint });
const record = JSON.parse(
  readFileSync(join(import.meta.dirname, 'fixtures', 'invocation-record.json'), 'utf8'),
);

/** A stack's buckets and alarm as the deploy leaves them (plain buckets: the objects matter here, not the policies). */
async function stack() {
  const environment = `h${Math.random().toString(36).slice(2, 8)}`;
  const names = stackNames({ project: 'gpuz-cloud', environment, accountId: '123456789012' });
  for (const bucket of [names.rawBucket, names.processedBucket, names.failedBucket]) {
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
  }
  await clients.cloudwatch.send(
    new PutMetricAlarmCommand({
      AlarmName: names.alarmName,
      Namespace: 'AWS/Lambda',
      MetricName: 'Errors',
      Dimensions: [{ Name: 'FunctionName', Value: names.functionName }],
      Statistic: 'Sum',
      Period: 300,
      EvaluationPeriods: 1,
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
    }),
  );
  return { environment, names };
}

/** A failed event's record, as the destination writes it, for an S3 event naming `bucket`/`key`. */
async function putFailure(names: ReturnType<typeof stackNames>, bucket: string, key: string, n: number) {
  const body = JSON.stringify({ ...record, requestPayload: createdEvent(bucket, [{ key, size: 1 }]) });
  await clients.s3.send(
    new PutObjectCommand({
      Bucket: names.failedBucket,
      Key: `${failureRecordsPrefix(names.functionName)}2026/12/02/2026-12-02T10.00.0${n}-${n}a5e`,
      Body: body,
    }),
  );
}

describe('failures reach the user (moto)', () => {
  it('reads the alarm, the failed events and the quarantined batches; reprocess fixes what can be fixed', async () => {
    // Prepare: one batch whose processing failed for good, one event naming a bucket that is gone.
    const { names } = await stack();
    const rawKey = 'raw/gaming-pc/2024/04/20/ab12-0-9.csv.gz';
    const sample = readFileSync(join(SAMPLES_DIR, 'gpuz', 'nvidia-ada-pwrsrc-gpuz-2024.txt'));
    await clients.s3.send(
      new PutObjectCommand({ Bucket: names.rawBucket, Key: rawKey, Body: gzipSync(sample) }),
    );
    await putFailure(names, names.rawBucket, rawKey, 1);
    await putFailure(names, 'gpuz-bucket-that-is-gone', rawKey, 2);
    await clients.s3.send(
      new PutObjectCommand({
        Bucket: names.processedBucket,
        Key: 'quarantine/gaming-pc/2024/04/20/zz-0-1.json',
        Body: '{}',
      }),
    );
    await clients.cloudwatch.send(
      new SetAlarmStateCommand({
        AlarmName: names.alarmName,
        StateValue: 'ALARM',
        StateReason: 'Threshold Crossed',
      }),
    );

    // Act
    const before = await readCloudHealth(clients, names, 'gaming-pc', { lists: true }, new Date());
    const handler = createHandler({
      s3: clients.s3,
      producer: null,
      config: readConfig({ PROCESSED_BUCKET: names.processedBucket }),
      logger: { info: () => undefined, error: () => undefined },
    });
    const result = await reprocessFailed({
      s3: clients.s3,
      failedBucket: names.failedBucket,
      functionName: names.functionName,
      invoke: async (event) => void (await handler(event as Parameters<typeof handler>[0])),
    });
    const after = await readCloudHealth(clients, names, 'gaming-pc', { lists: true }, new Date());

    // Assess
    expect(before).toMatchObject({
      alarm: { state: 'ALARM', reason: 'Threshold Crossed' },
      failed: { count: 2 },
      quarantined: { count: 1, latest: [{ key: 'quarantine/gaming-pc/2024/04/20/zz-0-1.json' }] },
      problems: [],
    });
    expect(result.reprocessed).toBe(1);
    expect(result.stillFailing).toEqual([
      {
        key: expect.stringMatching(/T10\.00\.02-2a5e$/),
        error: expect.stringMatching(/NoSuchBucket|does not exist/),
      },
    ]);
    const processed = await clients.s3.send(
      new ListObjectsV2Command({ Bucket: names.processedBucket, Prefix: 'processed/' }),
    );
    expect(processed.Contents?.map((o) => o.Key)).toEqual([processedKeyFor(rawKey)]);
    expect(after.failed.count).toBe(1);
  });

  it('`gpuz-cloud reprocess` reports what failed again, keeps its record, and exits 1', async () => {
    // moto cannot run the function (no Docker): its Invoke fails, which is what a still-broken function looks like.
    const { environment, names } = await stack();
    await putFailure(names, names.rawBucket, 'raw/pc/2024/04/20/x-0-1.csv.gz', 1);
    const out: string[] = [];
    const code = await runReprocess(
      { env: environment, project: 'gpuz-cloud', region: services.region, endpoint: services.motoEndpoint },
      { out: { write: (t: string) => out.push(t) } },
    );
    expect(code).toBe(1);
    expect(out.join('')).toMatch(/still failing aws\/lambda\/async\/.*\n0 reprocessed, 1 still failing\n/);
    const kept = await clients.s3.send(new ListObjectsV2Command({ Bucket: names.failedBucket }));
    expect(kept.KeyCount).toBe(1);
  });

  it('reads a stack without alarm or buckets as unknown, saying what it could not read', async () => {
    const names = stackNames({
      project: 'gpuz-cloud',
      environment: 'nothing-here',
      accountId: '123456789012',
    });
    const health = await readCloudHealth(clients, names, 'pc', { lists: true }, new Date());
    expect(health.alarm.state).toBe('unknown');
    expect(health.problems).toEqual([
      expect.stringContaining(`failed events in ${names.failedBucket}: NoSuchBucket`),
      expect.stringContaining(`quarantined batches in ${names.processedBucket}: NoSuchBucket`),
    ]);
  });
});
