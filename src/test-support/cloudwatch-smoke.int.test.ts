import { randomUUID } from 'node:crypto';
import {
  CloudWatchClient,
  GetMetricStatisticsCommand,
  PutMetricDataCommand,
} from '@aws-sdk/client-cloudwatch';
import { motoClientConfig, requireServices } from './services';

describe('CloudWatch metrics on the moto test server', () => {
  const cloudwatch = new CloudWatchClient(motoClientConfig(requireServices()));
  afterAll(() => cloudwatch.destroy());

  it('puts three data points and reads back their sum, maximum and count', async () => {
    const namespace = `GpuzCloud/Smoke-${randomUUID()}`;
    const now = new Date();
    await cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: namespace,
        MetricData: [12, 30, 18].map((value, i) => ({
          MetricName: 'RowsUploaded',
          Dimensions: [{ Name: 'Host', Value: 'host-a' }],
          Timestamp: new Date(now.getTime() - i * 1000),
          Value: value,
          Unit: 'Count',
        })),
      }),
    );

    const stats = await cloudwatch.send(
      new GetMetricStatisticsCommand({
        Namespace: namespace,
        MetricName: 'RowsUploaded',
        Dimensions: [{ Name: 'Host', Value: 'host-a' }],
        StartTime: new Date(now.getTime() - 3_600_000),
        EndTime: new Date(now.getTime() + 60_000),
        Period: 3600,
        Statistics: ['Sum', 'Maximum', 'SampleCount'],
      }),
    );
    expect(stats.Datapoints).toHaveLength(1);
    expect(stats.Datapoints?.[0]).toMatchObject({ Sum: 60, Maximum: 30, SampleCount: 3, Unit: 'Count' });
  });
});
