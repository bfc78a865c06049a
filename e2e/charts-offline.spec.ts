/**
 * Charts on a laptop without network: the bm1 sample (moved to now) uploaded to a bucket in a moto server of the
 * spec's own and processed as the Lambda does; the dashboard draws the last hour from the bucket. Then moto goes away
 * and the agent starts again (a reboot on a train): before, the Charts view showed only the network error; now it
 * draws the same hour from what this PC kept, with a note that says the stored copy could not be read. The Sessions
 * view, which showed the network error too, lists the sessions of what this PC kept, and says so.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { createLocalProcessor } from '../src/main/core/pipeline/local-processor';
import { createS3Client, createS3Store } from '../src/main/core/store/s3';
import { type AgentProcess, runGpuzCloud } from './support/agent-process';
import { columnStats, readSample, type SampleLog, shiftToNow } from './support/log-writer';
import { createBucket, createMoto, type MotoServer, startAgentOnMoto } from './support/moto';
import { keepScreenshot } from './support/screenshots';

const SAMPLE = 'gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt';
const CREDENTIALS = { accessKeyId: 'testing', secretAccessKey: 'testing' };
const bucket = `gpuz-e2e-${Math.random().toString(36).slice(2, 10)}`;

test.describe.configure({ mode: 'serial' });

let dir: string;
let moto: MotoServer;
let agent: AgentProcess;
let log: SampleLog;
let logPath: string;
/** The Sessions view's count line while the bucket answered. */
let sessionsOnline: string | null = null;
const stateDir = () => join(dir, 'state');
const start = () => startAgentOnMoto({ moto, bucket, logPath, stateDir: stateDir(), timeZone: 'UTC' });

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gpuz-e2e-charts-offline-'));
  moto = await createMoto();
  await moto.start();
  await createBucket(moto, bucket);
  logPath = join(dir, 'GPU-Z Sensor Log.txt');
  log = shiftToNow(readSample(SAMPLE), Date.now() - 1000, 'UTC');
  await writeFile(logPath, Buffer.from(`${[log.header, ...log.rows].join(log.eol)}${log.eol}`, 'latin1'));
  // Uploaded by the CLI with the agent's own state folder (the agent then finds it sent), processed as the Lambda does
  const uploaded = await runGpuzCloud(
    [
      ...[
        'upload',
        '--file',
        logPath,
        '--bucket',
        bucket,
        '--endpoint',
        moto.endpoint,
        '--region',
        'us-east-1',
      ],
      ...['--host', 'e2e-pc', '--state-dir', stateDir(), '--tz', 'UTC'],
    ],
    { AWS_ACCESS_KEY_ID: CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: CREDENTIALS.secretAccessKey },
  );
  expect(uploaded.code, uploaded.stderr).toBe(0);
  const client = createS3Client({ region: 'us-east-1', endpoint: moto.endpoint, credentials: CREDENTIALS });
  const store = createS3Store({ client, bucket });
  const processor = createLocalProcessor({ timeZone: 'UTC' });
  for (const object of await store.list('raw/')) await processor.onRawStored(object.key, store);
  await processor.close();
  client.destroy();
  agent = await start();
});

test.afterAll(async () => {
  await agent?.stop();
  await moto?.stop();
  await rm(dir, { recursive: true, force: true });
});

/** Sessions over "All stored data" (the view's default): the count line once loaded. */
async function allSessions(page: Page): Promise<ReturnType<Page['getByTestId']>> {
  await page.goto(`${agent.url}#sessions`);
  const note = page.getByTestId('sessions-note');
  await expect(note).toHaveAttribute('data-count', /\d+/);
  return note;
}

/** The last hour's Thermals: each chart's max as the sample has it. */
async function lastHourThermals(page: Page): Promise<void> {
  await page.goto(`${agent.url}#charts`);
  await page.getByRole('button', { name: '1 h', exact: true }).click();
  await page.getByRole('button', { name: 'Thermals' }).click();
  const line = page.locator('[data-testid="chart-stats"][data-key="gpu_temperature_c"]');
  await expect(line).toHaveAttribute('data-max', String(columnStats(log, 'GPU Temperature').max));
}

test('the last hour is drawn from the bucket, and again from what this PC kept once the network is gone', async ({
  page,
}, testInfo) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  const note = page.getByTestId('chart-note');
  await lastHourThermals(page);
  await expect(note).toHaveAttribute('data-kept-only', 'false');
  await expect(note).toContainText('Stored rows (what the store holds).');
  const sessions = await allSessions(page);
  await expect(sessions).toHaveAttribute('data-kept-only', 'false');
  sessionsOnline = await sessions.getAttribute('data-count');
  expect(Number(sessionsOnline)).toBeGreaterThan(0);

  // No network, and the PC restarted: the agent opens the same cache folder
  await agent.stop();
  await moto.stop();
  agent = await start();
  await lastHourThermals(page);
  await expect(note).toHaveAttribute('data-kept-only', 'true');
  await expect(note).toContainText('The stored copy could not be read (');
  await expect(note).toContainText(
    'showing the readings this PC kept from earlier views; rows stored since then are missing until it answers.',
  );
  await expect(note).not.toContainText('(what the store holds)');
  await keepScreenshot(page, testInfo, 'charts-offline');
});

test('Sessions lists the same sessions from what this PC kept, and says the stored copy could not be read', async ({
  page,
}, testInfo) => {
  test.skip(sessionsOnline === null, 'the first test did not reach the offline agent');
  await page.setViewportSize({ width: 1920, height: 1080 });
  const note = await allSessions(page);
  await expect(note).toHaveAttribute('data-kept-only', 'true');
  await expect(note).toHaveAttribute('data-count', sessionsOnline!);
  await expect(note).toContainText('The stored copy could not be read (');
  await expect(note).toContainText(
    'listing the sessions of the readings this PC kept from earlier views; sessions stored since then are missing until it answers.',
  );
  await expect(page.getByTestId('sessions-body').locator('tr')).not.toHaveCount(0);
  await keepScreenshot(page, testInfo, 'sessions-offline');
});
