/**
 * The hosts in a local store: two real samples uploaded by the CLI under two host names (`upload --local
 * --host`), listed with one directory read.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleCli, type CliBundle, runCli } from '../../../test-support/cli-process';
import { SAMPLES_DIR } from '../../../test-support/services';
import { createLocalStore } from '../store/local';
import { decodeProcessed } from './decode-processed';
import { createBatchCache } from './etag-cache';
import { createProcessedData } from './processed-data';

const BM1 = join(SAMPLES_DIR, 'gpuz', 'nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt');
const AMD = join(SAMPLES_DIR, 'gpuz', 'amd-radeon-hbm2-gpuz-2020-12-sessions.txt');

describe('hosts seen in a local store', () => {
  let cli: CliBundle;
  let dir: string;
  beforeAll(async () => {
    cli = await bundleCli();
    dir = mkdtempSync(join(tmpdir(), 'gpuz-hosts-'));
  });
  afterAll(() => {
    cli.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  it('two samples uploaded as two hosts → both listed, sorted, in one LIST; each host charts its own rows', async () => {
    // Prepare
    const root = join(dir, 'store');
    for (const [file, host] of [
      [BM1, 'gaming-pc'],
      [AMD, 'Office Laptop'],
    ] as const) {
      const result = await runCli(cli, [
        'upload',
        '--file',
        file,
        '--local',
        root,
        '--host',
        host,
        '--state-dir',
        join(dir, `state-${host}`),
        '--tz',
        'UTC',
      ]);
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
});
