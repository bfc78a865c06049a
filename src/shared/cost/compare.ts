/**
 * Actual against estimate: projects what was counted so far this month to the whole month and sets it
 * beside the estimate.
 *
 *   compareActualToEstimate({ counters: { put: 4320, get: 0, list: 0 }, estimate, now: mid-month of 30 days })
 *   → rows [{ metric: 'PUT-class requests', soFar: 8640, projected: 17280, estimated: 17280, ratio: 1, status: 'ok' }]
 *
 * The agent counts its own raw PUTs, GETs and LISTs; the Lambda's processed PUTs and GETs are implied (one
 * each per raw PUT). CloudWatch's Lambda Invocations/Errors/Duration, when available, check that implication.
 */
import type { CostEstimate } from './estimate';
import { putClassUsedFromCounters } from './interval';

export interface RequestCounters {
  put: number;
  get: number;
  list: number;
}

export interface LambdaActuals {
  invocations: number;
  errors: number;
  /** Average duration (ms) over the invocations, or null when there were none. */
  durationAvgMs: number | null;
}

export interface ComparisonRow {
  metric: string;
  soFar: number;
  projected: number;
  estimated: number;
  /** projected / estimated, or null when the estimate is 0. */
  ratio: number | null;
  status: 'ok' | 'over' | 'under';
}

export interface Comparison {
  elapsedFraction: number;
  rows: ComparisonRow[];
  warnings: string[];
}

export interface CompareInput {
  counters: RequestCounters;
  estimate: CostEstimate;
  /** Lambda metrics for the same period (month start → now), when the function exists. */
  cloudwatch?: LambdaActuals;
  now: Date;
  /** A projection more than this far from the estimate is flagged (default 25 %). */
  tolerance?: number;
}

export function compareActualToEstimate(input: CompareInput): Comparison {
  const { estimate, counters, cloudwatch, now } = input;
  const tolerance = input.tolerance ?? 0.25;
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const monthMs = estimate.usage.monthDays * 86_400_000;
  const elapsedFraction = Math.min(1, Math.max(1e-9, (now.getTime() - monthStart) / monthMs));
  const { putsPerBatch, hosts } = estimate.usage;

  const row = (metric: string, soFar: number, estimated: number): ComparisonRow => {
    const projected = soFar / elapsedFraction;
    const ratio = estimated > 0 ? projected / estimated : null;
    const status =
      ratio === null
        ? projected > 0
          ? 'over'
          : 'ok'
        : ratio > 1 + tolerance
          ? 'over'
          : ratio < 1 - tolerance
            ? 'under'
            : 'ok';
    return { metric, soFar, projected, estimated, ratio, status };
  };

  // The agent sees one host; the estimate covers all hosts.
  const perHost = (n: number) => n / hosts;
  // The Lambda's day seals (LIST + PUT a day) are not in the agent's counters: implied, like its processed PUTs.
  const sealsSoFar = Math.round(perHost(estimate.usage.s3PutClass.daySeal) * elapsedFraction);
  const rows = [
    row(
      'PUT-class requests',
      putClassUsedFromCounters(counters, putsPerBatch) + sealsSoFar,
      perHost(estimate.usage.s3PutClass.total),
    ),
    row('Batches uploaded', counters.put, estimate.usage.batchesPerHost),
    row('GET requests (dashboard)', counters.get, perHost(estimate.usage.s3GetClass.dashboard)),
  ];
  const warnings: string[] = [];
  if (cloudwatch) {
    rows.push(row('Lambda invocations', cloudwatch.invocations, estimate.usage.lambdaRequests));
    if (cloudwatch.errors > 0) {
      warnings.push(
        `The Lambda failed ${cloudwatch.errors} time(s) this month: failed batches are retried by S3 and go to ` +
          'quarantine; check the log group.',
      );
    }
    if (cloudwatch.invocations < counters.put) {
      warnings.push(
        `${counters.put} raw uploads but only ${cloudwatch.invocations} Lambda invocations: check the bucket ` +
          'notification (or other hosts share the function and the counts are not comparable).',
      );
    }
    if (cloudwatch.durationAvgMs !== null && cloudwatch.durationAvgMs > estimate.usage.lambdaDurationMs * 2) {
      warnings.push(
        `The Lambda averages ${Math.round(cloudwatch.durationAvgMs)} ms against ${Math.round(
          estimate.usage.lambdaDurationMs,
        )} ms assumed: pass --duration-ms to the estimate.`,
      );
    }
  }
  for (const r of rows) {
    if (r.status === 'over') {
      warnings.push(
        `${r.metric}: on course for ${Math.round(r.projected)} this month, estimate ${r.estimated}.`,
      );
    }
  }
  return { elapsedFraction, rows, warnings };
}
