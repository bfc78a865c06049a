import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeDayRollups } from '../../../shared/process/day-rollups';
import { SAMPLES_DIR } from '../../../test-support/services';
import { createLocalStore } from '../store/local';
import { createLocalProcessor } from './local-processor';

/**
 * A run killed after its batches were processed but before the day documents were written (they wait for a quiet
 * spell), with no later batch of those days: the next run writes them (processor.heal, at start), equal to what an
 * uninterrupted run wrote; a day whose document is current is left as it is.
 */
const BM1 = join(SAMPLES_DIR, 'gpuz', 'nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt'); // 2026-08-06
const ADA = join(SAMPLES_DIR, 'gpuz', 'nvidia-ada-pwrsrc-gpuz-2024.txt'); // 2024-04-20
const TURING = join(SAMPLES_DIR, 'gpuz', 'nvidia-turing-usbc-gpuz-2023-trunc2mb.txt');

describe('day documents a kill left behind (local store)', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gpuz-heal-'));
  });
  afterEach(async () => rm(dir, { recursive: true, force: true }));

  const process = async (
    processor: ReturnType<typeof createLocalProcessor>,
    store: ReturnType<typeof createLocalStore>,
    key: string,
    path: string,
  ) => {
    const body = await readFile(path);
    const result = await processor.onRawStored(key, store, {
      body,
      size: body.length,
      timeZone: 'Europe/Berlin',
    });
    expect(result.outcome).toBe('processed');
  };
  const documentOf = async (store: ReturnType<typeof createLocalStore>, key: string) => {
    const got = await store.get(key);
    return got ? decodeDayRollups(got.body) : null;
  };

  it('writes the missing and the stale ones at the next run, as an uninterrupted run does, and no other', async () => {
    // The reference: three days processed in one run that ends normally.
    const reference = createLocalStore({ root: join(dir, 'reference') });
    const whole = createLocalProcessor({ timeZone: 'Europe/Berlin' });
    await process(whole, reference, 'raw/pc/2026/08/06/b-0-1.csv', BM1);
    await process(whole, reference, 'raw/pc/2024/04/20/a-0-1.csv', ADA);
    await process(whole, reference, 'raw/pc/2024/04/20/a-1-2.csv', ADA);
    await process(whole, reference, 'raw/pc/2023/10/01/t-0-1.csv', TURING);
    await whole.close();

    // The same batches, in a run killed before its last write: the 6th's document never written, the 20th's written
    // before its second batch (a quiet spell between them), the 1st's complete.
    const store = createLocalStore({ root: join(dir, 'store') });
    const first = createLocalProcessor({ timeZone: 'Europe/Berlin' });
    await process(first, store, 'raw/pc/2024/04/20/a-0-1.csv', ADA);
    await process(first, store, 'raw/pc/2023/10/01/t-0-1.csv', TURING);
    await first.close();
    const killed = createLocalProcessor({ timeZone: 'Europe/Berlin', dayRollupsDelayMs: 3_600_000 });
    await process(killed, store, 'raw/pc/2026/08/06/b-0-1.csv', BM1);
    await process(killed, store, 'raw/pc/2024/04/20/a-1-2.csv', ADA);
    // (no close: killed)
    expect(await documentOf(store, 'rollups/pc/2026/08/06.json.gz')).toBeNull();
    expect((await documentOf(store, 'rollups/pc/2024/04/20.json.gz'))!.batches).toHaveLength(1);
    const current = join(dir, 'store', 'rollups/pc/2023/10/01.json.gz');
    const currentAt = (await stat(current)).mtimeMs;

    // The next run has nothing new to send: only the heal writes.
    const next = createLocalProcessor({ timeZone: 'Europe/Berlin' });
    next.heal(store);
    await next.close();
    for (const day of ['2026/08/06', '2024/04/20', '2023/10/01']) {
      const key = `rollups/pc/${day}.json.gz`;
      expect(await documentOf(store, key)).toEqual(await documentOf(reference, key));
    }
    expect((await stat(current)).mtimeMs).toBe(currentAt); // current: not written again
  });
});
