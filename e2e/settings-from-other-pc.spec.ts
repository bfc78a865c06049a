/**
 * Settings copied to another PC (a new PC set up from a backup of the state folder): settings.json says the uploads
 * go under "old-pc", saved on the PC named old-pc, and this PC has another name. Both PCs would upload under one
 * name and mix their readings in the charts and sessions; before, nothing said so. The Overview says it at the
 * agent's start; once the host name is set to this PC's and saved, the restarted agent says nothing more.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import { hostFromName } from '../src/shared/host-name';
import type { AgentProcess } from './support/agent-process';
import { startLocalAgent } from './support/local-agent';

const THIS_PC = hostFromName(hostname());
const OTHER_PC = THIS_PC === 'old-pc' ? 'older-pc' : 'old-pc';

let dir: string;
let agent: AgentProcess;

test.beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gpuz-e2e-other-pc-'));
  agent = await startLocalAgent(dir, {
    host: OTHER_PC,
    timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
    savedOn: OTHER_PC,
  });
});

test.afterAll(async () => {
  await agent?.stop();
  await rm(dir, { recursive: true, force: true });
});

test("settings saved on another PC: the Overview names both PCs, and this PC's own host name saved ends the note", async ({
  page,
}) => {
  await page.goto(`${agent.url}#overview`);
  const notes = page.getByTestId('notes');
  await expect(notes).toContainText(
    `These settings were saved on the PC named “${OTHER_PC}”; this PC is “${THIS_PC}” and uploads as “${OTHER_PC}”`,
  );
  await expect(notes).toContainText(`set Settings → Host name to ${THIS_PC}`);

  await page.goto(`${agent.url}#settings`);
  const host = page.getByLabel('Host name', { exact: true });
  await expect(host).toHaveValue(OTHER_PC);
  await host.fill(THIS_PC);
  await page.getByRole('button', { name: 'Save', exact: true }).click();
  await expect(page.getByTestId('settings-result')).toContainText('Saved');
  const saved = JSON.parse(await readFile(join(dir, 'state', 'settings.json'), 'utf8'));
  expect(saved).toMatchObject({ host: THIS_PC, savedOn: THIS_PC });

  // The agent restarted on the saved settings: nothing more to say
  await page.goto(`${agent.url}#overview`);
  await expect(page.getByTestId('state')).toHaveText('watching');
  await expect(notes).not.toContainText('These settings were saved on the PC named');
});
