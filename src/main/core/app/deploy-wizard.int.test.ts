/**
 * The provisioning wizard through the app service, as the Cloud view drives it: the real terraform binary on a
 * builtin-only stack (no provider download), moto for STS and S3, the real settings file. The agent is the
 * test fake: what is under test is plan → confirm → apply → settings → restart.
 */
import { access, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ListObjectVersionsCommand } from '@aws-sdk/client-s3';
import type { DeployProgress, Settings } from '../../../shared/contract';
import { stackOfRawBucket } from '../../../shared/stack/names';
import { requireServices } from '../../../test-support/services';
import { fillVersionedBuckets } from '../../../test-support/versioned-buckets';
import { cacheFolderOf, forgetBuckets } from '../data/cache-folders';
import { createAwsClients } from '../deploy/aws-clients';
import { findTerraform } from '../deploy/find-terraform';
import { prepareDeploy } from '../deploy/prepare';
import { createMemoryVault } from '../secret-vault.test-support';
import { createSettingsStore, defaultSettings } from '../settings';
import { createAppService } from './app-service';
import { buildCostView } from './cost-view';
import { createFakeRuntime } from './fake-agent.test-support';
import type { RuntimeSettings } from './runtime';

const services = requireServices();
const terraform = await findTerraform({ env: process.env }).catch(() => null);
const STACK = join(import.meta.dirname, '../deploy/fixtures/builtin-stack.tf.json');

/** An app service with the wizard wired as in `gpuz-cloud agent`, over a fresh state folder. */
async function setup() {
  const stateDir = await mkdtemp(join(tmpdir(), 'gpuz-wizard-'));
  const lambdaZipPath = join(stateDir, 'bundle.zip');
  await writeFile(lambdaZipPath, 'zip');
  const defaults = defaultSettings(stateDir, join(stateDir, 'GPU-Z Sensor Log.txt'));
  const opened: RuntimeSettings[] = [];
  /** Runtimes opened and caches forgotten, in order. */
  const steps: string[] = [];
  /** Reads of the stack's health (the Overview's Processing in AWS), each a check of the deployed processor. */
  let healthReads = 0;
  const app = createAppService({
    settings: createSettingsStore({ stateDir, defaults }),
    secrets: createMemoryVault().vault,
    openRuntime: async (settings) => {
      opened.push(settings);
      steps.push(`opened ${settings.target.kind}`);
      return createFakeRuntime();
    },
    estimateCost: buildCostView,
    detectLogFiles: async () => [],
    openCloudHealth: (settings) =>
      settings.target.kind === 's3'
        ? {
            names: stackOfRawBucket(settings.target.bucket)!,
            read: async () => {
              healthReads++;
              return {
                checkedAt: Date.now(),
                alarm: { state: 'OK' },
                failed: { count: 0, latest: [] },
                quarantined: { count: 0, latest: [] },
                problems: [],
              };
            },
            reprocess: async () => ({ reprocessed: 0, stillFailing: [] }),
          }
        : null,
    deploy: {
      prepare: (request) =>
        prepareDeploy(
          { stateDir, stackJsonPath: STACK, lambdaZipPath, env: process.env, terraformPath: terraform!.path },
          request,
        ),
      fallback: defaults.target,
      forgetBuckets: async (buckets, endpoint) => {
        steps.push('forgot');
        await forgetBuckets(stateDir, buckets, endpoint);
      },
    },
  });
  const progress: DeployProgress[] = [];
  const pushed: Settings[] = [];
  app.events.on('deployProgress', (p) => progress.push(p));
  app.events.on('settings', (s) => pushed.push(s));
  await app.start();
  const environment = `w${Math.random().toString(36).slice(2, 8)}`;
  return {
    app,
    stateDir,
    steps,
    healthReads: () => healthReads,
    defaults,
    opened,
    progress,
    pushed,
    environment,
    where: { environment, region: services.region, endpoint: services.motoEndpoint },
  };
}

describe.skipIf(!terraform)('provisioning wizard (app service, real terraform, moto)', () => {
  it('plans, refuses an unconfirmed apply, deploys with progress and restarts the agent on the buckets; destroy empties them and goes back to the local store', async () => {
    const { app, stateDir, steps, defaults, opened, progress, pushed, environment, where } = await setup();
    const raw = `gpuz-cloud-${environment}-raw-000000000000`;
    const processed = `gpuz-cloud-${environment}-processed-000000000000`;

    await expect(app.handlers.applyDeploy({ confirm: environment })).rejects.toMatchObject({
      code: 'NO_PLAN',
    });
    const plan = await app.handlers.planDeploy({ action: 'deploy', ...where });
    expect(plan).toMatchObject({
      action: 'deploy',
      check: {
        account: '123456789012',
        region: services.region,
        terraform: expect.stringMatching(/^terraform \d/),
      },
      counts: { add: 3, change: 0, remove: 0 },
    });
    expect(plan.changes).toContainEqual({ action: 'create', address: 'terraform_data.raw' });
    await expect(app.handlers.applyDeploy({ confirm: 'prod' })).rejects.toMatchObject({
      code: 'NOT_CONFIRMED',
      message: `Type the environment name "${environment}" to confirm.`,
    });
    // A refused confirmation uses up nothing: the same plan applies with the right name.
    const deployed = await app.handlers.applyDeploy({ confirm: environment });
    const target = {
      kind: 's3',
      bucket: raw,
      region: services.region,
      endpoint: services.motoEndpoint,
      processedBucket: processed,
    };
    expect(deployed).toMatchObject({
      action: 'deploy',
      rawBucket: raw,
      processedBucket: processed,
      settings: { target },
    });
    expect(progress.filter((p) => p.phase === 'apply').at(-1)).toMatchObject({ done: 3, total: 3 });
    await expect(app.handlers.getSettings()).resolves.toMatchObject({ target });
    expect(opened.at(-1)).toMatchObject({ target });
    expect(pushed.at(-1)).toMatchObject({ target });

    const { s3 } = createAwsClients({ region: services.region, endpoint: services.motoEndpoint });
    await fillVersionedBuckets(s3, [raw, processed], 3);
    // The dashboard kept copies of the stack's objects; another bucket's cache is not the destroy's business.
    const cached = cacheFolderOf(stateDir, target as Settings['target']);
    const other = cacheFolderOf(stateDir, { kind: 's3', bucket: 'someone-elses', region: services.region });
    for (const folder of [cached, other]) {
      await mkdir(folder, { recursive: true });
      await writeFile(join(folder, 'copy.object'), 'rows');
    }
    const destroyPlan = await app.handlers.planDeploy({ action: 'destroy', ...where });
    expect(destroyPlan.counts).toEqual({ add: 0, change: 0, remove: 3, import: 0 });
    const destroyed = await app.handlers.applyDeploy({ confirm: environment });
    expect(destroyed).toMatchObject({
      action: 'destroy',
      emptied: [
        { bucket: raw, deleted: 3 },
        { bucket: processed, deleted: 3 },
      ],
      settings: { target: defaults.target },
    });
    expect((await s3.send(new ListObjectVersionsCommand({ Bucket: raw }))).Versions ?? []).toEqual([]);
    expect(opened.at(-1)).toMatchObject({ target: defaults.target });
    // Forgotten after the restart on the local store, when nothing has the cache open any more.
    expect(steps.slice(-2)).toEqual(['opened local', 'forgot']);
    await expect(access(cached)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(access(other)).resolves.toBeUndefined();
    await app.stop();
  }, 120_000);

  it('a deploy again that keeps the settings (an app update: only the processor changes) checks the stack’s health again at once', async () => {
    // Before, the agent was restarted only when settings changed, so the Overview kept "an earlier build … deploy
    // again" for up to 10 minutes after that very deploy (the health monitor's next look).
    const { app, environment, where, healthReads } = await setup();
    await app.handlers.planDeploy({ action: 'deploy', ...where });
    await app.handlers.applyDeploy({ confirm: environment });
    await app.handlers.getCloudHealth();
    const before = healthReads();
    const again = await app.handlers.planDeploy({ action: 'deploy', ...where });
    expect(again.counts).toMatchObject({ add: 0, change: 0, remove: 0 });
    await app.handlers.applyDeploy({ confirm: environment });
    expect(healthReads()).toBeGreaterThan(before);
    await app.stop();
  }, 120_000);

  it('one operation at a time: a second plan while one runs is refused with advice', async () => {
    const { app, where } = await setup();
    const first = app.handlers.planDeploy({ action: 'deploy', ...where });
    await expect(app.handlers.planDeploy({ action: 'deploy', ...where })).rejects.toMatchObject({
      code: 'DEPLOY_BUSY',
      advice: expect.stringContaining('Wait'),
    });
    await expect(first).resolves.toMatchObject({ counts: { add: 3 } });
    await app.stop();
  }, 120_000);
});
