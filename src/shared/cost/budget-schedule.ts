/**
 * A monthly PUT budget turned into the upload agent's next interval, from the agent's own counters.
 *
 *   const next = createBudgetSchedule({ putBudget: 2000, clock: () => new Date() })
 *   next(agentCounters) → { intervalMs: 2_765_000, exhausted: false, … }
 *     (1 Jan, nothing used: 2,000 − 31 days × 2 for the day seal = 1,938 → 969 batches → 2,765 s)
 *
 * The agent calls it at every check with its own counters (`budgetIntervalMs` is the agent's `intervalMs`).
 * Counters from another month (the agent resets them at the month change) count as nothing used. The Lambda's day
 * seal (LIST + PUT once a day) is not in the agent's counters: the whole month's is kept back from the start.
 */
import { type AdaptiveInterval, adaptiveIntervalMs, daysInMonth, putClassUsedFromCounters } from './interval';
import { DAY_SEAL_PUT_CLASS } from './usage';

export interface BudgetScheduleOptions {
  putBudget: number;
  /** Raw + processed (+1 with latest.json.gz). */
  putsPerBatch?: number;
  /** PUT-class requests kept back for the dashboard's LISTs for the rest of the month. */
  listsReserve?: number;
  /** PUT-class requests the Lambda makes per day whatever the interval: the day seal's LIST + PUT (the default). */
  putsPerDay?: number;
  floorMs?: number;
  clock: () => Date;
}

/** The agent's counters: `requestsThisMonth` is { month: 'YYYY-MM', put, get, list }. */
export interface MonthCounters {
  requestsThisMonth: { month: string; put: number; list: number };
}

export function createBudgetSchedule(
  options: BudgetScheduleOptions,
): (counters: MonthCounters) => AdaptiveInterval {
  const putsPerBatch = options.putsPerBatch ?? 2;
  return (counters) => {
    const now = options.clock();
    const counted = counters.requestsThisMonth;
    const current = counted.month === now.toISOString().slice(0, 7);
    return adaptiveIntervalMs({
      putBudget: options.putBudget,
      putsPerBatch,
      now,
      usedThisMonth: current ? putClassUsedFromCounters(counted, putsPerBatch) : 0,
      listsReserve:
        (options.listsReserve ?? 0) + (options.putsPerDay ?? DAY_SEAL_PUT_CLASS) * daysInMonth(now),
      ...(options.floorMs !== undefined ? { floorMs: options.floorMs } : {}),
    });
  };
}

/** Just the interval, for the agent's `intervalMs`: budgetIntervalMs({ putBudget: 2000, clock })(counters) → ms. */
export function budgetIntervalMs(options: BudgetScheduleOptions): (counters: MonthCounters) => number {
  const next = createBudgetSchedule(options);
  return (counters) => next(counters).intervalMs;
}
