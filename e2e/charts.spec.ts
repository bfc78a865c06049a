/**
 * Charts with several sensors: `gpuz-cloud agent` tails the bm1 benchmark sample (moved to now); Chromium
 * picks the Thermals preset and checks the stacked charts, their shared time axis and crosshair, the min/max
 * of each against the sample's own text, the remembered choice, and the PNG and CSV exports (downloaded and read).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { hostFromName, hostLabel } from '../src/shared/host-name';
import { type AgentProcess, startAgentProcess } from './support/agent-process';
import { columnStats, readSample, replay, type SampleLog, shiftToNow } from './support/log-writer';
import { keepScreenshot } from './support/screenshots';

const SAMPLE = 'gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt';
const THERMALS: [string, string][] = [
  ['gpu_temperature_c', 'GPU Temperature'],
  ['hot_spot_c', 'Hot Spot'],
  ['fan_speed_pct', 'Fan Speed (%)'],
];

test.describe.configure({ mode: 'serial' });

let dir: string;
let log: SampleLog;
let agent: AgentProcess;

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gpuz-e2e-charts-'));
  const logPath = join(dir, 'GPU-Z Sensor Log.txt');
  log = shiftToNow(readSample(SAMPLE), Date.now() - 1000);
  await replay(log, logPath, { rowsPerTick: 2000, tickMs: 0 });
  agent = await startAgentProcess({
    stateDir: join(dir, 'state'),
    args: ['--file', logPath, '--local', join(dir, 'store'), '--interval', '60'],
  });
});

test.afterAll(async () => {
  await agent?.stop();
  await rm(dir, { recursive: true, force: true });
});

test('Thermals: three sensors stacked on one time axis, each with the sample’s min and max', async ({
  page,
}, testInfo) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`${agent.url}#charts`);
  await page.getByRole('button', { name: '1 h', exact: true }).click();
  await page.getByRole('button', { name: 'Thermals' }).click();
  const stats = page.getByTestId('chart-stats');
  await expect(stats).toHaveCount(3);
  for (const [key, column] of THERMALS) {
    const expected = columnStats(log, column);
    const line = page.locator(`[data-testid="chart-stats"][data-key="${key}"]`);
    await expect(line).toHaveAttribute('data-max', String(expected.max));
    await expect(line).toHaveAttribute('data-min', String(expected.min));
  }
  // One time axis: every chart spans the same window.
  const canvases = page.locator('[data-testid="chart-stack"] canvas');
  const windows = await canvases.evaluateAll((all) => all.map((c) => `${c.dataset.from}-${c.dataset.to}`));
  expect(new Set(windows).size).toBe(1);
  // The crosshair follows the mouse on every chart at once.
  const box = (await canvases.first().boundingBox())!;
  await page.mouse.move(box.x + box.width / 3, box.y + box.height / 2);
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2, { steps: 5 });
  const crosshairs = () => canvases.evaluateAll((all) => all.map((c) => c.dataset.crosshair ?? ''));
  await expect.poll(async () => (await crosshairs())[0]).toMatch(/^\d+$/);
  expect(new Set(await crosshairs()).size).toBe(1);
  await page.mouse.move(0, 0);
  await keepScreenshot(page, testInfo, 'charts-stacked');

  // The choice is remembered.
  await page.goto(`${agent.url}#overview`);
  await page.goto(`${agent.url}#charts`);
  await expect(page.getByTestId('chart-stats')).toHaveCount(3);
  await expect(page.getByRole('button', { name: '1 h', exact: true })).toHaveAttribute(
    'aria-pressed',
    'true',
  );
});

test('export: the visible range as CSV with canonical keys, the charts as one PNG', async ({ page }) => {
  await page.goto(`${agent.url}#charts/1h/gpu_temperature_c,hot_spot_c,fan_speed_pct`);
  await expect(page.getByTestId('chart-stats')).toHaveCount(3);
  await expect(page.locator('[data-key="hot_spot_c"][data-testid="chart-stats"]')).toHaveAttribute(
    'data-count',
    String(log.rows.length),
  );
  const [csvDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-csv').click(),
  ]);
  // Named for the PC (two PCs' exports of one minute keep apart) and the range's start in local time.
  const stamp = String.raw`\d{4}-\d{2}-\d{2}-\d{2}-\d{2}`;
  const thisPc = hostLabel(hostFromName(hostname())).replace(/[.]/g, '\\.');
  expect(csvDownload.suggestedFilename()).toMatch(new RegExp(`^gpuz-${thisPc}-${stamp}\\.csv$`));
  const lines = (await readFile(await csvDownload.path(), 'utf8')).trim().split('\n');
  expect(lines[0]).toBe('time_utc,t_ms,gpu_temperature_c,hot_spot_c,fan_speed_pct');
  expect(lines).toHaveLength(log.rows.length + 1);
  const hotSpots = lines.slice(1).map((line) => Number(line.split(',')[3]));
  expect(Math.max(...hotSpots)).toBe(columnStats(log, 'Hot Spot').max);

  const [pngDownload] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('export-png').click(),
  ]);
  const png = await readFile(await pngDownload.path());
  expect(png.subarray(0, 8).toString('hex')).toBe('89504e470d0a1a0a');
  const canvasSizes = await page
    .locator('[data-testid="chart-stack"] canvas')
    .evaluateAll((all) => all.map((c) => [(c as HTMLCanvasElement).width, (c as HTMLCanvasElement).height]));
  // IHDR: width and height at bytes 16 and 20.
  expect(png.readUInt32BE(16)).toBe(Math.max(...canvasSizes.map(([w]) => w!)));
  expect(png.readUInt32BE(20)).toBe(canvasSizes.reduce((sum, [, height]) => sum + height!, 0));
});

test('issue 14 item 8: Custom opened without times draws no empty chart before Show; Live names each sensor, not its key', async ({
  page,
}) => {
  await page.goto(`${agent.url}#charts/custom/gpu_temperature_c`);
  await expect(page.getByTestId('chart-apply')).toBeVisible();
  await expect(page.getByTestId('chart-stack').locator('canvas')).toHaveCount(0);
  await expect(page.getByTestId('chart-stats')).toHaveCount(0);
  // Show draws the sample's rows for the chosen window (the log's whole span, moved to now).
  const t0 = Date.now() - 3 * 3_600_000;
  const local = (ms: number) =>
    new Date(ms - new Date(ms).getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
  await page.locator('#chart-from').fill(local(t0));
  await page.locator('#chart-to').fill(local(Date.now() + 3_600_000));
  await page.getByTestId('chart-apply').click();
  const stats = page.locator('[data-testid="chart-stats"][data-key="gpu_temperature_c"]');
  await expect(stats).toHaveAttribute('data-max', String(columnStats(log, 'GPU Temperature').max));
  await page.locator('button[data-range="live"]').click();
  await expect(stats).toHaveAttribute('data-max', String(columnStats(log, 'GPU Temperature').max));
  await expect(stats).toContainText('GPU Temperature: min');
  await expect(stats).not.toContainText('gpu_temperature_c');
});

test('a link naming a sensor the log lacks draws the others only, even when the charts answer before the sensor list', async ({
  page,
}) => {
  // The sensor list answers last (as a store listing slower than the chart read does).
  await page.route('**/api/call/listSensors**', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await route.continue();
  });
  await page.goto(`${agent.url}#charts/1h/gpu_temperature_c,memory_temperature_c`);
  // bm1 has no memory temperature: one chart, GPU temperature's.
  await expect(page.getByTestId('chart-stats')).toHaveCount(1, { timeout: 10_000 });
  await expect(page.getByTestId('chart-stats')).toHaveAttribute('data-key', 'gpu_temperature_c');
});
