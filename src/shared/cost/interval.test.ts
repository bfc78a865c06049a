import fc from 'fast-check';
import { estimateMonthlyCost } from './estimate';
import { safeIntervalFor } from './format';
import {
  adaptiveIntervalMs,
  DEFAULT_FLOOR_MS,
  daysInMonth,
  putClassUsedFromCounters,
  smallestIntervalForBudget,
} from './interval';
import { batchesInMonth } from './usage';

describe('smallestIntervalForBudget', () => {
  it.each([
    // 2,000 PUT-class − 2 a day for the day seal, / 2 per batch.
    [28, 42], // (2,000 − 56) / 2 = 972 batches; 28 × 1,440 = 40,320 min / 972 = 41.48 → 42
    [30, 45], // (2,000 − 60) / 2 = 970 batches; 43,200 min / 970 = 44.54 → 45
    [31, 47], // (2,000 − 62) / 2 = 969 batches; 44,640 min / 969 = 46.07 → 47
  ])('%i-day month → %i minutes', (monthDays, minutes) => {
    expect(smallestIntervalForBudget({ putBudget: 2000, monthDays, putsPerBatch: 2 })).toBe(minutes);
  });

  it('47 minutes fits a 31-day month and 46 does not', () => {
    // ceil(44,640 / 47) = 950 batches × 2 + 62 = 1,962 ≤ 2,000; ceil(44,640 / 46) = 971 × 2 + 62 = 2,004 > 2,000.
    expect(batchesInMonth(47 * 60_000, 31) * 2 + 62).toBe(1962);
    expect(batchesInMonth(46 * 60_000, 31) * 2 + 62).toBe(2004);
  });

  it("keeps the day seals' LIST + PUT a day off the budget: without them a 31-day month fits 45 minutes", () => {
    expect(smallestIntervalForBudget({ monthDays: 31, putsPerDay: 0 })).toBe(45); // 44,640 / 1,000 = 44.64
  });

  it("subtracts the dashboard's LISTs first", () => {
    // 2,000 − 124 LISTs − 62 = 1,814 → 907 batches; 44,640 / 907 = 49.22 → 50.
    expect(smallestIntervalForBudget({ monthDays: 31, dashboardListsPerMonth: 124 })).toBe(50);
  });

  it('scales with hosts and PUTs per batch', () => {
    // 3 hosts: 2,000 − 3 × 62 = 1,814, / (3 × 2 PUTs) = 302 batches; 44,640 / 302 = 147.8 → 148.
    expect(smallestIntervalForBudget({ monthDays: 31, hosts: 3 })).toBe(148);
    // latest.json.gz: floor((2,000 − 60) / 3) = 646; 43,200 / 646 = 66.87 → 67.
    expect(smallestIntervalForBudget({ monthDays: 30, putsPerBatch: 3 })).toBe(67);
  });

  it('is Infinity when the LISTs leave no room for one batch, and honours the floor', () => {
    expect(smallestIntervalForBudget({ monthDays: 30, dashboardListsPerMonth: 1999 })).toBe(
      Number.POSITIVE_INFINITY,
    );
    expect(smallestIntervalForBudget({ monthDays: 30, putBudget: 1_000_000, floorMinutes: 5 })).toBe(5);
  });

  it('property: the recommended interval satisfies the budget, and one minute less does not', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 2, max: 200_000 }),
        fc.integer({ min: 28, max: 31 }),
        fc.integer({ min: 2, max: 3 }),
        fc.integer({ min: 1, max: 4 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (putBudget, monthDays, putsPerBatch, hosts, listShare) => {
          const lists = Math.floor(putBudget * listShare);
          const minutes = smallestIntervalForBudget({
            putBudget,
            monthDays,
            putsPerBatch,
            hosts,
            dashboardListsPerMonth: lists,
          });
          const seals = 2 * hosts * monthDays;
          const used = (m: number) =>
            batchesInMonth(m * 60_000, monthDays) * putsPerBatch * hosts + lists + seals;
          if (!Number.isFinite(minutes)) {
            expect(putBudget - lists - seals).toBeLessThan(putsPerBatch * hosts);
            return;
          }
          expect(Number.isInteger(minutes)).toBe(true);
          expect(used(minutes)).toBeLessThanOrEqual(putBudget);
          if (minutes > 1) expect(used(minutes - 1)).toBeGreaterThan(putBudget);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('property: the estimate at the safe interval of any estimate stays within the budget', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 600 }),
        fc.integer({ min: 28, max: 31 }),
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 0, max: 12 }),
        fc.boolean(),
        (minutes, monthDays, hosts, opens, latestJson) => {
          const input = {
            monthDays,
            hosts,
            dashboardOpensPerDay: opens,
            latestJson,
            regime: 'legacy' as const,
          };
          const safe = safeIntervalFor(estimateMonthlyCost({ ...input, intervalMs: minutes * 60_000 }));
          if (!Number.isFinite(safe)) return;
          expect(
            estimateMonthlyCost({ ...input, intervalMs: safe * 60_000 }).putClassRequests,
          ).toBeLessThanOrEqual(2000);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('adaptiveIntervalMs', () => {
  const base = { putBudget: 2000, putsPerBatch: 2, listsReserve: 0 };

  it('at the start of a 31-day month spreads 1,000 batches: 2,678,400 s / 1,000 = 2,678.4 s → 2,679 s', () => {
    // 44.64 minutes, rounded up to the whole second.
    const r = adaptiveIntervalMs({ ...base, now: new Date('2026-01-01T00:00:00Z'), usedThisMonth: 0 });
    expect(r.intervalMs).toBe(2_679_000);
    expect(r.batchesLeft).toBe(1000);
    expect(r.exhausted).toBe(false);
    expect(r.monthEnd.toISOString()).toBe('2026-02-01T00:00:00.000Z');
  });

  it('adapts to what was counted: half the budget used at mid-month keeps the pace, more slows it down', () => {
    const now = new Date('2026-01-16T12:00:00Z'); // 15.5 days = 1,339,200 s left
    // 1,000 used → 500 batches: 1,339,200 / 500 = 2,678.4 s → 2,679 s (the same pace as from day one).
    expect(adaptiveIntervalMs({ ...base, now, usedThisMonth: 1000 }).intervalMs).toBe(2_679_000);
    // 1,500 used → 250 batches: 1,339,200 / 250 = 5,356.8 s → 5,357 s.
    expect(adaptiveIntervalMs({ ...base, now, usedThisMonth: 1500 }).intervalMs).toBe(5_357_000);
    // 100 LISTs reserved: (2,000 − 1,000 − 100) / 2 = 450 batches → 1,339,200 s / 450 = 2,976 s.
    expect(adaptiveIntervalMs({ ...base, now, usedThisMonth: 1000, listsReserve: 100 }).intervalMs).toBe(
      2_976_000,
    );
  });

  it('waits until the month ends with a warning when the budget is used up', () => {
    const now = new Date('2026-02-20T00:00:00Z');
    const r = adaptiveIntervalMs({ ...base, now, usedThisMonth: 1999 });
    expect(r.exhausted).toBe(true);
    expect(r.intervalMs).toBe(9 * 86_400_000); // 20 Feb → 1 Mar
    expect(r.warning).toMatch(/used up .* 2026-03-01T00:00:00.000Z/);
  });

  it('never goes below the floor', () => {
    const r = adaptiveIntervalMs({
      ...base,
      putBudget: 1_000_000,
      now: new Date('2026-01-01Z'),
      usedThisMonth: 0,
    });
    expect(r.intervalMs).toBe(DEFAULT_FLOOR_MS);
  });

  it('property: keeping the interval until month end never exceeds the budget', () => {
    const monthStart = Date.UTC(2026, 0, 1);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 364 * 86_400_000 }),
        fc.integer({ min: 2, max: 50_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (offset, putBudget, usedShare) => {
          const now = new Date(monthStart + offset);
          const usedThisMonth = Math.floor(putBudget * usedShare);
          const r = adaptiveIntervalMs({ putBudget, putsPerBatch: 2, now, usedThisMonth });
          const leftMs = r.monthEnd.getTime() - now.getTime();
          if (r.exhausted) {
            expect(r.intervalMs).toBe(leftMs);
            return;
          }
          expect(usedThisMonth + Math.ceil(leftMs / r.intervalMs) * 2).toBeLessThanOrEqual(putBudget);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('month helpers', () => {
  it('knows month lengths and derives PUT-class use from the agent counters', () => {
    expect(daysInMonth(new Date('2026-02-10Z'))).toBe(28);
    expect(daysInMonth(new Date('2028-02-10Z'))).toBe(29);
    expect(daysInMonth(new Date('2026-11-28Z'))).toBe(30);
    expect(putClassUsedFromCounters({ put: 10, list: 3 }, 2)).toBe(23);
  });
});
