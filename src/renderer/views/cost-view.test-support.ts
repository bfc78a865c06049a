/** A Costs view answer for the renderer's tests: view({ intervalMinutes: 10 }) and a budget schedule's line. */

import type { CostView } from '../../shared/contract';
import type { BudgetScheduleNow } from '../../shared/cost/budget-schedule';

export const view = (over: Partial<CostView> = {}): CostView => ({
  regime: 'none',
  intervalMinutes: 60,
  monthlyUsd: 0.011,
  billedUsd: 0.011,
  putClassRequests: 1612,
  putClassParts: { uploads: 1440, batches: 720, daySeals: 60, lists: 112, historyLists: 0, other: 0 },
  hosts: 1,
  historyMonths: 0,
  rawExpiryDays: 0,
  analyticsCopy: false,
  storedSince: null,
  logging: null,
  schedule: null,
  services: [
    {
      service: 'S3 PUT/COPY/POST/LIST',
      unit: 'requests',
      monthly: 1612,
      allowance: 0,
      percentUsed: null,
      usd: 0.00806,
    },
    {
      service: 'Lambda duration (arm64, 301 ms)',
      unit: 'GB-seconds',
      monthly: 56.1,
      allowance: 400_000,
      percentUsed: 0.014,
      usd: 0,
    },
  ],
  smallestSafeIntervalMinutes: 48,
  putBudget: 2000,
  awsBilled: true,
  warnings: [],
  pricesAsOf: '2026-11-28',
  ...over,
});

/** A budget of 2,000 at 10 min now, over a fortnight of 3 h evenings the agent saw. */
export const EVENINGS_BUDGET: BudgetScheduleNow = {
  monthlyPuts: 2000,
  intervalMinutes: 10,
  loggedHoursPerDay: 3,
  days: 14,
  usedUpUntil: null,
};
