/**
 * The dashboard end to end: `gpuz-cloud agent` (separate process) tails a temporary log that a writer fills
 * by replaying a real GPU-Z sample; Chromium drives the headless dashboard; the local store is checked on disk.
 */
import { mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { expect, test } from '@playwright/test';
import { daysInMonth, estimateMonthlyCost, safeIntervalFor } from '../src/shared/cost';
import { type AgentProcess, startAgentProcess } from './support/agent-process';
import {
  columnStats,
  columnValues,
  readSample,
  replay,
  type SampleLog,
  shiftToNow,
} from './support/log-writer';
import { keepScreenshot } from './support/screenshots';

const SAMPLE = 'gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt';
/** Overview readings and the sample's column each one must equal. */
const LIVE_COLUMNS: [string, string][] = [
  ['gpu_temperature_c', 'GPU Temperature'],
  ['hot_spot_c', 'Hot Spot'],
  ['gpu_clock_mhz', 'GPU Clock'],
  ['memory_clock_mhz', 'Memory Clock'],
  ['gpu_load_pct', 'GPU Load'],
  ['board_power_draw_w', 'Board Power Draw'],
  ['memory_used_mb', 'Memory Used'],
];

test.describe.configure({ mode: 'serial' });

let dir: string;
let log: SampleLog;
let logPath: string;
let storeDir: string;
let agent: AgentProcess;

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gpuz-e2e-'));
  logPath = join(dir, 'GPU-Z Sensor Log.txt');
  storeDir = join(dir, 'store');
  log = shiftToNow(readSample(SAMPLE), Date.now() - 1000);
  await replay({ ...log, rows: log.rows.slice(0, 20) }, logPath, { rowsPerTick: 20, tickMs: 0 });
  agent = await startAgentProcess({
    stateDir: join(dir, 'state'),
    args: ['--file', logPath, '--local', storeDir, '--interval', '60'],
  });
});

test.afterAll(async () => {
  await agent?.stop();
  await rm(dir, { recursive: true, force: true });
});

test('Overview shows the live readings of the log’s last row while the writer appends', async ({
  page,
}, testInfo) => {
  await page.goto(`${agent.url}#overview`);
  await expect(page.getByTestId('state')).toHaveText('watching');
  await expect(page.getByTestId('log-path')).toHaveText(logPath);
  // The writer appends the rest of the sample, 40 rows at a time, as GPU-Z would.
  const rest = { ...log, rows: log.rows.slice(20) };
  const { appendFile } = await import('node:fs/promises');
  for (let i = 0; i < rest.rows.length; i += 40) {
    const chunk = rest.rows
      .slice(i, i + 40)
      .map((row) => row + log.eol)
      .join('');
    await appendFile(logPath, Buffer.from(chunk, 'latin1'));
    await page.waitForTimeout(100);
  }
  const last = log.rows.length - 1;
  for (const [key, column] of LIVE_COLUMNS) {
    const expected = columnValues(log, column)[last]!;
    await expect(page.getByTestId(`reading-${key}`)).toHaveAttribute('data-value', String(expected));
  }
  // HWiNFO's columns: the whole sample is one GPU-Z session, read since the agent started.
  for (const [key, column] of LIVE_COLUMNS) {
    const values = columnValues(log, column).filter((v): v is number => v !== null);
    const { min, max } = columnStats(log, column);
    for (const scope of ['session', 'app']) {
      const span = page.getByTestId(`reading-${key}`).getByTestId(`span-${scope}`);
      await expect(span).toHaveAttribute('data-min', String(min));
      await expect(span).toHaveAttribute('data-max', String(max));
      const avg = Number(await span.getAttribute('data-avg'));
      expect(avg).toBeCloseTo(values.reduce((a, b) => a + b, 0) / values.length, 3);
      const maxAt = Number(await span.getAttribute('data-max-at'));
      expect(maxAt).toBeGreaterThan(0);
    }
  }
  await expect(page.getByTestId('reading-hot_spot_c').getByTestId('max-at-session')).toContainText(
    'Session: max at',
  );
  await keepScreenshot(page, testInfo, 'overview');
});

test('pause and resume change the state', async ({ page }) => {
  await page.goto(`${agent.url}#overview`);
  await expect(page.getByTestId('state')).toHaveText('watching');
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('state')).toHaveText('paused');
  await expect(page.getByTestId('pause')).toHaveText('Resume');
  await page.getByTestId('pause').click();
  await expect(page.getByTestId('state')).toHaveText('watching');
});

test('before any upload, the 1 h chart already shows every row read, marked as not uploaded yet', async ({
  page,
}) => {
  await page.goto(`${agent.url}#charts`);
  await page.getByLabel('Sensors', { exact: true }).selectOption('gpu_temperature_c');
  await page.getByRole('button', { name: '1 h', exact: true }).click();
  const expected = columnStats(log, 'GPU Temperature');
  const stats = page.getByTestId('chart-stats');
  await expect(stats).toHaveAttribute('data-count', String(log.rows.length));
  await expect(stats).toHaveAttribute('data-min', String(expected.min));
  await expect(stats).toHaveAttribute('data-max', String(expected.max));
  await expect(page.getByTestId('chart-note')).toHaveAttribute('data-pending', String(log.rows.length));
  await expect(page.getByTestId('chart-note')).toContainText(
    `Includes ${log.rows.length.toLocaleString('en-US')} rows read on this PC and not uploaded yet.`,
  );
  expect(await readdir(storeDir).catch(() => [])).not.toContain('processed');
});

test('"Upload now" adds an Uploads row with the sample’s row count and the stored sizes', async ({
  page,
}, testInfo) => {
  await page.goto(`${agent.url}#overview`);
  await page.getByTestId('upload-now').click();
  await expect(page.getByTestId('action-message')).toHaveText('Upload now: done.');
  await page.getByRole('link', { name: 'Uploads' }).click();
  const rows = page.locator('[data-testid="uploads-body"] tr[data-status="uploaded"]');
  await expect(rows).not.toHaveCount(0);
  const uploaded = await rows.evaluateAll((trs) =>
    trs.map((tr) => ({
      batch: tr.getAttribute('data-batch')!,
      rows: Number(tr.querySelector('[data-col="rows"]')!.getAttribute('data-rows')),
      raw: Number(tr.querySelector('[data-col="raw"]')!.getAttribute('data-bytes')),
      compressed: Number(tr.querySelector('[data-col="compressed"]')!.getAttribute('data-bytes')),
    })),
  );
  expect(uploaded.reduce((sum, u) => sum + u.rows, 0)).toBe(log.rows.length);
  const rawFiles = await readdir(join(storeDir, 'raw'), { recursive: true });
  for (const u of uploaded) {
    const file = rawFiles.find((f) => f.endsWith(`${u.batch}.csv.gz`));
    expect(file, `raw object of ${u.batch}`).toBeDefined();
    const path = join(storeDir, 'raw', file!);
    expect((await stat(path)).size).toBe(u.compressed);
    expect(gunzipSync(await readFile(path)).length).toBe(u.raw);
  }
  await keepScreenshot(page, testInfo, 'uploads');
});

test('the chart of a chosen sensor shows the min and max computed from the sample', async ({
  page,
}, testInfo) => {
  await page.goto(`${agent.url}#charts`);
  await page.getByLabel('Sensors', { exact: true }).selectOption('hot_spot_c');
  await page.getByRole('button', { name: '1 h', exact: true }).click();
  const expected = columnStats(log, 'Hot Spot');
  const stats = page.getByTestId('chart-stats');
  await expect(stats).toHaveAttribute('data-count', String(log.rows.length));
  await expect(stats).toHaveAttribute('data-min', String(expected.min));
  await expect(stats).toHaveAttribute('data-max', String(expected.max));
  await expect(page.getByTestId('chart-note')).toHaveAttribute('data-pending', '0');
  await page.getByLabel('Sensors', { exact: true }).selectOption('gpu_temperature_c');
  const temperature = columnStats(log, 'GPU Temperature');
  await expect(stats).toHaveAttribute('data-max', String(temperature.max));
  await expect(stats).toHaveAttribute('data-min', String(temperature.min));
  await keepScreenshot(page, testInfo, 'charts');
});

test('the Costs view shows the cost model’s figures, and the slider asks it again', async ({
  page,
}, testInfo) => {
  await page.goto(`${agent.url}#costs`);
  const now = new Date();
  const at = (minutes: number, regime: 'none' | 'legacy' = 'none') =>
    estimateMonthlyCost({ intervalMs: minutes * 60_000, monthDays: daysInMonth(now), regime });
  // Today's regime for an account of unknown age: no free tier, so the month is never shown as $0.00.
  await expect(page.getByLabel('Your AWS free tier', { exact: true })).toHaveValue('none');
  await expect(page.getByTestId('cost-monthly')).not.toHaveText('$0.00');
  await expect(page.getByTestId('cost-puts')).toHaveAttribute('data-value', String(at(60).putClassRequests));
  await expect(page.getByTestId('cost-safe-interval')).toHaveAttribute(
    'data-minutes',
    String(safeIntervalFor(at(60))),
  );
  await page.getByLabel('What if the interval were', { exact: true }).fill('5');
  await expect(page.getByTestId('cost-puts')).toHaveAttribute('data-value', String(at(5).putClassRequests));
  // Without a free tier every PUT-class request is billed; that line does not depend on measured compression.
  const putLine = at(5).services.find((s) => s.service === 'S3 PUT/COPY/POST/LIST')!;
  expect(putLine.cost).toBeGreaterThan(0);
  await expect(page.locator('[data-service="S3 PUT/COPY/POST/LIST"] [data-col="usd"]')).toHaveAttribute(
    'data-usd',
    String(putLine.cost),
  );
  // Jargon comes with its plain meaning.
  await expect(page.locator('[data-service="S3 PUT/COPY/POST/LIST"]')).toContainText(
    'PUT-class requests: S3 bills',
  );
  await keepScreenshot(page, testInfo, 'costs');
  // The old 12-month allowance: the legacy figures, and a warning in the dashboard's words (no CLI flag).
  await page.getByLabel('Your AWS free tier', { exact: true }).selectOption('legacy');
  const legacyPut = at(5, 'legacy').services.find((s) => s.service === 'S3 PUT/COPY/POST/LIST')!;
  await expect(page.locator('[data-service="S3 PUT/COPY/POST/LIST"] [data-col="usd"]')).toHaveAttribute(
    'data-usd',
    String(legacyPut.cost),
  );
  await expect(page.getByText('choose "No free tier"')).toBeVisible();
  await expect(page.getByText('--regime')).toHaveCount(0);
  await page.getByLabel('Your AWS free tier', { exact: true }).selectOption('none');
  // A Kafka credentials secret: its own lines, at the model's price.
  const withSecret = estimateMonthlyCost({
    intervalMs: 5 * 60_000,
    monthDays: daysInMonth(now),
    regime: 'none',
    kafkaSecret: true,
  });
  await page.getByLabel('Kafka password in a Secrets Manager secret (deployed with one)').check();
  await expect(page.locator('[data-service="Secrets Manager secret"] [data-col="usd"]')).toHaveAttribute(
    'data-usd',
    String(withSecret.services.find((s) => s.service === 'Secrets Manager secret')!.cost),
  );
  await expect(page.locator('[data-service="Secrets Manager API calls"]')).toBeVisible();
});

test('Settings shows validation errors next to their fields and saves nothing invalid', async ({
  page,
}, testInfo) => {
  await page.goto(`${agent.url}#settings`);
  await expect(page.getByLabel('GPU-Z sensor log', { exact: true })).toHaveValue(logPath);
  await page.getByLabel('Target', { exact: true }).selectOption('s3');
  await page.getByLabel('Bucket', { exact: true }).fill('Not_A_Bucket');
  await page.getByLabel('Region', { exact: true }).fill('moon-1');
  await page.getByLabel('Upload every (minutes)', { exact: true }).fill('0');
  await page.getByLabel('Host name', { exact: true }).fill('-bad host-');
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('settings-result')).toHaveText('Not saved: 4 fields to fix.');
  await expect(page.locator('[data-error-for="target.bucket"]')).toContainText('Bucket names have 3–63');
  await expect(page.locator('[data-error-for="target.region"]')).toContainText(
    '"moon-1" is not an AWS region',
  );
  await expect(page.locator('[data-error-for="schedule.minutes"]')).toContainText('whole number of minutes');
  await expect(page.locator('[data-error-for="host"]')).toContainText('lower-case letters');
  await expect(page.getByLabel('Bucket', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await expect(page.getByLabel('Bucket', { exact: true })).toBeFocused();
  await keepScreenshot(page, testInfo, 'settings');
  const saved = JSON.parse(await readFile(join(dir, 'state', 'settings.json'), 'utf8'));
  expect(saved.target).toEqual({ kind: 'local', dir: storeDir });
});

test('settings.json replaced on disk (as `gpuz-cloud deploy` does) restarts the agent and refreshes an untouched Settings view', async ({
  page,
}) => {
  await page.goto(`${agent.url}#settings`);
  const minutes = page.getByLabel('Upload every (minutes)', { exact: true });
  await expect(minutes).toHaveValue('60');
  const file = join(dir, 'state', 'settings.json');
  const saved = JSON.parse(await readFile(file, 'utf8'));
  const temp = `${file}.e2e.tmp`;
  await writeFile(temp, JSON.stringify({ ...saved, schedule: { kind: 'interval', minutes: 90 } }));
  await rename(temp, file);
  await expect(minutes).toHaveValue('90');
  await expect(page.getByTestId('settings-result')).toHaveText(
    'Settings changed outside this form (e.g. gpuz-cloud deploy); the agent restarted with them.',
  );
  // The restarted agent runs on them: the Costs view's interval follows.
  await page.goto(`${agent.url}#costs`);
  await expect(page.getByTestId('cost-interval-value')).toHaveText('1 h 30 min');
});
