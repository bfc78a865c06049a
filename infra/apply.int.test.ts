/**
 * The real stack, applied against moto with the real terraform binary and the machine's provider mirror (the
 * provider constraint relaxed for this test only, see testing/real-stack.ts), driven the way a user drives it:
 * `gpuz-cloud deploy`, the resources read back, `doctor`, a clean replan through the wizard's service, the local
 * state lost (restored from the account's copy), the state lost everywhere (existing resources adopted), a name
 * too long for S3, and `destroy` through the wizard leaving nothing behind. Skips, saying why, without a binary or
 * a mirror.
 *
 * moto ignores the conditions of a bucket policy: the emulator build of the stack names a placeholder caller in the
 * TLS-only Deny (policies.ts), so objects can be written to the stack's buckets here as over TLS on AWS.
 */

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DescribeAlarmsCommand } from '@aws-sdk/client-cloudwatch';
import { DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { GetRoleCommand } from '@aws-sdk/client-iam';
import {
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionEventInvokeConfigCommand,
} from '@aws-sdk/client-lambda';
import {
  DeleteObjectCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketVersioningCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
} from '@aws-sdk/client-s3';
import { ListSubscriptionsByTopicCommand, ListTopicsCommand } from '@aws-sdk/client-sns';
import { runDeploy } from '../src/main/cli/commands/deploy';
import { runDoctorCommand } from '../src/main/cli/commands/doctor';
import { createAppService } from '../src/main/core/app/app-service';
import { buildCostView } from '../src/main/core/app/cost-view';
import { createFakeRuntime } from '../src/main/core/app/fake-agent.test-support';
import { createAwsClients } from '../src/main/core/deploy/aws-clients';
import { createDeployEngine } from '../src/main/core/deploy/engine';
import { findTerraform } from '../src/main/core/deploy/find-terraform';
import { prepareDeploy } from '../src/main/core/deploy/prepare';
import { readProcessorCode } from '../src/main/core/deploy/processor-code';
import { createMemoryVault } from '../src/main/core/secret-vault.test-support';
import { createSettingsStore, defaultSettings } from '../src/main/core/settings';
import { STATE_COPY_KEY, stackNames } from '../src/shared/stack/names';
import { requireServices } from '../src/test-support/services';
import { findProviderMirror, synthForMoto } from './testing/real-stack';

const terraform = await findTerraform({ env: process.env }).catch(() => null);
const mirror = findProviderMirror(process.env);
const skipReason = !terraform
  ? 'no terraform or tofu binary on PATH'
  : !mirror
    ? 'no AWS provider mirror (set GPUZ_TF_PROVIDER_MIRROR to a `terraform providers mirror` folder)'
    : '';

/** Collects what a command writes, as from a script (no terminal). */
function capture() {
  const text = { out: '', err: '' };
  return {
    text,
    io: {
      out: { write: (t: string) => (text.out += t) },
      err: { write: (t: string) => (text.err += t), isTTY: false } as unknown as NodeJS.WritableStream,
    },
  };
}

describe.skipIf(skipReason !== '')(
  `the real stack against moto${skipReason ? ` (skipped: ${skipReason})` : ''}`,
  () => {
    const services = requireServices();
    const clients = createAwsClients({ region: services.region, endpoint: services.motoEndpoint });
    const environment = `r${Math.random().toString(36).slice(2, 8)}`;
    const names = stackNames({ project: 'gpuz-cloud', environment, accountId: '123456789012' });
    const stateDir = mkdtempSync(join(tmpdir(), 'gpuz-real-'));
    const workDir = join(stateDir, 'deploy', `123456789012-${environment}`);
    let bundle: { stackJsonPath: string; lambdaZipPath: string };
    let deploy: (extra?: Record<string, unknown>) => Promise<{ code: number; err: string }>;
    /** The bundle of an updated install: another build than the one deployed. */
    const updatedBundle = join(stateDir, 'updated-bundle.zip');

    beforeAll(() => {
      process.env.GPUZ_TF_PROVIDER_MIRROR = mirror!;
      bundle = synthForMoto(services.motoEndpoint);
      writeFileSync(
        updatedBundle,
        Buffer.concat([readFileSync(bundle.lambdaZipPath), Buffer.from('another build')]),
      );
      deploy = async (extra = {}) => {
        const { io, text } = capture();
        const code = await runDeploy(
          {
            env: environment,
            yes: true,
            region: services.region,
            endpoint: services.motoEndpoint,
            stack: bundle.stackJsonPath,
            lambdaZip: bundle.lambdaZipPath,
            stateDir,
            terraform: terraform!.path,
            ...extra,
          },
          io,
        );
        return { code, err: text.err };
      };
    });

    it('deploys every resource with the settings asked for, and doctor passes', async () => {
      // Act
      const started = performance.now();
      const first = await deploy({ alarmEmail: 'owner@example.com', rawExpiryDays: 30 });
      const seconds = (performance.now() - started) / 1000;
      // Assess
      expect(first.err).toMatch(/Plan: 28 to add, 0 to change, 0 to destroy\./);
      expect(first.code, first.err).toBe(0);
      // moto has no GetAccountSettings: the deploy reserves nothing and says why.
      expect(first.err).toContain("note: Could not read the account's Lambda concurrency settings");
      expect(first.err).toContain(`state copied to s3://${names.processedBucket}/${STATE_COPY_KEY}`);
      process.stdout.write(`real stack: first apply took ${seconds.toFixed(0)} s\n`);

      for (const bucket of [names.rawBucket, names.processedBucket, names.failedBucket]) {
        const versioning = await clients.s3.send(new GetBucketVersioningCommand({ Bucket: bucket }));
        expect(versioning.Status).toBe('Enabled');
      }
      const lifecycle = await clients.s3.send(
        new GetBucketLifecycleConfigurationCommand({ Bucket: names.rawBucket }),
      );
      expect(lifecycle.Rules?.find((r) => r.ID === 'expire-raw-batches')).toMatchObject({
        Status: 'Enabled',
        Expiration: { Days: 30 },
      });
      // …and the settings the deploy wrote say so, from the stack's outputs: the cost estimate prices 30 days
      const settings = await createSettingsStore({
        stateDir,
        defaults: defaultSettings(stateDir, ''),
      }).load();
      expect(settings.target).toMatchObject({ processedBucket: names.processedBucket, rawExpiryDays: 30 });
      expect(settings.target).not.toHaveProperty('analyticsCopy');
      const fn = await clients.lambda.send(new GetFunctionCommand({ FunctionName: names.functionName }));
      expect(fn.Configuration).toMatchObject({
        Runtime: 'nodejs22.x',
        Architectures: ['arm64'],
        MemorySize: 256,
        Timeout: 60,
      });
      const reserved = await clients.lambda.send(
        new GetFunctionConcurrencyCommand({ FunctionName: names.functionName }),
      );
      expect(reserved.ReservedConcurrentExecutions ?? null).toBeNull();
      const onFailure = await clients.lambda.send(
        new GetFunctionEventInvokeConfigCommand({ FunctionName: names.functionName }),
      );
      expect(onFailure).toMatchObject({
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: `arn:aws:s3:::${names.failedBucket}` } },
      });
      const [alarm] =
        (await clients.cloudwatch.send(new DescribeAlarmsCommand({ AlarmNames: [names.alarmName] })))
          .MetricAlarms ?? [];
      const topicArn = `arn:aws:sns:${services.region}:123456789012:${names.topicName}`;
      expect(alarm?.AlarmActions).toEqual([topicArn]);
      const subscriptions = await clients.sns.send(
        new ListSubscriptionsByTopicCommand({ TopicArn: topicArn }),
      );
      expect(subscriptions.Subscriptions?.map((s) => [s.Protocol, s.Endpoint])).toEqual([
        ['email', 'owner@example.com'],
      ]);

      const doctor = capture();
      const asked = {
        env: environment,
        project: 'gpuz-cloud',
        region: services.region,
        endpoint: services.motoEndpoint,
      };
      const doctorCode = await runDoctorCommand({ ...asked, lambdaZip: bundle.lambdaZipPath }, doctor.io);
      expect(doctor.text.out).toContain('All checks passed (0 warning(s))');
      expect(doctor.text.out).toContain('code: this install’s bundle');
      expect(doctorCode).toBe(0);
      // An updated install ships another bundle: the function is said to lag behind, with the deploy to run.
      const later = capture();
      expect(await runDoctorCommand({ ...asked, lambdaZip: updatedBundle }, later.io)).toBe(0);
      expect(later.text.out).toMatch(/! warn {2}Processor function .*runs another build of the processor/);
      expect(later.text.out).toContain(`Run \`gpuz-cloud deploy --env ${environment}\` to update it`);
      // An installed CLI run from another folder finds no bundle at the default path: it says it did not compare.
      const elsewhere = capture();
      await runDoctorCommand({ ...asked, lambdaZip: 'dist/lambda/not-here.zip' }, elsewhere.io);
      expect(elsewhere.text.out).toContain('All checks passed (0 warning(s))');
      expect(elsewhere.text.out).toContain(
        "note: the function's code was not compared with this install's processor: no bundle at dist/lambda/not-here.zip",
      );
    }, 600_000);

    it('tells from the state of that deploy whether the function runs the bundle the app ships', async () => {
      // The app's Overview (Processing in AWS) asks this at every health check: after an app update the bundle is
      // another one until the stack is deployed again.
      const asked = { stateDir, names };
      const applied = await readProcessorCode({ ...asked, lambdaZipPath: bundle.lambdaZipPath });
      expect(applied).toEqual({ current: true, appliedAt: expect.any(Number) });
      expect(await readProcessorCode({ ...asked, lambdaZipPath: updatedBundle })).toEqual({
        current: false,
        appliedAt: applied!.appliedAt,
      });
      // The same stack name in another account is another stack: this PC holds no state of it.
      const otherAccount = stackNames({ project: 'gpuz-cloud', environment, accountId: '210987654321' });
      expect(
        await readProcessorCode({ stateDir, names: otherAccount, lambdaZipPath: updatedBundle }),
      ).toBeNull();
    });

    it('plans nothing to change through the wizard’s service (the same stack, settings kept)', async () => {
      // Prepare
      const defaults = defaultSettings(stateDir, join(stateDir, 'GPU-Z Sensor Log.txt'));
      const app = createAppService({
        settings: createSettingsStore({ stateDir, defaults }),
        secrets: createMemoryVault().vault,
        openRuntime: async () => createFakeRuntime(),
        estimateCost: buildCostView,
        detectLogFiles: async () => [],
        deploy: {
          prepare: (request) => prepareDeploy({ stateDir, ...bundle, env: process.env }, request),
          fallback: defaults.target,
        },
      });
      await app.start();
      // Act
      const plan = await app.handlers.planDeploy({
        action: 'deploy',
        environment,
        region: services.region,
        endpoint: services.motoEndpoint,
      });
      await app.stop();
      // Assess: no e-mail or expiry given, and still nothing to change — the deployed values are kept.
      expect(plan.counts).toEqual({ add: 0, change: 0, remove: 0, import: 0 });
      expect(plan.state).toBe('local');
    }, 300_000);

    it('local state lost: the copy in the account comes back, nothing is added or duplicated', async () => {
      // A deploy with nothing to change still writes the copy.
      const copied = await deploy();
      expect(copied.err).toContain(`state copied to s3://${names.processedBucket}/${STATE_COPY_KEY}`);
      const copy = await clients.s3.send(
        new GetObjectCommand({ Bucket: names.processedBucket, Key: STATE_COPY_KEY }),
      );
      expect(copy.ServerSideEncryption).toBe('AES256');
      // 28 resources and the caller-identity data source.
      expect(JSON.parse(await copy.Body!.transformToString()).resources.length).toBe(29);

      await rm(join(workDir, 'terraform.tfstate'));
      const again = await deploy();
      expect(again.code, again.err).toBe(0);
      expect(again.err).toContain('state: restored from the copy in your account');
      expect(again.err).toContain('Plan: 0 to add, 0 to change, 0 to destroy.');
    }, 300_000);

    it('state lost everywhere: what exists is adopted (imported), not created twice', async () => {
      await rm(join(workDir, 'terraform.tfstate'));
      await clients.s3.send(new DeleteObjectCommand({ Bucket: names.processedBucket, Key: STATE_COPY_KEY }));
      const adopted = await deploy({ alarmEmail: 'owner@example.com', rawExpiryDays: 30 });
      expect(adopted.code, adopted.err).toBe(0);
      expect(adopted.err).toMatch(
        /state: none here or in your account; 28 existing resources will be adopted/,
      );
      expect(adopted.err).toMatch(/Plan: 0 to add, \d+ to change, 0 to destroy, 28 to import\./);
      const topics = (await clients.sns.send(new ListTopicsCommand({}))).Topics ?? [];
      expect(topics.filter((t) => t.TopicArn?.endsWith(`:${names.topicName}`))).toHaveLength(1);
      const after = await deploy();
      expect(after.err).toContain('Plan: 0 to add, 0 to change, 0 to destroy.');
    }, 400_000);

    it('refuses a project and environment too long for a bucket name, with the reason, before creating anything', async () => {
      const longEnv = 'e'.repeat(25);
      const engine = createDeployEngine({
        terraform: terraform!,
        stateDir,
        ...bundle,
        accountId: '123456789012',
        environment: longEnv,
        projectName: 'p'.repeat(15),
        region: services.region,
        providerMirror: mirror!,
        clock: () => new Date(),
      });
      await engine.init();
      await expect(engine.plan()).rejects.toMatchObject({
        code: 'TERRAFORM_FAILED',
        message: expect.stringContaining("longer than S3's 63 characters"),
      });
    }, 120_000);

    it('destroys everything through the wizard’s service, emptying the three buckets first', async () => {
      // Prepare: a batch in the raw bucket and a failure record, as a used stack has.
      await clients.s3.send(
        new PutObjectCommand({ Bucket: names.rawBucket, Key: 'raw/pc/2024/04/20/b-0-1.csv.gz', Body: 'x' }),
      );
      await clients.s3.send(
        new PutObjectCommand({
          Bucket: names.failedBucket,
          Key: `aws/lambda/async/${names.functionName}/2024/04/20/2024-04-20T13.00.00-1`,
          Body: '{}',
        }),
      );
      const defaults = defaultSettings(stateDir, join(stateDir, 'GPU-Z Sensor Log.txt'));
      const app = createAppService({
        settings: createSettingsStore({ stateDir, defaults }),
        secrets: createMemoryVault().vault,
        openRuntime: async () => createFakeRuntime(),
        estimateCost: buildCostView,
        detectLogFiles: async () => [],
        deploy: {
          prepare: (request) => prepareDeploy({ stateDir, ...bundle, env: process.env }, request),
          fallback: defaults.target,
        },
      });
      await app.start();
      const where = { environment, region: services.region, endpoint: services.motoEndpoint };
      // Act
      const plan = await app.handlers.planDeploy({ action: 'destroy', ...where });
      const destroyed = await app.handlers.applyDeploy({ confirm: environment });
      await app.stop();
      // Assess
      expect(plan.counts.remove).toBe(28);
      expect(destroyed.emptied?.map((e) => e.bucket)).toEqual([
        names.rawBucket,
        names.processedBucket,
        names.failedBucket,
      ]);
      for (const bucket of [names.rawBucket, names.processedBucket, names.failedBucket]) {
        await expect(clients.s3.send(new HeadBucketCommand({ Bucket: bucket }))).rejects.toThrow();
      }
      await expect(
        clients.lambda.send(new GetFunctionCommand({ FunctionName: names.functionName })),
      ).rejects.toThrow();
      await expect(clients.iam.send(new GetRoleCommand({ RoleName: names.roleName }))).rejects.toThrow();
      const groups = await clients.logs.send(
        new DescribeLogGroupsCommand({ logGroupNamePrefix: names.logGroup }),
      );
      expect(groups.logGroups ?? []).toEqual([]);
      const alarms = await clients.cloudwatch.send(
        new DescribeAlarmsCommand({ AlarmNames: [names.alarmName] }),
      );
      expect(alarms.MetricAlarms ?? []).toEqual([]);
      const topics = (await clients.sns.send(new ListTopicsCommand({}))).Topics ?? [];
      expect(topics.filter((t) => t.TopicArn?.endsWith(`:${names.topicName}`))).toEqual([]);
    }, 400_000);
  },
);
