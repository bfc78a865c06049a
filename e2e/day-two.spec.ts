/**
 * The second day, as a user meets it: a second `gpuz-cloud agent` on a folder in use, and a dashboard opened on a
 * store that `gpuz-cloud upload --local` filled. Real CLI processes, real samples, Chromium.
 */
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, type Page, test } from '@playwright/test';
import { SAMPLES_DIR } from '../src/test-support/services';
import { logDataLines, storedLines } from '../src/test-support/store-lines';
import { type AgentProcess, runGpuzCloud, startAgentProcess } from './support/agent-process';
import { columnStats, readSample, replay, shiftToNow } from './support/log-writer';
import { keepScreenshot } from './support/screenshots';

let dir: string;
const agents: AgentProcess[] = [];

test.beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gpuz-e2e-day2-'));
});

test.afterEach(async () => {
  for (const agent of agents.splice(0)) await agent.stop();
  await rm(dir, { recursive: true, force: true });
});

async function writeSample(name: string, sample: string, endsAt = Date.now() - 1000): Promise<string> {
  const log = shiftToNow(readSample(sample), endsAt);
  const path = join(dir, name);
  await writeFile(path, Buffer.from(`${log.header}${log.eol}${log.rows.join(log.eol)}${log.eol}`, 'latin1'));
  return path;
}

/**
 * The Ada sample shifted to now with only its first half written as the log; appendRest() writes the second half
 * as GPU-Z would, logging on.
 */
async function writeHalfLog() {
  const log = shiftToNow(readSample('gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt'), Date.now() - 1000);
  const logPath = join(dir, 'GPU-Z Sensor Log.txt');
  const half = Math.floor(log.rows.length / 2);
  const text = (rows: string[]) => Buffer.from(rows.map((row) => row + log.eol).join(''), 'latin1');
  await writeFile(
    logPath,
    Buffer.concat([Buffer.from(log.header + log.eol, 'latin1'), text(log.rows.slice(0, half))]),
  );
  return { log, logPath, half, appendRest: () => appendFile(logPath, text(log.rows.slice(half))) };
}

/**
 * `upload --local` of the log, then day two: the dashboard of an agent on that store (its own state folder, the
 * same log) with Charts showing GPU temperature over the last hour.
 */
async function chartsOnUploadedStore(page: Page, logPath: string): Promise<void> {
  const store = join(dir, 'store');
  const args = ['upload', '--file', logPath, '--local', store, '--state-dir', join(dir, 'upload-state')];
  const upload = await runGpuzCloud(args);
  expect(upload.code, upload.stderr).toBe(0);
  const agent = await startAgentProcess({
    stateDir: join(dir, 'state'),
    args: ['--file', logPath, '--local', store],
  });
  agents.push(agent);
  await page.goto(`${agent.url}#charts`);
  await page.getByLabel('Sensors', { exact: true }).selectOption('gpu_temperature_c');
  await page.getByRole('button', { name: '1 h', exact: true }).click();
}

test('a refused second `agent --file OTHER` leaves settings.json byte-identical and the first agent on its log', async ({
  page,
}) => {
  const first = await writeSample('GPU-Z Sensor Log.txt', 'gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt');
  const other = await writeSample('other.txt', 'gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt');
  const stateDir = join(dir, 'state');
  const agent = await startAgentProcess({ stateDir, args: ['--file', first, '--local', join(dir, 'store')] });
  agents.push(agent);
  const before = await readFile(join(stateDir, 'settings.json'));

  const second = await runGpuzCloud([
    'agent',
    '--port',
    '0',
    '--state-dir',
    stateDir,
    '--file',
    other,
    '--local',
    join(dir, 'other-store'),
    '--interval',
    '5',
  ]);
  expect(second.code).toBe(2);
  expect(second.stderr).toContain('Another upload agent');
  expect(second.stdout).not.toContain('Dashboard:');
  expect(await readFile(join(stateDir, 'settings.json'))).toEqual(before);

  // The running agent never heard of it: still on its log, its store, its interval.
  await page.goto(`${agent.url}#overview`);
  await expect(page.getByTestId('log-path')).toHaveText(first);
  await expect(page.getByTestId('target')).toHaveText(join(dir, 'store'));
  await page.goto(`${agent.url}#settings`);
  await expect(page.getByLabel('GPU-Z sensor log', { exact: true })).toHaveValue(first);
  await expect(page.getByLabel('Upload every (minutes)', { exact: true })).toHaveValue('60');
});

test('a store filled by `upload --local` charts in the dashboard, each row once', async ({ page }) => {
  const sample = 'gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt';
  const logPath = await writeSample('GPU-Z Sensor Log.txt', sample);
  await chartsOnUploadedStore(page, logPath);
  const log = readSample(sample);
  const expected = columnStats(log, 'GPU Temperature');
  const stats = page.getByTestId('chart-stats');
  await expect(stats).toHaveAttribute('data-count', String(log.rows.length));
  await expect(stats).toHaveAttribute('data-min', String(expected.min));
  await expect(stats).toHaveAttribute('data-max', String(expected.max));
  // From the store, not from rows the agent read again: the store told it the log was sent already.
  await expect(page.getByTestId('chart-note')).toHaveAttribute('data-pending', '0');
});

test('after a day away: Charts’ empty last hour says when the newest reading is and one click shows it; the Overview calls them the last readings', async ({
  page,
}, testInfo) => {
  const sample = 'gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt';
  const newest = Date.now() - 26 * 3_600_000;
  const logPath = await writeSample('GPU-Z Sensor Log.txt', sample, newest);
  await chartsOnUploadedStore(page, logPath);
  const stats = page.getByTestId('chart-stats');
  await expect(stats).toHaveAttribute('data-count', '0');
  // Named as the picker names it, not by its key.
  await expect(stats).toHaveText('GPU Temperature: no readings in this range.');
  const hint = page.getByTestId('chart-empty');
  await expect(hint).toContainText('No readings in this range: the newest is from ');
  await keepScreenshot(page, testInfo, 'charts-after-a-day-away');

  await page.getByTestId('chart-jump').click();
  const log = readSample(sample);
  await expect(stats).toHaveAttribute('data-count', String(log.rows.length));
  await expect(hint).toBeHidden();
  await expect(page.getByRole('button', { name: 'Custom', exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
  // The hour up to the newest reading (to the second the sample was written at).
  const stack = page.getByTestId('chart-stack');
  const to = Number(await stack.getAttribute('data-to'));
  expect(to - Number(await stack.getAttribute('data-from'))).toBe(3_600_000);
  expect(Math.abs(to - 1000 - Math.floor(newest / 1000) * 1000)).toBeLessThanOrEqual(1000);

  // The Overview shows the same rows as the last readings, a day old, not as current ones.
  await page.getByRole('link', { name: 'Overview' }).click();
  await expect(page.getByRole('heading', { name: 'Last readings' })).toBeVisible();
  await expect(page.getByTestId('readings-time')).toContainText(
    ', 26 h ago: nothing was logged since. Is GPU-Z running, with “Log to file” on (or HWiNFO, nvidia-smi logging)?',
  );
  await expect(page.getByTestId('readings')).toHaveAttribute('data-quiet', 'true');
  await keepScreenshot(page, testInfo, 'overview-after-a-day-away');
  // Sessions' last 24 h: none, and when the newest reading is.
  await page.getByRole('link', { name: 'Sessions' }).click();
  await page.getByRole('button', { name: '24 h', exact: true }).click();
  await expect(page.getByTestId('sessions-note')).toContainText(
    'No sessions in this range: the newest stored reading is from ',
  );
});

test('a day of GPU-Z logging at the first start, uploads paused: the Overview says how much of the log waits; resumed, it catches up and says so until all is stored', async ({
  page,
}, testInfo) => {
  // Prepare: 40 MB of log (the Ada sample's rows repeated, one a second, ending now) and a pause kept from before.
  const sample = readSample('gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt');
  const rows = Array.from({ length: 76_000 }, (_, i) => sample.rows[i % sample.rows.length]!);
  const log = shiftToNow({ ...sample, rows }, Date.now() - 1000);
  const logPath = join(dir, 'GPU-Z Sensor Log.txt');
  await writeFile(
    logPath,
    Buffer.from(`${log.header}${log.eol}${log.rows.join(log.eol)}${log.eol}`, 'latin1'),
  );
  const stateDir = join(dir, 'state');
  await mkdir(stateDir, { recursive: true });
  await writeFile(join(stateDir, 'paused.json'), JSON.stringify({ pausedAt: new Date().toISOString() }));
  const agent = await startAgentProcess({
    stateDir,
    args: ['--file', logPath, '--local', join(dir, 'store')],
  });
  agents.push(agent);
  // Act
  await page.goto(`${agent.url}#overview`);
  // Assess: paused, the sealed batches wait (8 MiB each; the last part waits for the interval as always)
  await expect(page.getByTestId('catch-up-text')).toHaveText(
    /^Catching up on the log: 0 B of \d+ MB stored \(0%\) · paused$/,
  );
  await expect(page.locator('[data-testid="catch-up"] progress')).toHaveAttribute('value', '0');
  await keepScreenshot(page, testInfo, 'overview-catching-up');
  await page.getByTestId('pause').click(); // Resume
  // Stored, batch by batch: the bar goes once less than 1 MiB is left, and no row is missing after Upload now.
  await expect(page.getByTestId('catch-up-text')).toHaveCount(0, { timeout: 30_000 });
  await expect(page.getByTestId('state')).not.toContainText('catching up');
  await page.getByTestId('upload-now').click();
  await expect(page.getByTestId('uploaded')).toContainText(`${rows.length.toLocaleString('en-US')} rows`);
});

/** An agent whose log is a copy of a real sample (HWiNFO: `hwinfo.csv`), storing to a local folder. */
async function agentOnSample(sample: string): Promise<AgentProcess> {
  const logPath = join(dir, 'hwinfo.csv');
  await writeFile(logPath, await readFile(join(SAMPLES_DIR, sample)));
  const agent = await startAgentProcess({
    stateDir: join(dir, 'state'),
    args: ['--file', logPath, '--local', join(dir, 'store')],
  });
  agents.push(agent);
  return agent;
}

test('an HWiNFO log in Chinese, months old: the Overview shows its headline sensors by their Chinese names and how old its last row is; Charts’ presets find them', async ({
  page,
}) => {
  const agent = await agentOnSample('hwinfo/hwinfo-zh-cn-utf8bom-rtx40-2025.CSV');
  await page.goto(`${agent.url}#overview`);
  // Its sensors are named in Chinese, so are their keys (gpu_温度_c): until 2026-12-06 the Overview said "None of the
  // headline sensors … is named in this log" and Thermals was off.
  await expect(page.getByTestId('reading-gpu_温度_c')).toContainText('GPU 温度');
  await expect(page.getByTestId('reading-gpu_温度_c')).toContainText('°C');
  await expect(page.getByTestId('reading-gpu_功率_w')).toContainText('W');
  await expect(page.getByTestId('no-headline')).toHaveCount(0);
  await expect(page.getByRole('heading', { name: 'Last readings' })).toBeVisible();
  // Logged in March 2025: months ago, not "14922 h 54 min".
  await expect(page.getByTestId('readings-time')).toHaveText(
    /, \d+ (months|years) ago: nothing was logged since\./,
  );
  await page.getByRole('link', { name: 'Charts' }).click();
  await page.getByRole('button', { name: 'Thermals' }).click();
  await expect(page.locator('[data-key="gpu_温度_c"][data-testid="chart-stats"]')).toBeVisible();
  await expect(page.locator('[data-key="gpu_热点温度_c"][data-testid="chart-stats"]')).toBeVisible();
});

test('an English HWiNFO log: Charts’ Memory preset charts its GPU memory controller load (HWiNFO writes it GPU-prefixed)', async ({
  page,
}) => {
  const agent = await agentOnSample('hwinfo/hwinfo-ansi-nvidia-furmark-2017.CSV');
  await page.goto(`${agent.url}#charts`);
  await page.getByRole('button', { name: 'Memory' }).click();
  // `GPU Memory Controller Load` is keyed gpu_memory_controller_load_pct; until 2026-12-06 the preset looked for
  // GPU-Z's memory_controller_load_pct only and charted the memory clock and memory used alone.
  for (const key of ['memory_clock_mhz', 'memory_used_mb', 'gpu_memory_controller_load_pct'])
    await expect(page.locator(`[data-key="${key}"][data-testid="chart-stats"]`)).toBeVisible();
});

test('an HWiNFO log of 200 sensors: the filter narrows Charts’ picker, a pick charts, Escape shows all with the pick kept', async ({
  page,
}, testInfo) => {
  const agent = await agentOnSample('hwinfo/hwinfo-ansi-nvidia-furmark-2017.CSV');
  await page.goto(`${agent.url}#charts`);
  const picker = page.locator('#chart-sensor');
  const shown = picker.locator('option:not([hidden])');
  await expect(shown).toHaveCount(200); // before the filter: 200 sensors in a list 8 rows high, found by scrolling
  const filter = page.getByLabel('Filter sensors');
  await filter.fill('GPU power');
  await expect(page.getByTestId('chart-filter-note')).toHaveText('3 of 200 sensors match.');
  await expect(shown).toHaveText([
    'Total GPU Power (normalized) [% of TDP] (total_gpu_power_normalized_of_tdp_pct)',
    'Total GPU Power [% of TDP] (total_gpu_power_of_tdp_pct)',
    'GPU Power (board_power_draw_w)',
  ]);
  await picker.selectOption('board_power_draw_w');
  // The log is from 2017: the last hour is empty, one click shows its newest readings.
  await page.getByTestId('chart-jump').click();
  await expect(page.locator('[data-key="board_power_draw_w"][data-testid="chart-stats"]')).toContainText(
    '483 readings',
  );
  await keepScreenshot(page, testInfo, 'charts-sensor-filter');
  await filter.fill('vram');
  await expect(page.getByTestId('chart-filter-note')).toHaveText('No sensor matches “vram” (of 200).');
  await filter.press('Escape');
  await expect(page.getByTestId('chart-filter-note')).toBeHidden();
  await expect(shown).toHaveCount(200);
  await expect(picker).toHaveValues(['board_power_draw_w']);
  // A preset clears the filter: the sensors it picks are seen picked in the list.
  await filter.fill('fan');
  await page.getByRole('button', { name: 'Thermals' }).click();
  await expect(filter).toHaveValue('');
  await expect(shown).toHaveCount(200);
  await expect(picker).toHaveValues(['fan_speed_pct', 'gpu_temperature_c']); // in the list's order: % before °C
});

test('Charts opened before GPU-Z logs: its sensors join the list as the first rows come, and the temperature charts live', async ({
  page,
}) => {
  // The app's first start (autostart at logon) before GPU-Z: no log yet, nothing stored.
  const logPath = join(dir, 'GPU-Z Sensor Log.txt');
  const agent = await startAgentProcess({
    stateDir: join(dir, 'state'),
    args: ['--file', logPath, '--local', join(dir, 'store')],
  });
  agents.push(agent);
  await page.goto(`${agent.url}#charts/live`);
  const options = page.locator('#chart-sensor option');
  await expect(page.getByRole('button', { name: 'Live 10 min' })).toHaveAttribute('aria-pressed', 'true');
  await expect(options).toHaveCount(0);
  // GPU-Z starts logging: until 2026-12-07 the list stayed empty until Charts was opened again.
  await writeSample('GPU-Z Sensor Log.txt', 'gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt');
  await expect(options).toHaveCount(22); // the Ada sample's 22 sensors
  await expect(page.locator('#chart-sensor option:checked')).toHaveAttribute('value', 'gpu_temperature_c');
  await expect(page.locator('[data-key="gpu_temperature_c"][data-testid="chart-stats"]')).toContainText(
    /GPU Temperature: min \d+/,
  );
});

test('an HWiNFO log of a laptop’s integrated GPU: Charts’ presets it lacks are off and say why', async ({
  page,
}) => {
  const agent = await agentOnSample('hwinfo/hwinfo-intel-igpu-laptop-2022-yesno.CSV');
  await page.goto(`${agent.url}#charts`);
  // No GPU temperature, hot spot, VRAM temperature or fan: a click on Thermals did nothing before it was off.
  const thermals = page.getByRole('button', { name: 'Thermals' });
  await expect(thermals).toBeDisabled();
  await expect(thermals).toHaveAttribute('title', 'None of its sensors is in this log.');
  await expect(page.getByRole('button', { name: 'Power' })).toBeEnabled();
});

test('a laptop taken to another time zone: rows arriving now but hours off this PC’s clock point at the time zone setting', async ({
  page,
}) => {
  test.setTimeout(90_000);
  // Prepare: settings from home (Tokyo, UTC+9); GPU-Z writes this machine's local time, one row a second.
  const stateDir = join(dir, 'state');
  await mkdir(stateDir, { recursive: true });
  await writeFile(join(stateDir, 'settings.json'), JSON.stringify({ timeZone: 'Asia/Tokyo' }));
  const sample = readSample('gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt');
  const log = shiftToNow({ ...sample, rows: sample.rows.slice(0, 45) }, Date.now() + 44_000);
  const logPath = join(dir, 'GPU-Z Sensor Log.txt');
  const writing = replay(log, logPath, { rowsPerTick: 1, tickMs: 1000 });
  const agent = await startAgentProcess({
    stateDir,
    args: ['--file', logPath, '--local', join(dir, 'store')],
  });
  agents.push(agent);
  // Act
  await page.goto(`${agent.url}#overview`);
  // Assess: after 30 s of rows at the clock's pace, 9 h behind it (not "nothing was logged since")
  await expect(page.getByTestId('readings-time')).toContainText(
    "9 h behind this PC's clock, though rows are arriving now. Is the log's time zone right (Settings → Time zone of the log)?",
    { timeout: 60_000 },
  );
  await expect(page.getByRole('heading', { name: 'Current readings' })).toBeVisible();
  await writing;
});

test('Uploads after a restart lists the batches of the earlier run', async ({ page }) => {
  const { log, logPath, half, appendRest } = await writeHalfLog();
  const stateDir = join(dir, 'state');
  const args = ['--file', logPath, '--local', join(dir, 'store')];

  const first = await startAgentProcess({ stateDir, args });
  await page.goto(`${first.url}#overview`);
  await page.getByTestId('upload-now').click();
  await expect(page.getByTestId('action-message')).toHaveText('Upload now: done.');
  await first.stop();

  // The PC restarts; GPU-Z goes on writing.
  await appendRest();
  const second = await startAgentProcess({ stateDir, args });
  agents.push(second);
  await page.goto(`${second.url}#overview`);
  await page.getByTestId('upload-now').click();
  await expect(page.getByTestId('action-message')).toHaveText('Upload now: done.');
  await page.goto(`${second.url}#uploads`);
  const rows = page.locator('[data-testid="uploads-body"] tr[data-status="uploaded"]');
  await expect(rows).toHaveCount(2);
  const counts = await rows.evaluateAll((trs) =>
    trs.map((tr) => Number(tr.querySelector('[data-col="rows"]')!.getAttribute('data-rows'))),
  );
  expect(counts).toEqual([log.rows.length - half, half]);
  await expect(page.getByTestId('uploads-summary')).toHaveText(
    `2 of 2 batches uploaded, ${log.rows.length} rows.`,
  );
});

test('a deploy switches the running agent to another target: the Overview says the log is read again, and the new store gets every row once', async ({
  page,
}) => {
  const { log, logPath, appendRest } = await writeHalfLog();
  const stateDir = join(dir, 'state');
  const agent = await startAgentProcess({
    stateDir,
    args: ['--file', logPath, '--local', join(dir, 'store-a')],
  });
  agents.push(agent);
  await page.goto(`${agent.url}#overview`);
  await page.getByTestId('upload-now').click();
  await expect(page.getByTestId('action-message')).toHaveText('Upload now: done.');
  // GPU-Z logs on; then `gpuz-cloud deploy` points settings.json at the new target (an atomic replace, as it writes).
  await appendRest();
  const settingsPath = join(stateDir, 'settings.json');
  const settings = JSON.parse(await readFile(settingsPath, 'utf8'));
  await writeFile(
    `${settingsPath}.tmp`,
    JSON.stringify({ ...settings, target: { kind: 'local', dir: join(dir, 'store-b') } }),
  );
  await rename(`${settingsPath}.tmp`, settingsPath);
  await expect(page.getByTestId('target')).toHaveText(join(dir, 'store-b'));
  await expect(page.getByTestId('notes')).toContainText(
    `The target changed from the local folder ${join(dir, 'store-a')} to the local folder ${join(dir, 'store-b')}: the log is read again`,
  );
  await page.getByTestId('upload-now').click();
  await expect(page.getByTestId('action-message')).toHaveText('Upload now: done.');
  // Before 2026-12-04 the new store got only the second half: the rows written after the switch.
  const all = logDataLines(await readFile(logPath)).sort();
  expect(storedLines(join(dir, 'store-b')).data.sort()).toEqual(all);
  // The old store keeps what it got, each row once: the first half, and what the agent read before it switched.
  const a = storedLines(join(dir, 'store-a')).data;
  expect(new Set(a).size).toBe(a.length);
  expect(a.length).toBeGreaterThanOrEqual(Math.floor(log.rows.length / 2));
});

test('an open page whose agent stops says so at once, and after a restart (new key) points at the new link', async ({
  page,
}, testInfo) => {
  const logPath = await writeSample('GPU-Z Sensor Log.txt', 'gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt');
  const stateDir = join(dir, 'state');
  const args = ['--file', logPath, '--local', join(dir, 'store')];
  const first = await startAgentProcess({ stateDir, args });
  await page.goto(`${first.url}#overview`);
  const badge = page.locator('#global-state');
  const banner = page.getByTestId('connection-banner');
  await expect(badge).toHaveText('watching');
  await expect(banner).toBeHidden();

  // Before: the page went on saying "watching" over frozen figures, and after the restart too.
  await first.stop();
  await expect(banner).toBeVisible();
  await expect(banner).toContainText('Lost the agent at');
  await expect(badge).toHaveText('not connected');
  await expect(page.locator('#view')).toHaveAttribute('data-stale', 'lost');
  // Its buttons cannot work now: out of reach until the link is back. Its clock stops with it: the countdown to
  // an upload that will not come from this run stays as it was (it went on ticking).
  await expect(page.locator('#view')).toHaveAttribute('inert', '');
  const countdown = (await page.getByTestId('next-upload').textContent()) ?? '';
  await page.waitForTimeout(2_100);
  await expect(page.getByTestId('next-upload')).toHaveText(countdown);

  // Started again on the same port: it answers, but not to this page's key.
  const second = await startAgentProcess({ stateDir, args: [...args, '--port', String(first.port)] });
  agents.push(second);
  await expect(banner).toContainText('The agent was started again');
  await expect(banner).toContainText('Open the link it printed');
  await expect(page.locator('#view')).toHaveAttribute('data-stale', 'refused');
  await keepScreenshot(page, testInfo, 'agent-restarted-under-the-page');

  // The new link: live again, nothing stale.
  await page.goto(`${second.url}#overview`);
  await expect(badge).toHaveText('watching');
  await expect(banner).toBeHidden();
  await expect(page.locator('#view')).not.toHaveAttribute('data-stale');
});

test('with GPUZ_CLOUD_DASHBOARD_TOKEN and a fixed port, the open page (a bookmark) reaches the restarted agent by itself', async ({
  page,
}) => {
  const logPath = await writeSample('GPU-Z Sensor Log.txt', 'gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt');
  const stateDir = join(dir, 'state');
  const env = { GPUZ_CLOUD_DASHBOARD_TOKEN: randomBytes(32).toString('hex') };
  const args = ['--file', logPath, '--local', join(dir, 'store')];
  const first = await startAgentProcess({ stateDir, args, env });
  expect(first.token).toBe(env.GPUZ_CLOUD_DASHBOARD_TOKEN);
  // It outlives the run, so it is not printed (a service manager keeps stdout in its log).
  expect(first.output()).toContain(
    `Dashboard: http://127.0.0.1:${first.port}/?token=<GPUZ_CLOUD_DASHBOARD_TOKEN>`,
  );
  expect(first.output()).not.toContain(env.GPUZ_CLOUD_DASHBOARD_TOKEN);
  await page.goto(`${first.url}#overview`);
  const badge = page.locator('#global-state');
  const banner = page.getByTestId('connection-banner');
  await expect(badge).toHaveText('watching');

  await first.stop();
  await expect(banner).toContainText('Lost the agent at');
  const second = await startAgentProcess({ stateDir, args: [...args, '--port', String(first.port)], env });
  agents.push(second);
  expect(second.url).toBe(first.url);
  // Without the variable the page is told to open the new link (the test above); with it, it is live again.
  await expect(badge).toHaveText('watching', { timeout: 15_000 });
  await expect(banner).toBeHidden();
  await expect(page.locator('#view')).not.toHaveAttribute('data-stale');
});

test('a dashboard token too short to be safe refuses the start and writes nothing', async () => {
  const stateDir = join(dir, 'state');
  const result = await runGpuzCloud(['agent', '--state-dir', stateDir, '--local', join(dir, 'store')], {
    GPUZ_CLOUD_DASHBOARD_TOKEN: 'letmein',
  });
  expect(result.code).not.toBe(0);
  expect(result.stderr).toContain('GPUZ_CLOUD_DASHBOARD_TOKEN is 7 characters long; it must be at least 32');
  expect(result.stderr).not.toContain('letmein');
  expect(existsSync(stateDir)).toBe(false);
});

test('`gpuz-cloud status` shows the running agent’s live counters, and the saved ones once it stopped', async () => {
  const logPath = await writeSample('GPU-Z Sensor Log.txt', 'gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt');
  const rows = readSample('gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt').rows.length;
  const stateDir = join(dir, 'state');
  const agent = await startAgentProcess({
    stateDir,
    args: ['--file', logPath, '--local', join(dir, 'store')],
  });
  const status = async () => {
    const result = await runGpuzCloud(['status', '--json', '--state-dir', stateDir]);
    return JSON.parse(result.stdout) as {
      running: { pid: number; status: { state: string } } | null;
      counters: { rowsRead: number; batchesUploaded: number };
    };
  };
  // Nothing sealed yet (hourly interval): stats.json still says 0 rows; the running agent has read them all.
  await expect.poll(async () => (await status()).counters.rowsRead, { timeout: 20_000 }).toBe(rows);
  const live = await status();
  expect(live.running?.status.state).toBe('watching');
  const text = await runGpuzCloud(['status', '--state-dir', stateDir]);
  expect(text.stdout).toMatch(/Agent: running \(process \d+\), watching the log — live figures as of/);
  expect(text.stdout).toContain(`${rows} rows`);

  await agent.stop();
  const after = await status();
  expect(after.running).toBeNull();
  expect(after.counters).toMatchObject({ rowsRead: rows, batchesUploaded: 1 });
  expect((await runGpuzCloud(['status', '--state-dir', stateDir])).stdout).toContain('Agent: not running');
});

test('damaged histories and counters after a crash: the Overview and Alerts say what was set aside, and uploading goes on', async ({
  page,
}) => {
  const { log, logPath, half, appendRest } = await writeHalfLog();
  const stateDir = join(dir, 'state');
  const args = ['--file', logPath, '--local', join(dir, 'store')];
  const first = await startAgentProcess({ stateDir, args });
  await page.goto(`${first.url}#overview`);
  await expect(page.getByTestId('read')).toHaveText(new RegExp(`^${half} rows`));
  await first.stop(); // seals and sends the first half
  // A power cut left both files cut short; GPU-Z goes on writing.
  await writeFile(join(stateDir, 'uploads.json'), '[{"batchId":"f224');
  await writeFile(join(stateDir, 'stats.json'), '');
  await writeFile(join(stateDir, 'alerts.json'), '[{"ruleId":"hot-sp');
  await appendRest();
  const second = await startAgentProcess({ stateDir, args });
  agents.push(second);
  await page.goto(`${second.url}#overview`);
  const notes = page.getByTestId('notes');
  await expect(notes).toContainText('uploads.json was damaged');
  await expect(notes).toContainText('the upload history starts again empty. The damaged file is kept as');
  await expect(notes).toContainText(
    'stats.json was damaged (it is empty); the counters start again from zero',
  );
  await expect(page.locator('#global-state')).toHaveText('watching');
  await page.getByTestId('upload-now').click();
  await expect(page.getByTestId('action-message')).toHaveText('Upload now: done.');
  await page.goto(`${second.url}#uploads`);
  // The second half goes once; the first half is in the store already (not sent again).
  const rows = page.locator('[data-testid="uploads-body"] tr[data-status="uploaded"]');
  await expect(rows).toHaveCount(1);
  await expect(rows.locator('[data-col="rows"]')).toHaveAttribute(
    'data-rows',
    String(log.rows.length - half),
  );
  // The alert history too: set aside, said above the Alerts view.
  await page.goto(`${second.url}#alerts`);
  await expect(page.getByTestId('alert-notice')).toContainText('alerts.json was damaged (it is not JSON');
  await expect(page.getByTestId('alert-notice')).toContainText(
    'the alert history starts again empty. The damaged file is kept as',
  );
});

test('a damaged checkpoint: the Overview checks the state folder, Repair rebuilds it from the store, every row once', async ({
  page,
}, testInfo) => {
  const { logPath, half, appendRest } = await writeHalfLog();
  const stateDir = join(dir, 'state');
  const store = join(dir, 'store');
  const args = ['--file', logPath, '--local', store];
  const first = await startAgentProcess({ stateDir, args });
  await page.goto(`${first.url}#overview`);
  await expect(page.getByTestId('read')).toHaveText(new RegExp(`^${half} rows`));
  await first.stop(); // seals and sends the first half
  // A power cut tore the checkpoint; GPU-Z goes on writing.
  const checkpoint = join(stateDir, 'checkpoint.json');
  await writeFile(checkpoint, '{"version":3,"identity":{"fileId":"');
  await appendRest();

  const second = await startAgentProcess({ stateDir, args });
  agents.push(second);
  await page.goto(`${second.url}#overview`);
  await expect(page.getByTestId('state')).toHaveText('needs attention');
  await expect(page.getByTestId('error-message')).toContainText('checkpoint.json is damaged');
  await expect(page.getByTestId('error-advice')).toContainText('Press “Check and repair”');

  await page.getByTestId('repair-check').click();
  const row = page.locator('[data-testid="repair-items"] tr[data-file="checkpoint.json"]');
  await expect(row).toContainText('damaged:');
  await expect(row).toContainText(`set aside; rebuilt from ${store} (1 object(s) of this log)`);
  await expect(page.getByTestId('repair-message')).toHaveText(
    '1 thing to repair. Nothing is changed until you press Repair.',
  );
  await keepScreenshot(page, testInfo, 'overview-repair');
  // The check only looked: the file is as the power cut left it.
  expect(await readFile(checkpoint, 'utf8')).toBe('{"version":3,"identity":{"fileId":"');

  await page.getByTestId('repair-apply').click();
  await expect(page.getByTestId('repair-done')).toContainText('Done: checkpoint.json: set aside as');
  await expect(page.getByTestId('repair-done')).toContainText('The agent is watching the log again.');
  await expect(page.getByTestId('state')).toHaveText('watching');
  await expect(page.getByTestId('last-error')).toBeEmpty();
  await page.getByTestId('upload-now').click();
  await expect(page.getByTestId('action-message')).toHaveText('Upload now: done.');
  // Every complete row of the log in exactly one raw object: the first half not sent again.
  const stored = storedLines(store);
  expect(stored.objects).toBe(2);
  expect([...stored.data].sort()).toEqual(logDataLines(await readFile(logPath)).sort());
});
