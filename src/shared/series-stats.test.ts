import { statsOf } from './series-stats';

describe('statsOf', () => {
  it('skips nulls and rounds the average to three decimals', () => {
    expect(statsOf([3, null, 5])).toEqual({ min: 3, max: 5, avg: 4, count: 2 });
    expect(statsOf([1, 2, 2])).toEqual({ min: 1, max: 2, avg: 1.667, count: 3 });
    expect(statsOf([null, null])).toEqual({ min: null, max: null, avg: null, count: 0 });
    expect(statsOf([])).toEqual({ min: null, max: null, avg: null, count: 0 });
  });
});
