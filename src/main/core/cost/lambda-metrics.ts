/**
 * Reads the Lambda's Invocations, Errors and Duration for a period from CloudWatch (GetMetricStatistics:
 * 3 calls, free within the 1M always-free API requests; GetMetricData would be billed per metric).
 *
 *   await readLambdaMetrics({ cloudwatch, functionName: 'gpuz-process', start: monthStart, end: now })
 *   → { invocations: 4000, errors: 0, durationAvgMs: 212.5, durationMaxMs: 950, apiCalls: 3 }
 */
import {
  type CloudWatchClient,
  GetMetricStatisticsCommand,
  type Statistic,
} from '@aws-sdk/client-cloudwatch';
import type { LambdaActuals } from '../../../shared/cost/compare';
import { AppError, toError } from '../../../shared/errors';

export interface LambdaMetricsQuery {
  cloudwatch: CloudWatchClient;
  functionName: string;
  start: Date;
  end: Date;
  /** Seconds per datapoint; one day keeps a month within one call's 1,440-datapoint limit. */
  periodSeconds?: number;
}

export interface LambdaMetrics extends LambdaActuals {
  durationMaxMs: number | null;
  /** GetMetricStatistics requests made, for the cost view's own accounting. */
  apiCalls: number;
}

export async function readLambdaMetrics(query: LambdaMetricsQuery): Promise<LambdaMetrics> {
  const read = async (metricName: string, statistics: Statistic[]) => {
    try {
      const out = await query.cloudwatch.send(
        new GetMetricStatisticsCommand({
          Namespace: 'AWS/Lambda',
          MetricName: metricName,
          Dimensions: [{ Name: 'FunctionName', Value: query.functionName }],
          StartTime: query.start,
          EndTime: query.end,
          Period: query.periodSeconds ?? 86_400,
          Statistics: statistics,
        }),
      );
      return out.Datapoints ?? [];
    } catch (error) {
      throw new AppError(
        'CLOUDWATCH_READ_FAILED',
        `CloudWatch refused to read ${metricName} for ${query.functionName}: ${toError(error).message}`,
        'Check that the credentials allow cloudwatch:GetMetricStatistics and that the region is the stack’s.',
        { cause: error },
      );
    }
  };
  const [invocations, errors, duration] = await Promise.all([
    read('Invocations', ['Sum']),
    read('Errors', ['Sum']),
    read('Duration', ['Sum', 'SampleCount', 'Maximum']),
  ]);
  const sum = (points: { Sum?: number | undefined }[]) =>
    points.reduce((total, p) => total + (p.Sum ?? 0), 0);
  const durationSum = sum(duration);
  const samples = duration.reduce((total, p) => total + (p.SampleCount ?? 0), 0);
  const maxima = duration.map((p) => p.Maximum).filter((m): m is number => m !== undefined);
  return {
    invocations: sum(invocations),
    errors: sum(errors),
    durationAvgMs: samples > 0 ? durationSum / samples : null,
    durationMaxMs: maxima.length > 0 ? Math.max(...maxima) : null,
    apiCalls: 3,
  };
}
