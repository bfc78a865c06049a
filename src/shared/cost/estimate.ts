/**
 * The monthly bill of our design for one account: usage → allowances of the regime → cost per service.
 *
 *   estimateMonthlyCost({ intervalMs: 5 * 60_000, monthDays: 30, regime: 'legacy', dashboardOpensPerDay: 0 })
 *   → { services: [{ service: 'S3 PUT/COPY/POST/LIST', usage: 17280, allowance: 2000, percentUsed: 864,
 *        cost: 0.0764 }, …], total: 0.0764…, putClassRequests: 17280, … }
 */
import { type Allowances, allowancesFor, type FreeTierRegime, SIGN_UP_CREDITS_USD } from './free-tier';
import { costOf, type Price, pricesFor, type RegionPrices } from './prices';
import { type MonthlyUsage, modelMonthlyUsage, type UsageInput } from './usage';

export type LambdaArch = 'arm64' | 'x86_64';

export interface EstimateInput extends UsageInput {
  regime: FreeTierRegime;
  region?: string;
  arch?: LambdaArch;
  /** Credits left on a credits-regime account (default: the $100 sign-up credits). */
  creditsRemainingUsd?: number;
  /** Override the price table (tests, or prices the user checked themselves). */
  prices?: RegionPrices;
}

export interface ServiceLine {
  service: string;
  usage: number;
  unit: string;
  /** The part of the monthly free allowance that applies to this line (0 when none). */
  allowance: number;
  /** usage / allowance × 100, or null when there is no allowance. */
  percentUsed: number | null;
  /** USD after the allowance. */
  cost: number;
  price: Price;
}

export interface CostEstimate {
  region: string;
  arch: LambdaArch;
  regime: FreeTierRegime;
  services: ServiceLine[];
  /** USD at list price after the free allowances of the regime. */
  total: number;
  /** Credits regime only: what the month draws from the credits. */
  creditsConsumed?: number;
  /** What would be charged to the card (total minus credits applied). */
  billed: number;
  putClassRequests: number;
  getClassRequests: number;
  usage: MonthlyUsage;
  prices: RegionPrices;
}

export function estimateMonthlyCost(input: EstimateInput): CostEstimate {
  const region = input.region ?? 'us-east-1';
  const prices = input.prices ?? pricesFor(region);
  if (!prices) throw new RangeError(`No dated prices for region ${region}`);
  const arch = input.arch ?? 'arm64';
  const usage = modelMonthlyUsage(input);
  const services = serviceLines(usage, allowancesFor(input.regime), prices, arch);
  const total = services.reduce((sum, line) => sum + line.cost, 0);
  const estimate: CostEstimate = {
    region,
    arch,
    regime: input.regime,
    services,
    total,
    billed: total,
    putClassRequests: usage.s3PutClass.total,
    getClassRequests: usage.s3GetClass.total,
    usage,
    prices,
  };
  if (input.regime === 'credits') {
    const creditsConsumed = Math.min(total, input.creditsRemainingUsd ?? SIGN_UP_CREDITS_USD);
    estimate.creditsConsumed = creditsConsumed;
    estimate.billed = total - creditsConsumed;
  }
  return estimate;
}

/**
 * One service line. `shared` is for allowances that several lines draw from (the 5 GB of logs): the line
 * shows the whole allowance and the share of it used by all of them, and pays for what its part exceeds.
 */
function line(
  service: string,
  usage: number,
  allowance: number,
  p: Price,
  shared?: { allowance: number; used: number },
): ServiceLine {
  const shown = shared?.allowance ?? allowance;
  const used = shared?.used ?? usage;
  return {
    service,
    usage,
    unit: p.unit,
    allowance: shown,
    percentUsed: shown > 0 ? (used / shown) * 100 : null,
    cost: costOf(usage - allowance, p),
    price: p,
  };
}

/**
 * S3 requests and storage. With the daily analytics copy on, its share gets lines of its own beside the rest,
 * drawing on the same free allowances (the rest first), so the Costs view shows what the copy adds.
 */
function s3Lines(u: MonthlyUsage, a: Allowances, p: RegionPrices): ServiceLine[] {
  const split = (name: string, total: number, copy: number, allowance: number, price: Price) => {
    const rest = total - copy;
    if (copy === 0) return [line(name, total, allowance, price)];
    const shared = { allowance, used: total };
    const restAllowance = Math.min(allowance, rest);
    return [
      line(name, rest, restAllowance, price, shared),
      line(`${name}: daily analytics copy`, copy, allowance - restAllowance, price, shared),
    ];
  };
  return [
    ...split('S3 PUT/COPY/POST/LIST', u.s3PutClass.total, u.s3PutClass.analytics, a.s3PutClass, p.s3PutClass),
    ...split('S3 GET', u.s3GetClass.total, u.s3GetClass.analytics, a.s3GetClass, p.s3GetClass),
    ...split(
      'S3 Standard storage',
      u.s3StorageGbMonth,
      u.analytics.storageGbMonth,
      a.s3StorageGbMonth,
      p.s3StorageGbMonth,
    ),
  ];
}

function serviceLines(u: MonthlyUsage, a: Allowances, p: RegionPrices, arch: LambdaArch): ServiceLine[] {
  // The 5 GB of always-free logs covers ingestion and archive storage together: ingestion uses it first.
  const logsIngestAllowance = Math.min(a.logsGb, u.logsIngestionGb);
  const logsStorageAllowance = a.logsGb - logsIngestAllowance;
  const logs = { allowance: a.logsGb, used: u.logsIngestionGb + u.logsStorageGbMonth };
  return [
    ...s3Lines(u, a, p),
    line('Lambda requests', u.lambdaRequests, a.lambdaRequests, p.lambdaRequests),
    line(
      `Lambda duration (${arch}, ${Math.round(u.lambdaDurationMs)} ms)`,
      u.lambdaGbSeconds,
      a.lambdaGbSeconds,
      arch === 'arm64' ? p.lambdaGbSecondArm : p.lambdaGbSecondX86,
    ),
    line('CloudWatch Logs ingestion', u.logsIngestionGb, logsIngestAllowance, p.logsIngestionGb, logs),
    line('CloudWatch Logs storage', u.logsStorageGbMonth, logsStorageAllowance, p.logsStorageGbMonth, logs),
    line('CloudWatch alarms', u.alarms, a.alarms, p.alarmMonth),
    line('CloudWatch GetMetricStatistics', u.metricApiRequests, a.metricApiRequests, p.metricApiRequests),
    line('CloudWatch GetMetricData', u.getMetricDataMetrics, a.getMetricDataMetrics, p.getMetricDataMetrics),
    line('Data transfer out', u.dataTransferOutGb, a.dataTransferOutGb, p.dataTransferOutGb),
    // Only while the app watches a deployed stack; the 1,000,000 free API requests are shared with the line above.
    ...(u.healthAlarmChecks > 0
      ? [
          line(
            'CloudWatch DescribeAlarms (app health check)',
            u.healthAlarmChecks,
            Math.max(0, a.metricApiRequests - u.metricApiRequests),
            p.metricApiRequests,
          ),
        ]
      : []),
    // Only with a Kafka credentials secret; no free allowance.
    ...(u.secrets > 0
      ? [
          line('Secrets Manager secret', u.secrets, 0, p.secretMonth),
          line('Secrets Manager API calls', u.secretApiCalls, 0, p.secretApiCalls),
        ]
      : []),
  ];
}
