/**
 * Several PCs in one store (issue 15, item 7): the AMD sample uploaded by the CLI as this PC ('gaming-pc') and bm1
 * as a second PC named in Cyrillic ('рабочий-пк', stored as the host xn----7sbd2afhylc7e: shared/host-name.ts) into
 * the running agent's local store. Chromium: the Host picker appears in Charts and Sessions, naming that PC as it is
 * named; picking it charts bm1's rows (the stats line's max is bm1's, read here from the log) and lists bm1's
 * sessions; Live says it is this PC only; the choice is remembered.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { Settings } from '../src/shared/contract';
import { bundleCli, uploadAsHost } from '../src/test-support/cli-process';
import { sampleFigures } from '../src/test-support/sample-figures';
import { SAMPLES_DIR } from '../src/test-support/services';
import { type AgentProcess, startAgentProcess } from './support/agent-process';

test.describe.configure({ mode: 'serial' });

const AMD = join(SAMPLES_DIR, 'gpuz', 'amd-radeon-hbm2-gpuz-2020-12-sessions.txt');
const BM1 = join(SAMPLES_DIR, 'gpuz', 'nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt');
/** The second PC's name, as `upload --host` takes it, and the host its objects are stored under. */
const OTHER_PC = 'рабочий-пк';
const OTHER_HOST = 'xn----7sbd2afhylc7e';

let dir: string;
let agent: AgentProcess;

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gpuz-e2e-hosts-'));
  const stateDir = join(dir, 'state');
  await mkdir(stateDir);
  const settings: Settings = {
    logPath: join(dir, 'GPU-Z Sensor Log.txt'),
    target: { kind: 'local', dir: join(dir, 'store') },
    schedule: { kind: 'interval', minutes: 60 },
    compression: 'gzip',
    host: 'gaming-pc',
    timeZone: 'UTC',
  };
  await writeFile(join(stateDir, 'settings.json'), JSON.stringify(settings, null, 2));
  const cli = await bundleCli();
  try {
    for (const [file, host] of [
      [AMD, 'gaming-pc'],
      [BM1, OTHER_PC],
    ] as const) {
      const store = join(dir, 'store');
      const upload = await uploadAsHost(cli, { file, store, host, stateDir: join(dir, `state-${host}`) });
      expect(upload.code, upload.stderr).toBe(0);
    }
  } finally {
    cli.remove();
  }
  agent = await startAgentProcess({ stateDir });
});

test.afterAll(async () => {
  await agent?.stop();
  await rm(dir, { recursive: true, force: true });
});

test('Charts: the Host picker charts the other PC’s stored rows; Live stays this PC; the choice is remembered', async ({
  page,
}) => {
  const [amd, bm1] = [AMD, BM1].map((file) => sampleFigures(file, 'gpu_temperature_c')) as [
    ReturnType<typeof sampleFigures>,
    ReturnType<typeof sampleFigures>,
  ];
  expect(amd.max).not.toBe(bm1.max);

  await page.goto(`${agent.url}#charts/custom/gpu_temperature_c`);
  const hostPicker = page.locator('#chart-host');
  await expect(hostPicker).toBeVisible();
  await expect(hostPicker).toHaveValue('gaming-pc');
  await expect(hostPicker.locator('option')).toHaveText(['gaming-pc (this PC)', OTHER_PC]);
  const stats = page.locator('[data-testid="chart-stats"][data-key="gpu_temperature_c"]');
  await page.getByTestId('chart-fit').click();
  await expect(stats).toHaveAttribute('data-max', String(amd.max));

  await hostPicker.selectOption({ label: OTHER_PC });
  await expect(hostPicker).toHaveValue(OTHER_HOST);
  await page.getByTestId('chart-fit').click();
  await expect(stats).toHaveAttribute('data-max', String(bm1.max));
  await expect(stats).toContainText(`max ${bm1.max}`);
  const from = Number(await page.getByTestId('chart-stack').getAttribute('data-from'));
  expect(from).toBeGreaterThanOrEqual(bm1.first - 60_000);

  await page.locator('button[data-range="live"]').click();
  await expect(page.getByTestId('chart-note')).toContainText(
    `Live shows this PC (gaming-pc) only: ${OTHER_PC}'s stored data`,
  );

  await page.goto(`${agent.url}#charts/custom/gpu_temperature_c`);
  await page.reload();
  await expect(page.locator('#chart-host')).toHaveValue(OTHER_HOST);
  await page.getByTestId('chart-fit').click();
  await expect(stats).toHaveAttribute('data-max', String(bm1.max));
});

test('Sessions: the Host picker lists the other PC’s sessions', async ({ page }) => {
  const bm1 = sampleFigures(BM1, 'gpu_temperature_c');
  await page.goto(`${agent.url}#sessions`);
  const hostPicker = page.locator('#sessions-host');
  await expect(hostPicker).toBeVisible();
  await hostPicker.selectOption('gaming-pc');
  // This PC: the AMD sample's 12 logging sessions.
  await expect(page.getByTestId('sessions-note')).toHaveAttribute('data-count', '12');

  await hostPicker.selectOption({ label: OTHER_PC });
  const logging = page.locator('[data-testid="sessions-body"] tr[data-kind="logging"]');
  await expect(page.getByTestId('sessions-note')).not.toHaveAttribute('data-count', '12');
  const count = Number(await page.getByTestId('sessions-note').getAttribute('data-count'));
  expect(count).toBeGreaterThan(0);
  await expect(logging).toHaveCount(count);
  for (const start of await logging.evaluateAll((rows) => rows.map((r) => Number(r.dataset.start)))) {
    expect(start).toBeGreaterThanOrEqual(bm1.first);
    expect(start).toBeLessThanOrEqual(bm1.last);
  }
});
