/**
 * A first start without network: the agent's store (a bucket behind a port nothing listens on) cannot be asked what
 * it holds of the log, and this PC has kept nothing of it. Before, Charts showed an empty sensor list and no chart
 * and no word (the sensor list failed with the store and nothing caught it), and Sessions showed only
 * "connect ECONNREFUSED 127.0.0.1:9". Now Charts lists this PC's live sensors, draws Live, and says why a stored
 * range is empty; Sessions says the stored copy could not be read and that nothing of it is kept here; the Overview's
 * Next upload and the Uploads view say the first batch waits for the store's answer.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { AgentProcess } from './support/agent-process';
import { readSample, shiftToNow } from './support/log-writer';
import { type MotoServer, startAgentOnMoto } from './support/moto';
import { keepScreenshot } from './support/screenshots';

const SAMPLE = 'gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt';

let dir: string;
let agent: AgentProcess;

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gpuz-e2e-first-offline-'));
  const logPath = join(dir, 'GPU-Z Sensor Log.txt');
  const log = shiftToNow(readSample(SAMPLE), Date.now() - 1000, 'UTC');
  await writeFile(logPath, Buffer.from(`${[log.header, ...log.rows].join(log.eol)}${log.eol}`, 'latin1'));
  // Port 9 (discard): nothing listens, every connection is refused, as with no network
  const nowhere = { endpoint: 'http://127.0.0.1:9' } as MotoServer;
  agent = await startAgentOnMoto({
    moto: nowhere,
    bucket: 'gpuz-e2e-nowhere',
    logPath,
    stateDir: join(dir, 'state'),
    timeZone: 'UTC',
  });
});

test.afterAll(async () => {
  await agent?.stop();
  await rm(dir, { recursive: true, force: true });
});

test("Charts lists this PC's live sensors and draws Live; a stored range says why it is empty", async ({
  page,
}, testInfo) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`${agent.url}#charts`);
  await expect(page.locator('#global-state')).toHaveText('offline');
  const note = page.getByTestId('chart-note');
  await expect(note).toHaveAttribute('data-kept-only', 'true');
  await expect(note).toContainText('The stored copy could not be read (connect ECONNREFUSED 127.0.0.1:9)');
  await expect(note).toContainText('Live 10 min shows the rows this PC reads now.');
  await expect(page.locator('#chart-sensor option')).not.toHaveCount(0);
  await keepScreenshot(page, testInfo, 'charts-first-start-offline');
  await page.getByRole('button', { name: 'Live 10 min' }).click();
  const stats = page.locator('[data-testid="chart-stats"]').first();
  await expect(stats).toHaveAttribute('data-count', /^[1-9]\d*$/);
});

test('Sessions says the stored copy could not be read and that this PC has kept none of it', async ({
  page,
}) => {
  await page.goto(`${agent.url}#sessions`);
  await expect(page.getByTestId('sessions-note')).toHaveText(
    'The stored copy could not be read (connect ECONNREFUSED 127.0.0.1:9), and this PC has kept none of it from earlier views. Check the network connection: the stored readings show once the store answers.',
  );
});

test('the Overview says the first upload goes once the store answers, not "—"', async ({ page }) => {
  await page.goto(`${agent.url}#overview`);
  await expect(page.getByTestId('next-upload')).toHaveText('once the store answers');
  await expect(page.getByTestId('read')).toHaveText('0 rows (0 B)');
});

test('Uploads says why there is none yet: the store cannot be reached, the log is read once it answers', async ({
  page,
}) => {
  await page.goto(`${agent.url}#uploads`);
  await expect(page.getByTestId('uploads-summary')).toHaveText(
    "No uploads by this agent yet: the store cannot be reached, and the log's rows are read into batches once it answers.",
  );
});
