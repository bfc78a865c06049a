import { readFileSync } from 'node:fs';
import { CloudWatchClient, PutMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  DeleteLogGroupCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import {
  CreateRoleCommand,
  DeleteRolePolicyCommand,
  IAMClient,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { CreateFunctionCommand, DeleteFunctionCommand, LambdaClient } from '@aws-sdk/client-lambda';
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  PutBucketNotificationConfigurationCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { SNSClient } from '@aws-sdk/client-sns';
import { STSClient } from '@aws-sdk/client-sts';
import { writeEmptyZip } from '../../../../infra/testing/empty-zip';
import { type StackNames, stackNames } from '../../../shared/stack/names';
import { lambdaAssumeRolePolicy, processorPolicy } from '../../../shared/stack/policies';
import { motoClientConfig, requireServices } from '../../../test-support/services';
import { runDoctor } from './run-doctor';
import type { CheckResult, DoctorClients } from './types';

const services = requireServices();
const config = motoClientConfig(services);
const clients: DoctorClients = {
  sts: new STSClient(config),
  s3: new S3Client(config),
  lambda: new LambdaClient(config),
  iam: new IAMClient(config),
  cloudwatch: new CloudWatchClient(config),
  logs: new CloudWatchLogsClient(config),
  sns: new SNSClient(config),
};
const PROJECT = 'gpuzdoc';
const NOW = new Date();

/** A deployment as the stack leaves it, made through the SDK: buckets, role + policy, function, log, notification. */
async function healthySetup(): Promise<{ environment: string; names: StackNames; account: string }> {
  const environment = `t${Math.random().toString(36).slice(2, 9)}`;
  const account = (
    await clients.sts.send(new (await import('@aws-sdk/client-sts')).GetCallerIdentityCommand({}))
  ).Account!;
  const names = stackNames({ project: PROJECT, environment, accountId: account });
  await clients.s3.send(new CreateBucketCommand({ Bucket: names.rawBucket }));
  await clients.s3.send(new CreateBucketCommand({ Bucket: names.processedBucket }));
  const roleName = `${names.functionName}-role`;
  const role = await clients.iam.send(
    new CreateRoleCommand({
      RoleName: roleName,
      AssumeRolePolicyDocument: JSON.stringify(lambdaAssumeRolePolicy()),
    }),
  );
  const logGroupArn = `arn:aws:logs:${services.region}:${account}:log-group:${names.logGroup}`;
  await clients.iam.send(
    new PutRolePolicyCommand({
      RoleName: roleName,
      PolicyName: 'processor-least-privilege',
      PolicyDocument: JSON.stringify(
        processorPolicy({
          rawBucketArn: `arn:aws:s3:::${names.rawBucket}`,
          processedBucketArn: `arn:aws:s3:::${names.processedBucket}`,
          failedBucketArn: `arn:aws:s3:::${names.failedBucket}`,
          logGroupArn,
        }),
      ),
    }),
  );
  await clients.logs.send(new CreateLogGroupCommand({ logGroupName: names.logGroup }));
  await clients.logs.send(new CreateLogStreamCommand({ logGroupName: names.logGroup, logStreamName: 's1' }));
  await clients.logs.send(
    new PutLogEventsCommand({
      logGroupName: names.logGroup,
      logStreamName: 's1',
      logEvents: [
        { timestamp: NOW.getTime() - 60_000, message: 'START RequestId: 1 Version: $LATEST' },
        { timestamp: NOW.getTime() - 59_000, message: '{"level":"info","msg":"processed","rows":3600}' },
        { timestamp: NOW.getTime() - 58_000, message: 'END RequestId: 1' },
      ],
    }),
  );
  const fn = await clients.lambda.send(
    new CreateFunctionCommand({
      FunctionName: names.functionName,
      Runtime: 'nodejs22.x',
      Handler: 'index.handler',
      Architectures: ['arm64'],
      MemorySize: 256,
      Timeout: 60,
      Role: role.Role!.Arn!,
      Code: { ZipFile: readFileSync(writeEmptyZip().path) },
      Environment: { Variables: { PROCESSED_BUCKET: names.processedBucket } },
    }),
  );
  await clients.s3.send(
    new PutBucketNotificationConfigurationCommand({
      Bucket: names.rawBucket,
      NotificationConfiguration: {
        LambdaFunctionConfigurations: [
          {
            Id: 'process-raw-batches',
            LambdaFunctionArn: fn.FunctionArn!,
            Events: ['s3:ObjectCreated:*'],
            Filter: { Key: { FilterRules: [{ Name: 'prefix', Value: 'raw/' }] } },
          },
        ],
      },
    }),
  );
  return { environment, names, account };
}

const doctor = (environment: string, over: Partial<DoctorClients> = {}) =>
  runDoctor({ clients: { ...clients, ...over }, project: PROJECT, environment, now: new Date() });

function statuses(results: CheckResult[]): Record<string, string> {
  return Object.fromEntries(results.map((r) => [r.id, r.status]));
}

const ALL_PASS = {
  credentials: 'pass',
  'raw-bucket': 'pass',
  'processed-bucket': 'pass',
  notification: 'pass',
  function: 'pass',
  'role-policy': 'pass',
  errors: 'pass',
  logs: 'pass',
};

describe('doctor against moto', () => {
  it('passes every check on a healthy deployment and shows the last log lines', async () => {
    const { environment, names, account } = await healthySetup();
    const results = await doctor(environment);
    expect(statuses(results)).toEqual(ALL_PASS);
    expect(results[0]!.detail).toContain(`account ${account}`);
    expect(results.find((r) => r.id === 'notification')!.detail).toBe(
      `s3:ObjectCreated:* under "raw/" → ${names.functionName}`,
    );
    const logs = results.find((r) => r.id === 'logs')!;
    expect(logs.lines).toHaveLength(3);
    expect(logs.lines![1]).toMatch(
      /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} \{"level":"info","msg":"processed","rows":3600\}$/,
    );
  });

  it('fails credentials (and skips the rest) when STS cannot be reached', async () => {
    const sts = new STSClient({ ...config, endpoint: 'http://127.0.0.1:9', maxAttempts: 1 });
    const results = await doctor('whatever', { sts });
    expect(results[0]).toMatchObject({ id: 'credentials', status: 'fail' });
    expect(results[0]!.advice).toContain('internet connection');
    expect(results.slice(1).every((r) => r.status === 'skip')).toBe(true);
  });

  it('fails the raw bucket (and skips its notification) when it is gone', async () => {
    const { environment, names } = await healthySetup();
    await clients.s3.send(new DeleteBucketCommand({ Bucket: names.rawBucket }));
    const results = await doctor(environment);
    expect(statuses(results)).toEqual({ ...ALL_PASS, 'raw-bucket': 'fail', notification: 'skip' });
    expect(results[1]!.advice).toBe(`Run \`gpuz-cloud deploy --env ${environment}\` to create or repair it.`);
  });

  it('fails the notification when the raw bucket no longer notifies the function', async () => {
    const { environment, names } = await healthySetup();
    await clients.s3.send(
      new PutBucketNotificationConfigurationCommand({
        Bucket: names.rawBucket,
        NotificationConfiguration: {},
      }),
    );
    const results = await doctor(environment);
    expect(statuses(results)).toEqual({ ...ALL_PASS, notification: 'fail' });
    expect(results.find((r) => r.id === 'notification')!.advice).toMatch(
      /^Uploads are stored but never processed/,
    );
  });

  it('fails the function (and skips its role) when it was deleted', async () => {
    const { environment, names } = await healthySetup();
    await clients.lambda.send(new DeleteFunctionCommand({ FunctionName: names.functionName }));
    const results = await doctor(environment);
    expect(statuses(results)).toEqual({ ...ALL_PASS, function: 'fail', 'role-policy': 'skip' });
    expect(results.find((r) => r.id === 'function')!.detail).toBe(`${names.functionName} does not exist`);
  });

  it('fails the role policy when its permissions are gone, warns when it grants s3:*', async () => {
    const { environment, names } = await healthySetup();
    const roleName = `${names.functionName}-role`;
    await clients.iam.send(
      new DeleteRolePolicyCommand({ RoleName: roleName, PolicyName: 'processor-least-privilege' }),
    );
    const gone = await doctor(environment);
    expect(statuses(gone)).toEqual({ ...ALL_PASS, 'role-policy': 'fail' });
    expect(gone.find((r) => r.id === 'role-policy')!.detail).toContain(
      `lacks s3:GetObject on ${names.rawBucket}/raw/*`,
    );

    const broad = processorPolicy({
      rawBucketArn: `arn:aws:s3:::${names.rawBucket}`,
      processedBucketArn: `arn:aws:s3:::${names.processedBucket}`,
      failedBucketArn: `arn:aws:s3:::${names.failedBucket}`,
      logGroupArn: `arn:aws:logs:${services.region}:0:log-group:${names.logGroup}`,
    });
    broad.Statement.push({ Effect: 'Allow', Action: 's3:*', Resource: '*' });
    await clients.iam.send(
      new PutRolePolicyCommand({
        RoleName: roleName,
        PolicyName: 'too-much',
        PolicyDocument: JSON.stringify(broad),
      }),
    );
    const tooMuch = (await doctor(environment)).find((r) => r.id === 'role-policy')!;
    expect(tooMuch.status).toBe('warn');
    expect(tooMuch.detail).toContain(`statement ${broad.Statement.length - 1} allows s3:*`);
  });

  it('fails on Lambda errors in the last 24 hours', async () => {
    const { environment, names } = await healthySetup();
    await clients.cloudwatch.send(
      new PutMetricDataCommand({
        Namespace: 'AWS/Lambda',
        MetricData: [
          {
            MetricName: 'Errors',
            Dimensions: [{ Name: 'FunctionName', Value: names.functionName }],
            Timestamp: new Date(Date.now() - 3_600_000),
            Value: 2,
            Unit: 'Count',
          },
        ],
      }),
    );
    const results = await doctor(environment);
    expect(statuses(results)).toEqual({ ...ALL_PASS, errors: 'fail' });
    expect(results.find((r) => r.id === 'errors')!.detail).toBe('2 errors in the last 24 h');
  });

  it('fails the logs check when the log group is gone, warns on error lines', async () => {
    const { environment, names } = await healthySetup();
    await clients.logs.send(
      new PutLogEventsCommand({
        logGroupName: names.logGroup,
        logStreamName: 's1',
        logEvents: [
          {
            timestamp: Date.now() - 1000,
            message: '2026-01-10T10:00:00Z ERROR Task timed out after 60.00 seconds',
          },
        ],
      }),
    );
    const errorLines = (await doctor(environment)).find((r) => r.id === 'logs')!;
    expect(errorLines).toMatchObject({ status: 'warn', detail: '1 of the last 4 lines report an error' });

    await clients.logs.send(new DeleteLogGroupCommand({ logGroupName: names.logGroup }));
    const results = await doctor(environment);
    expect(statuses(results)).toEqual({ ...ALL_PASS, logs: 'fail' });
    expect(results.find((r) => r.id === 'logs')!.detail).toBe(`${names.logGroup} does not exist`);
  });
});
