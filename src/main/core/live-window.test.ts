import type { Column, RowEvent } from '../../shared/parse/types';
import { createLiveWindow } from './live-window';

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
