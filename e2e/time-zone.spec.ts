/**
 * A laptop taken abroad: settings.json keeps the zone it was saved with (Pacific/Kiritimati here, UTC+14), while the
 * PC (the agent's process and the browser) is now in Europe/Berlin. GPU-Z writes the PC's local time, so every row
 * would be stored 13 h off: the Overview says so at the agent's start, Settings offer the PC's zone, and once it is
 * saved the restarted agent says nothing more.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import type { AgentProcess } from './support/agent-process';
import { startLocalAgent } from './support/local-agent';
import { keepScreenshot } from './support/screenshots';

const PC_ZONE = 'Europe/Berlin';
const SAVED_ZONE = 'Pacific/Kiritimati';

test.use({ timezoneId: PC_ZONE });

let dir: string;
let agent: AgentProcess;

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gpuz-e2e-zone-'));
  agent = await startLocalAgent(dir, { host: 'travel-pc', timeZone: SAVED_ZONE }, { TZ: PC_ZONE });
});

test.afterAll(async () => {
  await agent?.stop();
  await rm(dir, { recursive: true, force: true });
});

test("a zone saved elsewhere: the Overview says it is not this PC's, Settings offer the PC's, and saving it ends the note", async ({
  page,
}, testInfo) => {
  await page.setViewportSize({ width: 1920, height: 1080 });
  await page.goto(`${agent.url}#overview`);
  const notes = page.getByTestId('notes');
  await expect(notes).toContainText(
    `This PC's time zone is ${PC_ZONE} (UTC+01:00), but the log is read as ${SAVED_ZONE} time (UTC+14:00), as saved in Settings`,
  );
  await expect(notes).toContainText(`set "Time zone of the log" in Settings to ${PC_ZONE}`);
  await expect(notes).toContainText('stored 13 h off');
  await keepScreenshot(page, testInfo, 'overview-time-zone');

  await page.goto(`${agent.url}#settings`);
  const zone = page.getByLabel('Time zone of the log', { exact: true });
  await expect(zone).toHaveValue(SAVED_ZONE);
  await expect(page.getByTestId('zone-suggestion')).toHaveText(`This PC's time zone is ${PC_ZONE}. Use`);
  await page.getByRole('button', { name: `Use ${PC_ZONE}` }).click();
  await expect(zone).toHaveValue(PC_ZONE);
  await expect(page.getByTestId('zone-suggestion')).toBeEmpty();
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('settings-result')).toContainText('Saved');
  const saved = JSON.parse(await readFile(join(dir, 'state', 'settings.json'), 'utf8'));
  expect(saved.timeZone).toBe(PC_ZONE);

  // The agent restarted on the saved settings: the zone is this PC's, nothing to say
  await page.goto(`${agent.url}#overview`);
  await expect(page.getByTestId('state')).toHaveText('watching');
  await expect(notes).not.toContainText("This PC's time zone");
});
