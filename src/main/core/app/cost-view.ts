/**
 * The Costs view's figures, straight from the cost model (src/shared/cost), for the active settings:
 *   buildCostView({ regime: 'legacy', intervalMinutes: 60 }, { settings, status }, now)
 *     → { intervalMinutes: 60, monthlyUsd: 0, putClassRequests: 1560, smallestSafeIntervalMinutes: 46, … }
 * Measured compression (compressed vs raw bytes uploaded so far) replaces the model's default ratio.
 */

import type { AgentStatus } from '../../../shared/agent-status';
import type { CostQuery, CostView, Settings } from '../../../shared/contract';
import {
  daysInMonth,
  estimateMonthlyCost,
  PRICES_CHECKED,
  pricesFor,
  regimeWarnings,
  safeIntervalFor,
  smallestIntervalForBudget,
} from '../../../shared/cost';
import { stackOfRawBucket } from '../../../shared/stack/names';

export const LEGACY_PUT_BUDGET = 2000;

export function buildCostView(
  query: CostQuery,
  context: { settings: Settings; status: AgentStatus },
  now: Date = new Date(),
): CostView {
  const monthDays = daysInMonth(now);
  const intervalMinutes = query.intervalMinutes ?? scheduleMinutes(context.settings, monthDays);
  const region = context.settings.target.kind === 's3' ? context.settings.target.region : 'us-east-1';
  const { compressedBytesUploaded, rawBytesUploaded } = context.status.counters;
  const measuredRatio = compressedBytesUploaded > 0 ? rawBytesUploaded / compressedBytesUploaded : undefined;
  const estimate = estimateMonthlyCost({
    intervalMs: intervalMinutes * 60_000,
    monthDays,
    regime: query.regime,
    region: pricesFor(region) ? region : 'us-east-1',
    kafkaSecret: query.kafkaSecret ?? false,
    // Uploading to one of our stacks: the app watches it (alarm every 10 min, two LISTs a day); count that too.
    cloudHealthChecks:
      context.settings.target.kind === 's3' && stackOfRawBucket(context.settings.target.bucket) !== null,
    analyticsCopy: query.analyticsCopy ?? false,
    ...(measuredRatio && context.settings.compression === 'gzip' ? { gzipRatio: measuredRatio } : {}),
  });
  const safe = safeIntervalFor(estimate, LEGACY_PUT_BUDGET);
  return {
    regime: query.regime,
    intervalMinutes,
    monthlyUsd: estimate.total,
    billedUsd: estimate.billed,
    putClassRequests: estimate.putClassRequests,
    services: estimate.services.map((line) => ({
      service: line.service,
      unit: line.unit,
      monthly: line.usage,
      allowance: line.allowance,
      percentUsed: line.percentUsed,
      usd: line.cost,
    })),
    smallestSafeIntervalMinutes: Number.isFinite(safe) ? safe : null,
    warnings: regimeWarnings(query.regime, now),
    pricesAsOf: PRICES_CHECKED,
  };
}

/** The interval the schedule means: fixed, or the smallest that fits the monthly PUT budget. */
export function scheduleMinutes(settings: Settings, monthDays: number): number {
  if (settings.schedule.kind === 'interval') return settings.schedule.minutes;
  const minutes = smallestIntervalForBudget({ putBudget: settings.schedule.monthlyPuts, monthDays });
  return Number.isFinite(minutes) ? minutes : monthDays * 1440;
}
