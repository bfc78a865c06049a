/**
 * One cost answer (issue 14, item 6): for one settings file, the figures computed here with the cost model
 * (costAnswer(costInputsOf(settings))) are the ones the Costs view (Chromium), the Settings hint and
 * `gpuz-cloud estimate` show — the agent and the CLI read the same settings.json, nothing is passed twice.
 */
import { readFileSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Settings } from '../src/shared/contract';
import { costAnswer, costInputsOf, formatUsd } from '../src/shared/cost';
import { batchByteRange } from '../src/shared/keys';
import { bundleCli, type CliBundle, runCli, uploadAsHost } from '../src/test-support/cli-process';
import { SAMPLES_DIR } from '../src/test-support/services';
import { type AgentProcess, startAgentProcess } from './support/agent-process';

let dir: string;
let agent: AgentProcess;
let cli: CliBundle;
let settings: Settings;

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gpuz-costs-'));
  const stateDir = join(dir, 'state');
  await mkdir(stateDir);
  // GPU-Z has not logged yet (a fresh install): nothing is uploaded, so no measured compression changes the storage
  // figure between the moment computed here and the moment a surface asks.
  const logPath = join(dir, 'GPU-Z Sensor Log.txt');
  // Not the defaults: a 75-minute schedule, so a surface that used its own default interval would differ.
  settings = {
    logPath,
    target: { kind: 'local', dir: join(dir, 'store') },
    schedule: { kind: 'interval', minutes: 75 },
    compression: 'gzip',
    host: 'costs-e2e',
    timeZone: 'UTC',
  };
  await writeFile(join(stateDir, 'settings.json'), JSON.stringify(settings, null, 2));
  [agent, cli] = await Promise.all([startAgentProcess({ stateDir }), bundleCli()]);
});

test.afterAll(async () => {
  await agent?.stop();
  cli?.remove();
  await rm(dir, { recursive: true, force: true });
});

test('the Costs view, the Settings hint and `gpuz-cloud estimate` show the figures of one settings file', async ({
  page,
}) => {
  const expected = costAnswer(costInputsOf(settings, { now: new Date() }));
  const total = formatUsd(expected.estimate.total);
  const safe = expected.smallestSafeIntervalMinutes!;
  expect(expected.estimate.regime).toBe('none');
  expect(expected.estimate.total).toBeGreaterThan(0);

  await page.goto(`${agent.url}#costs`);
  const monthly = page.getByTestId('cost-monthly');
  await expect(monthly).toHaveAttribute('data-usd', String(expected.estimate.total));
  await expect(monthly).toHaveText(total);
  await expect(page.getByTestId('cost-interval-value')).toHaveText('1 h 15 min');
  await expect(page.getByTestId('cost-puts')).toHaveAttribute(
    'data-value',
    String(expected.estimate.putClassRequests),
  );
  await expect(page.getByTestId('cost-safe-interval')).toHaveAttribute('data-minutes', String(safe));
  await expect(page.getByLabel('Your AWS free tier', { exact: true })).toHaveValue('none');
  // A local folder: the figures are a what-if, and the view says AWS bills nothing.
  await expect(page.getByTestId('cost-headline')).toContainText('AWS bills nothing');

  await page.goto(`${agent.url}#settings`);
  const hint = page.getByTestId('interval-hint');
  await expect(hint).toContainText(`At 1 h 15 min between uploads`);
  await expect(hint).toContainText(total);
  await expect(hint).toContainText(`${safe} min or more`);
  // A budget chosen and typed: what it gives now, from the agent (which has seen no whole day of logging yet)
  await page.locator('#set-schedule-kind').selectOption('budget');
  await page.locator('#set-monthly-puts').fill('2000');
  await expect(page.getByTestId('budget-hint')).toContainText(
    'A budget of 2,000 uploads and listings a month: every ',
  );
  await expect(page.getByTestId('budget-hint')).toContainText(
    "now, around the clock until this PC's agent has seen a whole day. Nothing on an AWS bill (a local folder)",
  );

  const json = await runCli(cli, ['estimate', '--state-dir', join(dir, 'state'), '--json']);
  expect(json.code).toBe(0);
  const report = JSON.parse(json.stdout);
  expect(report.intervalMinutes).toBe(75);
  expect(report.estimate.total).toBe(expected.estimate.total);
  expect(report.estimate.putClassRequests).toBe(expected.estimate.putClassRequests);
  expect(report.smallestIntervalMinutes).toBe(safe);
  const table = await runCli(cli, ['estimate', '--state-dir', join(dir, 'state')]);
  expect(table.stdout).toMatch(new RegExp(`total after free allowances +\\${total}`));
  expect(table.stdout).toContain(
    `Smallest interval within 2,000 PUT-class requests this month: ${safe} minutes`,
  );
});

test('raw batches the stack deletes after a day: the Costs view and `estimate --raw-expiry-days 1` price what the model does', async ({
  page,
}) => {
  const now = new Date();
  const kept = costAnswer(costInputsOf(settings, { now })).estimate.total;
  const deleted = costAnswer(costInputsOf(settings, { now, rawExpiryDays: 1 })).estimate.total;
  // A day and the 7 of its old version: less than the half month this month's raw batches are stored on average.
  expect(deleted).toBeLessThan(kept);

  await page.goto(`${agent.url}#costs`);
  await expect(page.getByTestId('cost-monthly')).toHaveAttribute('data-usd', String(kept));
  await page.getByLabel('Raw batches deleted after (days; empty: kept)').fill('1');
  await expect(page.getByTestId('cost-monthly')).toHaveAttribute('data-usd', String(deleted));
  await expect(page.getByTestId('cost-history')).toContainText(
    'raw batches kept 8 days (1, then 7 as old versions)',
  );

  const json = await runCli(cli, [
    'estimate',
    '--state-dir',
    join(dir, 'state'),
    '--json',
    '--raw-expiry-days',
    '1',
  ]);
  expect(JSON.parse(json.stdout).estimate.total).toBe(deleted);
});

test('a second PC in the store (a real sample uploaded as host "laptop") → the Costs view counts 2 hosts', async ({
  page,
}) => {
  const bm1 = join(SAMPLES_DIR, 'gpuz', 'nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt');
  const upload = await uploadAsHost(cli, {
    file: bm1,
    store: join(dir, 'store'),
    host: 'laptop',
    stateDir: join(dir, 'state-laptop'),
  });
  expect(upload.code, upload.stderr).toBe(0);
  // The laptop stored nothing lately: priced at its last day of logging, the sample's 20 minutes in August
  // (18:54:53–19:14:36, and the last row's second), at the bytes a second its one object shows; this PC around the clock.
  const [key] = await readdir(join(dir, 'store', 'processed', 'laptop'), { recursive: true }).then((names) =>
    names.filter((name) => name.endsWith('.json.gz')),
  );
  const range = batchByteRange(key!)!;
  const seconds = 19 * 60 + 43 + 1;
  const laptop = {
    days: 1,
    bytes: range.end - range.start,
    bytesPerSecond: (range.end - range.start) / seconds,
  };
  const expected = costAnswer(
    costInputsOf(settings, { now: new Date(), hosts: 2, loggedByHost: [laptop, null] }),
  );

  await page.goto(`${agent.url}#costs`);
  await expect(page.getByTestId('cost-hosts')).toHaveAttribute('data-value', '2');
  await expect(page.getByTestId('cost-hosts')).toContainText('2 hosts');
  await expect(page.getByTestId('cost-puts')).toHaveAttribute(
    'data-value',
    String(expected.estimate.putClassRequests),
  );
});

test('a PC that logs half an hour every evening (a real sample restamped) → the Costs view prices those hours', async ({
  page,
}) => {
  // Prepare: 1,800 real rows of the Turing sample, restamped 18:00:00–18:29:59 (this PC's time) on each of the last
  // 14 days, uploaded as host "evenings" (each evening its own batch: a batch spans at most 8 h).
  const text = readFileSync(join(SAMPLES_DIR, 'gpuz', 'nvidia-turing-usbc-gpuz-2023-trunc2mb.txt'), 'latin1');
  const lines = text.split(/\r?\n/);
  const stamp = /^(\s*)\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/;
  const rows = lines.filter((line) => stamp.test(line)).slice(0, 1800);
  const pad = (n: number) => String(n).padStart(2, '0');
  const now = new Date();
  let evening = '';
  const evenings = [];
  for (let d = 14; d >= 1; d--) {
    const day = new Date(now.getFullYear(), now.getMonth(), now.getDate() - d, 18);
    const date = `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
    evening = rows
      .map((row, i) =>
        row.replace(stamp, (_, lead) => `${lead}${date} 18:${pad(Math.floor(i / 60))}:${pad(i % 60)}`),
      )
      .join('\r\n');
    evenings.push(`${evening}\r\n`);
  }
  const file = join(dir, 'evenings.txt');
  await writeFile(file, Buffer.from(`${lines[0]}\r\n${evenings.join('')}`, 'latin1'));
  const upload = await uploadAsHost(cli, {
    file,
    store: join(dir, 'store'),
    host: 'evenings',
    stateDir: join(dir, 'state-evenings'),
  });
  expect(upload.code, upload.stderr).toBe(0);
  // Half an hour an evening, at the bytes a second its own objects show (their rows' time spans, which the extent
  // read: not this PC's 560-byte default, 0.54 h); the laptop stored nothing lately: its last day of logging, the
  // bm1 sample's 20 minutes in August (18:54:53–19:14:36, and the last row's second); this PC has stored nothing
  // yet: counted around the clock.
  const hours = (0.5 + (19 * 60 + 43 + 1) / 3600 + 24) / 3;

  // Act
  await page.goto(`${agent.url}#costs`);

  // Assess
  const logging = page.getByTestId('cost-logging');
  await expect(logging).toContainText(`${hours.toFixed(1)} h a day per PC, as stored over the last`);
  await expect(logging).toContainText('1 of 3 PCs around the clock until a whole day of it is stored');
  await expect(logging).toContainText(
    '1 of 3 PCs on its last days of logging (nothing stored in the last 13 days)',
  );
  expect(Number(await logging.getAttribute('data-hours'))).toBeCloseTo(hours, 9);
  await expect(page.getByTestId('cost-safe-interval')).toContainText(
    `at ${hours.toFixed(1)} h of logging a day`,
  );
  await expect(page.getByTestId('cost-hosts')).toHaveAttribute('data-value', '3');
});
