/**
 * `gpuz-cloud estimate`: the monthly AWS bill of the design for an interval, as a table or JSON.
 *
 *   gpuz-cloud estimate --interval 5m --regime none      → table, total, smallest safe interval, sources
 *   gpuz-cloud estimate --interval 45m --hosts 2 --json  → { estimate, smallestIntervalMinutes, … }
 *
 * `upload --estimate` reuses buildEstimate + formatEstimateTable from here and src/shared/cost.
 */
import { type Command, InvalidArgumentError, Option } from 'commander';
import { parseDuration, parseInterval } from '../../../shared/cost/duration';
import { type CostEstimate, estimateMonthlyCost, type LambdaArch } from '../../../shared/cost/estimate';
import { formatEstimateTable, safeIntervalFor } from '../../../shared/cost/format';
import { FREE_TIER_REGIMES, type FreeTierRegime, regimeWarnings } from '../../../shared/cost/free-tier';
import { daysInMonth } from '../../../shared/cost/interval';
import { KNOWN_REGIONS } from '../../../shared/cost/prices';
import { type FreeTierPlanApi, type ResolvedRegime, resolveRegime } from '../../core/cost/plan-state';

export interface EstimateOptions {
  interval: number;
  sampleRate: number;
  hosts: number;
  regime: FreeTierRegime;
  monthDays?: number;
  region: string;
  arch: LambdaArch;
  budget: number;
  dashboardOpens: number;
  latestJson: boolean;
  kafkaSecret: boolean;
  analyticsCopy?: boolean;
  durationMs?: number;
  accountCreated?: Date;
  json: boolean;
}

export interface EstimateReport {
  estimate: CostEstimate;
  smallestIntervalMinutes: number | null;
  putBudget: number;
  regime: ResolvedRegime;
  warnings: string[];
}

/** The estimate, the regime it used (read or chosen) and the warnings, for the table or the JSON. */
export async function buildEstimate(
  options: EstimateOptions,
  deps: { now: Date; planApi?: FreeTierPlanApi | undefined },
): Promise<EstimateReport> {
  const regime = await resolveRegime({ userChoice: options.regime, now: deps.now, planApi: deps.planApi });
  const estimate = estimateMonthlyCost({
    intervalMs: options.interval,
    sampleRateMs: options.sampleRate,
    hosts: options.hosts,
    regime: regime.regime,
    monthDays: options.monthDays ?? daysInMonth(deps.now),
    region: options.region,
    arch: options.arch,
    latestJson: options.latestJson,
    kafkaSecret: options.kafkaSecret,
    analyticsCopy: options.analyticsCopy === true,
    dashboardOpensPerDay: options.dashboardOpens,
    ...(options.durationMs !== undefined
      ? { lambdaBaseMs: options.durationMs, lambdaMsPerThousandRows: 0 }
      : {}),
    ...(regime.creditsRemainingUsd !== undefined ? { creditsRemainingUsd: regime.creditsRemainingUsd } : {}),
  });
  const safe = safeIntervalFor(estimate, options.budget);
  return {
    estimate,
    smallestIntervalMinutes: Number.isFinite(safe) ? safe : null,
    putBudget: options.budget,
    regime,
    warnings: regimeWarnings(regime.regime, deps.now, options.accountCreated),
  };
}

export function formatEstimateReport(report: EstimateReport): string {
  return formatEstimateTable(report.estimate, {
    putBudget: report.putBudget,
    notes: [report.regime.summary, ...report.warnings.map((w) => `Warning: ${w}`)],
  });
}

export function registerEstimate(program: Command, deps: { planApi?: FreeTierPlanApi } = {}): void {
  program
    .command('estimate')
    .description(
      'Estimate the monthly AWS cost of uploading at an interval, with the free tier of your account.',
    )
    .addOption(
      new Option(
        '--interval <minutes|30s|5m|1h>',
        'batch interval (a bare number is minutes, as in `upload --interval`)',
      )
        .argParser(interval)
        .default(300_000, '5m'),
    )
    .addOption(
      new Option('--sample-rate <duration>', 'GPU-Z sample interval').argParser(duration).default(1000, '1s'),
    )
    .option('--hosts <n>', 'machines uploading into the same account', positiveInt, 1)
    .addOption(
      new Option('--regime <regime>', 'free tier of the account: legacy (before 15 July 2025), credits, none')
        .choices(FREE_TIER_REGIMES)
        .default('none'),
    )
    .option('--month-days <n>', 'days in the month (default: the current month)', positiveInt)
    .addOption(
      new Option('--region <region>', 'AWS region of the stack').choices(KNOWN_REGIONS).default('us-east-1'),
    )
    .addOption(
      new Option('--arch <arch>', 'Lambda architecture').choices(['arm64', 'x86_64']).default('arm64'),
    )
    .option('--budget <puts>', 'monthly PUT-class request budget for the safe interval', positiveInt, 2000)
    .option(
      '--dashboard-opens <n>',
      'dashboard opens per day (each LISTs the day per host)',
      nonNegativeInt,
      4,
    )
    .option('--latest-json', 'the Lambda also writes latest.json.gz (+1 PUT per batch)', false)
    .option(
      '--kafka-secret',
      'the stack reads Kafka credentials from a Secrets Manager secret ($0.40 a month + API calls)',
      false,
    )
    .option(
      '--analytics-copy',
      'the stack writes the daily Parquet copy under analytics/ (deploy --analytics-copy)',
      false,
    )
    .option('--duration-ms <ms>', 'measured Lambda duration per invocation', positiveInt)
    .option(
      '--account-created <date>',
      'when the AWS account was opened (YYYY-MM-DD), to check the regime',
      date,
    )
    .option('--json', 'print JSON instead of a table', false)
    .action(async (options: EstimateOptions) => {
      const report = await buildEstimate(options, { now: new Date(), planApi: deps.planApi });
      process.stdout.write(
        options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatEstimateReport(report)}\n`,
      );
    });
}

function interval(value: string): number {
  try {
    return parseInterval(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function duration(value: string): number {
  try {
    return parseDuration(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message);
  }
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError(`"${value}" must be a whole number ≥ 1`);
  return n;
}

function nonNegativeInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`"${value}" must be a whole number ≥ 0`);
  return n;
}

function date(value: string): Date {
  const d = new Date(`${value}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || Number.isNaN(d.getTime())) {
    throw new InvalidArgumentError(`"${value}" is not a date: use YYYY-MM-DD`);
  }
  return d;
}
