/**
 * Sessions and alerts end to end: `gpuz-cloud agent` tails real samples; Chromium lists the AMD sample's 12
 * logging sessions (after Upload now, from the stored documents' header marks) and compares two of them;
 * a hot-spot rule turned on in the Alerts view fires once while a writer appends bm1 (hot spot up to
 * 105.5 °C), shown as the banner and in the history.
 */
import { appendFile, copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { SAMPLES_DIR } from '../src/test-support/services';
import { type AgentProcess, startAgentProcess } from './support/agent-process';
import { readSample, shiftToNow } from './support/log-writer';
import { keepScreenshot } from './support/screenshots';

test.describe.configure({ mode: 'serial' });

let dir: string;
const agents: AgentProcess[] = [];

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gpuz-e2e-insights-'));
});

test.afterAll(async () => {
  for (const agent of agents) await agent.stop();
  await rm(dir, { recursive: true, force: true });
});

test('Sessions: the AMD sample’s 12 logging sessions, and two of them compared', async ({
  page,
}, testInfo) => {
  const logPath = join(dir, 'amd', 'GPU-Z Sensor Log.txt');
  await mkdtempSafe(join(dir, 'amd'));
  await copyFile(join(SAMPLES_DIR, 'gpuz/amd-radeon-hbm2-gpuz-2020-12-sessions.txt'), logPath);
  const agent = await startAgentProcess({
    stateDir: join(dir, 'amd', 'state'),
    args: ['--file', logPath, '--local', join(dir, 'amd', 'store'), '--interval', '60'],
  });
  agents.push(agent);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`${agent.url}#overview`);
  await page.getByTestId('upload-now').click();
  await expect(page.getByTestId('action-message')).toHaveText('Upload now: done.');
  await page.getByRole('link', { name: 'Sessions' }).click();
  await expect(page.getByTestId('sessions-note')).toHaveAttribute('data-count', '12');
  await expect(page.locator('[data-testid="sessions-body"] tr[data-kind="logging"]')).toHaveCount(12);
  await expect(page.getByTestId('sessions-note')).toHaveText(/^12 logging sessions, \d+ play sessions?\.$/);
  // Times in the one format of every view (time-format.ts): 'Dec 1, 2020, 5:16 PM' for another year.
  await expect(page.locator('[data-testid="sessions-body"] tr[data-kind="logging"] td').nth(2)).toHaveText(
    /^[A-Z][a-z]{2} \d{1,2}, 2020, \d{1,2}:\d{2} [AP]M$/,
  );
  // The AMD card's GPU-Z logs the chip's power only: power and energy come from it, and say so.
  const firstRow = page
    .locator('[data-testid="sessions-body"] tr[data-kind="logging"]')
    .first()
    .locator('td');
  await expect(firstRow.nth(7)).toHaveText(/^\d+(\.\d)? W \/ \d+(\.\d)? W \(chip\)$/);
  await expect(firstRow.nth(7)).toHaveAttribute('title', /^GPU chip power: this log has no board power/);
  await expect(firstRow.nth(8)).toHaveText(/^\d+(\.\d+)? Wh \(chip\)$/);
  const boxes = page.locator('[data-testid="sessions-body"] tr[data-kind="logging"] input[type="checkbox"]');
  await boxes.nth(0).check();
  await boxes.nth(11).check();
  const table = page.getByTestId('compare-table');
  await expect(table).toBeVisible();
  // Run 1 is the newest session; its own delta is 0 and the other's is the difference of the two figures.
  const hotSpot = table.locator('tr[data-figure="Max hot spot"] td');
  const [first, second] = [
    await hotSpot.nth(0).getAttribute('data-value'),
    await hotSpot.nth(1).getAttribute('data-value'),
  ];
  await expect(hotSpot.nth(1)).toHaveAttribute(
    'data-delta',
    String(Math.round((Number(second) - Number(first)) * 10) / 10),
  );
  // The two runs overlaid from their start.
  await expect(page.getByTestId('compare-overlay')).toHaveAttribute('data-runs', '2');
  await keepScreenshot(page, testInfo, 'sessions');
  // A session's Charts link opens its range.
  const start = await page
    .locator('[data-testid="sessions-body"] tr[data-kind="logging"]')
    .first()
    .getAttribute('data-start');
  await page.locator('[data-testid="sessions-body"] tr[data-kind="logging"] a').first().click();
  // The AMD log has no board power: its chip power is the fourth session sensor, over the session's own range.
  await expect(page.getByTestId('chart-stats')).toHaveCount(4);
  await expect(page.getByTestId('chart-stats').nth(3)).toContainText('GPU Chip Power Draw');
  await expect(page.locator('[data-testid="chart-stack"] canvas').first()).toHaveAttribute(
    'data-from',
    start!,
  );
  // …and says it in the From field (it stayed empty).
  const localMinute = await page.evaluate((ms) => {
    const d = new Date(ms);
    const pad = (n: number) => String(n).padStart(2, '0');
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  }, Number(start));
  await expect(page.locator('#chart-from')).toHaveValue(localMinute);
});

test('Alerts: a hot-spot rule turned on fires once from the writer’s bm1 rows, as a banner and in the history; after a restart the history is kept and nothing fires again', async ({
  page,
}, testInfo) => {
  await mkdtempSafe(join(dir, 'bm1'));
  const logPath = join(dir, 'bm1', 'GPU-Z Sensor Log.txt');
  const log = shiftToNow(readSample('gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt'), Date.now() - 1000);
  await writeFile(logPath, Buffer.from(log.header + log.eol + log.rows[0] + log.eol, 'latin1'));
  const agent = await startAgentProcess({
    stateDir: join(dir, 'bm1', 'state'),
    args: ['--file', logPath, '--local', join(dir, 'bm1', 'store'), '--interval', '60'],
  });
  agents.push(agent);
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`${agent.url}#alerts`);
  const rule = page.locator('[data-testid="alert-rules"] [data-rule="hot-spot-100"] input[type="checkbox"]');
  await expect(rule).not.toBeChecked();
  // Each rule names its sensor and unit as the log does; bm1 has no memory temperature, and the line says so.
  const rules = page.getByTestId('alert-rules');
  await expect(rules.locator('[data-rule="hot-spot-100"]')).toContainText('Hot Spot');
  await expect(rules.locator('[data-rule="hot-spot-100"] [data-testid="rule-unit"]')).toHaveText('°C');
  await expect(rules.locator('[data-rule="memory-temperature-100"] [data-testid="rule-missing"]')).toHaveText(
    'not in this log',
  );
  await expect(page.getByTestId('alert-history')).toHaveText('No alerts yet.');
  await rule.check();
  await page.getByTestId('alert-rules-save').click();
  await expect(page.getByTestId('alert-rules-message')).toContainText('Saved: 1 of');
  const rest = log.rows.slice(1);
  for (let i = 0; i < rest.length; i += 200) {
    await appendFile(
      logPath,
      Buffer.from(
        rest
          .slice(i, i + 200)
          .map((r) => r + log.eol)
          .join(''),
        'latin1',
      ),
    );
    await page.waitForTimeout(150);
  }
  const banner = page.getByTestId('alert-banner');
  await expect(banner).toBeVisible();
  await expect(banner).toHaveAttribute('data-rule', 'hot-spot-100');
  await expect(banner).toContainText('Hot Spot ≥ 100 °C for 10 s');
  await expect(page.locator('[data-testid="alert-history"] tr[data-kind="cleared"]')).toHaveCount(1);
  await expect(page.locator('[data-testid="alert-history"] tr[data-kind="fired"]')).toHaveCount(1);
  await keepScreenshot(page, testInfo, 'alerts');
  // The rule is stored with the settings: Settings shows it on.
  await page.goto(`${agent.url}#settings`);
  await expect(
    page.locator('[data-testid="settings-alerts"] [data-rule="hot-spot-100"] input[type="checkbox"]'),
  ).toBeChecked();

  // Restarted (the PC's next boot): the history is kept; the log's last rows, the episode among them, are shown
  // again and raise no alert again.
  await agent.stop();
  const next = await startAgentProcess({
    stateDir: join(dir, 'bm1', 'state'),
    args: ['--file', logPath, '--local', join(dir, 'bm1', 'store'), '--interval', '60'],
  });
  agents.push(next);
  await page.goto(`${next.url}#overview`);
  await expect(page.getByTestId('reading-hot_spot_c')).toBeVisible();
  await page.getByRole('link', { name: 'Alerts' }).click();
  // The rules and the history come in one answer: the rule shown on means the history is there too.
  await expect(
    page.locator('[data-testid="alert-rules"] [data-rule="hot-spot-100"] input[type="checkbox"]'),
  ).toBeChecked();
  await expect(page.locator('[data-testid="alert-history"] tr[data-kind="fired"]')).toHaveCount(1);
  await expect(page.locator('[data-testid="alert-history"] tr[data-kind="cleared"]')).toHaveCount(1);
  await expect(page.getByTestId('alert-banner')).toBeHidden();
});

test('Alerts: an episode in the log’s backlog (logged while the agent was off, an hour ago) is listed as its past, with no banner', async ({
  page,
}) => {
  // Prepare: the rule turned on while the log held one row; the agent stopped.
  await mkdtempSafe(join(dir, 'old'));
  const logPath = join(dir, 'old', 'GPU-Z Sensor Log.txt');
  const log = shiftToNow(readSample('gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt'), Date.now() - 3_600_000);
  await writeFile(logPath, Buffer.from(log.header + log.eol + log.rows[0] + log.eol, 'latin1'));
  const args = ['--file', logPath, '--local', join(dir, 'old', 'store'), '--interval', '60'];
  const first = await startAgentProcess({ stateDir: join(dir, 'old', 'state'), args });
  agents.push(first);
  await page.goto(`${first.url}#alerts`);
  await page.locator('[data-testid="alert-rules"] [data-rule="hot-spot-100"] input[type="checkbox"]').check();
  await page.getByTestId('alert-rules-save').click();
  await expect(page.getByTestId('alert-rules-message')).toContainText('Saved: 1 of');
  await first.stop();
  // The rest of the session was logged while the agent was off (GPU-Z stopped an hour ago).
  const rest = log.rows.slice(1).map((row) => row + log.eol);
  await appendFile(logPath, Buffer.from(rest.join(''), 'latin1'));
  // Act
  const next = await startAgentProcess({ stateDir: join(dir, 'old', 'state'), args });
  agents.push(next);
  await page.goto(`${next.url}#alerts`);
  // Assess: in the history as the log's past; no banner (and no tray notification: the same flag).
  const fired = page.locator('[data-testid="alert-history"] tr[data-kind="fired"]');
  await expect(fired).toHaveCount(1);
  await expect(fired).toHaveAttribute('data-late', 'true');
  await expect(fired).toContainText("fired, from the log's past");
  await expect(page.getByTestId('alert-banner')).toBeHidden();
});

async function mkdtempSafe(path: string): Promise<void> {
  const { mkdir } = await import('node:fs/promises');
  await mkdir(path, { recursive: true });
}
