import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Settings } from '../../../shared/contract';
import { collectIo } from '../../core/agent/agent.test-support';
import { createSettingsStore, defaultSettings, LAST_GOOD_FILE, SETTINGS_FILE } from '../../core/settings';
import { runRepair } from './repair';

/** `gpuz-cloud repair` on a state folder whose settings.json the agent refuses (a hand edit gone wrong). */
describe('repair: settings.json refused', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gpuz-repair-settings-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const state = (...parts: string[]) => join(dir, 'state', ...parts);
  const repair = async (yes: boolean) => {
    const io = collectIo();
    const code = await runRepair({ stateDir: state(), yes }, { ...io, confirm: null });
    return { code, text: io.text() };
  };

  /** Settings the agent ran with, then settings.json edited by hand into invalid JSON; the edit's text. */
  async function brokenByHand(): Promise<{ good: Settings; edited: string }> {
    const store = createSettingsStore({ stateDir: state(), defaults: defaultSettings(state(), '') });
    const good: Settings = {
      ...defaultSettings(state(), join(dir, 'GPU-Z Sensor Log.txt')),
      target: { kind: 'local', dir: join(dir, 'store') },
    };
    await store.save(good);
    const text = await readFile(state(SETTINGS_FILE), 'utf8');
    const edited = text.replace('"minutes": 60', '"minutes": 5,');
    await writeFile(state(SETTINGS_FILE), edited);
    return { good, edited };
  }

  it('says what it would do, and with --yes sets the file aside and puts the settings last used back', async () => {
    // Arrange
    const { good, edited } = await brokenByHand();
    // Act
    const asked = await repair(false);
    const applied = await repair(true);
    // Assess: before, repair itself stopped on the refusal (exit 2) and the only way out was deleting the file
    expect(asked.code).toBe(1);
    expect(asked.text).toContain(`Store: ${join(dir, 'store')}\n`);
    expect(asked.text).toMatch(
      /settings\.json +refused: is not valid JSON: .*\(line \d+ column \d+\)\.\n +→ set aside; the settings last used put back \(kept \d{4}-\d\d-\d\d \d\d:\d\d UTC\): log .*GPU-Z Sensor Log\.txt, store the local folder /,
    );
    expect(asked.text).toContain('Run again with --yes to apply (nothing was changed).');
    expect(applied.code).toBe(0);
    expect(applied.text).toMatch(
      /done: settings\.json set aside as .*settings\.json\.damaged-\d{8}T\d{6}Z; /,
    );
    const store = createSettingsStore({ stateDir: state(), defaults: defaultSettings(state(), '') });
    await expect(store.load()).resolves.toEqual(good);
    const aside = (await readdir(state())).find((f) => f.startsWith(`${SETTINGS_FILE}.damaged-`));
    expect(await readFile(state(aside!), 'utf8')).toBe(edited);
    await expect(repair(false)).resolves.toMatchObject({ code: 0 });
  });

  it('without a good copy (a folder from before the copy existed) it stops on the refusal, the file untouched', async () => {
    // Arrange
    const { edited } = await brokenByHand();
    await rm(state(LAST_GOOD_FILE));
    // Act
    const result = await repair(true);
    // Assess
    expect(result.code).toBe(2);
    expect(result.text).toMatch(
      /is not valid JSON: .*\(line \d+ column \d+\)\. — Fix the file, or delete it/,
    );
    expect(await readFile(state(SETTINGS_FILE), 'utf8')).toBe(edited);
  });
});
