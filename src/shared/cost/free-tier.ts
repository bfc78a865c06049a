/**
 * The AWS free-tier regimes an account can be in, and the monthly allowances each one gets.
 *
 *   allowancesFor('legacy').s3PutClass → 2000     allowancesFor('credits').s3PutClass → 0
 *
 * - legacy: accounts created before 15 July 2025 keep the old 12-month offers (S3: 5 GB Standard,
 *   20,000 GET, 2,000 PUT/COPY/POST/LIST a month) for 12 months after sign-up, plus the always-free offers.
 *   Every such offer therefore ended by 15 July 2026 at the latest.
 * - credits: accounts created since 15 July 2025 get no 12-month offers; they get $100 of sign-up credits
 *   plus up to $100 more earned by completing activities, usable for 6 months, plus the always-free offers.
 * - none: the free tier has expired (or never applied): only the always-free offers.
 *
 * Always free, for every account (per account and month, shared with everything else in the account):
 * Lambda 1M requests + 400,000 GB-s; CloudWatch 10 standard alarm metrics, 1M API requests (not
 * GetMetricData), 5 GB of logs (ingestion + archive storage + Logs Insights scanned, combined);
 * 100 GB of data transfer out to the internet.
 */
export type FreeTierRegime = 'legacy' | 'credits' | 'none';

export const FREE_TIER_REGIMES: readonly FreeTierRegime[] = ['legacy', 'credits', 'none'];

/** Accounts created on or after this date are on the credits regime. */
export const CREDITS_REGIME_START = '2025-07-15';
/** A 12-month legacy offer started before CREDITS_REGIME_START has ended by this date. */
export const LAST_LEGACY_OFFER_ENDS = '2026-07-15';

export const SIGN_UP_CREDITS_USD = 100;
export const MAX_EARNED_CREDITS_USD = 100;
export const CREDITS_PLAN_MONTHS = 6;

export const FREE_TIER_SOURCES = {
  freeTier: 'https://aws.amazon.com/free/',
  billingGuide: 'https://docs.aws.amazon.com/awsaccountbilling/latest/aboutv2/free-tier.html',
  cloudwatch: 'https://aws.amazon.com/cloudwatch/pricing/',
  lambda: 'https://aws.amazon.com/lambda/pricing/',
  transfer: 'https://aws.amazon.com/ec2/pricing/on-demand/#Data_Transfer',
} as const;

export interface Allowances {
  s3StorageGbMonth: number;
  s3PutClass: number;
  s3GetClass: number;
  lambdaRequests: number;
  lambdaGbSeconds: number;
  /** Shared by log ingestion and log archive storage (and Logs Insights scans, which we do not make). */
  logsGb: number;
  alarms: number;
  metricApiRequests: number;
  getMetricDataMetrics: number;
  dataTransferOutGb: number;
}

const ALWAYS_FREE: Allowances = {
  s3StorageGbMonth: 0,
  s3PutClass: 0,
  s3GetClass: 0,
  lambdaRequests: 1_000_000,
  lambdaGbSeconds: 400_000,
  logsGb: 5,
  alarms: 10,
  metricApiRequests: 1_000_000,
  getMetricDataMetrics: 0,
  dataTransferOutGb: 100,
};

const LEGACY_S3_12_MONTHS = { s3StorageGbMonth: 5, s3PutClass: 2000, s3GetClass: 20_000 };

/** The monthly allowances of a regime. */
export function allowancesFor(regime: FreeTierRegime): Allowances {
  return regime === 'legacy' ? { ...ALWAYS_FREE, ...LEGACY_S3_12_MONTHS } : { ...ALWAYS_FREE };
}

/** How a regime is chosen on each surface: a flag in a terminal, a choice in the Costs view. */
const CHOOSE: Record<'cli' | 'gui', Record<FreeTierRegime, string>> = {
  cli: { legacy: '--regime legacy', credits: '--regime credits', none: '--regime none' },
  gui: { legacy: '"Old 12-month free tier"', credits: '"New account on credits"', none: '"No free tier"' },
};

/**
 * Plain-language warnings about a chosen regime on a given day, in the words of the surface that shows them:
 * ('legacy', 2026-11-28) → ['The 12-month S3 allowance … ended by 2026-07-15 … (choose --regime none).'].
 */
export function regimeWarnings(
  regime: FreeTierRegime,
  now: Date,
  accountCreated?: Date,
  surface: 'cli' | 'gui' = 'cli',
): string[] {
  const choose = CHOOSE[surface];
  const warnings: string[] = [];
  const today = now.toISOString().slice(0, 10);
  if (regime === 'legacy') {
    if (accountCreated && accountCreated.toISOString().slice(0, 10) >= CREDITS_REGIME_START) {
      warnings.push(
        `Accounts created on or after ${CREDITS_REGIME_START} have no 12-month S3 allowance: choose ${choose.credits}.`,
      );
    }
    const offerEnd = accountCreated ? addMonthsIso(accountCreated, 12) : LAST_LEGACY_OFFER_ENDS;
    if (today >= offerEnd) {
      warnings.push(
        `The 12-month S3 allowance of a legacy account ended by ${offerEnd}: on ${today} only the always-free ` +
          `allowances apply (choose ${choose.none}).`,
      );
    }
  }
  if (regime === 'credits' && accountCreated && today >= addMonthsIso(accountCreated, CREDITS_PLAN_MONTHS)) {
    warnings.push(
      `Free-plan credits last ${CREDITS_PLAN_MONTHS} months: they expired on ${addMonthsIso(accountCreated, CREDITS_PLAN_MONTHS)}.`,
    );
  }
  return warnings;
}

function addMonthsIso(date: Date, months: number): string {
  const d = new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + months, date.getUTCDate()));
  return d.toISOString().slice(0, 10);
}
