/**
 * The provisioning wizard end to end: the Cloud view of `gpuz-cloud agent` plans and deploys a stack with the
 * real terraform binary (a builtin-only stack: no provider download here) against its own moto (STS, S3), the
 * agent switches to the deployed bucket, and Destroy empties the buckets and switches back to the local folder.
 * Skipped where no terraform/tofu binary is on PATH (or GPUZ_TERRAFORM).
 */
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { expect, type Page, test } from '@playwright/test';
import { findTerraform } from '../src/main/core/deploy/find-terraform';
import { fillVersionedBuckets } from '../src/test-support/versioned-buckets';
import { type AgentProcess, startAgentProcess } from './support/agent-process';
import { createMoto, type MotoServer } from './support/moto';
import { keepScreenshot } from './support/screenshots';

const STACK = join(import.meta.dirname, '../src/main/core/deploy/fixtures/builtin-stack.tf.json');
const environment = `e${Math.random().toString(36).slice(2, 8)}`;
const raw = `gpuz-cloud-${environment}-raw-000000000000`;
const processed = `gpuz-cloud-${environment}-processed-000000000000`;

test.describe.configure({ mode: 'serial' });

let dir: string;
let moto: MotoServer;
let agent: AgentProcess;
let terraformFound = true;

test.beforeAll(async () => {
  terraformFound = (await findTerraform({ env: process.env }).catch(() => null)) !== null;
  if (!terraformFound) return;
  dir = await mkdtemp(join(tmpdir(), 'gpuz-e2e-cloud-'));
  moto = await createMoto();
  await moto.start();
  const lambdaZip = join(dir, 'gpu-processor.zip');
  await writeFile(lambdaZip, 'zip');
  await mkdir(join(dir, 'state'), { recursive: true });
  agent = await startAgentProcess({
    stateDir: join(dir, 'state'),
    args: ['--file', join(dir, 'GPU-Z Sensor Log.txt'), '--local', join(dir, 'store')],
    env: {
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
      GPUZ_STACK_JSON: STACK,
      GPUZ_LAMBDA_ZIP: lambdaZip,
    },
  });
});

test.afterAll(async () => {
  await agent?.stop();
  await moto?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

async function fillWhere(page: Page): Promise<void> {
  await page.getByLabel('Region', { exact: true }).fill('us-east-1');
  await page.getByLabel('Environment', { exact: true }).fill(environment);
  await page.getByLabel('Endpoint', { exact: true }).fill(moto.endpoint);
}

test('Cloud: plan lists the resources and the account, a wrong name is refused, Deploy shows progress and switches the agent to the bucket', async ({
  page,
}, testInfo) => {
  test.skip(!terraformFound, 'no terraform or tofu binary on PATH (or GPUZ_TERRAFORM)');
  await page.goto(`${agent.url}#cloud`);
  await fillWhere(page);
  await page.getByTestId('plan-deploy').click();
  const status = page.getByTestId('deploy-status');
  await expect(status).toHaveText('Plan: 3 to add, 0 to change, 0 to destroy.', { timeout: 60_000 });
  await expect(page.getByTestId('deploy-account')).toContainText('account 123456789012');
  await expect(page.getByTestId('deploy-changes')).toContainText('+ terraform_data.raw');
  await keepScreenshot(page, testInfo, 'cloud');

  // A field changed under the plan withdraws it: Deploy applied the plan made before (lived: the stack was deployed
  // without the raw expiry typed after the plan)
  await page.getByLabel('Delete raw batches after (days)', { exact: true }).fill('30');
  await expect(page.getByTestId('apply-deploy')).toHaveCount(0);
  await expect(status).toHaveText(
    'A field changed after the plan: press Plan deploy (or Plan destroy) again.',
  );
  await page.getByTestId('plan-deploy').click();
  await expect(status).toHaveText('Plan: 3 to add, 0 to change, 0 to destroy.', { timeout: 60_000 });
  await page.getByLabel(`Type "${environment}" to confirm`).fill('prod');
  await page.getByTestId('apply-deploy').click();
  await expect(status).toContainText(`Type the environment name "${environment}" to confirm.`);
  await page.getByLabel(`Type "${environment}" to confirm`).fill(environment);
  await page.getByTestId('apply-deploy').click();
  await expect(status).toHaveText(
    `Deployed. The agent now uploads to s3://${raw}; the dashboard reads s3://${processed}.`,
    { timeout: 60_000 },
  );
  await expect(page.getByTestId('deploy-progress-label')).toContainText('apply 3/3');

  await page.goto(`${agent.url}#settings`);
  await expect(page.getByLabel('Target', { exact: true })).toHaveValue('s3');
  await expect(page.getByLabel('Bucket', { exact: true })).toHaveValue(raw);

  // The second day: another interval saved in Settings keeps what the form has no field for. Before, the save
  // dropped the processed bucket (the charts then read the raw bucket, which holds no documents), and the Costs
  // view priced raw batches as kept for ever whatever the stack deleted.
  await page.getByLabel('Upload every (minutes)', { exact: true }).fill('30');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('settings-result')).toContainText('Saved');
  const saved = JSON.parse(await readFile(join(dir, 'state', 'settings.json'), 'utf8'));
  expect(saved.schedule).toEqual({ kind: 'interval', minutes: 30 });
  expect(saved.target).toMatchObject({ bucket: raw, processedBucket: processed, rawExpiryDays: 30 });
  await page.goto(`${agent.url}#costs`);
  await expect(page.getByLabel('Raw batches deleted after (days; empty: kept)', { exact: true })).toHaveValue(
    '30',
  );
});

test('Cloud: Destroy empties the versioned buckets and switches the agent back to the local folder', async ({
  page,
}) => {
  test.skip(!terraformFound, 'no terraform or tofu binary on PATH (or GPUZ_TERRAFORM)');
  // The builtin stack only names the buckets: make them, versioned and holding data, as a real stack would be.
  const s3 = new S3Client({
    endpoint: moto.endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  await fillVersionedBuckets(s3, [raw, processed], 2);
  s3.destroy();

  await page.goto(`${agent.url}#cloud`);
  // The view starts from the stack the agent now uploads to.
  await expect(page.getByLabel('Environment', { exact: true })).toHaveValue(environment);
  await expect(page.getByLabel('Endpoint', { exact: true })).toHaveValue(moto.endpoint);
  await fillWhere(page);
  await page.getByTestId('plan-destroy').click();
  const status = page.getByTestId('deploy-status');
  await expect(status).toHaveText('Plan: 0 to add, 0 to change, 3 to destroy.', { timeout: 60_000 });
  await page.getByLabel(`Type "${environment}" to confirm`).fill(environment);
  await page.getByTestId('apply-deploy').click();
  await expect(status).toHaveText(
    `Destroyed. The agent now uploads to the local folder ${join(dir, 'state', 'store')}.`,
    {
      timeout: 60_000,
    },
  );
  await expect(page.getByTestId('deploy-result')).toContainText(
    `Emptied ${raw}: 2 object versions and delete markers.`,
  );
});
