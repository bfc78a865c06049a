import { budgetIntervalMs, createBudgetSchedule } from './budget-schedule';

describe('createBudgetSchedule', () => {
  it('derives the interval from the budget and what the agent counted this month', () => {
    let now = new Date('2026-01-16T12:00:00Z'); // 15.5 days = 1,339,200 s left in January
    let counted = { month: '2026-01', put: 500, get: 0, list: 100 };
    const schedule = createBudgetSchedule({ putBudget: 2000, clock: () => now });
    const next = () => schedule({ requestsThisMonth: counted });
    // Used: 500 raw PUTs × 2 + 100 LISTs = 1,100 → 900 left → 450 batches → 1,339,200 / 450 = 2,976 s.
    expect(next().intervalMs).toBe(2_976_000);
    // Counters still from December (not reset yet) count as nothing used: 1,000 batches left,
    // 1,339,200 / 1,000 = 1,339.2 s → 1,340 s, above the 5-minute floor.
    counted = { month: '2025-12', put: 999, get: 0, list: 0 };
    expect(next().intervalMs).toBe(1_340_000);
    // Budget used up on 20 January: wait until 1 February.
    now = new Date('2026-01-20T00:00:00Z');
    counted = { month: '2026-01', put: 1000, get: 0, list: 0 };
    const r = next();
    expect(r.exhausted).toBe(true);
    expect(r.intervalMs).toBe(12 * 86_400_000);
  });
});

describe('budgetIntervalMs', () => {
  it('is the schedule’s interval as a function of the agent’s counters', () => {
    const interval = budgetIntervalMs({ putBudget: 2000, clock: () => new Date('2026-01-16T12:00:00Z') });
    expect(interval({ requestsThisMonth: { month: '2026-01', put: 500, list: 100 } })).toBe(2_976_000);
    // More used → fewer batches left → a longer interval.
    expect(interval({ requestsThisMonth: { month: '2026-01', put: 700, list: 100 } })).toBeGreaterThan(
      2_976_000,
    );
  });
});
