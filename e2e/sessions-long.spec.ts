/**
 * Sessions over months of stored objects, the second day: `gpuz-cloud agent` on a local store of 90 days of hourly
 * processed objects (2,160 GPU-Z logging sessions, bench/support/synth-processed.ts). The view lays out the newest
 * 2,000 and offers the rest; the list is kept in the store's cache folder, so after a restart the same list comes
 * without folding the stored objects again (the file is not written again: nothing new was read).
 */
import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { writeSyntheticMonth } from '../bench/support/synth-processed';
import { thisPcHost } from '../src/main/core/settings';
import { type AgentProcess, startAgentProcess } from './support/agent-process';

test.describe.configure({ mode: 'serial' });

let dir: string;
let agent: AgentProcess | undefined;

test.afterAll(async () => {
  await agent?.stop();
  await rm(dir, { recursive: true, force: true });
});

test('Sessions over 90 days: the newest 2,000 rows, the rest on ask, and the same list after a restart from its kept checkpoints', async ({
  page,
}) => {
  test.setTimeout(120_000);
  dir = await mkdtemp(join(tmpdir(), 'gpuz-e2e-sessions-long-'));
  const store = join(dir, 'store');
  const stateDir = join(dir, 'state');
  const log = join(dir, 'GPU-Z Sensor Log.txt');
  await writeFile(log, '');
  // 90 days ending an hour ago, a row a minute: each hourly object starts at a GPU-Z header (a logging session).
  await writeSyntheticMonth({
    dir: store,
    host: thisPcHost(),
    days: 90,
    end: Date.now() - 3_600_000,
    rowsPerHour: 60,
  });
  const start = () =>
    startAgentProcess({ stateDir, args: ['--file', log, '--local', store, '--interval', '60'] });
  agent = await start();
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`${agent.url}#sessions`);
  const note = page.getByTestId('sessions-note');
  const rows = page.locator('[data-testid="sessions-body"] tr');
  const more = page.getByTestId('sessions-more');
  await expect(note).toHaveAttribute('data-count', '2160', { timeout: 60_000 });
  await expect(note).toHaveText('2,160 logging sessions, 0 play sessions.');
  await expect(rows).toHaveCount(2000);
  await expect(more).toHaveText('Show 160 more (160 older not shown)');
  const newest = await rows.first().getAttribute('data-start');
  await more.click();
  await expect(rows).toHaveCount(2160);
  await expect(more).toBeHidden();
  // The oldest session is the first hour of the 90 days.
  const oldest = Number(await rows.last().getAttribute('data-start'));
  expect(Date.now() - oldest).toBeGreaterThan(90 * 86_400_000);

  // Kept in the store's cache folder
  const [folder] = await readdir(join(stateDir, 'cache'));
  const kept = join(stateDir, 'cache', folder!, 'sessions.json');
  const written = (await stat(kept)).mtimeMs;

  // Restart: the same list, from the kept checkpoints (nothing new read, so the file is not written again)
  await agent.stop();
  agent = await start();
  await page.goto(`${agent.url}#sessions`);
  await expect(note).toHaveAttribute('data-count', '2160', { timeout: 60_000 });
  await expect(rows).toHaveCount(2000);
  expect(await rows.first().getAttribute('data-start')).toBe(newest);
  expect((await stat(kept)).mtimeMs).toBe(written);
});
