import { createNumberColumn } from './number-column';
import { createRollupBuilder } from './rollups';

describe('createRollupBuilder', () => {
  it('buckets by minute in time order, with null and 0 where a key has no reading', () => {
    const r = createRollupBuilder();
    const minute = 60_000;
    r.add('a', 2 * minute + 5_000, 3);
    r.add('a', 0, 1);
    r.add('a', 30_000, 2);
    r.add('b', 30_000, null);
    r.add('b', 2 * minute, 7);
    expect(r.result()).toEqual({
      intervalMs: 60_000,
      t: [0, 2 * minute],
      columns: {
        a: { min: [1, 3], max: [2, 3], avg: [1.5, 3], count: [2, 1] },
        b: { min: [null, 7], max: [null, 7], avg: [null, 7], count: [0, 1] },
      },
    });
  });
});

describe('createNumberColumn', () => {
  it('stores numbers and gaps across chunk boundaries', () => {
    const c = createNumberColumn();
    for (let i = 0; i < 40_000; i += 1) c.push(i % 3 === 0 ? null : i / 10);
    expect(c.length).toBe(40_000);
    expect(c.get(0)).toBeNull();
    expect(c.get(16_385)).toBe(1638.5);
    expect(c.get(39_999)).toBeNull();
  });
});
