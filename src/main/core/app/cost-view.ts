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
  budgetScheduleNow,
  type CostContext,
  costAnswer,
  costInputsOf,
  estimateMonthlyCost,
  type LoggedBytes,
  loggingOf,
  loggingSeenHours,
  type MonthlyUsage,
  PRICES_CHECKED,
  regimeWarnings,
  rowWidthOf,
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
  const { schedule } = context.settings;
  const { monthlyPuts = schedule.kind === 'budget' ? schedule.monthlyPuts : null, ...asked } = query;
  const budget = monthlyPuts === null ? null : budgetScheduleNow(monthlyPuts, context.status.counters, now);
  const costContext: CostContext = {
    now,
    // A budget schedule is priced at the interval its agent uses now (budget-schedule.ts)
    ...(budget ? { intervalMinutes: budget.intervalMinutes } : {}),
    ...asked,
    ...(context.hosts ? { hosts: context.hosts } : {}),
    storedSince: context.storedSince ?? null,
    ...(context.storedDaysByHost ? { storedDaysByHost: context.storedDaysByHost } : {}),
    uploaded: { rawBytes: rawBytesUploaded, compressedBytes: compressedBytesUploaded },
    ...(context.loggedByHost ? { loggedByHost: context.loggedByHost } : {}),
    bytesPerRow: rowWidthOf(context.status.counters),
    seenByAgent: loggingSeenHours(context.status.counters.logging, now),
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
    rawExpiryDays: estimate.usage.rawExpiryDays,
    analyticsCopy: inputs.analyticsCopy ?? false,
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
      seenByAgent: logging.seenByAgent,
      aroundTheClockUsd: estimateMonthlyCost({ ...inputs, loggingHoursPerDay: 24 }).total,
    },
    schedule: budget,
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
