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
 *
 * A batch is sealed only in an interval with rows, so the batches left are spread over the share of the time this PC
 * logs (counters.logging, logging-share.ts), doubled: a PC that logs 3 h a day is scheduled as if it logged 6, so
 * a busier second half of the month still fits. Until a whole UTC day was seen, around the clock.
 *   (1 Jan, nothing used, 3 h a day seen → 6 h: 969 batches − 31 for the sittings' ends → 0.25 × 31 d / 938 = 714 s)
 */
import { formatCount } from '../plural';
import { formatDate, formatDuration } from '../time-format';
import { formatHours } from './format';
import {
  type AdaptiveInterval,
  adaptiveIntervalMs,
  daysInMonth,
  putClassUsedFromCounters,
  smallestIntervalForBudget,
} from './interval';
import { type LoggingSeen, loggingSeenHours, loggingShareOf } from './logging-share';
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
  /** The minutes the agent read new rows in (absent: not seen, around the clock). */
  logging?: LoggingSeen;
}

/** The measured logging share is doubled: room for a busier second half of the month than the fortnight seen. */
export const LOGGING_MARGIN = 2;

/** The share of the time left the schedule expects rows in: measured × LOGGING_MARGIN, at most 1 (null: not seen). */
export function scheduledLoggingShare(logging: LoggingSeen | undefined, now: Date): number | null {
  const share = loggingShareOf(logging, now);
  return share === null ? null : Math.min(1, share * LOGGING_MARGIN);
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
      loggingShare: scheduledLoggingShare(counters.logging, now),
    });
  };
}

/**
 * Just the interval, for the agent's `intervalMs`: budgetIntervalMs({ putBudget: 2000, clock })(counters, openedAt)
 * → ms. A used-up budget holds the open batch (first row at `openedAt`) until the month changes: the time left alone
 * shrinks as the month ends, and a batch sealed once half of it had passed, again and again (4 batches over the budget
 * in a month's simulation, budget-schedule.test).
 */
export function budgetIntervalMs(
  options: BudgetScheduleOptions,
): (counters: MonthCounters, openedAt?: number | null) => number {
  const next = createBudgetSchedule(options);
  return (counters, openedAt = null) => {
    const interval = next(counters);
    const until = usedUpUntil(interval);
    return until === null || openedAt === null
      ? interval.intervalMs
      : Math.max(interval.intervalMs, until - openedAt);
  };
}

/**
 * When a used-up budget lets the next upload go: the month's change (epoch ms); null while it is not used up. The agent
 * says it (budgetUsedUpUntil), the Costs view and `estimate` too (budgetScheduleNow).
 */
export function usedUpUntil(interval: AdaptiveInterval): number | null {
  return interval.exhausted ? interval.monthEnd.getTime() : null;
}

/** The agent's `budgetUsedUpUntil`: budgetUsedUpUntil({ putBudget: 2000, clock })(counters) → epoch ms or null. */
export function budgetUsedUpUntil(
  options: BudgetScheduleOptions,
): (counters: MonthCounters) => number | null {
  const next = createBudgetSchedule(options);
  return (counters) => usedUpUntil(next(counters));
}

/** A budget schedule as its agent runs it now: what the Costs view and `gpuz-cloud estimate` price and say. */
export interface BudgetScheduleNow {
  monthlyPuts: number;
  /** The interval in whole minutes, never longer than the budget's around-the-clock one (a used-up budget's). */
  intervalMinutes: number;
  /** The hours a day the agent saw GPU-Z log over `days` (null: no whole day seen, spread around the clock). */
  loggedHoursPerDay: number | null;
  days: number;
  /** The month's end (epoch ms) when the budget is used up; null: it is not. */
  usedUpUntil: number | null;
}

/**
 * budgetScheduleNow(2000, agentCounters, now) → { intervalMinutes: 10, loggedHoursPerDay: 3, days: 14, … }: the
 * interval the agent's schedule gives for these counters, and what it rests on.
 */
export function budgetScheduleNow(
  monthlyPuts: number,
  counters: MonthCounters,
  now: Date,
): BudgetScheduleNow {
  const agent = createBudgetSchedule({ putBudget: monthlyPuts, clock: () => now })(counters);
  const aroundTheClock = smallestIntervalForBudget({ putBudget: monthlyPuts, monthDays: daysInMonth(now) });
  const seen = loggingSeenHours(counters.logging, now);
  return {
    monthlyPuts,
    intervalMinutes: Math.min(aroundTheClock, Math.ceil(agent.intervalMs / 60_000)),
    loggedHoursPerDay: seen?.hoursPerDay ?? null,
    days: seen?.days ?? 0,
    usedUpUntil: usedUpUntil(agent),
  };
}

/**
 * The schedule in words (the Costs view's "Upload schedule", `estimate`'s note):
 *   'a budget of 2,000 uploads and listings a month: every 10 min now, over 6.0 h a day — twice the 3.0 h a day this
 *    PC's agent saw GPU-Z log over the last 14 days'
 *   'a budget of 2,000 uploads and listings a month: every 47 min now, around the clock until this PC's agent has
 *    seen a whole day'
 *   'a budget of 2,000 uploads and listings a month, used up: the next upload waits until Jan 1, 2027'
 */
export function budgetScheduleText(schedule: BudgetScheduleNow): string {
  const budget = `a budget of ${formatCount(schedule.monthlyPuts)} uploads and listings a month`;
  if (schedule.usedUpUntil !== null)
    return `${budget}, used up: the next upload waits until ${formatDate(schedule.usedUpUntil, { timeZone: 'UTC' })}`;
  const every = `${budget}: every ${formatDuration(schedule.intervalMinutes * 60_000)} now`;
  const logged = schedule.loggedHoursPerDay;
  if (logged === null) return `${every}, around the clock until this PC's agent has seen a whole day`;
  const saw = `this PC's agent saw GPU-Z log`;
  const over = `over the last ${schedule.days === 1 ? 'day' : `${schedule.days} days`}`;
  const scheduled = Math.min(24, logged * LOGGING_MARGIN);
  if (scheduled >= 23.95) return `${every}, around the clock: ${saw} ${formatHours(logged)} a day ${over}`;
  return `${every}, over ${formatHours(scheduled)} a day — twice the ${formatHours(logged)} a day ${saw} ${over}`;
}
