/**
 * The hosts in a local store: two real samples uploaded by the CLI under two host names (`upload --local
 * --host`), listed with one directory read; the app's read methods given `host` read that host's objects.
 */

import { join } from 'node:path';
import { useBundledCli } from '../../../test-support/bundled-cli';
import { uploadAsHost } from '../../../test-support/cli-process';
import { sampleFigures } from '../../../test-support/sample-figures';
import { SAMPLES_DIR } from '../../../test-support/services';
import { createAppService } from '../app/app-service';
import { buildCostView } from '../app/cost-view';
import { createFakeAgent } from '../app/fake-agent.test-support';
import { createMemoryVault } from '../secret-vault.test-support';
import { createSettingsStore, defaultSettings } from '../settings';
import { createLocalStore } from '../store/local';
import { decodeProcessed } from './decode-processed';
import { createBatchCache } from './etag-cache';
import { createProcessedData } from './processed-data';

const BM1 = join(SAMPLES_DIR, 'gpuz', 'nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt');
const AMD = join(SAMPLES_DIR, 'gpuz', 'amd-radeon-hbm2-gpuz-2020-12-sessions.txt');

describe('hosts seen in a local store', () => {
  const { dir, cli } = useBundledCli('gpuz-hosts-');

  it('two samples uploaded as two hosts → both listed, sorted, in one LIST; each host charts its own rows', async () => {
    // Prepare
    const root = join(dir, 'store');
    for (const [file, host] of [
      [BM1, 'gaming-pc'],
      [AMD, 'Office Laptop'],
    ] as const) {
      const result = await uploadAsHost(cli, {
        file,
        store: root,
        host,
        stateDir: join(dir, `state-${host}`),
      });
      expect(result.code, result.stderr).toBe(0);
    }
    const store = createLocalStore({ root });
    const data = createProcessedData({
      store,
      cache: createBatchCache({ store, dir: join(dir, 'cache'), decode: decodeProcessed }),
    });
    const listsBefore = store.requests.list;
    // Act
    const hosts = await data.hosts();
    // Assess: host names as the keys carry them (normalised), one request
    expect(hosts).toEqual(['gaming-pc', 'office-laptop']);
    expect(store.requests.list - listsBefore).toBe(1);
    const [gaming, laptop] = await Promise.all(hosts.map((host) => data.extent(host)));
    expect(gaming!.first).not.toBe(laptop!.first);
  });

  it('an empty store (no processed/ folder yet) lists no host', async () => {
    const store = createLocalStore({ root: join(dir, 'empty') });
    expect(await store.listFolders('processed/')).toEqual([]);
  });

  it("queryChart, getDataExtent and listSensors with `host` read that host's processed objects", async () => {
    // Prepare: the store of the first test (bm1 as gaming-pc, the AMD sample as office-laptop); this PC is
    // gaming-pc, its live window holds one bm1 column
    const root = join(dir, 'store');
    const store = createLocalStore({ root });
    const data = createProcessedData({
      store,
      cache: createBatchCache({ store, dir: join(dir, 'cache-app'), decode: decodeProcessed }),
    });
    const stateDir = join(dir, 'app');
    const app = createAppService({
      settings: createSettingsStore({
        stateDir,
        defaults: {
          ...defaultSettings(stateDir, BM1),
          host: 'gaming-pc',
          target: { kind: 'local', dir: root },
        },
      }),
      secrets: createMemoryVault().vault,
      openRuntime: async () => ({
        agent: createFakeAgent({
          columns: [{ name: 'Live Only', unit: 'x', key: 'live_only_x' }],
          rows: [{ t: 1, values: [1] }],
        }).agent,
        data,
      }),
      estimateCost: buildCostView,
      detectLogFiles: async () => [],
      onSettingsError: () => undefined,
    });
    await app.start();
    try {
      const amd = sampleFigures(AMD, 'gpu_temperature_c');
      // Act
      const extent = await app.handlers.getDataExtent({ host: 'office-laptop' });
      const own = await app.handlers.getDataExtent();
      const sensors = await app.handlers.listSensors({ host: 'office-laptop' });
      const chart = await app.handlers.queryChart({
        from: extent.first!,
        to: extent.last! + 1000,
        keys: ['gpu_temperature_c'],
        host: 'office-laptop',
      });
      // Assess: the laptop's own figures, never this PC's (bm1) or its live columns
      expect(extent).toEqual(await data.extent('office-laptop'));
      expect(own).toEqual(await data.extent('gaming-pc'));
      expect(extent.first).not.toBe(own.first);
      expect(sensors.map((s) => s.key)).toEqual((await data.listSensors('office-laptop')).map((s) => s.key));
      expect(sensors.map((s) => s.key)).not.toContain('live_only_x');
      expect((await app.handlers.listSensors()).map((s) => s.key)).toContain('live_only_x');
      expect(chart.series[0]!.stats.max).toBe(amd.max);
    } finally {
      await app.stop();
    }
  });
});
