import { scheduleOf } from './agent-config';

describe('scheduleOf', () => {
  const month = new Date().toISOString().slice(0, 7);
  const counters = (put: number) =>
    ({ requestsThisMonth: { month, put, get: 0, list: 0 } }) as Parameters<
      NonNullable<ReturnType<typeof scheduleOf>['budgetUsedUpUntil']>
    >[0];

  it('a budget: the interval from the counters, and the month’s change while the budget is used up', () => {
    const { intervalMs, budgetUsedUpUntil } = scheduleOf({ kind: 'budget', monthlyPuts: 2000 });
    const now = new Date();
    const monthEnd = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
    expect(typeof intervalMs).toBe('function');
    expect(budgetUsedUpUntil!(counters(0))).toBeNull();
    // 1,000 raw PUTs (each with its processed PUT) use up 2,000
    expect(budgetUsedUpUntil!(counters(1000))).toBe(monthEnd);
  });

  it('a fixed interval: minutes in ms, no budget', () => {
    expect(scheduleOf({ kind: 'interval', minutes: 45 })).toEqual({ intervalMs: 2_700_000 });
  });
});
