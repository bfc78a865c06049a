/**
 * Settings → S3 → "Access keys (optional)" against `gpuz-cloud agent`: headless mode has no OS keychain, so
 * typed-in keys are refused with advice (named profile or environment), and the secret reaches no file in the
 * state folder and no line of the agent's output — even after the S3 settings themselves are saved.
 */
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { type AgentProcess, startAgentProcess } from './support/agent-process';

const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

let dir: string;
let stateDir: string;
let agent: AgentProcess;

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gpuz-e2e-keys-'));
  stateDir = join(dir, 'state');
  await writeFile(join(dir, 'GPU-Z Sensor Log.txt'), '');
  agent = await startAgentProcess({
    stateDir,
    args: ['--file', join(dir, 'GPU-Z Sensor Log.txt'), '--local', join(dir, 'store')],
  });
});
test.afterAll(async () => {
  await agent?.stop();
  await rm(dir, { recursive: true, force: true });
});

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile()).map((e) => join(e.parentPath, e.name));
}

test('headless mode refuses typed-in access keys with advice and writes the secret nowhere', async ({
  page,
}) => {
  await page.goto(`${agent.url}#settings`);
  await page.getByLabel('Target', { exact: true }).selectOption('s3');
  const group = page.getByRole('group', { name: 'Access keys (optional)' });
  await expect(group).toBeVisible();
  await expect(group).toContainText('Preferred: a named profile');
  const status = page.getByTestId('access-keys-status');
  await expect(status).toContainText('No keys stored');
  await expect(status).toContainText('cannot be saved in headless mode');
  await expect(page.getByRole('button', { name: 'Forget keys' })).toBeDisabled();

  const secret = page.getByLabel('Secret access key', { exact: true });
  await expect(secret).toHaveAttribute('type', 'password');
  await expect(secret).toHaveAttribute('autocomplete', 'off');
  await expect(page.getByLabel('Access key ID', { exact: true })).toHaveAttribute('autocomplete', 'off');

  // Keyboard only: the ID field, Tab to the secret, Tab to "Save keys", Enter.
  await page.getByLabel('Access key ID', { exact: true }).focus();
  await page.keyboard.type(ACCESS_KEY_ID);
  await page.keyboard.press('Tab');
  await expect(secret).toBeFocused();
  await page.keyboard.type(SECRET);
  await page.keyboard.press('Tab');
  await expect(page.getByRole('button', { name: 'Save keys' })).toBeFocused();
  await page.keyboard.press('Enter');
  const error = page.getByTestId('access-keys-error');
  await expect(error).toContainText('cannot be saved in headless mode');
  await expect(error).toContainText('named profile');
  await expect(error).toContainText('AWS_ACCESS_KEY_ID');
  await expect(error).not.toContainText(SECRET);
  // Enter inside the keys' fields saves the keys, never the settings form around them.
  await expect(page.getByTestId('settings-result')).toHaveText('');

  // Invalid keys in headless mode: still the refusal (nothing could be stored anyway), no echo of the secret.
  await secret.fill('not-a-secret');
  await secret.press('Enter');
  await expect(error).toContainText('cannot be saved in headless mode');
  await expect(page.getByTestId('settings-result')).toHaveText('');

  // Saving the S3 settings themselves (profile-less: the default chain) keeps the secret out of settings.json.
  await secret.fill(SECRET);
  await page.getByLabel('Bucket', { exact: true }).fill('gpuz-e2e-raw');
  await page.getByLabel('Region', { exact: true }).fill('eu-central-1');
  await page.getByLabel('Endpoint', { exact: true }).fill('http://127.0.0.1:9');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('settings-result')).toHaveText(
    'Saved. The agent restarted with these settings.',
  );
  const saved = JSON.parse(await readFile(join(stateDir, 'settings.json'), 'utf8'));
  expect(saved.target).toMatchObject({ kind: 's3', bucket: 'gpuz-e2e-raw' });

  const files = await filesUnder(stateDir);
  expect(files).toContain(join(stateDir, 'settings.json'));
  expect(files.map((f) => f.slice(stateDir.length))).not.toContain('/secrets.json');
  for (const file of files) {
    // An atomic write's temporary file can be renamed away between the listing and the read: its bytes are then in
    // the file it became, listed and read too (CI of 42da30e: ENOENT on .agent-status.json.….tmp)
    const bytes = await readFile(file).catch((error: NodeJS.ErrnoException) =>
      error.code === 'ENOENT' && file.endsWith('.tmp') ? null : Promise.reject(error),
    );
    if (bytes) expect(bytes.includes(Buffer.from(SECRET)), file).toBe(false);
  }
  expect(agent.output()).not.toContain(SECRET);
});
