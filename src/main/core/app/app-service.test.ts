import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentStatus, Settings } from '../../../shared/contract';
import { createSettingsStore, defaultSettings } from '../settings';
import { createAppService } from './app-service';
import { buildCostView } from './cost-view';
import { createFakeAgent } from './fake-agent.test-support';

describe('app service', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gpuz-app-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  function setup() {
    const agents: ReturnType<typeof createFakeAgent>[] = [];
    const opened: Settings[] = [];
    const live = {
      columns: [{ name: 'GPU Temperature', unit: '°C', key: 'gpu_temperature_c' }],
      rows: [{ t: 1, values: [55] }],
    };
    const app = createAppService({
      settings: createSettingsStore({
        stateDir: dir,
        defaults: defaultSettings(dir, '/logs/GPU-Z Sensor Log.txt'),
      }),
      openRuntime: async (settings) => {
        const fake = createFakeAgent(live);
        agents.push(fake);
        opened.push(settings);
        return {
          agent: fake.agent,
          data: {
            listSensors: async () => [{ key: 'board_power_draw_w', name: 'Board Power Draw', unit: 'W' }],
            extent: async () => ({ first: null, last: null }),
            query: async () => ({ resolution: 'rows', t: [], series: [] }),
          },
        };
      },
      estimateCost: buildCostView,
      detectLogFiles: async () => [],
    });
    return { app, agents, opened };
  }

  it('starts the agent for the saved settings and pushes its status changes', async () => {
    const { app, agents } = setup();
    const states: AgentStatus['state'][] = [];
    app.events.on('status', (s) => states.push(s.state));
    await app.start();
    await expect(app.handlers.pause()).resolves.toMatchObject({ state: 'paused' });
    await expect(app.handlers.resume()).resolves.toMatchObject({ state: 'watching' });
    await app.handlers.retry({ batchId: 'b7' });
    expect(agents[0]!.calls).toEqual(['start', 'retry:b7']);
    expect(states).toEqual(['watching', 'paused', 'watching']);
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
    await expect(app.handlers.queryChart({ from: 10, to: 5, keys: [] })).rejects.toMatchObject({
      code: 'BAD_RANGE',
    });
  });
});
