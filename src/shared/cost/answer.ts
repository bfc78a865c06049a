/**
 * The one cost answer. The Costs view, the Settings hint, the tray, `gpuz-cloud estimate`, `upload --estimate`
 * and the README's figures all ask costAnswer, with inputs made from the same settings by costInputsOf:
 *
 *   costAnswer(costInputsOf(settings, { now: new Date('2026-12-02') }))   settings: hourly, local folder
 *     → { estimate: { regime: 'none', total: 0.0125…, putClassRequests: 1798, … },
 *         smallestSafeIntervalMinutes: 53, putBudget: 2000, intervalMinutes: 60 }
 *
 * The default regime is `none`: the 12-month S3 allowance (`legacy`) ended for every account by 15 July 2026, and an
 * account opened since pays the same list price from its credits (`credits`). So for an account of unknown age,
 * `none` is the regime that applies today, and it never shows $0.00 for a month that costs something.
 */
import type { Settings } from '../contract';
import { stackOfRawBucket } from '../stack/names';
import { type CostEstimate, type EstimateInput, estimateMonthlyCost } from './estimate';
import type { FreeTierRegime } from './free-tier';
import { daysInMonth, smallestIntervalForBudget } from './interval';
import { lambdaMsPerThousandRows } from './lambda-run';
import { pricesFor } from './prices';
import { modelMonthlyUsage, USAGE_DEFAULTS } from './usage';

/** The regime for an account whose age nobody told us (see the module comment). */
export const DEFAULT_REGIME: FreeTierRegime = 'none';

/** The PUT-class budget the "smallest safe interval" is measured against: the old S3 allowance, 2,000 a month. */
export const DEFAULT_PUT_BUDGET = 2000;

export interface CostInputs extends EstimateInput {
  intervalMs: number;
  /** PUT-class requests a month the smallest safe interval must stay within. */
  putBudget: number;
}

export interface CostAnswer {
  estimate: CostEstimate;
  intervalMinutes: number;
  /** The smallest whole-minute interval within putBudget for this month (null: none fits). */
  smallestSafeIntervalMinutes: number | null;
  putBudget: number;
}

/** What the settings do not say, from the caller: a what-if interval, the regime, what the stack was deployed with. */
export interface CostContext {
  now: Date;
  regime?: FreeTierRegime;
  intervalMinutes?: number;
  kafkaSecret?: boolean;
  analyticsCopy?: boolean;
  /** The stack expires raw batches after this many days (deploy --raw-expiry-days); 0 or absent: kept. */
  rawExpiryDays?: number;
  /** PCs uploading to the store (the hosts seen in it, this PC's among them); 1 when omitted. */
  hosts?: number;
  /** Bytes uploaded so far (the agent's counters): raw / compressed replaces the model's gzip ratio. */
  uploaded?: { rawBytes: number; compressedBytes: number };
  /** The store's oldest reading (epoch ms): the months before this one are storage the month pays for too. */
  storedSince?: number | null;
  /**
   * Each counted host's days with stored readings before this month (processed-data.ts storedDays), this PC's among
   * them: the months stored are their average (the model's `historyMonths` is per host), so another PC's year
   * counts though this PC is new, and a PC that uploaded one day a year ago counts one day. Without it, every host
   * is taken as stored since `storedSince`, without a break.
   */
  storedDaysByHost?: readonly number[];
  /**
   * What each counted host logged on its recent whole days (processed-data.ts loggedBytes; null: not measured):
   * in rows of `bytesPerRow` (one reading a second, as GPU-Z logs by default), their hours a day, averaged over the
   * hosts with 24 for each one not measured, are the hours the model prices (loggingOf). Without: around the clock.
   */
  loggedByHost?: readonly (LoggedBytes | null)[];
  /** Log bytes a row on this PC (rowWidthOf the agent's counters); the model's 560 when omitted. */
  bytesPerRow?: number | undefined;
  /**
   * This PC's hours a day as its agent saw GPU-Z log (logging-share.ts loggingSeenHours): priced when the store
   * measured no host (no whole day stored lately, or the store not read), the other hosts around the clock.
   */
  seenByAgent?: { hoursPerDay: number; days: number } | null;
}

/** What a host logged on its recent whole days. */
export interface LoggedBytes {
  days: number;
  /** Log bytes stored over those days. */
  bytes: number;
  /** Log bytes a second of its logging writes (its row width at its interval), when known. */
  bytesPerSecond?: number;
  /**
   * The key date (UTC midnight) of its newest object when it stored nothing on the recent days: measured on the
   * days before it instead (processed-data.ts loggedBytes).
   */
  lastDay?: number;
  /**
   * The key date it stores again from, yesterday or today, after 13 days or more without (measured on its days
   * before them, `lastDay` the last of those, until a whole day of it is stored).
   */
  resumedDay?: number;
}

/** How long GPU-Z logs a day, as measured from what the hosts stored (loggingOf). */
export interface Logging {
  /**
   * Hours a day per host, on average over the hosts counted: each measured one's (at most 24), and 24 for each one
   * not measured yet (no whole day stored: the upper bound, as before anything was measured).
   */
  hoursPerDay: number;
  /** Log bytes a day per host measured, on average. */
  bytesPerDay: number;
  /** The whole days measured (the most of any host). */
  days: number;
  /** The model's row: the log bytes a second of logging writes, over the hosts measured (one row a second). */
  bytesPerRow: number;
  /** Hosts counted around the clock: not measured yet. */
  unmeasuredHosts: number;
  /** Hosts measured on their last days of logging, weeks ago (LoggedBytes.lastDay): none stored lately. */
  idleHosts: number;
  /** The newest of those hosts' last key dates (UTC midnight); null when none is idle. */
  lastLoggedDay: number | null;
  /** Of the idle hosts, those storing again since yesterday or today (LoggedBytes.resumedDay), and its newest. */
  resumedHosts: number;
  resumedDay: number | null;
  /** Measured by this PC's agent, not from the store (CostContext.seenByAgent): `days` are the days it looked. */
  seenByAgent: boolean;
}

const MONTH_DAYS = 365.25 / 12;
const MONTH_MS = MONTH_DAYS * 86_400_000;

/** Months of readings stored before the month of `now` began (processed data never expires), to a hundredth. */
export function historyMonthsOf(storedSince: number | null | undefined, now: Date): number {
  if (storedSince === null || storedSince === undefined) return 0;
  const monthStart = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  return Math.max(0, Math.round(((monthStart - storedSince) / MONTH_MS) * 100) / 100);
}

/** The model's inputs for these settings: interval from the schedule, region and health checks from the target. */
export function costInputsOf(settings: Settings, context: CostContext): CostInputs {
  const monthDays = daysInMonth(context.now);
  const intervalMinutes = context.intervalMinutes ?? scheduleMinutes(settings.schedule, monthDays);
  const target = settings.target;
  const deployed = target.kind === 's3' ? target : null;
  const rawExpiryDays = context.rawExpiryDays ?? deployed?.rawExpiryDays;
  const region = target.kind === 's3' && pricesFor(target.region) ? target.region : 'us-east-1';
  const uploaded = context.uploaded;
  const measuredRatio =
    uploaded && uploaded.compressedBytes > 0 ? uploaded.rawBytes / uploaded.compressedBytes : undefined;
  return {
    intervalMs: intervalMinutes * 60_000,
    monthDays,
    regime: context.regime ?? DEFAULT_REGIME,
    region,
    putBudget: DEFAULT_PUT_BUDGET,
    kafkaSecret: context.kafkaSecret ?? false,
    // A what-if asked, else what the deployed stack does (its outputs at the last deploy, kept in the target).
    analyticsCopy: context.analyticsCopy ?? deployed?.analyticsCopy ?? false,
    ...(rawExpiryDays ? { rawExpiryDays } : {}),
    ...(context.hosts && context.hosts > 1 ? { hosts: context.hosts } : {}),
    // Uploading to one of our stacks: the app watches it (alarm every 10 min, two LISTs a day); count that too.
    cloudHealthChecks: target.kind === 's3' && stackOfRawBucket(target.bucket) !== null,
    ...(measuredRatio && settings.compression === 'gzip' ? { gzipRatio: measuredRatio } : {}),
    historyMonths: storedMonths(context),
    ...loggingInputs(loggingOf(context)),
  };
}

/**
 * The hours a day GPU-Z logs per host, from what the hosts stored lately: each host measured at its own (its bytes
 * a day ÷ its bytes a second of logging, else ÷ `bytesPerRow` at one row a second), each of the `hosts` not
 * measured at 24. When no host was measured, or none logged anything on its days, this PC's hours as its agent saw
 * them (seenByAgent), else null (priced around the clock then: a PC about to log again is not priced at nothing).
 */
export function loggingOf(
  context: Pick<CostContext, 'loggedByHost' | 'bytesPerRow' | 'hosts' | 'seenByAgent'>,
): Logging | null {
  const listed = context.loggedByHost ?? [];
  const measured = listed.filter((host): host is LoggedBytes => host !== null);
  const width = context.bytesPerRow ?? USAGE_DEFAULTS.rawBytesPerRow;
  // Each host in its own bytes a second of logging when known (another PC's rows need not be this PC's), else
  // this PC's row width at one row a second.
  const perDay = measured.map((host) => host.bytes / host.days);
  const hoursOf = measured.map((host, i) => Math.min(24, perDay[i]! / (host.bytesPerSecond ?? width) / 3600));
  const hours = hoursOf.reduce((sum, h) => sum + h, 0);
  const hosts = Math.max(context.hosts ?? 1, listed.length);
  if (!(hours > 0)) return seenByAgentOf(context.seenByAgent, hosts, width);
  const unmeasuredHosts = hosts - measured.length;
  const bytes = perDay.reduce((sum, b) => sum + b, 0);
  const idle = measured.flatMap((host) => (host.lastDay === undefined ? [] : [host.lastDay]));
  const resumed = measured.flatMap((host) => (host.resumedDay === undefined ? [] : [host.resumedDay]));
  return {
    hoursPerDay: (hours + 24 * unmeasuredHosts) / hosts,
    bytesPerDay: bytes / measured.length,
    days: Math.max(...measured.map((host) => host.days)),
    bytesPerRow: bytes / (hours * 3600),
    unmeasuredHosts,
    idleHosts: idle.length,
    lastLoggedDay: idle.length > 0 ? Math.max(...idle) : null,
    resumedHosts: resumed.length,
    resumedDay: resumed.length > 0 ? Math.max(...resumed) : null,
    seenByAgent: false,
  };
}

/** This PC's hours as its agent saw them, the other hosts around the clock; null when it saw none (or no whole day). */
function seenByAgentOf(seen: CostContext['seenByAgent'], hosts: number, width: number): Logging | null {
  if (!seen || !(seen.hoursPerDay > 0)) return null;
  return {
    hoursPerDay: (seen.hoursPerDay + 24 * (hosts - 1)) / hosts,
    bytesPerDay: seen.hoursPerDay * 3600 * width,
    days: seen.days,
    bytesPerRow: width,
    unmeasuredHosts: hosts - 1,
    idleHosts: 0,
    lastLoggedDay: null,
    resumedHosts: 0,
    resumedDay: null,
    seenByAgent: true,
  };
}

/** Rows read before a PC's own row width is taken for the model's (a header and a few rows say little). */
const ROWS_FOR_WIDTH = 1000;

/** This PC's log bytes a row from the agent's counters, once it has read enough rows; else undefined (560). */
export function rowWidthOf(counters: { bytesRead: number; rowsRead: number }): number | undefined {
  return counters.rowsRead >= ROWS_FOR_WIDTH ? counters.bytesRead / counters.rowsRead : undefined;
}

/** The model's inputs for a measured logging: its hours, and rows as wide as measured (storage, processing time). */
function loggingInputs(logging: Logging | null): Partial<CostInputs> {
  if (!logging) return {};
  return {
    loggingHoursPerDay: logging.hoursPerDay,
    rawBytesPerRow: logging.bytesPerRow,
    lambdaMsPerThousandRows: lambdaMsPerThousandRows(logging.bytesPerRow),
  };
}

/** Months stored per host, averaged over the hosts (storedDaysByHost), or those since `storedSince`. */
function storedMonths(context: CostContext): number {
  const byHost = context.storedDaysByHost ?? [];
  if (byHost.length === 0) return historyMonthsOf(context.storedSince, context.now);
  const days = byHost.reduce((total, stored) => total + stored, 0) / byHost.length;
  return Math.round((days / MONTH_DAYS) * 100) / 100;
}

export function costAnswer(inputs: CostInputs): CostAnswer {
  return {
    estimate: estimateMonthlyCost(inputs),
    intervalMinutes: inputs.intervalMs / 60_000,
    smallestSafeIntervalMinutes: smallestSafeInterval(inputs),
    putBudget: inputs.putBudget,
  };
}

/**
 * The smallest whole-minute interval whose month stays within the PUT budget, counted at that interval (the
 * dashboard's LISTs grow with the number of objects, so they are counted for the candidate, not for the interval
 * asked about: the answer is the same whatever the what-if). PUT-class requests only fall as the interval grows,
 * so a binary search over 1 … the month's minutes finds it; null when even one batch a month does not fit.
 */
export function smallestSafeInterval(inputs: CostInputs): number | null {
  const fits = (minutes: number) =>
    modelMonthlyUsage({ ...inputs, intervalMs: minutes * 60_000 }).s3PutClass.total <= inputs.putBudget;
  let high = (inputs.monthDays ?? 30) * 1440;
  if (!fits(high)) return null;
  let low = 1;
  while (low < high) {
    const mid = Math.floor((low + high) / 2);
    if (fits(mid)) high = mid;
    else low = mid + 1;
  }
  return low;
}

/** Whether the target puts anything on an AWS bill: S3 itself, not a local folder or an S3-compatible server. */
export function awsBilled(target: Settings['target']): boolean {
  return target.kind === 's3' && !target.endpoint;
}

/** The interval a schedule means this month: fixed, or the smallest that fits its monthly PUT budget. */
export function scheduleMinutes(schedule: Settings['schedule'], monthDays: number): number {
  if (schedule.kind === 'interval') return schedule.minutes;
  const minutes = smallestIntervalForBudget({ putBudget: schedule.monthlyPuts, monthDays });
  return Number.isFinite(minutes) ? minutes : monthDays * 1440;
}
