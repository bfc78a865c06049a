/**
 * The Costs view's figures (and the Settings hint's, and the tray's): the one cost answer (src/shared/cost/answer.ts)
 * for the active settings and the agent's measured compression:
 *   buildCostView({ intervalMinutes: 60 }, { settings, status }, now)
 *     → { regime: 'none', intervalMinutes: 60, monthlyUsd: 0.0110…, putClassRequests: 1612,
 *         smallestSafeIntervalMinutes: 48, awsBilled: false, … }
 */

import type { AgentStatus } from '../../../shared/agent-status';
import type { CostQuery, CostView, Settings } from '../../../shared/contract';
import {
  awsBilled,
  type CostContext,
  costAnswer,
  costInputsOf,
  createBudgetSchedule,
  daysInMonth,
  estimateMonthlyCost,
  LOGGING_WINDOW_DAYS,
  type LoggedBytes,
  loggingOf,
  loggingShareOf,
  type MonthlyUsage,
  PRICES_CHECKED,
  regimeWarnings,
  rowWidthOf,
  scheduleMinutes,
} from '../../../shared/cost';

/** What the app knows for the view beyond the query: the settings, the agent's counters and what the store holds. */
export interface CostViewContext {
  settings: Settings;
  status: AgentStatus;
  hosts?: number;
  storedSince?: number | null;
  storedDaysByHost?: readonly number[];
  /** What each host logged on its recent whole days (stored-history.ts), to price the hours GPU-Z logs a day. */
  loggedByHost?: readonly (LoggedBytes | null)[];
}

export function buildCostView(query: CostQuery, context: CostViewContext, now: Date = new Date()): CostView {
  const { compressedBytesUploaded, rawBytesUploaded } = context.status.counters;
  const budget = budgetSchedule(context, now);
  const costContext: CostContext = {
    now,
    ...budget.interval,
    ...query,
    ...(context.hosts ? { hosts: context.hosts } : {}),
    storedSince: context.storedSince ?? null,
    ...(context.storedDaysByHost ? { storedDaysByHost: context.storedDaysByHost } : {}),
    uploaded: { rawBytes: rawBytesUploaded, compressedBytes: compressedBytesUploaded },
    ...(context.loggedByHost ? { loggedByHost: context.loggedByHost } : {}),
    bytesPerRow: rowWidthOf(context.status.counters),
  };
  const inputs = costInputsOf(context.settings, costContext);
  const answer = costAnswer(inputs);
  const logging = loggingOf(costContext);
  const { estimate } = answer;
  return {
    regime: estimate.regime,
    intervalMinutes: answer.intervalMinutes,
    monthlyUsd: estimate.total,
    billedUsd: estimate.billed,
    putClassRequests: estimate.putClassRequests,
    putClassParts: putClassParts(estimate.usage),
    hosts: estimate.usage.hosts,
    historyMonths: estimate.usage.historyMonths,
    storedSince: context.storedSince ?? null,
    logging: logging && {
      hoursPerDay: logging.hoursPerDay,
      bytesPerDay: logging.bytesPerDay,
      days: logging.days,
      unmeasuredHosts: logging.unmeasuredHosts,
      idleHosts: logging.idleHosts,
      lastLoggedDay: logging.lastLoggedDay,
      resumedHosts: logging.resumedHosts,
      resumedDay: logging.resumedDay,
      aroundTheClockUsd: estimateMonthlyCost({ ...inputs, loggingHoursPerDay: 24 }).total,
    },
    schedule: budget.schedule,
    services: estimate.services.map((line) => ({
      service: line.service,
      unit: line.unit,
      monthly: line.usage,
      allowance: line.allowance,
      percentUsed: line.percentUsed,
      usd: line.cost,
    })),
    smallestSafeIntervalMinutes: answer.smallestSafeIntervalMinutes,
    putBudget: answer.putBudget,
    awsBilled: awsBilled(context.settings.target),
    warnings: regimeWarnings(estimate.regime, now, undefined, 'gui'),
    pricesAsOf: PRICES_CHECKED,
  };
}

/**
 * A budget schedule as the agent reckons it now (budget-schedule.ts: from its counters, over the share of the time
 * this PC logs): its interval in whole minutes, never longer than the budget's around-the-clock interval (which a
 * used-up budget's wait, until the month changes, would be), and what the view says of it. Nothing for a fixed one.
 */
function budgetSchedule(
  context: CostViewContext,
  now: Date,
): { interval: { intervalMinutes?: number }; schedule: CostView['schedule'] } {
  const { schedule } = context.settings;
  if (schedule.kind !== 'budget') return { interval: {}, schedule: null };
  const { counters } = context.status;
  const agent = createBudgetSchedule({ putBudget: schedule.monthlyPuts, clock: () => now })(counters);
  const aroundTheClock = scheduleMinutes(schedule, daysInMonth(now));
  const share = loggingShareOf(counters.logging, now);
  const seenMs = counters.logging ? now.getTime() - counters.logging.since : 0;
  return {
    interval: { intervalMinutes: Math.min(aroundTheClock, Math.ceil(agent.intervalMs / 60_000)) },
    schedule: {
      monthlyPuts: schedule.monthlyPuts,
      loggedHoursPerDay: share === null ? null : share * 24,
      days: Math.floor(Math.min(seenMs, LOGGING_WINDOW_DAYS * 86_400_000) / 86_400_000),
      usedUpUntil: agent.exhausted ? agent.monthEnd.getTime() : null,
    },
  };
}

/** The month's PUT-class requests by what makes them (their sum is the estimate's putClassRequests). */
function putClassParts(usage: MonthlyUsage): CostView['putClassParts'] {
  const { puts, lists, historyLists, daySeal, total } = usage.s3PutClass;
  return {
    uploads: puts,
    batches: usage.batches,
    daySeals: daySeal,
    lists,
    historyLists,
    other: total - puts - lists - daySeal,
  };
}
