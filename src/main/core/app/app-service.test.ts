import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentStatus, Settings } from '../../../shared/contract';
import { AppError, toErrorData } from '../../../shared/errors';
import type { StateLock } from '../agent';
import type { LiveRowsOrigin } from '../agent/types';
import type { ProcessedData } from '../data/processed-data';
import { createHeadlessVault, type SecretVault } from '../secret-vault';
import { createMemoryVault } from '../secret-vault.test-support';
import { createSettingsStore, defaultSettings, SETTINGS_FILE, thisPcHost } from '../settings';
import { createAppService } from './app-service';
import { buildCostView } from './cost-view';
import { createFakeAgent } from './fake-agent.test-support';
import { createPauseState, memoryPauseState, PAUSE_FILE, type PauseState } from './pause-state';
import type { RuntimeSettings } from './runtime';

const ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';

describe('app service', () => {
  let dir: string;
  let started: { stop(): Promise<void> }[] = [];
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gpuz-app-'));
  });
  afterEach(async () => {
    for (const app of started) await app.stop();
    started = [];
    await rm(dir, { recursive: true, force: true });
  });

  function setup(
    secrets: SecretVault = createMemoryVault().vault,
    lock?: () => Promise<StateLock>,
    pauseState?: PauseState,
  ) {
    const agents: ReturnType<typeof createFakeAgent>[] = [];
    const opened: RuntimeSettings[] = [];
    const locks: StateLock[] = [];
    const settingsErrors: unknown[] = [];
    const live = {
      columns: [{ name: 'GPU Temperature', unit: '°C', key: 'gpu_temperature_c' }],
      rows: [{ t: 1, values: [55] }],
    };
    const data: ProcessedData = {
      listSensors: async () => [{ key: 'board_power_draw_w', name: 'Board Power Draw', unit: 'W' }],
      extent: async () => ({ first: null, last: null }),
      storedDays: async () => 0,
      loggedBytes: async () => null,
      // A chart read of 700 steps that comes in at once: progress as query reports it.
      query: async (_host, _query, _pending, onProgress) => {
        for (let done = 1; done <= 700; done++) onProgress?.(done, 700);
        return { resolution: 'rows', t: [], series: [] };
      },
      hosts: async () => [],
      // A read of 1,000 steps that comes in at once: progress as sessionRows reports it.
      sessionRows: async (_host, _query, _pending, onProgress) => {
        for (let done = 1; done <= 1000; done++) onProgress?.(done, 1000);
        return { starts: [], groups: [], pieces: async function* () {} };
      },
    };
    const app = createAppService({
      settings: createSettingsStore({
        stateDir: dir,
        defaults: defaultSettings(dir, '/logs/GPU-Z Sensor Log.txt'),
      }),
      secrets,
      ...(lock ? { lock } : {}),
      ...(pauseState ? { pauseState } : {}),
      openRuntime: async (settings, lock) => {
        locks.push(lock);
        const fake = createFakeAgent(live);
        agents.push(fake);
        opened.push(settings);
        return { agent: fake.agent, data };
      },
      estimateCost: buildCostView,
      detectLogFiles: async () => [],
      onSettingsError: (error) => settingsErrors.push(error),
    });
    started.push(app);
    return { app, agents, opened, locks, settingsErrors, data };
  }

  it("pushes listSessions' progress with its query, at most every 250 ms and once when done", async () => {
    const { app } = setup();
    const pushed: unknown[] = [];
    app.events.on('sessionsProgress', (p) => pushed.push(p));
    await app.start();
    const query = { from: 1, to: 2 };
    await app.handlers.listSessions(query);
    expect(pushed).toEqual([
      { query, done: 1, total: 1000 },
      { query, done: 1000, total: 1000 },
    ]);
  });

  it("pushes queryChart's progress with its query, at most every 250 ms and once when done, for another PC's data too", async () => {
    const { app } = setup();
    const pushed: unknown[] = [];
    app.events.on('chartsProgress', (p) => pushed.push(p));
    await app.start();
    const query = { from: 1, to: 2, keys: ['gpu_temperature_c'] };
    await app.handlers.queryChart(query);
    await app.handlers.queryChart({ ...query, host: 'laptop' });
    expect(pushed).toEqual([
      { query, done: 1, total: 700 },
      { query, done: 700, total: 700 },
      { query: { ...query, host: 'laptop' }, done: 1, total: 700 },
      { query: { ...query, host: 'laptop' }, done: 700, total: 700 },
    ]);
  });

  it('starts the agent for the saved settings and pushes its status changes', async () => {
    const { app, agents } = setup();
    const states: AgentStatus['state'][] = [];
    app.events.on('status', (s) => states.push(s.state));
    await app.start();
    await expect(app.handlers.pause()).resolves.toMatchObject({ state: 'paused' });
    await expect(app.handlers.resume()).resolves.toMatchObject({ state: 'watching' });
    await app.handlers.retry({ batchId: 'b7' });
    expect(agents[0]!.calls).toEqual(['start', 'pause', 'resume', 'retry:b7']);
    expect(states).toEqual(['watching', 'paused', 'watching']);
  });

  /** GPU temperature ≥ 80 °C for 2 s. */
  const HOT_RULE = {
    id: 'hot',
    sensor: 'gpu_temperature_c',
    comparison: '>=' as const,
    value: 80,
    durationSeconds: 2,
    enabled: true,
  };

  /** Rows of GPU temperature handed to the newest agent's live listeners, as the agent hands them. */
  function liveRows(agents: ReturnType<typeof setup>['agents']) {
    const columns = [{ name: 'GPU Temperature', unit: '°C', key: 'gpu_temperature_c' }];
    return (ts: number[], value: number, origin?: LiveRowsOrigin) => {
      for (const listener of agents.at(-1)!.listeners.live)
        listener(
          ts.map((t) => ({ t, values: [value] })),
          columns,
          origin,
        );
    };
  }

  it('rows an earlier run read, shown again after a restart, raise no alert and do not alert again as they go on', async () => {
    // Prepare: a rule on GPU temperature ≥ 80 °C for 2 s.
    const { app, agents } = setup();
    await app.start();
    const saved = await app.handlers.saveAlertRules([HOT_RULE]);
    expect(saved.ok).toBe(true);
    const fired: string[] = [];
    app.events.on('alert', (event) => fired.push(`${event.kind}@${event.at}`));
    const emit = liveRows(agents);
    // Act: the log's last rows (an episode the earlier run alerted on), then new rows of the same episode.
    emit([1000, 2000, 3000, 4000], 85, { earlier: true });
    emit([5000, 6000], 86);
    // Assess
    expect(fired).toEqual([]);
    // A new episode after the reading came back down alerts as usual.
    emit([7000], 70);
    emit([8000, 9000, 10_000], 90);
    expect(fired).toEqual(['cleared@7000', 'fired@10000']);
  });

  it("an alert from the log's backlog (a first start on an old log) is its past: late, listed, not announced", async () => {
    // Prepare
    const { app, agents } = setup();
    await app.start();
    await app.handlers.saveAlertRules([HOT_RULE]);
    const said: { kind: string; late: boolean }[] = [];
    app.events.on('alert', (event) => said.push({ kind: event.kind, late: event.late === true }));
    const emit = liveRows(agents);
    // Act: an episode in rows read before the agent first reached the log's end.
    emit([1000, 2000, 3000], 85, { backlog: true });
    // Assess: listed (the history and the event carry it) as the log's past.
    expect(said).toEqual([{ kind: 'fired', late: true }]);
    expect((await app.handlers.getAlerts()).history).toMatchObject([{ kind: 'fired', late: true }]);
    // Rows GPU-Z writes now: a new episode is news.
    emit([4000], 70);
    emit([5000, 6000, 7000], 90);
    expect(said.slice(1)).toEqual([
      { kind: 'cleared', late: false },
      { kind: 'fired', late: false },
    ]);
  });

  it('a start refused by another agent on the folder writes nothing, and the UI cannot save either', async () => {
    // Prepare: settings saved by the running agent; this process cannot take the lock
    const store = createSettingsStore({ stateDir: dir, defaults: defaultSettings(dir, '/logs/a.txt') });
    await store.save(await store.load());
    const before = await readFile(join(dir, SETTINGS_FILE));
    const running = new AppError('AGENT_RUNNING', 'Another upload agent (process 7) is using the folder');
    const { app, agents } = setup(undefined, async () => {
      throw running;
    });
    // Act
    const start = app.start({ edit: (saved) => ({ ...saved, logPath: '/logs/other.txt' }) });
    // Assess
    await expect(start).rejects.toBe(running);
    expect((await readFile(join(dir, SETTINGS_FILE))).equals(before)).toBe(true);
    expect(agents).toHaveLength(0);
    await expect(app.handlers.saveSettings(await store.load())).rejects.toMatchObject({
      code: 'AGENT_RUNNING',
    });
    await expect(app.handlers.getStatus()).rejects.toMatchObject({ code: 'AGENT_RUNNING' });
  });

  it('a start that settings.json refused (a hand edit gone wrong): the status says why, the form shows the settings last used, and its Save takes the lock and starts', async () => {
    // Arrange: settings the agent ran with (an S3 target), then a hand edit that leaves a comma too many
    const store = createSettingsStore({ stateDir: dir, defaults: defaultSettings(dir, '/logs/a.txt') });
    const deployed: Settings = {
      ...defaultSettings(dir, '/logs/a.txt'),
      target: { kind: 's3', bucket: 'gpuz-cloud-dev-raw-123456789012', region: 'eu-central-1' },
    };
    await store.save(deployed);
    const good = await readFile(join(dir, SETTINGS_FILE), 'utf8');
    const edited = good.replace('"minutes": 60', '"minutes": 5,');
    await writeFile(join(dir, SETTINGS_FILE), edited);
    const order: string[] = [];
    const { app, agents, locks } = setup(undefined, async () => {
      order.push('lock');
      return {
        release: async () => void order.push('release'),
        notice: null,
        check: async () => ({ held: true as const, notice: null }),
      };
    });
    // Act
    const start = app.start().catch((e: unknown) => e);
    const status = await start.then(() => app.handlers.getStatus().catch((e: unknown) => e));
    const shown = await app.handlers.getSettings();
    const { savedOn: _, ...form } = shown; // what the form sends
    const saved = await app.handlers.saveSettings(form);
    // Assess: before, the status said "not running yet, wait a moment" for ever, the form was empty, and its save
    // started an agent without the lock (another `gpuz-cloud agent` could run on the folder beside it)
    expect(await start).toMatchObject({ code: 'SETTINGS_UNREADABLE' });
    expect(status).toMatchObject({
      code: 'SETTINGS_UNREADABLE',
      message: expect.stringMatching(/is not valid JSON: .*\(line \d+ column \d+\)/),
      guiAdvice: expect.stringContaining('press Save to put them back'),
    });
    expect(shown).toEqual(deployed);
    expect(saved).toMatchObject({ ok: true, settings: { target: deployed.target } });
    expect(order).toEqual(['lock', 'release', 'lock']);
    expect(agents).toHaveLength(1);
    expect(locks[0]!.check).toBeDefined();
    await expect(app.handlers.getStatus()).resolves.toMatchObject({ state: 'watching' });
    const aside = (await readdir(dir)).find((f) => f.startsWith(`${SETTINGS_FILE}.damaged-`));
    expect(await readFile(join(dir, aside!), 'utf8')).toBe(edited);
  });

  it('a start that settings.json refused, and no good copy: the form has nothing to show, and an invalid save takes no lock', async () => {
    await writeFile(join(dir, SETTINGS_FILE), '{ half a file');
    const order: string[] = [];
    const { app, agents } = setup(undefined, async () => {
      order.push('lock');
      return { release: async () => void order.push('release'), notice: null };
    });
    await expect(app.start()).rejects.toMatchObject({ code: 'SETTINGS_UNREADABLE' });
    await expect(app.handlers.getSettings()).rejects.toMatchObject({ code: 'SETTINGS_UNREADABLE' });
    const refused = await app.handlers.saveSettings({
      ...defaultSettings(dir, '/logs/a.txt'),
      logPath: 'relative.txt',
    });
    expect(refused.ok).toBe(false);
    expect(order).toEqual(['lock', 'release']);
    expect(agents).toHaveLength(0);
    await expect(app.handlers.getStatus()).rejects.toMatchObject({ code: 'SETTINGS_UNREADABLE' });
  });

  it('a start that settings.json refused: the file mended by hand starts the agent by itself, the lock taken again', async () => {
    // Arrange
    const store = createSettingsStore({ stateDir: dir, defaults: defaultSettings(dir, '/logs/a.txt') });
    await store.save(defaultSettings(dir, '/logs/a.txt'));
    const good = await readFile(join(dir, SETTINGS_FILE), 'utf8');
    await writeFile(join(dir, SETTINGS_FILE), good.replace('"minutes": 60', '"minutes": 5,'));
    const order: string[] = [];
    const { app, agents } = setup(undefined, async () => {
      order.push('lock');
      return { release: async () => void order.push('release'), notice: null };
    });
    const statuses: string[] = [];
    app.events.on('status', (s) => statuses.push(s.state));
    await expect(app.start()).rejects.toMatchObject({ code: 'SETTINGS_UNREADABLE' });
    // Act: the person fixes the comma
    await writeFile(join(dir, SETTINGS_FILE), good.replace('"minutes": 60', '"minutes": 5'));
    // Assess: before, the tray app waited for a Save in Settings, or its own restart
    await vi.waitFor(() => expect(agents).toHaveLength(1), { timeout: 3000 });
    expect(order).toEqual(['lock', 'release', 'lock']);
    await expect(app.handlers.getStatus()).resolves.toMatchObject({ state: 'watching' });
    expect(statuses).toContain('watching');
    await expect(app.handlers.getSettings()).resolves.toMatchObject({ schedule: { minutes: 5 } });
  });

  it('a start that settings.json refused, mended by `gpuz-cloud repair` (which holds the folder a moment longer): the start waits for the lock, and says who holds it meanwhile', async () => {
    // Arrange
    const store = createSettingsStore({ stateDir: dir, defaults: defaultSettings(dir, '/logs/a.txt') });
    await store.save(defaultSettings(dir, '/logs/a.txt'));
    const good = await readFile(join(dir, SETTINGS_FILE), 'utf8');
    await writeFile(join(dir, SETTINGS_FILE), '{ half a file');
    let repairing = false;
    const { app, agents } = setup(undefined, async () => {
      if (repairing)
        throw new AppError('AGENT_RUNNING', 'Another upload agent (process 7) is using the folder');
      return { release: async () => undefined, notice: null };
    });
    await expect(app.start()).rejects.toMatchObject({ code: 'SETTINGS_UNREADABLE' });
    // Act: repair takes the folder, writes the file, and lets go a while later
    repairing = true;
    await writeFile(join(dir, SETTINGS_FILE), good);
    await vi.waitFor(
      () => expect(app.handlers.getStatus()).rejects.toMatchObject({ code: 'AGENT_RUNNING' }),
      { timeout: 3000 },
    );
    repairing = false;
    // Assess: before (with the watch, without the retry), the lock's refusal stood for good
    await vi.waitFor(() => expect(agents).toHaveLength(1), { timeout: 5000 });
    await expect(app.handlers.getStatus()).resolves.toMatchObject({ state: 'watching' });
  });

  it('a start that failed for another reason: the status says it, not "wait a moment"', async () => {
    const app = createAppService({
      settings: createSettingsStore({ stateDir: dir, defaults: defaultSettings(dir, '/logs/a.txt') }),
      secrets: createMemoryVault().vault,
      openRuntime: async () => {
        throw new Error('EMFILE: too many open files');
      },
      estimateCost: buildCostView,
      detectLogFiles: async () => [],
    });
    started.push(app);
    await expect(app.start()).rejects.toThrow('EMFILE');
    await expect(app.handlers.getStatus()).rejects.toMatchObject({
      code: 'INTERNAL',
      message: 'The agent did not start: EMFILE: too many open files',
    });
  });

  it('the lock is taken before the edit is saved and released on stop', async () => {
    const order: string[] = [];
    const { app } = setup(undefined, async () => {
      order.push('lock');
      return { release: async () => void order.push('release'), notice: null };
    });
    await app.start({
      edit: (saved) => {
        order.push('edit');
        return { ...saved, host: 'edited-pc' };
      },
    });
    await app.stop();
    expect(order).toEqual(['lock', 'edit', 'release']);
    expect(JSON.parse(await readFile(join(dir, SETTINGS_FILE), 'utf8')).host).toBe('edited-pc');
  });

  it('the lock is asked by each agent; once another agent took the folder over, the UI cannot save settings', async () => {
    // Arrange: a lock that another agent took meanwhile (state-lock.ts checkLock)
    const lost = new AppError('AGENT_LOCK_LOST', 'Another upload agent (process 7) took over the folder');
    const lock: StateLock = {
      release: async () => undefined,
      notice: null,
      check: async () => ({ held: false, error: lost }),
    };
    const { app, agents, locks } = setup(undefined, async () => lock);
    await app.start();
    const before = await app.handlers.getSettings();
    // Act: the agent asks the lock, as before each look at the log, and stops
    const asked = await locks[0]!.check?.();
    agents[0]!.fail({ ...toErrorData(lost), at: '2026-12-05T19:00:00.000Z' });
    // Assess
    expect(asked).toEqual({ held: false, error: lost });
    await expect(app.handlers.saveSettings({ ...before, host: 'other-pc' })).rejects.toMatchObject({
      code: 'AGENT_LOCK_LOST',
    });
    await expect(app.handlers.getSettings()).resolves.toEqual(before);
  });

  it('saving valid settings restarts the agent on them; invalid ones change nothing', async () => {
    const { app, agents, opened } = setup();
    await app.start();
    const current = await app.handlers.getSettings();
    const bad = await app.handlers.saveSettings({ ...current, host: '' });
    expect(bad).toMatchObject({ ok: false, errors: [{ field: 'host' }] });
    expect(agents).toHaveLength(1);
    const next = { ...current, schedule: { kind: 'interval' as const, minutes: 90 } };
    await expect(app.handlers.saveSettings(next)).resolves.toEqual({ ok: true, settings: next });
    expect(agents[0]!.calls.at(-1)).toBe('stop');
    expect(opened.at(-1)).toEqual(next);
    await expect(app.handlers.getSettings()).resolves.toEqual(next);
  });

  it('settings.json replaced by another writer (deploy) restarts the agent on it and pushes it; a same-content rewrite or a broken file changes nothing', async () => {
    const { app, agents, opened, settingsErrors } = setup();
    const pushed: Settings[] = [];
    app.events.on('settings', (s) => pushed.push(s));
    await app.start();
    const before = await app.handlers.getSettings();
    const deployed: Settings = {
      ...before,
      target: { kind: 's3', bucket: 'gpuz-cloud-dev-raw-123456789012', region: 'eu-central-1' },
    };
    // What `gpuz-cloud deploy` does while the app runs: its own store, an atomic replace.
    const cli = createSettingsStore({ stateDir: dir, defaults: before });
    await cli.save(deployed);
    await vi.waitFor(() => expect(agents).toHaveLength(2));
    expect(agents[0]!.calls.at(-1)).toBe('stop');
    expect(opened.at(-1)).toEqual(deployed);
    expect(pushed).toEqual([deployed]);
    await expect(app.handlers.getSettings()).resolves.toEqual(deployed);

    await cli.save(deployed);
    await new Promise((done) => setTimeout(done, 500));
    expect(agents).toHaveLength(2);
    await writeFile(join(dir, SETTINGS_FILE), '{ half a file');
    await vi.waitFor(() => expect(settingsErrors).toHaveLength(1));
    // …with advice for a running agent: `gpuz-cloud repair` (a start's advice) refuses while it holds the folder
    expect(settingsErrors[0]).toMatchObject({
      code: 'SETTINGS_UNREADABLE',
      advice: expect.stringMatching(
        /^The agent runs on the settings in use\. .*press Save in the Settings view/,
      ),
    });
    expect(agents).toHaveLength(2);
    await expect(app.handlers.getSettings()).resolves.toEqual(deployed);
  });

  /** A started app whose settings (a deployed stack's) were saved from the UI, and their file change seen. */
  async function startDeployed() {
    const started = setup();
    await started.app.start();
    const deployed: Settings = {
      ...(await started.app.handlers.getSettings()),
      target: { kind: 's3', bucket: 'gpuz-cloud-dev-raw-123456789012', region: 'eu-central-1' },
    };
    await started.app.handlers.saveSettings(deployed);
    await new Promise((done) => setTimeout(done, 500));
    return { ...started, deployed };
  }

  it('the settings in use saved again over a hand edit that broke the file: mended, the edit kept beside, and the agent goes on without a restart', async () => {
    // Arrange
    const { app, agents, settingsErrors, deployed } = await startDeployed();
    await writeFile(join(dir, SETTINGS_FILE), '{ half a file');
    await vi.waitFor(() => expect(settingsErrors).toHaveLength(1));
    const { savedOn: _, ...form } = await app.handlers.getSettings(); // what the Settings view sends
    // Act
    const result = await app.handlers.saveSettings(form);
    // Assess: before, every save restarted the agent, which sealed and sent its open batch (lived: "Uploaded 1
    // batch, 926 rows" after pressing Save on the settings in use)
    expect(result).toEqual({ ok: true, settings: deployed, unchanged: true });
    expect(agents).toHaveLength(2);
    expect(agents[1]!.calls).not.toContain('stop');
    await vi.waitFor(() => expect(agents[1]!.calls).toContain('note:SETTINGS_MENDED'), { timeout: 3000 });
    const aside = (await readdir(dir)).find((f) => f.startsWith(`${SETTINGS_FILE}.damaged-`));
    expect(await readFile(join(dir, aside!), 'utf8')).toBe('{ half a file');
    // …and a change is still a restart
    await expect(app.handlers.saveSettings({ ...form, host: 'renamed-pc' })).resolves.not.toHaveProperty(
      'unchanged',
    );
    expect(agents).toHaveLength(3);
  });

  it('settings.json made unreadable while the app runs (a folder in its place): said, and the agent runs on with the settings in use', async () => {
    // Arrange
    const { app, agents, opened, settingsErrors, deployed } = await startDeployed();
    const saved = await readFile(join(dir, SETTINGS_FILE), 'utf8');
    // Act
    await rm(join(dir, SETTINGS_FILE));
    await mkdir(join(dir, SETTINGS_FILE));
    // Assess: before, a file that could not be read counted as none, and the agent restarted on a fresh install's
    // defaults without a word (lived with `gpuz-cloud agent`: another log, the local folder in place of the store)
    await vi.waitFor(() => expect(settingsErrors).toHaveLength(1), { timeout: 3000 });
    expect(settingsErrors[0]).toMatchObject({
      code: 'SETTINGS_UNREADABLE',
      message: expect.stringMatching(/settings\.json cannot be read \(EISDIR\)/),
    });
    expect(agents).toHaveLength(2);
    expect(agents[1]!.calls).toContain('note:SETTINGS_UNREADABLE'); // the Overview says it, not only a terminal
    expect(opened.at(-1)).toEqual(deployed);
    await expect(app.handlers.getSettings()).resolves.toEqual(deployed);
    // …and once the file is mended with the settings in use, the same agent says so (its note stood before)
    await rm(join(dir, SETTINGS_FILE), { recursive: true });
    await writeFile(join(dir, SETTINGS_FILE), saved);
    await vi.waitFor(() => expect(agents[1]!.calls).toContain('note:SETTINGS_MENDED'), { timeout: 3000 });
    expect(agents).toHaveLength(2);
  });

  it.each([
    { deleted: 'settings.json', remove: (d: string) => rm(join(d, SETTINGS_FILE)) },
    { deleted: 'the whole state folder', remove: (d: string) => rm(d, { recursive: true }) },
  ])(
    '$deleted deleted while the app runs: the settings in use are written back and said, the agent runs on',
    async ({ remove }) => {
      // Arrange
      const { app, agents, opened, deployed } = await startDeployed();
      const saved = await readFile(join(dir, SETTINGS_FILE), 'utf8');
      // Act
      await remove(dir);
      // Assess: before, the agent restarted on a fresh install's defaults (a local folder in place of the bucket)
      await vi.waitFor(() => expect(agents.at(-1)!.calls).toContain('note:SETTINGS_RESTORED'), {
        timeout: 3000,
      });
      expect(await readFile(join(dir, SETTINGS_FILE), 'utf8')).toBe(saved);
      expect(agents).toHaveLength(2);
      expect(opened.at(-1)).toEqual(deployed);
      await expect(app.handlers.getSettings()).resolves.toEqual(deployed);
      // Still watched after the folder was made again: a deploy's replace is taken up
      const redeployed: Settings = { ...deployed, host: 'renamed-pc' };
      await createSettingsStore({ stateDir: dir, defaults: deployed }).save(redeployed);
      await vi.waitFor(() => expect(opened.at(-1)).toEqual(redeployed));
    },
  );

  it('a pause stands for every agent the app opens until Resume: after a settings save, and after a restart of the app', async () => {
    // Arrange
    const pauseState = memoryPauseState();
    const first = setup(undefined, undefined, pauseState);
    await first.app.start();
    await first.app.handlers.pause();
    // Act: a settings save (the agent is replaced), then the app started again
    const before = await first.app.handlers.getSettings();
    await first.app.handlers.saveSettings({ ...before, host: 'renamed-pc' });
    const afterSave = await first.app.handlers.getStatus();
    await first.app.stop();
    const second = setup(undefined, undefined, pauseState);
    await second.app.start();
    const afterStart = await second.app.handlers.getStatus();
    await second.app.handlers.resume();
    // Assess: before, both resumed uploads without a word
    expect(first.agents[1]!.calls.slice(0, 2)).toEqual(['pause', 'start']);
    expect(afterSave.state).toBe('paused');
    expect(afterStart.state).toBe('paused');
    expect(second.agents[0]!.calls).toEqual(['pause', 'start', 'note:UPLOADS_PAUSED', 'resume']);
    expect(first.agents[1]!.calls).not.toContain('note:UPLOADS_PAUSED');
    expect(await pauseState.load()).toBeNull();
  });

  it('a pause pressed while the agent is replaced (a settings save) reaches the new agent', async () => {
    const { app, agents } = setup();
    await app.start();
    const before = await app.handlers.getSettings();
    const saving = app.handlers.saveSettings({ ...before, host: 'renamed-pc' });
    const pausing = app.handlers.pause();
    await Promise.all([saving, pausing]);
    expect(agents).toHaveLength(2);
    expect((await app.handlers.getStatus()).state).toBe('paused');
  });

  it('Pause then Resume pressed at once ends resumed on disk too', async () => {
    const pauseState = createPauseState(join(dir, PAUSE_FILE));
    const { app } = setup(undefined, undefined, pauseState);
    await app.start();
    await Promise.all([
      app.handlers.pause(),
      app.handlers.resume(),
      app.handlers.pause(),
      app.handlers.resume(),
    ]);
    expect((await app.handlers.getStatus()).state).toBe('watching');
    expect(await pauseState.load()).toBeNull();
  });

  it('a fresh install (no settings.json) is not given one by a change in its folder', async () => {
    const { app, agents } = setup();
    await app.start();
    await writeFile(join(dir, 'other.json'), '{}');
    await new Promise((done) => setTimeout(done, 500));
    await expect(readFile(join(dir, SETTINGS_FILE))).rejects.toMatchObject({ code: 'ENOENT' });
    expect(agents).toHaveLength(1);
  });

  it('a save from the UI pushes the settings once and is not restarted again by its own file change', async () => {
    const { app, agents } = setup();
    const pushed: Settings[] = [];
    app.events.on('settings', (s) => pushed.push(s));
    await app.start();
    const next = { ...(await app.handlers.getSettings()), host: 'second-pc' };
    await app.handlers.saveSettings(next);
    await new Promise((done) => setTimeout(done, 500));
    expect(agents).toHaveLength(2);
    expect(pushed).toEqual([next]);
  });

  it("lists this PC's live sensors when the store cannot be read and none of it is kept (a start without network); another host's error stands", async () => {
    const { app, data } = setup();
    const unread = new AppError(
      'STORE_UNREACHABLE',
      'The stored copy could not be read (connect ECONNREFUSED 127.0.0.1:9), and this PC has kept none of it from earlier views.',
    );
    data.listSensors = () => Promise.reject(unread);
    await app.start();
    await expect(app.handlers.listSensors()).resolves.toEqual([
      { key: 'gpu_temperature_c', name: 'GPU Temperature', unit: '°C' },
    ]);
    await expect(app.handlers.listSensors({ host: 'laptop' })).rejects.toBe(unread);
  });

  it('merges live and stored sensors, and answers cost queries from the cost model', async () => {
    const { app } = setup();
    await app.start();
    await expect(app.handlers.listSensors()).resolves.toEqual([
      { key: 'gpu_temperature_c', name: 'GPU Temperature', unit: '°C' },
      { key: 'board_power_draw_w', name: 'Board Power Draw', unit: 'W' },
    ]);
    const cost = await app.handlers.estimateCost({ regime: 'legacy' });
    expect(cost.intervalMinutes).toBe(60);
    const put = cost.services.find((s) => s.service.startsWith('S3 PUT'))!;
    expect(put.allowance).toBe(2000);
    expect(cost.putClassRequests).toBe(put.monthly);
    expect(cost.smallestSafeIntervalMinutes).toBeGreaterThanOrEqual(45);
    // Nothing stored before this month: storage counts this month's uploads only.
    expect(cost).toMatchObject({ historyMonths: 0, storedSince: null });
    await expect(app.handlers.queryChart({ from: 10, to: 5, keys: [] })).rejects.toMatchObject({
      code: 'BAD_RANGE',
    });
  });

  it("prices the month's storage with the months this PC's readings are stored since (objects never expire)", async () => {
    const { app, data } = setup();
    const since = Date.now() - 365 * 86_400_000;
    const hosts: string[] = [];
    data.extent = async (host) => {
      hosts.push(host);
      return { first: since, last: Date.now() };
    };
    data.storedDays = async () => 335;
    await app.start();
    const year = await app.handlers.estimateCost({});
    expect(year.storedSince).toBe(since);
    expect(year.historyMonths).toBe(11.01); // 335 days
    expect(hosts).toEqual([thisPcHost()]);
    // A store that cannot be read: priced as a first month, not refused.
    data.extent = () => Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:9'));
    const unread = await app.handlers.estimateCost({});
    expect(unread).toMatchObject({ historyMonths: 0, storedSince: null });
    expect(year.monthlyUsd).toBeGreaterThan(unread.monthlyUsd);
  });

  it("counts another PC's stored year though this PC is new (storage is the bucket's, not this PC's)", async () => {
    const { app, data } = setup();
    const since = Date.now() - 365 * 86_400_000;
    data.hosts = async () => ['laptop'];
    data.extent = async (host) =>
      host === 'laptop' ? { first: since, last: Date.now() } : { first: null, last: null };
    data.storedDays = async (host, before) => {
      expect(before).toBe(Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1));
      return host === 'laptop' ? 365 : 0;
    };
    await app.start();
    const cost = await app.handlers.estimateCost({});
    expect(cost.hosts).toBe(2);
    expect(cost.storedSince).toBe(since);
    // A year for the laptop, none for this PC: half a year per host.
    expect(cost.historyMonths).toBe(6);
  });

  it('prices the hours GPU-Z logged a day lately, not around the clock, and says what around the clock costs', async () => {
    const { app, data } = setup();
    const now = new Date();
    const days: number[] = [];
    // 3 h a day of 560-byte rows (the model's width: this fake agent has read too few rows to measure its own).
    data.loggedBytes = async (_host, today) => {
      days.push(today);
      return { days: 12, bytes: 12 * 3 * 3600 * 560 };
    };
    await app.start();
    const measured = await app.handlers.estimateCost({});
    data.loggedBytes = async () => null;
    const unmeasured = await app.handlers.estimateCost({});
    // This PC's date, as the keys name days.
    expect(days).toEqual([Date.UTC(now.getFullYear(), now.getMonth(), now.getDate())]);
    expect(measured.logging).toMatchObject({ hoursPerDay: 3, days: 12, bytesPerDay: 3 * 3600 * 560 });
    // Hourly: 3 batches a day, not 24; the month around the clock is the unmeasured one.
    const monthDays = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 0)).getUTCDate();
    expect(measured.putClassParts.batches).toBe(3 * monthDays);
    expect(unmeasured.putClassParts.batches).toBe(24 * monthDays);
    expect(unmeasured.logging).toBeNull();
    expect(measured.logging!.aroundTheClockUsd).toBeCloseTo(unmeasured.monthlyUsd, 10);
    expect(measured.monthlyUsd).toBeLessThan(unmeasured.monthlyUsd / 3);
  });

  async function useS3(app: ReturnType<typeof setup>['app']): Promise<Settings> {
    const s3: Settings = {
      ...(await app.handlers.getSettings()),
      target: { kind: 's3', bucket: 'my-gpuz-raw', region: 'eu-central-1', profile: 'home' },
    };
    await expect(app.handlers.saveSettings(s3)).resolves.toMatchObject({ ok: true });
    return s3;
  }

  it('saved access keys reopen an S3 runtime with them; getSettings and replies never carry the secret', async () => {
    const { app, agents, opened } = setup();
    await app.start();
    const s3 = await useS3(app);
    expect(opened.at(-1)).toEqual(s3);
    const saved = await app.handlers.saveAccessKeys({ accessKeyId: ID, secretAccessKey: SECRET });
    expect(saved).toEqual({ ok: true, status: { stored: true, accessKeyIdLast4: 'MPLE' } });
    expect(agents).toHaveLength(3);
    expect(agents[1]!.calls.at(-1)).toBe('stop');
    const target = opened.at(-1)!.target;
    expect(target.kind === 's3' && target.accessKeys?.secretAccessKey).toBe(SECRET);
    await expect(app.handlers.getSettings()).resolves.toEqual(s3);
    await expect(app.handlers.getAccessKeys()).resolves.toEqual({ stored: true, accessKeyIdLast4: 'MPLE' });
    // A settings save keeps using the stored keys.
    await app.handlers.saveSettings({ ...s3, host: 'gaming-pc' });
    expect(JSON.stringify(opened.at(-1))).not.toContain(SECRET);
    expect((opened.at(-1)!.target as { accessKeys?: unknown }).accessKeys).toBeDefined();
    await expect(app.handlers.forgetAccessKeys()).resolves.toEqual({ stored: false });
    expect(agents).toHaveLength(5);
    expect(opened.at(-1)).toEqual({ ...s3, host: 'gaming-pc' });
  });

  it('a local target keeps running when keys are saved; invalid keys change nothing', async () => {
    const { app, agents } = setup();
    await app.start();
    const bad = await app.handlers.saveAccessKeys({ accessKeyId: 'AKIA', secretAccessKey: SECRET });
    expect(bad).toMatchObject({ ok: false, errors: [{ field: 'accessKeys.accessKeyId' }] });
    await expect(
      app.handlers.saveAccessKeys({ accessKeyId: ID, secretAccessKey: SECRET }),
    ).resolves.toMatchObject({ ok: true });
    expect(agents).toHaveLength(1);
    expect(agents[0]!.calls).toEqual(['start']);
  });

  it('headless: saving keys is refused with advice and the runtime is not touched', async () => {
    const { app, agents } = setup(createHeadlessVault());
    await app.start();
    await useS3(app);
    await expect(
      app.handlers.saveAccessKeys({ accessKeyId: ID, secretAccessKey: SECRET }),
    ).rejects.toMatchObject({ code: 'SECRETS_HEADLESS', advice: expect.stringMatching(/named profile/) });
    expect(agents).toHaveLength(2);
    await expect(app.handlers.getAccessKeys()).resolves.toMatchObject({
      stored: false,
      unavailable: { code: 'SECRETS_HEADLESS' },
    });
  });
});
