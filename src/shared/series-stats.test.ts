import { createStats } from './process/stats';
import { statsOf } from './series-stats';

describe('statsOf', () => {
  it('skips nulls and rounds the average to four decimals', () => {
    expect(statsOf([3, null, 5])).toEqual({ min: 3, max: 5, avg: 4, count: 2 });
    expect(statsOf([1, 2, 2])).toEqual({ min: 1, max: 2, avg: 1.6667, count: 3 });
    expect(statsOf([null, null])).toEqual({ min: null, max: null, avg: null, count: 0 });
    expect(statsOf([])).toEqual({ min: null, max: null, avg: null, count: 0 });
  });

  it('counts as the processor does (one function for summaries, charts, sessions and tiles)', () => {
    const values = [0.825, 0.8313, null, 0.85, 0.8187];
    const running = createStats();
    for (const value of values) running.add(value);
    expect(statsOf(values)).toEqual(running.result());
  });
});
