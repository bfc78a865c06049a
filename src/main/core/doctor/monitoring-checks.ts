/**
 * Doctor checks that read what the processor did: errors in the last 24 hours and its last log lines.
 *   checkRecentErrors(cloudwatch, 'gpuz-cloud-dev-processor', now) → { status: 'fail', detail: '3 errors in the last 24 h' }
 *   checkLogs(logs, '/aws/lambda/gpuz-cloud-dev-processor', now) → { status: 'pass', lines: ['2026-01-10 10:00:01 START …', …] }
 */
import { type CloudWatchClient, GetMetricStatisticsCommand } from '@aws-sdk/client-cloudwatch';
import { type CloudWatchLogsClient, FilterLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { plural } from '../../../shared/plural';
import { type CheckResult, errorName } from './types';

const DAY_MS = 24 * 60 * 60 * 1000;
export const LOG_LINES = 10;

export async function checkRecentErrors(
  cloudwatch: CloudWatchClient,
  functionName: string,
  now: Date,
): Promise<CheckResult> {
  const base = { id: 'errors', title: 'Lambda errors (24 h)' };
  try {
    const { Datapoints = [] } = await cloudwatch.send(
      new GetMetricStatisticsCommand({
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Dimensions: [{ Name: 'FunctionName', Value: functionName }],
        StartTime: new Date(now.getTime() - DAY_MS),
        EndTime: now,
        Period: 3600,
        Statistics: ['Sum'],
      }),
    );
    const errors = Datapoints.reduce((sum, d) => sum + (d.Sum ?? 0), 0);
    if (errors > 0) {
      return {
        ...base,
        status: 'fail',
        detail: `${plural(errors, 'error')} in the last 24 h`,
        advice:
          'Read the log lines below; a batch that failed is retried by S3 twice, then lost: re-upload it.',
      };
    }
    return { ...base, status: 'pass', detail: 'no errors in the last 24 h' };
  } catch (error) {
    return {
      ...base,
      status: 'warn',
      detail: `cannot read the metric: ${errorName(error)}`,
      advice: 'Check the profile may read CloudWatch.',
    };
  }
}

export async function checkLogs(
  logs: CloudWatchLogsClient,
  logGroup: string,
  now: Date,
): Promise<CheckResult> {
  const base = { id: 'logs', title: 'Last log lines' };
  try {
    const events: Array<{ timestamp?: number | undefined; message?: string | undefined }> = [];
    let nextToken: string | undefined;
    // Pages come oldest first; keep only the tail. A day of a small function's logs is a handful of pages.
    for (let page = 0; page < 20; page++) {
      const out = await logs.send(
        new FilterLogEventsCommand({
          logGroupName: logGroup,
          startTime: now.getTime() - DAY_MS,
          endTime: now.getTime(),
          nextToken,
        }),
      );
      events.push(...(out.events ?? []));
      events.splice(0, Math.max(0, events.length - LOG_LINES));
      nextToken = out.nextToken;
      if (!nextToken) break;
    }
    const lines = events.map(
      (e) =>
        `${new Date(e.timestamp ?? 0).toISOString().slice(0, 19).replace('T', ' ')} ${(e.message ?? '').trim()}`,
    );
    if (lines.length === 0)
      return { ...base, status: 'pass', detail: 'no log lines in the last 24 h (no uploads?)' };
    const errorLines = lines.filter((l) => /\bERROR\b|"level":"error"|Task timed out/i.test(l)).length;
    if (errorLines > 0) {
      return {
        ...base,
        status: 'warn',
        detail: `${errorLines} of the last ${lines.length} lines report an error`,
        advice: 'See docs/processed-format.md for the quarantine codes and what to do.',
        lines,
      };
    }
    return { ...base, status: 'pass', detail: `last ${lines.length} lines`, lines };
  } catch (error) {
    const missing = errorName(error) === 'ResourceNotFoundException';
    return {
      ...base,
      status: 'fail',
      detail: missing ? `${logGroup} does not exist` : `${logGroup}: ${errorName(error)}`,
      advice: missing
        ? 'Deploy the stack again: it creates the log group with 7-day retention.'
        : 'Check the profile may read CloudWatch Logs.',
    };
  }
}
