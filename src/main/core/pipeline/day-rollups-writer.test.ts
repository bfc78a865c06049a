import { decodeDayRollups } from '../../../shared/process/day-rollups';
import { createCountingStore } from '../data/memory-store.test-support';
import { createDayRollupsWriter } from './day-rollups-writer';

const entry = (name: string, day = '20') => ({
  key: `processed/pc/2024/04/${day}/${name}.json.gz`,
  etag: `"${name}"`,
  sessions: [],
  firstT: 0,
  lastT: 0,
  rollups: { intervalMs: 60_000, t: [], columns: {} },
});
const keysIn = async (store: ReturnType<typeof createCountingStore>, day: string) =>
  decodeDayRollups((await store.get(day))!.body).batches.map((b) => b.key.split('/').at(-1));

describe('createDayRollupsWriter', () => {
  it('writes each day once for the entries gathered meanwhile, merged into what the document held', async () => {
    const store = createCountingStore();
    const days = createDayRollupsWriter({ delayMs: 60_000 });
    days.add(store, entry('a'));
    await days.flush();
    for (const name of ['b', 'c', 'd']) days.add(store, entry(name));
    days.add(store, entry('e', '21'));
    days.add(store, { ...entry('x'), key: 'processed/latest.json.gz' }); // not a dated key: no day
    expect(store.requests.put).toBe(1);
    await days.close();
    expect(store.requests.put).toBe(1 + 2);
    expect(await keysIn(store, 'rollups/pc/2024/04/20.json.gz')).toEqual([
      'a.json.gz',
      'b.json.gz',
      'c.json.gz',
      'd.json.gz',
    ]);
    expect(await keysIn(store, 'rollups/pc/2024/04/21.json.gz')).toEqual(['e.json.gz']);
  });

  it('writes on its own after the quiet time; replaces an unreadable document; a failing store loses only the index', async () => {
    const store = createCountingStore();
    await store.put('rollups/pc/2024/04/20.json.gz', Buffer.from('garbage'), {
      contentType: 'application/json',
    });
    const days = createDayRollupsWriter({ delayMs: 10 });
    days.add(store, entry('a'));
    await vi.waitFor(async () =>
      expect(await keysIn(store, 'rollups/pc/2024/04/20.json.gz')).toEqual(['a.json.gz']),
    );

    const failing = { ...store, put: async () => Promise.reject(new Error('disk full')) };
    days.add(failing, entry('b'));
    await expect(days.close()).resolves.toBeUndefined();
  });
});
