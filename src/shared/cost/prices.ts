/**
 * The dated, sourced AWS list prices the cost model uses (USD, on-demand, first tier of each service).
 *
 *   pricesFor('eu-central-1').s3PutClass → { usd: 0.0054, per: 1000, unit: 'requests', checked: '2026-11-28', … }
 *
 * `verified: true` means the figure was confirmed on `checked` against the official page or an independent
 * excerpt quoting it; `false` means it is the figure listed on the official page for that region but was
 * not re-confirmed that day (shown as such in the CLI footer and docs/costs.md). Re-check before relying
 * on a regional figure marked unverified.
 */
export interface Price {
  usd: number;
  /** The price is per this many units (1,000 requests, 1,000,000 requests, 1 GB …). */
  per: number;
  unit: string;
  checked: string;
  source: string;
  verified: boolean;
}

export interface RegionPrices {
  region: string;
  s3StorageGbMonth: Price;
  /** PUT, COPY, POST and LIST: LIST is billed as a PUT-class request. */
  s3PutClass: Price;
  /** GET, SELECT and all other requests. */
  s3GetClass: Price;
  lambdaRequests: Price;
  lambdaGbSecondX86: Price;
  lambdaGbSecondArm: Price;
  logsIngestionGb: Price;
  logsStorageGbMonth: Price;
  /** Standard-resolution alarm metric. */
  alarmMonth: Price;
  /** GetMetricStatistics, ListMetrics, PutMetricData …: free within the 1M always-free API requests. */
  metricApiRequests: Price;
  /** GetMetricData is charged per metric requested and is never covered by the free tier. */
  getMetricDataMetrics: Price;
  /** Data transfer out to the internet, first paid tier (after the 100 GB/month free). */
  dataTransferOutGb: Price;
  /** Secrets Manager (only with a Kafka credentials secret): per secret and month, and per API call. */
  secretMonth: Price;
  secretApiCalls: Price;
}

export const PRICES_CHECKED = '2026-11-28';

const S3 = 'https://aws.amazon.com/s3/pricing/';
const LAMBDA = 'https://aws.amazon.com/lambda/pricing/';
const CLOUDWATCH = 'https://aws.amazon.com/cloudwatch/pricing/';
const TRANSFER = 'https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer';
const SECRETS = 'https://aws.amazon.com/secrets-manager/pricing/';
/** Secrets Manager was added later, checked that day against an independent excerpt of its pricing page. */
const SECRETS_CHECKED = '2026-11-30';

function price(usd: number, per: number, unit: string, source: string, verified = true): Price {
  return { usd, per, unit, checked: PRICES_CHECKED, source, verified };
}

/** Lambda's request and duration prices are the same in every region listed here. */
function lambdaPrices() {
  return {
    lambdaRequests: price(0.2, 1_000_000, 'requests', LAMBDA),
    lambdaGbSecondX86: price(0.0000166667, 1, 'GB-s', LAMBDA),
    lambdaGbSecondArm: price(0.0000133334, 1, 'GB-s', LAMBDA),
  };
}

function metricPrices() {
  return {
    alarmMonth: price(0.1, 1, 'alarm-month', CLOUDWATCH),
    metricApiRequests: price(0.01, 1000, 'requests', CLOUDWATCH),
    getMetricDataMetrics: price(0.01, 1000, 'metrics', CLOUDWATCH),
  };
}

const US_EAST_1: RegionPrices = {
  region: 'us-east-1',
  s3StorageGbMonth: price(0.023, 1, 'GB-month', S3),
  s3PutClass: price(0.005, 1000, 'requests', S3),
  s3GetClass: price(0.0004, 1000, 'requests', S3),
  ...lambdaPrices(),
  logsIngestionGb: price(0.5, 1, 'GB', CLOUDWATCH),
  logsStorageGbMonth: price(0.03, 1, 'GB-month', CLOUDWATCH),
  ...metricPrices(),
  dataTransferOutGb: price(0.09, 1, 'GB', TRANSFER),
  secretMonth: { ...price(0.4, 1, 'secret-month', SECRETS), checked: SECRETS_CHECKED },
  secretApiCalls: { ...price(0.05, 10_000, 'requests', SECRETS), checked: SECRETS_CHECKED },
};

/**
 * Regional tables start from us-east-1 marked unverified (the official pages list the same figure for
 * these regions), then override what differs.
 */
function regional(region: string, overrides: Partial<RegionPrices>): RegionPrices {
  const base = Object.fromEntries(
    Object.entries(US_EAST_1).map(([key, value]) =>
      typeof value === 'object' ? [key, { ...value, verified: false }] : [key, value],
    ),
  ) as unknown as RegionPrices;
  return { ...base, ...overrides, region };
}

export const PRICE_TABLE: Readonly<Record<string, RegionPrices>> = {
  'us-east-1': US_EAST_1,
  'us-west-2': regional('us-west-2', {}),
  'eu-west-1': regional('eu-west-1', { logsIngestionGb: price(0.57, 1, 'GB', CLOUDWATCH, false) }),
  'eu-central-1': regional('eu-central-1', {
    s3StorageGbMonth: price(0.0245, 1, 'GB-month', S3, false),
    s3PutClass: price(0.0054, 1000, 'requests', S3, false),
    s3GetClass: price(0.00043, 1000, 'requests', S3, false),
    logsIngestionGb: price(0.63, 1, 'GB', CLOUDWATCH, false),
    logsStorageGbMonth: price(0.0324, 1, 'GB-month', CLOUDWATCH, false),
  }),
  'ap-northeast-1': regional('ap-northeast-1', {
    s3StorageGbMonth: price(0.025, 1, 'GB-month', S3, false),
    s3PutClass: price(0.0047, 1000, 'requests', S3, false),
    s3GetClass: price(0.00037, 1000, 'requests', S3, false),
    // Confirmed on the checked date against a published excerpt quoting the ap-northeast-1 rates.
    logsIngestionGb: price(0.76, 1, 'GB', CLOUDWATCH),
    logsStorageGbMonth: price(0.033, 1, 'GB-month', CLOUDWATCH),
    dataTransferOutGb: price(0.114, 1, 'GB', TRANSFER, false),
  }),
};

export const KNOWN_REGIONS: readonly string[] = Object.keys(PRICE_TABLE);

/** The price table for a region, or undefined when we have no dated prices for it. */
export function pricesFor(region: string): RegionPrices | undefined {
  return PRICE_TABLE[region];
}

/** Cost of `quantity` units at `p`: 17,280 requests at $0.005 per 1,000 → $0.0864. */
export function costOf(quantity: number, p: Price): number {
  return (Math.max(0, quantity) / p.per) * p.usd;
}

/** Every distinct (source, checked) pair behind a price table, for the footer of the CLI table. */
export function listPriceSources(
  prices: RegionPrices,
): { source: string; checked: string; unverified: number }[] {
  const bySource = new Map<string, { source: string; checked: string; unverified: number }>();
  for (const value of Object.values(prices)) {
    if (typeof value !== 'object' || value === null) continue;
    const p = value as Price;
    const entry = bySource.get(p.source) ?? { source: p.source, checked: p.checked, unverified: 0 };
    if (!p.verified) entry.unverified += 1;
    bySource.set(p.source, entry);
  }
  return [...bySource.values()];
}
