import { createLiveWindow } from './live-window';
import type { Column, RowEvent } from './parse/types';

const columns: Column[] = [{ name: 'GPU Clock', unit: 'MHz', key: 'gpu_clock_mhz' }];
const row = (t: number): RowEvent => ({ type: 'row', session: 0, line: 1, t, local: '', values: [t] });

describe('live window', () => {
  it('keeps the last N minutes of rows by their own timestamps', () => {
    const live = createLiveWindow({ windowMs: 60_000 });
    live.add(
      Array.from({ length: 120 }, (_, i) => row(i * 1000)),
      columns,
    );
    const { rows } = live.snapshot();
    expect(rows[0]!.t).toBe(59_000);
    expect(rows).toHaveLength(61);
  });

  it('starts over when a new session brings other columns (rows are never read against the wrong columns)', () => {
    const live = createLiveWindow({ windowMs: 60_000 });
    const amd: Column[] = [
      { name: 'GPU Clock', unit: 'MHz', key: 'gpu_clock_mhz' },
      { name: 'GPU Temperature (Hot Spot)', unit: '°C', key: 'hot_spot_c' },
    ];
    const nvidia: Column[] = [{ name: 'Hot Spot', unit: '°C', key: 'hot_spot_c' }];
    live.add([{ t: 1000, values: [1500, 70] }], amd);
    live.add([{ t: 2000, values: [71] }], nvidia);
    expect(live.snapshot()).toEqual({ columns: nvidia, rows: [{ t: 2000, values: [71] }] });
    // The same keys in a new array (each event of the HTTP stream is parsed anew) keep the rows.
    live.add([{ t: 3000, values: [72] }], structuredClone(nvidia));
    expect(live.snapshot().rows.map((r) => r.t)).toEqual([2000, 3000]);
  });

  it('stays bounded when timestamps repeat or go back (a replayed log)', () => {
    const live = createLiveWindow({ windowMs: 60_000 });
    for (let cycle = 0; cycle < 50; cycle++) {
      live.add(
        Array.from({ length: 100 }, (_, i) => row(i * 1000)),
        columns,
      );
    }
    expect(live.snapshot().rows.length).toBeLessThanOrEqual(120);
  });
});
