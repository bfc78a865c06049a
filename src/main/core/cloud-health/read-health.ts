/**
 * Reads what the deployed stack knows about processing, so failures reach the person instead of 7-day logs:
 * the error alarm's state, the records of events that failed every Lambda attempt, and quarantined batches.
 *
 *   await readCloudHealth({ cloudwatch, s3 }, names, 'gaming-pc', { lists: true }, new Date())
 *     → { alarm: { state: 'ALARM', since: …, reason: 'Threshold Crossed: 1 datapoint …' },
 *         failed: { count: 2, latest: [{ key: 'aws/lambda/async/…', at: … }] }, quarantined: { count: 0, latest: [] }, … }
 * Costs: one DescribeAlarms (CloudWatch API, within its 1,000,000 free requests) per check; the two LISTs
 * (PUT-class, $0.005 per 1,000) only when `lists` is set — the monitor asks for them rarely (see monitor.ts).
 */
import { type CloudWatchClient, DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import type { CloudHealth, CloudRecord } from '../../../shared/contract';
import { normaliseHost } from '../../../shared/keys';
import { failureRecordsPrefix, type StackNames } from '../../../shared/stack/names';

export interface HealthClients {
  cloudwatch: CloudWatchClient;
  s3: S3Client;
}

/** How many of the newest records to show. */
const LATEST = 5;

export async function readCloudHealth(
  clients: HealthClients,
  names: StackNames,
  host: string,
  options: { lists: boolean; previous?: CloudHealth | null },
  now: Date,
): Promise<CloudHealth> {
  const problems: string[] = [];
  const note = (what: string) => (error: unknown) => {
    problems.push(`${what}: ${(error as { name?: string }).name ?? String(error)}`);
    return null;
  };
  const alarm = await clients.cloudwatch
    .send(new DescribeAlarmsCommand({ AlarmNames: [names.alarmName] }))
    .then((out) => out.MetricAlarms?.[0] ?? null, note(`alarm ${names.alarmName}`));
  const previous = options.previous;
  const failed = options.lists
    ? await listRecords(clients.s3, names.failedBucket, failureRecordsPrefix(names.functionName)).catch(
        note(`failed events in ${names.failedBucket}`),
      )
    : (previous?.failed ?? null);
  const quarantined = options.lists
    ? await listRecords(clients.s3, names.processedBucket, `quarantine/${normaliseHost(host)}/`).catch(
        note(`quarantined batches in ${names.processedBucket}`),
      )
    : (previous?.quarantined ?? null);
  return {
    checkedAt: now.getTime(),
    alarm: alarm?.StateValue
      ? {
          state: alarm.StateValue,
          ...(alarm.StateUpdatedTimestamp ? { since: alarm.StateUpdatedTimestamp.getTime() } : {}),
          ...(alarm.StateReason ? { reason: alarm.StateReason } : {}),
        }
      : { state: 'unknown' },
    failed: failed ?? { count: 0, latest: [] },
    quarantined: quarantined ?? { count: 0, latest: [] },
    problems,
  };
}

/** Every key under the prefix (1,000 per LIST), counted, and the newest few. */
async function listRecords(
  s3: S3Client,
  bucket: string,
  prefix: string,
): Promise<{ count: number; latest: CloudRecord[] }> {
  const records: CloudRecord[] = [];
  let token: string | undefined;
  do {
    const page = await s3.send(
      new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix, ContinuationToken: token }),
    );
    for (const o of page.Contents ?? []) records.push({ key: o.Key!, at: o.LastModified?.getTime() ?? 0 });
    token = page.NextContinuationToken;
  } while (token);
  records.sort((a, b) => b.at - a.at);
  return { count: records.length, latest: records.slice(0, LATEST) };
}
