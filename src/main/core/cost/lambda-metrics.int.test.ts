import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { compareActualToEstimate } from '../../../shared/cost/compare';
import { estimateMonthlyCost } from '../../../shared/cost/estimate';
import { motoClientConfig, requireServices } from '../../../test-support/services';
import { readLambdaMetrics } from './lambda-metrics';

describe('readLambdaMetrics against moto', () => {
  const services = requireServices();
  const cloudwatch = new CloudWatchClient(motoClientConfig(services));
  const functionName = `gpuz-process-${Math.random().toString(36).slice(2, 10)}`;
  const now = new Date();
  const start = new Date(now.getTime() - 3 * 3_600_000);
  const end = new Date(now.getTime() + 3_600_000);

  beforeAll(async () => {
    // What the Lambda service would publish for 12 invocations, 1 of them failed.
    const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000);
    const dimensions = [{ Name: 'FunctionName', Value: functionName }];
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: 'AWS/Lambda',
        MetricData: [
          { MetricName: 'Invocations', Dimensions: dimensions, Timestamp: at(90), Value: 5, Unit: 'Count' },
          { MetricName: 'Invocations', Dimensions: dimensions, Timestamp: at(30), Value: 7, Unit: 'Count' },
          { MetricName: 'Errors', Dimensions: dimensions, Timestamp: at(30), Value: 1, Unit: 'Count' },
          {
            MetricName: 'Duration',
            Dimensions: dimensions,
            Timestamp: at(90),
            Values: [200, 300, 400],
            Unit: 'Milliseconds',
          },
          {
            MetricName: 'Duration',
            Dimensions: dimensions,
            Timestamp: at(30),
            Value: 900,
            Unit: 'Milliseconds',
          },
        ],
      }),
    );
    // Another function's data must not leak into ours.
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: 'AWS/Lambda',
        MetricData: [
          {
            MetricName: 'Invocations',
            Dimensions: [{ Name: 'FunctionName', Value: `${functionName}-other` }],
            Timestamp: at(30),
            Value: 1000,
          },
        ],
      }),
    );
  });

  afterAll(() => cloudwatch.destroy());

  it('sums invocations and errors and averages the duration over the samples', async () => {
    const metrics = await readLambdaMetrics({ cloudwatch, functionName, start, end, periodSeconds: 3600 });
    // Invocations 5 + 7 = 12; Errors 1; Duration (200 + 300 + 400 + 900) / 4 samples = 450 ms, max 900.
    expect(metrics).toEqual({
      invocations: 12,
      errors: 1,
      durationAvgMs: 450,
      durationMaxMs: 900,
      apiCalls: 3,
    });
  });

  it('feeds the actual-vs-estimate comparison', async () => {
    const cw = await readLambdaMetrics({ cloudwatch, functionName, start, end, periodSeconds: 3600 });
    const estimate = estimateMonthlyCost({ intervalMs: 45 * 60_000, monthDays: 30, regime: 'none' });
    const c = compareActualToEstimate({
      counters: { put: 12, get: 0, list: 0 },
      estimate,
      cloudwatch: cw,
      now,
    });
    expect(c.rows.find((r) => r.metric === 'Lambda invocations')?.soFar).toBe(12);
    expect(c.warnings.some((w) => /failed 1 time/.test(w))).toBe(true);
  });

  it('returns zeros and nulls for a function without data', async () => {
    const metrics = await readLambdaMetrics({ cloudwatch, functionName: `${functionName}-none`, start, end });
    expect(metrics).toEqual({
      invocations: 0,
      errors: 0,
      durationAvgMs: null,
      durationMaxMs: null,
      apiCalls: 3,
    });
  });

  it('turns a refused request into an AppError a person can act on', async () => {
    const broken = new CloudWatchClient({ ...motoClientConfig(services), endpoint: 'http://127.0.0.1:1' });
    await expect(readLambdaMetrics({ cloudwatch: broken, functionName, start, end })).rejects.toMatchObject({
      code: 'CLOUDWATCH_READ_FAILED',
    });
    broken.destroy();
  });
});
