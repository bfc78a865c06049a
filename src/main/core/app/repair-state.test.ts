/**
 * "Check and repair" from the app (the Overview's button; the tray app and `gpuz-cloud agent` serve it): the same
 * check as `gpuz-cloud repair`, under the lock the app holds, with the agent stopped for it and started again.
 * Real parts: the composition root, a local store, the Ada sample as the log.
 */
import { appendFile, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentStatus, Settings } from '../../../shared/contract';
import { logDataLines, storedLines } from '../../../test-support/store-lines';
import { sample, sorted } from '../agent/agent.test-support';
import { deployBundleIn } from '../deploy/prepare';
import { createHeadlessVault } from '../secret-vault';
import { createSettingsStore, defaultSettings } from '../settings';
import type { AppService } from './app-service';
import { composeApp } from './compose';

const ADA = sample('gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt');

let dir: string;
let app: AppService | null = null;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gpuz-repair-state-'));
});

afterEach(async () => {
  await app?.stop();
  app = null;
  await rm(dir, { recursive: true, force: true });
});

async function startApp(): Promise<AppService> {
  const stateDir = join(dir, 'state');
  const settings = createSettingsStore({ stateDir, defaults: defaultSettings(stateDir, '') });
  const saved: Settings = {
    ...defaultSettings(stateDir, join(dir, 'GPU-Z Sensor Log.txt')),
    target: { kind: 'local', dir: join(dir, 'store') },
    host: 'test-pc',
    timeZone: 'Europe/Berlin',
  };
  const result = await settings.save(saved);
  if (!result.ok) throw new Error(JSON.stringify(result.errors));
  const started = composeApp({
    host: { env: {}, platform: 'linux', home: dir },
    stateDir,
    settings,
    secrets: createHeadlessVault(),
    bundle: deployBundleIn(dir, {}),
  });
  await started.start();
  app = started;
  return started;
}

async function stopApp(): Promise<void> {
  await app?.stop();
  app = null;
}

describe('checking and repairing the state folder from the app', () => {
  it('a damaged checkpoint: refused, the check changes nothing, Repair rebuilds it from the store, every row once', async () => {
    const log = join(dir, 'GPU-Z Sensor Log.txt');
    await writeFile(log, ADA.lines(0, 300));
    const first = await startApp();
    await first.handlers.uploadNow();
    await stopApp();
    const before = storedLines(join(dir, 'store'));
    expect(before.data).toHaveLength(299);

    // A power cut tore the checkpoint; GPU-Z logged on meanwhile.
    const checkpoint = join(dir, 'state', 'checkpoint.json');
    await writeFile(checkpoint, '{"version":3,"identity":');
    await appendFile(log, ADA.lines(300, 600));

    const second = await startApp();
    const refused: AgentStatus = await second.handlers.getStatus();
    expect(refused.state).toBe('error');
    expect(refused.lastError?.code).toBe('STATE_DAMAGED');
    expect(refused.lastError?.guiAdvice).toContain('Check and repair');

    const check = await second.handlers.checkState();
    expect(check.needed).toBe(true);
    const item = check.items.find((i) => i.file === 'checkpoint.json');
    expect(item?.finding).toMatch(/^damaged: /);
    expect(item?.action).toMatch(
      /^set aside; rebuilt from .*store \(1 object\(s\) of this log\): reading resumes after byte \d+/,
    );
    // Only looked: the file is as it was, and the agent (started again) still refuses.
    expect(await readFile(checkpoint, 'utf8')).toBe('{"version":3,"identity":');
    expect((await second.handlers.getStatus()).lastError?.code).toBe('STATE_DAMAGED');

    const outcome = await second.handlers.repairState({ confirm: true });
    expect(outcome.done.join('\n')).toMatch(
      /checkpoint\.json: set aside as .*checkpoint\.json\.damaged-\d{8}T\d{6}Z; rebuilt at byte \d+/,
    );
    expect(outcome.status.state).not.toBe('error');
    expect(outcome.status.lastError).toBeNull();
    expect(
      (await readdir(join(dir, 'state'))).some((name) => name.startsWith('checkpoint.json.damaged-')),
    ).toBe(true);

    await second.handlers.uploadNow();
    await stopApp();
    // Every complete row of the log in exactly one raw object: the first 299 not sent again, the 300 new ones sent.
    const after = storedLines(join(dir, 'store'));
    expect(after.objects).toBe(before.objects + 1);
    expect(sorted(after.data)).toEqual(sorted(logDataLines(await readFile(log))));
  });

  it('a whole state folder: the check says so, Repair offers nothing and the agent runs on', async () => {
    await writeFile(join(dir, 'GPU-Z Sensor Log.txt'), ADA.lines(0, 50));
    const running = await startApp();
    await running.handlers.uploadNow();
    const check = await running.handlers.checkState();
    expect(check.needed).toBe(false);
    expect(check.items.find((i) => i.file === 'checkpoint.json')?.action).toBeNull();
    const outcome = await running.handlers.repairState({ confirm: true });
    expect(outcome.done).toEqual([]);
    expect(outcome.status.lastError).toBeNull();
    expect((await running.handlers.getStatus()).state).not.toBe('error');
  });
});
