/**
 * The Uploads view through an S3 outage (a moto server of the spec's own, stopped and started again): the batch that
 * cannot be sent says 'retrying' with its next try and offers "Retry now", without a progress bar frozen at
 * "0 B of 722 B"; the button answers while the network is still down, and sends the batch once it is back.
 */
import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { AgentProcess } from './support/agent-process';
import { readSample, shiftToNow } from './support/log-writer';
import { createBucket, createMoto, type MotoServer, startAgentOnMoto } from './support/moto';
import { keepScreenshot } from './support/screenshots';

const bucket = `gpuz-e2e-${Math.random().toString(36).slice(2, 10)}`;

let dir: string;
let moto: MotoServer;
let agent: AgentProcess;
let logPath: string;
let log: ReturnType<typeof shiftToNow>;

/** GPU-Z appends rows from..to-1 of the sample. */
const appendRows = (from: number, to: number) =>
  appendFile(logPath, Buffer.from(`${log.rows.slice(from, to).join(log.eol)}${log.eol}`, 'latin1'));

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gpuz-e2e-retry-'));
  moto = await createMoto();
  await moto.start();
  await createBucket(moto, bucket);
  logPath = join(dir, 'GPU-Z Sensor Log.txt');
  log = shiftToNow(readSample('gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt'), Date.now() - 1000);
  await writeFile(logPath, Buffer.from(`${log.header}${log.eol}`, 'latin1'));
  await appendRows(0, 100);
  agent = await startAgentOnMoto({ moto, bucket, logPath, stateDir: join(dir, 'state'), timeZone: 'UTC' });
});

test.afterAll(async () => {
  await agent?.stop();
  await moto?.stop();
  await rm(dir, { recursive: true, force: true });
});

test('a batch waiting out an outage says retrying with its next try; Retry now answers, and sends once S3 is back', async ({
  page,
}, testInfo) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`${agent.url}#overview`);
  await page.getByTestId('upload-now').click();
  await expect(page.getByTestId('action-message')).toHaveText('Upload now: done.');

  // The network goes: the next batch cannot be sent
  await moto.stop();
  await appendRows(100, 110);
  await page.getByTestId('upload-now').click();
  await expect(page.getByTestId('state')).toHaveText(/offline|error/);
  await page.goto(`${agent.url}#uploads`);
  const waiting = page.locator('tr[data-status="retrying"]');
  await expect(waiting).toHaveCount(1);
  await expect(waiting).toContainText(/Next try at \d{1,2}:\d{2}:\d{2}/);
  await expect(waiting.getByRole('button', { name: /^Retry now: batch / })).toBeVisible();
  // No progress bar between attempts (it stood at "Uploading …: 0 B of 722 B" through the whole outage)
  await expect(page.getByTestId('in-flight')).toBeEmpty();
  await expect(page.getByTestId('uploads-summary')).toHaveText('1 of 2 batches uploaded, 100 rows.');
  await keepScreenshot(page, testInfo, 'uploads-retrying');

  // Retry now while S3 is still down: an answer, not a wait for the network
  await waiting.getByRole('button', { name: /^Retry now/ }).click();
  await expect(page.getByTestId('uploads-message')).toHaveText(
    /^Retry: \S+ still cannot be sent \(.+\)\. It waits in the spool; next try at .+\.$/,
  );

  // S3 is back: Retry now sends it — or the agent's own next attempt (a second or two apart after the press) got
  // there first, and the button is gone. Either way the answer follows the row to "uploaded". (A press the moment
  // moto answers, before its bucket is made again, can meet NoSuchBucket — 'failed' with a plain Retry, as on the
  // Overview: a person presses again.)
  const batchId = await waiting.getAttribute('data-batch');
  const row = page.locator(`tr[data-batch="${batchId}"]`);
  await moto.start();
  await createBucket(moto, bucket);
  await expect(async () => {
    const button = row.getByRole('button');
    if ((await button.count()) > 0) await button.click({ timeout: 2_000 });
    await expect(row).toHaveAttribute('data-status', 'uploaded', { timeout: 10_000 });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByTestId('uploads-message')).toHaveText(`Retry: ${batchId} uploaded.`);
  await expect(page.locator('tr[data-status="uploaded"]')).toHaveCount(2);
  await expect(page.getByTestId('uploads-summary')).toHaveText('2 of 2 batches uploaded, 110 rows.');
  await expect(page.getByRole('button', { name: /^Retry/ })).toHaveCount(0);
});
