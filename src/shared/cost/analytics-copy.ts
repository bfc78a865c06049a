import { LAMBDA_RUN_BASE_MS, lambdaMsForCpu } from './lambda-run';

/**
 * What the daily analytics copy (lambda/analytics-copy.ts, docs/analytics.md) makes AWS do in a month.
 *
 *   analyticsCopyUsage({ monthDays: 30, hosts: 1, batchesPerHostPerDay: 24, rowsPerHostPerDay: 86_400,
 *                        historyMonths: 0 })
 *     → { lists: 90, puts: 30, gets: 750, storageGbMonth: 0.044, invocations: 30, durationMs: 9668 }
 *
 * Per daily run: 1 LIST for the hosts, per host 1 LIST of its recent processed keys (one page while a week of
 * batches is under 1,000 keys) and 1 LIST of its recent analytics objects; per host and day 1 PUT and a GET
 * of each batch of the day plus the one that ran past midnight. A day rewritten for a late batch costs
 * that again; the model counts every day once.
 */
export interface AnalyticsCopyInput {
  monthDays: number;
  hosts: number;
  batchesPerHostPerDay: number;
  rowsPerHostPerDay: number;
  historyMonths: number;
  /** Parquet bytes per row (default ANALYTICS_DEFAULTS.bytesPerRow). */
  bytesPerRow?: number;
}

export interface AnalyticsCopyUsage {
  lists: number;
  puts: number;
  gets: number;
  storageGbMonth: number;
  invocations: number;
  durationMs: number;
}

/**
 * Defaults and where they come from (docs/benchmarks.md, Analytics): 34 B/row is the largest of the GPU-Z
 * samples of ≥ 1,000 rows exported as Parquet (5.6–34 B/row; a day's file is larger, so it compresses at
 * least as well); the copy writes 62,000–113,000 rows/s (2.6 M rows, bench/analytics.ts, 2 shared cores), taken
 * as 70,000 → 14 ms of CPU per 1,000 rows here, ≈ 97 ms at the 256 MB function's share; each daily run is a cold
 * start (lambda-run.ts).
 */
export const ANALYTICS_DEFAULTS = {
  bytesPerRow: 34,
  baseMs: LAMBDA_RUN_BASE_MS,
  msPerThousandRows: lambdaMsForCpu(0.014),
  lookbackDays: 3,
  /** Days of keys the processed LIST covers: the lookback, plus MAX_BATCH_DAYS before it, plus today. */
  listedDays: 7,
} as const;

const KEYS_PER_LIST = 1000;
const GB = 1e9;

export function analyticsCopyUsage(input: AnalyticsCopyInput): AnalyticsCopyUsage {
  const bytesPerRow = input.bytesPerRow ?? ANALYTICS_DEFAULTS.bytesPerRow;
  const processedPages = Math.max(
    1,
    Math.ceil((input.batchesPerHostPerDay * ANALYTICS_DEFAULTS.listedDays) / KEYS_PER_LIST),
  );
  const listsPerRun = 1 + input.hosts * (processedPages + 1);
  const monthGb = (input.rowsPerHostPerDay * input.monthDays * input.hosts * bytesPerRow) / GB;
  return {
    lists: input.monthDays * listsPerRun,
    puts: input.monthDays * input.hosts,
    gets: input.monthDays * input.hosts * (Math.ceil(input.batchesPerHostPerDay) + 1),
    // Like the processed objects, the copies stay: last months' in full, this month's half the month.
    storageGbMonth: input.historyMonths * monthGb + monthGb / 2,
    invocations: input.monthDays,
    durationMs:
      ANALYTICS_DEFAULTS.baseMs +
      (ANALYTICS_DEFAULTS.msPerThousandRows * input.rowsPerHostPerDay * input.hosts) / 1000,
  };
}
