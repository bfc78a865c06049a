/**
 * `gpuz-cloud estimate`: the monthly AWS bill of the design, as a table or JSON — the one cost answer
 * (src/shared/cost/answer.ts) for the settings the agent and the tray app use, so it prints the Costs view's figures.
 *
 *   gpuz-cloud estimate                                  → the saved settings' interval (a fresh install: 1 h), regime none
 *   gpuz-cloud estimate --interval 5m --regime credits   → what if: any flag replaces that input
 *   gpuz-cloud estimate --interval 45m --hosts 2 --json  → { estimate, smallestIntervalMinutes, intervalMinutes, … }
 *   gpuz-cloud estimate --stored-months 12               → a month after a year of readings (storage grows)
 * Without --stored-months (or --hosts) it reads the settings' store as the Costs view does: the hosts in it and the
 * days each has stored before this month (core/cost/stored-history.ts; on S3 a LIST of the hosts and one per host).
 *
 * `upload --estimate` asks the same answer for the settings its flags make.
 */
import { join } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { utcDate } from '../../../shared/analytics/row-schema';
import { formatBytes } from '../../../shared/byte-format';
import type { Settings } from '../../../shared/contract';
import {
  awsBilled,
  type CostContext,
  costAnswer,
  costInputsOf,
  DEFAULT_PUT_BUDGET,
  DEFAULT_REGIME,
  type LoggedBytes,
  type Logging,
  loggingOf,
  rowWidthOf,
} from '../../../shared/cost/answer';
import {
  type BudgetScheduleNow,
  budgetScheduleNow,
  budgetScheduleText,
  type MonthCounters,
} from '../../../shared/cost/budget-schedule';
import { parseDuration, parseInterval } from '../../../shared/cost/duration';
import type { CostEstimate, LambdaArch } from '../../../shared/cost/estimate';
import { formatEstimateTable, formatHours } from '../../../shared/cost/format';
import { FREE_TIER_REGIMES, type FreeTierRegime, regimeWarnings } from '../../../shared/cost/free-tier';
import { loggingSeenHours } from '../../../shared/cost/logging-share';
import { KNOWN_REGIONS } from '../../../shared/cost/prices';
import { toError } from '../../../shared/errors';
import { NONCURRENT_VERSION_DAYS } from '../../../shared/stack/lifecycle';
import { hostOfProcess, stateDirOf } from '../../core/app/host';
import { type FreeTierPlanApi, type ResolvedRegime, resolveRegime } from '../../core/cost/plan-state';
import { storedHistory, withThisPc } from '../../core/cost/stored-history';
import { cacheFolderOf } from '../../core/data/cache-folders';
import { createProcessedBatchCache } from '../../core/data/etag-cache';
import { createProcessedData } from '../../core/data/processed-data';
import { createSettingsStore, defaultSettings, SETTINGS_FILE } from '../../core/settings';
import { createStoreFor } from '../../core/store';
import { readStatus } from './status';

/** Flags; each one given replaces what the settings (or the model's defaults) say. */
export interface EstimateOptions {
  interval?: number;
  sampleRate?: number;
  hosts?: number;
  regime: FreeTierRegime;
  monthDays?: number;
  storedMonths?: number;
  hoursPerDay?: number;
  region?: string;
  arch?: LambdaArch;
  budget?: number;
  dashboardOpens?: number;
  historyViews?: number;
  latestJson?: boolean;
  kafkaSecret?: boolean;
  analyticsCopy?: boolean;
  rawExpiryDays?: number;
  durationMs?: number;
  accountCreated?: Date;
  stateDir?: string;
  json: boolean;
}

export interface EstimateReport {
  estimate: CostEstimate;
  intervalMinutes: number;
  smallestIntervalMinutes: number | null;
  putBudget: number;
  regime: ResolvedRegime;
  warnings: string[];
  stored?: StoreReading;
  /** The hours a day GPU-Z logs as priced: measured from the store, or --hours-per-day; null: around the clock. */
  logging: { hoursPerDay: number; measured: Logging | null } | null;
  /** A budget schedule as the agent runs it now, priced at its interval (no --interval given); else null. */
  schedule: BudgetScheduleNow | null;
}

/** What the app knows that the flags may not say: the settings and the bytes uploaded so far. */
export interface EstimateContext {
  now: Date;
  settings: Settings;
  uploaded?: { rawBytes: number; compressedBytes: number };
  /** This PC's log bytes a row (rowWidthOf the agent's counters). */
  bytesPerRow?: number | undefined;
  /** The agent's counters this month and the minutes it saw GPU-Z log: a budget schedule's interval now. */
  counters?: MonthCounters;
  planApi?: FreeTierPlanApi | undefined;
  /** What the store holds (readStore): its hosts and their days stored, as the Costs view counts them. */
  stored?: StoreReading;
}

/**
 * The settings' store as read for the estimate: where, its hosts, their days stored and what each logged on its
 * recent whole days, or why it could not be read.
 */
export type StoreReading =
  | {
      target: string;
      hosts: string[];
      storedDaysByHost: number[];
      loggedByHost: (LoggedBytes | null)[];
    }
  | { target: string; error: string };

/** The estimate, the regime it used (read or chosen) and the warnings, for the table or the JSON. */
export async function buildEstimate(
  options: EstimateOptions,
  deps: EstimateContext,
): Promise<EstimateReport> {
  const regime = await resolveRegime({ userChoice: options.regime, now: deps.now, planApi: deps.planApi });
  const { schedule: saved } = deps.settings;
  // The interval the agent's budget schedule gives now, as the Costs view prices it (budget-schedule.ts)
  const schedule =
    saved.kind === 'budget' && options.interval === undefined
      ? budgetScheduleNow(saved.monthlyPuts, deps.counters ?? NO_REQUESTS, deps.now)
      : null;
  const context: CostContext = {
    now: deps.now,
    regime: regime.regime,
    ...(options.interval !== undefined ? { intervalMinutes: options.interval / 60_000 } : {}),
    ...(schedule ? { intervalMinutes: schedule.intervalMinutes } : {}),
    kafkaSecret: options.kafkaSecret === true,
    analyticsCopy: options.analyticsCopy === true,
    ...(options.rawExpiryDays ? { rawExpiryDays: options.rawExpiryDays } : {}),
    ...(deps.uploaded ? { uploaded: deps.uploaded } : {}),
    ...(deps.stored && 'hosts' in deps.stored
      ? {
          // --hosts counts more (or fewer) PCs than the store lists: those not listed are not measured.
          hosts: options.hosts ?? deps.stored.hosts.length,
          storedDaysByHost: deps.stored.storedDaysByHost,
          loggedByHost: deps.stored.loggedByHost,
        }
      : {}),
    bytesPerRow: deps.bytesPerRow,
    seenByAgent: loggingSeenHours(deps.counters?.logging, deps.now),
  };
  const inputs = costInputsOf(deps.settings, context);
  const measured = loggingOf(context);
  const answer = costAnswer({
    ...inputs,
    ...defined({
      sampleRateMs: options.sampleRate,
      hosts: options.hosts,
      monthDays: options.monthDays,
      historyMonths: options.storedMonths,
      loggingHoursPerDay: options.hoursPerDay,
      region: options.region,
      arch: options.arch,
      putBudget: options.budget,
      dashboardOpensPerDay: options.dashboardOpens,
      historyViewsPerDay: options.historyViews,
      latestJson: options.latestJson,
      creditsRemainingUsd: regime.creditsRemainingUsd,
    }),
    ...(options.durationMs !== undefined
      ? {
          lambdaBaseMs: options.durationMs,
          lambdaMsPerThousandRows: 0,
          lambdaSealMsPerThousandRows: 0,
          lambdaS3RequestMs: 0,
        }
      : {}),
  });
  return {
    estimate: answer.estimate,
    intervalMinutes: answer.intervalMinutes,
    smallestIntervalMinutes: answer.smallestSafeIntervalMinutes,
    putBudget: answer.putBudget,
    regime,
    warnings: regimeWarnings(regime.regime, deps.now, options.accountCreated),
    ...(deps.stored ? { stored: deps.stored } : {}),
    logging:
      options.hoursPerDay !== undefined
        ? { hoursPerDay: options.hoursPerDay, measured }
        : measured && { hoursPerDay: measured.hoursPerDay, measured },
    schedule,
  };
}

/** Counters of an agent that has counted nothing: a budget spread around the clock over the whole month. */
const NO_REQUESTS: MonthCounters = { requestsThisMonth: { month: '', put: 0, list: 0 } };

/**
 * The hosts in the settings' store and the days each has stored before this month, as the Costs view reads them
 * (this PC's host counted even before its first upload). A store that cannot be read says why: the estimate is then
 * a first month of this PC alone, as the Costs view's is.
 */
export async function readStore(stateDir: string, settings: Settings, now: Date): Promise<StoreReading> {
  const store = createStoreFor(settings.target, 'processed');
  const data = createProcessedData({
    store,
    cache: createProcessedBatchCache({ store, dir: cacheFolderOf(stateDir, settings.target) }),
  });
  try {
    const hosts = withThisPc(await data.hosts(), settings.host);
    const stored = await storedHistory(data, hosts, now);
    if (stored) {
      const { storedDaysByHost, loggedByHost } = stored;
      return { target: store.description, hosts, storedDaysByHost, loggedByHost };
    }
    return { target: store.description, error: 'its objects could not be listed' };
  } catch (error) {
    return { target: store.description, error: toError(error).message };
  }
}

/** The line the table prints of what was read from the store. */
function storeNote(stored: StoreReading): string {
  if ('error' in stored) {
    return `Store ${stored.target} not read (${stored.error}): priced as this PC's first month; --hosts and --stored-months say otherwise.`;
  }
  const days = stored.storedDaysByHost.reduce((sum, d) => sum + d, 0) / Math.max(1, stored.hosts.length);
  return `Store ${stored.target}: ${stored.hosts.length} host(s) (${stored.hosts.join(', ')}), ${Math.round(days)} day(s) stored before this month per host on average (--hosts and --stored-months say otherwise).`;
}

/** The line the table prints of how long raw batches are stored. */
function rawNote(days: number): string {
  return days > 0
    ? `Raw batches priced as deleted ${days} day(s) after upload, then kept ${NONCURRENT_VERSION_DAYS} more as old versions; the processed data stays.`
    : 'Raw batches priced as kept, as a stack is deployed by default (--raw-expiry-days N for a stack that deletes them).';
}

/** The line the table prints of the hours a day priced. */
function loggingNote(report: EstimateReport): string {
  const { logging } = report;
  const measured = logging?.measured;
  const read = report.stored !== undefined && 'hosts' in report.stored;
  const unmeasured = measured?.unmeasuredHosts
    ? `, ${measured.unmeasuredHosts} host(s) with no whole day stored counted around the clock`
    : '';
  // Hosts that stored nothing lately are measured on their last days of logging (key dates: UTC midnights).
  const again =
    measured?.resumedDay != null
      ? ` (${measured.resumedHosts} of them again since ${utcDate(measured.resumedDay)}, no whole day yet)`
      : '';
  const idle =
    measured?.lastLoggedDay != null
      ? `; ${measured.idleHosts} host(s) stored nothing lately${again}, measured on their last days of logging (the newest stored ${utcDate(measured.lastLoggedDay)})`
      : '';
  // Hosts measured on their last days of logging were not measured on the last days.
  const seen = measured?.seenByAgent
    ? `Hours of logging: ${formatHours(measured.hoursPerDay)} a day per host, as this PC's agent saw GPU-Z log over the last ${measured.days} day(s) (${read ? 'no whole day stored lately' : 'the store not read'}${unmeasured})`
    : measured
      ? `Hours of logging: ${formatHours(measured.hoursPerDay)} a day per host, as stored over ${measured.lastLoggedDay != null ? '' : 'the last '}${measured.days} whole day(s) (${formatBytes(measured.bytesPerDay)} of log a day per host measured${unmeasured}${idle})`
      : read
        ? 'No whole day of logging stored lately'
        : 'Hours of logging not measured (the store not read)';
  if (!logging) return `${seen}: priced around the clock, 24 h a day (--hours-per-day says otherwise).`;
  if (measured && logging.hoursPerDay === measured.hoursPerDay)
    return `${seen}: priced so (--hours-per-day says otherwise).`;
  return `${seen}; priced at ${formatHours(logging.hoursPerDay)} a day as asked.`;
}

/** The settings of a state folder (defaults before the first save) and the agent's uploaded bytes there. */
export async function estimateContextOf(stateDir: string, now: Date): Promise<EstimateContext> {
  const settings = await createSettingsStore({ stateDir, defaults: defaultSettings(stateDir, '') }).load();
  const { counters } = await readStatus(stateDir);
  return {
    now,
    settings,
    uploaded: { rawBytes: counters.rawBytesUploaded, compressedBytes: counters.compressedBytesUploaded },
    bytesPerRow: rowWidthOf(counters),
    counters,
  };
}

export function formatEstimateReport(report: EstimateReport, settingsNote?: string): string {
  return formatEstimateTable(report.estimate, {
    putBudget: report.putBudget,
    smallestIntervalMinutes: report.smallestIntervalMinutes,
    notes: [
      ...(settingsNote ? [settingsNote] : []),
      ...(report.schedule ? [`Upload schedule: ${budgetScheduleText(report.schedule)}.`] : []),
      ...(report.stored ? [storeNote(report.stored)] : []),
      rawNote(report.estimate.usage.rawExpiryDays),
      loggingNote(report),
      report.regime.summary,
      ...report.warnings.map((w) => `Warning: ${w}`),
    ],
  });
}

function defined<T extends object>(values: T): Partial<T> {
  return Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined)) as Partial<T>;
}

export function registerEstimate(program: Command, deps: { planApi?: FreeTierPlanApi } = {}): void {
  program
    .command('estimate')
    .description(
      'Estimate the monthly AWS cost of your settings (or of an interval), with the free tier of your account.',
    )
    .addOption(
      new Option(
        '--interval <minutes|30s|5m|1h>',
        "batch interval (a bare number is minutes, as in `upload --interval`; default: the settings' schedule, 1 h on a fresh install)",
      ).argParser(interval),
    )
    .addOption(
      new Option('--sample-rate <duration>', 'GPU-Z sample interval').argParser(duration).default(1000, '1s'),
    )
    .option(
      '--hosts <n>',
      'machines uploading into the same account (default: the hosts in the store, this PC among them)',
      positiveInt,
    )
    .addOption(
      new Option(
        '--regime <regime>',
        'free tier of the account: none (today for any account of unknown age), credits (opened in the last 6 months), legacy (the 12-month offer, ended by 15 July 2026)',
      )
        .choices(FREE_TIER_REGIMES)
        .default(DEFAULT_REGIME),
    )
    .option('--month-days <n>', 'days in the month (default: the current month)', positiveInt)
    .option(
      '--stored-months <n>',
      'months of readings already in the bucket per host (objects never expire: the month pays their storage too; default: the days the store holds, as the Costs view counts them)',
      nonNegativeInt,
    )
    .option(
      '--hours-per-day <h>',
      'hours a day GPU-Z logs on each host, one sitting a day (default: as the store shows over its last whole days, else 24)',
      hoursPerDay,
    )
    .addOption(
      new Option(
        '--region <region>',
        "AWS region of the stack (default: the settings' S3 region, else us-east-1)",
      ).choices(KNOWN_REGIONS),
    )
    .addOption(
      new Option('--arch <arch>', 'Lambda architecture').choices(['arm64', 'x86_64']).default('arm64'),
    )
    .option(
      '--budget <puts>',
      'monthly PUT-class request budget for the safe interval',
      positiveInt,
      DEFAULT_PUT_BUDGET,
    )
    .option(
      '--dashboard-opens <n>',
      'dashboard opens per day (each LISTs the day per host)',
      nonNegativeInt,
      4,
    )
    .option(
      '--history-views <n>',
      'looks per day at all stored data, e.g. Sessions (each LISTs every key: 1 per 1,000)',
      nonNegativeInt,
      1,
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
    .option(
      '--raw-expiry-days <n>',
      'the stack deletes raw batches this many days after upload (deploy --raw-expiry-days; default: kept, as deployed by default)',
      nonNegativeInt,
    )
    .option('--duration-ms <ms>', 'measured Lambda duration per invocation', positiveInt)
    .option(
      '--account-created <date>',
      'when the AWS account was opened (YYYY-MM-DD), to check the regime',
      date,
    )
    .option(
      '--state-dir <dir>',
      'the settings (and uploaded bytes) to estimate, shared with `gpuz-cloud agent` and the tray app (default: the app-data folder)',
    )
    .option('--json', 'print JSON instead of a table', false)
    .action(async (options: EstimateOptions) => {
      const stateDir = stateDirOf(hostOfProcess(), options.stateDir);
      const context = await estimateContextOf(stateDir, new Date());
      // Asked for both, the store is not read (no request); else it is, as the Costs view reads it.
      const read = options.hosts === undefined || options.storedMonths === undefined;
      const stored = read ? await readStore(stateDir, context.settings, context.now) : undefined;
      const report = await buildEstimate(options, {
        ...context,
        planApi: deps.planApi,
        ...(stored ? { stored } : {}),
      });
      const note = `Settings: ${join(stateDir, SETTINGS_FILE)} (every ${report.intervalMinutes} min${
        options.interval !== undefined ? ' as asked' : ''
      }, ${awsBilled(context.settings.target) ? 'uploading to AWS S3' : 'not uploading to AWS: no AWS bill today, the figures are a what-if'})`;
      process.stdout.write(
        options.json ? `${JSON.stringify(report, null, 2)}\n` : `${formatEstimateReport(report, note)}\n`,
      );
    });
}

function interval(value: string): number {
  try {
    return parseInterval(value);
  } catch (error) {
    throw new InvalidArgumentError(toError(error).message);
  }
}

function duration(value: string): number {
  try {
    return parseDuration(value);
  } catch (error) {
    throw new InvalidArgumentError(toError(error).message);
  }
}

function hoursPerDay(value: string): number {
  const n = Number(value);
  if (!(n > 0 && n <= 24))
    throw new InvalidArgumentError(`"${value}" must be a number of hours above 0 and at most 24`);
  return n;
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
