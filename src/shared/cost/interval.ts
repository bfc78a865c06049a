/**
 * Batch intervals that keep PUT-class requests (PUT, COPY, POST and LIST) within a monthly budget.
 *
 *   smallestIntervalForBudget({ putBudget: 2000, monthDays: 31 }) → 47
 *     (2,000 − 31 days × 2 for the day seal = 1,938 / 2 PUTs per batch = 969 batches; 44,640 minutes / 969 = 46.07
 *     → rounded up to 47)
 *
 *   adaptiveIntervalMs({ putBudget: 2000, putsPerBatch: 2, now, usedThisMonth: 1000, listsReserve: 0 })
 *   → spreads the 500 batches left over the time left until the end of the (UTC) month.
 */
import { DAY_SEAL_PUT_CLASS } from './usage';

export interface BudgetInput {
  /** PUT-class requests allowed per month (2,000 = the legacy 12-month S3 allowance). */
  putBudget?: number;
  monthDays: number;
  /** PUT-class requests per batch and host: raw + processed (+1 with latest.json.gz). */
  putsPerBatch?: number;
  hosts?: number;
  /** LIST requests the dashboard makes in the month; they are PUT-class and come off the budget first. */
  dashboardListsPerMonth?: number;
  /** PUT-class requests per host and day whatever the interval: the Lambda's day seal (LIST + PUT, the default). */
  putsPerDay?: number;
  /** Never recommend less than this many minutes. */
  floorMinutes?: number;
}

/**
 * The smallest whole number of minutes between batches that keeps the month's PUT-class requests within the
 * budget, counting every started interval as a batch (so it holds whatever the phase of the month).
 * Returns Infinity when the LISTs and day seals alone leave no room for a single batch.
 */
export function smallestIntervalForBudget(input: BudgetInput): number {
  const budget = input.putBudget ?? 2000;
  const hosts = input.hosts ?? 1;
  const perBatch = (input.putsPerBatch ?? 2) * hosts;
  const perMonth = (input.putsPerDay ?? DAY_SEAL_PUT_CLASS) * hosts * input.monthDays;
  const room = budget - (input.dashboardListsPerMonth ?? 0) - perMonth;
  const batches = Math.floor(room / perBatch);
  if (batches < 1) return Number.POSITIVE_INFINITY;
  const monthMinutes = input.monthDays * 1440;
  // ceil(M / I) ≤ B ⟺ I ≥ M / B, so the smallest integer interval is ceil(M / B).
  return Math.max(input.floorMinutes ?? 1, Math.ceil(monthMinutes / batches));
}

/** Days in the UTC calendar month containing `date`: 2026-02-10 → 28. */
export function daysInMonth(date: Date): number {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
}

/** Start of the next UTC calendar month (AWS bills calendar months in UTC). */
export function startOfNextMonth(date: Date): Date {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1));
}

export interface AdaptiveIntervalInput {
  putBudget: number;
  putsPerBatch: number;
  now: Date;
  /** PUT-class requests already made this month (see putClassUsedFromCounters). */
  usedThisMonth: number;
  /** PUT-class requests to keep back for the rest of the month (the dashboard's LISTs). */
  listsReserve?: number;
  /** Never upload more often than this (default 5 minutes). */
  floorMs?: number;
  /**
   * The share of the time left in which rows are expected (0–1, margin included; budget-schedule.ts): batches are
   * spread over it, with one more a day for the part-interval that ends each sitting. Absent: around the clock.
   */
  loggingShare?: number | null;
}

export interface AdaptiveInterval {
  intervalMs: number;
  /** PUT-class requests left after the reserve. */
  remaining: number;
  batchesLeft: number;
  monthEnd: Date;
  /** True when the budget cannot fund one more batch: the next upload waits until the month changes. */
  exhausted: boolean;
  warning?: string;
}

export const DEFAULT_FLOOR_MS = 5 * 60_000;

/**
 * The interval that spreads the budget left over the time left in the month. Recomputed after every batch,
 * it adapts to what was actually counted (retries, manual uploads, a late start in the month).
 */
export function adaptiveIntervalMs(input: AdaptiveIntervalInput): AdaptiveInterval {
  const monthEnd = startOfNextMonth(input.now);
  const leftMs = monthEnd.getTime() - input.now.getTime();
  const remaining = Math.max(0, input.putBudget - input.usedThisMonth - (input.listsReserve ?? 0));
  const batchesLeft = Math.floor(remaining / input.putsPerBatch);
  if (batchesLeft < 1) {
    return {
      intervalMs: leftMs,
      remaining,
      batchesLeft: 0,
      monthEnd,
      exhausted: true,
      warning:
        `The monthly budget of ${input.putBudget} PUT-class requests is used up (${input.usedThisMonth} counted): ` +
        `the next upload waits until ${monthEnd.toISOString()}. Raise --budget to upload sooner.`,
    };
  }
  // Rounded up to the second: a slightly longer interval never breaks the budget.
  const spread = Math.min(
    Math.ceil(leftMs / batchesLeft / 1000) * 1000,
    spreadOverLogging(leftMs, batchesLeft, input.loggingShare),
  );
  return {
    intervalMs: Math.max(input.floorMs ?? DEFAULT_FLOOR_MS, spread),
    remaining,
    batchesLeft,
    monthEnd,
    exhausted: false,
  };
}

/**
 * The interval that spreads `batches` over the logging share of `leftMs`, one batch a day kept back for each sitting's
 * last part-interval (one sitting a day, as the cost model counts; budget-schedule.ts's margin covers a second):
 * 0.25 of 24.4 days with 900 batches → 0.25 × 24.4 d / (900 − 25) = 602 s. Infinity when there is no share, or too few
 * batches for the days left (the around-the-clock spread holds then).
 */
function spreadOverLogging(leftMs: number, batches: number, share: number | null | undefined): number {
  if (share === null || share === undefined || !(share < 1)) return Number.POSITIVE_INFINITY;
  const perBatch = batches - Math.ceil(leftMs / 86_400_000);
  if (perBatch < 1) return Number.POSITIVE_INFINITY;
  return Math.ceil((Math.max(0, share) * leftMs) / perBatch / 1000) * 1000;
}

/**
 * PUT-class requests this month from the agent's own counters: each raw PUT triggers the Lambda's processed
 * PUT (and latest.json.gz when enabled), which the agent cannot see: { put: 10, list: 3 }, 2 → 10 × 2 + 3 = 23.
 */
export function putClassUsedFromCounters(
  counters: { put: number; list: number },
  putsPerBatch: number,
): number {
  return counters.put * putsPerBatch + counters.list;
}
