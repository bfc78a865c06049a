import { budgetIntervalMs, createBudgetSchedule } from './budget-schedule';

describe('createBudgetSchedule', () => {
  it('derives the interval from the budget and what the agent counted this month', () => {
    let now = new Date('2026-01-16T12:00:00Z'); // 15.5 days = 1,339,200 s left in January
    let counted = { month: '2026-01', put: 500, get: 0, list: 100 };
    const schedule = createBudgetSchedule({ putBudget: 2000, clock: () => now });
    const next = () => schedule({ requestsThisMonth: counted });
    // Used: 500 raw PUTs × 2 + 100 LISTs = 1,100, and January's 31 day seals × 2 = 62 kept back → 838 left
    // → 419 batches → 1,339,200 / 419 = 3,196.2 s → 3,197 s.
    expect(next().intervalMs).toBe(3_197_000);
    // Counters still from December (not reset yet) count as nothing used: (2,000 − 62) / 2 = 969 batches left,
    // 1,339,200 / 969 = 1,382.04 s → 1,383 s, above the 5-minute floor.
    counted = { month: '2025-12', put: 999, get: 0, list: 0 };
    expect(next().intervalMs).toBe(1_383_000);
    // Budget used up on 20 January: wait until 1 February.
    now = new Date('2026-01-20T00:00:00Z');
    counted = { month: '2026-01', put: 1000, get: 0, list: 0 };
    const r = next();
    expect(r.exhausted).toBe(true);
    expect(r.intervalMs).toBe(12 * 86_400_000);
  });

  it("keeps the whole month's day seals back: without them (putsPerDay 0) 450 batches are left, not 419", () => {
    // Prepare
    const counters = { requestsThisMonth: { month: '2026-01', put: 500, list: 100 } };
    const clock = () => new Date('2026-01-16T12:00:00Z');
    // Act
    const interval = createBudgetSchedule({ putBudget: 2000, putsPerDay: 0, clock })(counters);
    // Assess: 900 left → 450 batches → 1,339,200 / 450 = 2,976 s.
    expect(interval).toMatchObject({ batchesLeft: 450, intervalMs: 2_976_000 });
  });
});

describe('budgetIntervalMs', () => {
  it('is the schedule’s interval as a function of the agent’s counters', () => {
    const interval = budgetIntervalMs({ putBudget: 2000, clock: () => new Date('2026-01-16T12:00:00Z') });
    expect(interval({ requestsThisMonth: { month: '2026-01', put: 500, list: 100 } })).toBe(3_197_000);
    // More used → fewer batches left → a longer interval.
    expect(interval({ requestsThisMonth: { month: '2026-01', put: 700, list: 100 } })).toBeGreaterThan(
      3_197_000,
    );
  });
});
