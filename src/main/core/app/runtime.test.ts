import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Settings, TargetSettings } from '../../../shared/contract';
import { targetId } from '../data/cache-folders';
import { createCountingStore } from '../data/memory-store.test-support';
import type { Store } from '../store/types';
import { createFakeAgent } from './fake-agent.test-support';
import { openRuntimeWith, type RuntimeParts } from './runtime';

describe('openRuntimeWith', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gpuz-runtime-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const settings = (target: TargetSettings): Settings => ({
    logPath: '/logs/GPU-Z Sensor Log.txt',
    target,
    schedule: { kind: 'interval', minutes: 60 },
    compression: 'gzip',
    host: 'pc',
    timeZone: 'Europe/Berlin',
  });

  function parts() {
    const stores: { role: string; store: Store }[] = [];
    const processed: string[] = [];
    const agentDeps: Parameters<RuntimeParts['createAgent']>[1][] = [];
    const value: RuntimeParts = {
      createStore: (_target, role) => {
        const store = createCountingStore();
        stores.push({ role, store });
        return store;
      },
      createAgent: (_settings, deps) => {
        agentDeps.push(deps);
        return createFakeAgent().agent;
      },
      createLocalProcessor: ({ timeZone }) => ({
        onRawStored: async (key) => {
          processed.push(`${timeZone}:${key}`);
        },
      }),
    };
    return { value, stores, processed, agentDeps };
  }

  it('a local target processes each stored raw batch in-process and reads charts from the same store', async () => {
    const p = parts();
    const runtime = openRuntimeWith(p.value, settings({ kind: 'local', dir: '/data/store' }), {
      stateDir: dir,
      agentVersion: 'test',
    });
    expect(p.stores.map((s) => s.role)).toEqual(['raw']);
    await p.agentDeps[0]!.onRawStored!('raw/pc/2024/04/20/b.csv.gz', p.stores[0]!.store, {
      body: Buffer.from('log'),
      size: 3,
      timeZone: 'Europe/Berlin',
    });
    expect(p.processed).toEqual(['Europe/Berlin:raw/pc/2024/04/20/b.csv.gz']);
    await expect(runtime.data.extent('pc')).resolves.toEqual({ first: null, last: null });
    expect((p.stores[0]!.store as ReturnType<typeof createCountingStore>).requests.list).toBe(1);
  });

  it('an S3 target with a separate processed bucket reads charts there, and runs no local processing', async () => {
    const p = parts();
    const target: TargetSettings = {
      kind: 's3',
      bucket: 'raw-b',
      region: 'eu-central-1',
      processedBucket: 'proc-b',
    };
    const runtime = openRuntimeWith(p.value, settings(target), { stateDir: dir, agentVersion: 'test' });
    expect(p.stores.map((s) => s.role)).toEqual(['raw', 'processed']);
    expect(p.agentDeps[0]!.onRawStored).toBeUndefined();
    await runtime.data.extent('pc');
    expect((p.stores[1]!.store as ReturnType<typeof createCountingStore>).requests.list).toBe(1);
    expect((p.stores[0]!.store as ReturnType<typeof createCountingStore>).requests.list).toBe(0);
    expect(targetId(target)).not.toBe(targetId({ ...target, processedBucket: 'other' }));
    expect(await readdir(dir)).toEqual([]);
  });
});
