/**
 * The badge and the Overview say what is wrong, and what to do, for each way a log or a store folder can be
 * broken on day two — never green over an error (the badge used to say "watching" for all of these). One
 * `gpuz-cloud agent` per case; Chromium reads the header badge and the Overview. The store going offline (S3)
 * is in offline.spec.ts.
 */
import { copyFile, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { type AgentProcess, startAgentProcess } from './support/agent-process';
import { readSample, shiftToNow } from './support/log-writer';

let dir: string;
let agent: AgentProcess | undefined;

test.beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gpuz-e2e-states-'));
});

test.afterEach(async () => {
  await agent?.stop();
  agent = undefined;
  await rm(dir, { recursive: true, force: true });
});

async function writeLog(path: string): Promise<void> {
  const log = shiftToNow(readSample('gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt'), Date.now() - 1000);
  await writeFile(path, Buffer.from(`${log.header}${log.eol}${log.rows.join(log.eol)}${log.eol}`, 'latin1'));
}

/** The header badge and the Overview agree: label, tone, message and advice. */
async function expectState(
  page: Page,
  expected: { label: string; tone: string; message: RegExp; advice: RegExp },
): Promise<void> {
  await page.goto(`${agent!.url}#overview`);
  for (const badge of [page.locator('#global-state'), page.getByTestId('state')]) {
    await expect(badge).toHaveText(expected.label);
    await expect(badge).toHaveAttribute('data-tone', expected.tone);
  }
  await expect(page.getByTestId('error-message')).toHaveText(expected.message);
  await expect(page.getByTestId('error-advice')).toHaveText(expected.advice);
  // A local folder has no network to blame.
  await expect(page.getByTestId('last-error')).not.toContainText(/network/i);
}

test('log missing: amber "waiting for the log", and how to make GPU-Z write it', async ({ page }) => {
  const logPath = join(dir, 'GPU-Z Sensor Log.txt');
  agent = await startAgentProcess({
    stateDir: join(dir, 'state'),
    args: ['--file', logPath, '--local', join(dir, 'store')],
  });
  await expectState(page, {
    label: 'waiting for the log',
    tone: 'attention',
    message: /The log .*GPU-Z Sensor Log\.txt is not there/,
    advice: /tick "Log to file"/,
  });
  await page.getByTestId('upload-now').click();
  await expect(page.getByTestId('action-message')).toHaveText(
    /^Upload now: waiting — The log .*GPU-Z Sensor Log\.txt is not there/,
  );
  // GPU-Z starts logging: the state turns green without a restart, and the button's answer goes with the state it
  // was given in (it stood beside "watching" and the upload done).
  await writeLog(logPath);
  await expect(page.locator('#global-state')).toHaveText('watching');
  await expect(page.locator('#global-state')).toHaveAttribute('data-tone', 'ok');
  await expect(page.getByTestId('last-error')).toBeEmpty();
  await expect(page.getByTestId('action-message')).toBeEmpty();
});

test('the log setting names a folder: red "needs attention", point it at the file', async ({ page }) => {
  const folder = join(dir, 'GPU-Z logs');
  await mkdir(folder);
  agent = await startAgentProcess({
    stateDir: join(dir, 'state'),
    args: ['--file', folder, '--local', join(dir, 'store')],
  });
  await expectState(page, {
    label: 'needs attention',
    tone: 'problem',
    message: /GPU-Z logs is a folder, not a log file/,
    advice: /Point the log file setting .* at the log itself/,
  });
});

test('the log is a binary file: red "needs attention", it is not a sensor log', async ({ page }) => {
  const logPath = join(dir, 'GPU-Z Sensor Log.txt');
  await copyFile(process.execPath, logPath);
  agent = await startAgentProcess({
    stateDir: join(dir, 'state'),
    args: ['--file', logPath, '--local', join(dir, 'store')],
  });
  await expectState(page, {
    label: 'needs attention',
    tone: 'problem',
    message: /is not a sensor log/,
    advice: /GPU-Z's "GPU-Z Sensor Log\.txt"/,
  });
});

test('the store path is a file: red "needs attention" naming the folder, not the network; fixing it and "Upload now" recovers', async ({
  page,
}) => {
  const logPath = join(dir, 'GPU-Z Sensor Log.txt');
  await writeLog(logPath);
  const store = join(dir, 'store');
  await writeFile(store, 'a file where the store folder should be');
  agent = await startAgentProcess({
    stateDir: join(dir, 'state'),
    args: ['--file', logPath, '--local', store],
  });
  await expectState(page, {
    label: 'needs attention',
    tone: 'problem',
    message: /The store folder .*store is not a folder: a file is in its place/,
    advice: /Choose a folder as the store/,
  });
  await rm(store);
  await mkdir(store);
  await page.getByTestId('upload-now').click();
  await expect(page.getByTestId('action-message')).toHaveText('Upload now: done.');
  await expect(page.locator('#global-state')).toHaveText('watching');
  await expect(page.getByTestId('last-error')).toBeEmpty();
  await expect(page.getByTestId('uploaded')).toHaveText(/^1 batch, \d+ rows/);
});
