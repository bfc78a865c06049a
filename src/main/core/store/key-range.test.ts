import fc from 'fast-check';
import { folderMayHold, inKeyRange, withinRange } from './key-range';

/** Keys of our layout: processed/{host}/{yyyy}/{mm}/{dd}/{name}. */
const part = (n: number, width: number) => String(n).padStart(width, '0');
const key = fc
  .tuple(
    fc.constantFrom('pc', 'pc2', 'p'),
    fc.integer({ min: 2024, max: 2027 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 31 }),
    fc.stringMatching(/^[a-z0-9-]{1,6}\.json\.gz$/),
  )
  .map(([host, y, m, d, name]) => `processed/${host}/${y}/${part(m, 2)}/${part(d, 2)}/${name}`);
/** A bound as the data layer writes it (a date without its slash), or any key. */
const bound = fc.oneof(
  key,
  key.map((k) => k.slice(0, k.lastIndexOf('/'))),
  key.map((k) => k.slice(0, k.lastIndexOf('/') - 3)),
);
const range = fc.record(
  { startAfter: bound, endBefore: bound, limit: fc.integer({ min: 0, max: 5 }) },
  { requiredKeys: [] },
);

describe('key ranges', () => {
  it('a folder said to hold no key of the range holds none (so a local walk may skip it)', () => {
    fc.assert(
      fc.property(key, range, (k, r) => {
        const segments = k.split('/');
        for (let depth = 1; depth < segments.length; depth++) {
          const folder = `${segments.slice(0, depth).join('/')}/`;
          if (inKeyRange(k, r)) expect(folderMayHold(folder, r)).toBe(true);
        }
      }),
    );
  });

  it('withinRange keeps the sorted keys after startAfter and before endBefore, at most limit of them', () => {
    const keys = ['a/2026/03/03/x', 'a/2026/03/04/x', 'a/2026/03/04/y', 'a/2026/03/05/x'];
    expect(
      withinRange(
        keys.map((k) => ({ key: k })),
        { startAfter: 'a/2026/03/04' },
      ).map((o) => o.key),
    ).toEqual(keys.slice(1));
    expect(
      withinRange(
        keys.map((k) => ({ key: k })),
        { startAfter: 'a/2026/03/03', endBefore: 'a/2026/03/05' },
      ),
    ).toHaveLength(3);
    expect(
      withinRange(
        keys.map((k) => ({ key: k })),
        { limit: 2 },
      ),
    ).toHaveLength(2);
    expect(folderMayHold('a/2026/03/', { startAfter: 'a/2026/04/01' })).toBe(false);
    expect(folderMayHold('a/2026/03/', { startAfter: 'a/2026/03/31' })).toBe(true);
    expect(folderMayHold('a/2026/03/05/', { endBefore: 'a/2026/03/05' })).toBe(false);
  });
});
