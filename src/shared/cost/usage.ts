import { NONCURRENT_VERSION_DAYS } from '../stack/lifecycle';
import { type AnalyticsCopyUsage, analyticsCopyUsage } from './analytics-copy';
import {
  LAMBDA_RUN_BASE_MS,
  LAMBDA_SEAL_MS_PER_THOUSAND_ROWS,
  lambdaMsPerThousandRows,
  S3_REQUEST_MS,
} from './lambda-run';

/**
 * What our design makes AWS do in one month, in billed units (no prices here).
 *
 *   modelMonthlyUsage({ intervalMs: 5 * 60_000, monthDays: 30, dashboardOpensPerDay: 0 })
 *   → { batches: 8640, s3PutClass: { puts: 17280, daySeal: 60, total: 17340 },
 *       s3GetClass: { lambda: 8640, sealChecks: 8640, sealReads: 8640, total: 25920 }, … }
 *
 * Per batch and host: one raw PUT (agent), one Lambda invocation, one GET of the raw object (Lambda),
 * one processed PUT (Lambda), one HEAD of the previous day's document (Lambda, GET-class; a warm function skips
 * the days it saw sealed, counted on every batch all the same) and, when enabled, one `latest.json.gz` PUT.
 * Per host and day with data, the day seal (src/shared/process/day-rollups.ts), made by the first batch of the next
 * day when its HEAD finds nothing: one LIST of the day's processed prefix, one GET of each of its objects and one
 * PUT of `rollups/{host}/YYYY/MM/DD.json.gz`, written once and never replaced. The dashboard LISTs a host's first
 * page and its last week of keys when opened and GETs only objects it has not cached (cache keyed by ETag), so each
 * processed object is downloaded once per dashboard device; a device's first long-range draw (or one after days
 * away) LISTs the host's day documents and reads those instead (≈ 30 GETs once, not modelled as monthly). An open
 * that finds only today's batches new makes no day-document request (today is sealed tomorrow: day-outlines.ts).
 */
export interface UsageInput {
  /** Batch interval (ms). */
  intervalMs: number;
  /** GPU-Z sample interval (ms); GPU-Z logs once a second by default. */
  sampleRateMs?: number;
  /**
   * Hours a day GPU-Z logs on each host, on average (default 24: around the clock, the upper bound). Below 24 a day's
   * logging is taken as one sitting: its batches are the intervals it starts (a sitting of 3 h at hourly batches:
   * 3 batches; of 3.5 h: 4), and its rows are its hours' worth. The Costs view measures it from the keys the
   * dashboard lists anyway (processed-data.ts loggedBytes).
   */
  loggingHoursPerDay?: number;
  hosts?: number;
  monthDays?: number;
  /** Also PUT `latest.json.gz` per batch (+1 PUT-class request per batch). */
  latestJson?: boolean;
  rawBytesPerRow?: number;
  gzipRatio?: number;
  processedBytesPerRow?: number;
  lambdaMemoryMb?: number;
  lambdaBaseMs?: number;
  lambdaMsPerThousandRows?: number;
  /** The day seal's CPU per 1,000 rows sealed (ms); every row is sealed once. */
  lambdaSealMsPerThousandRows?: number;
  /** One S3 request the function waits for (ms): the HEAD of every run, the seal's LIST, GETs and PUT. */
  lambdaS3RequestMs?: number;
  /** Stored (gzip) size of one host's day document. */
  dayRollupBytes?: number;
  logBytesPerInvocation?: number;
  logRetentionDays?: number;
  dashboardOpensPerDay?: number;
  dashboardDevices?: number;
  /**
   * Looks a day, per device, at a view over all stored data (Sessions opens on "All stored data"; Charts' button of
   * that name): each LISTs every stored key of each host, one LIST per 1,000 (none more while the host's first page
   * holds them all).
   */
  historyViewsPerDay?: number;
  /** Months of history already in the bucket at the start of the month (processed data never expires). */
  historyMonths?: number;
  /**
   * The stack's `raw_expiry_days` (deploy --raw-expiry-days; 0: raw batches are kept): the raw batches stored are
   * then at most that many days of them, plus the 7 days the versioned bucket keeps an expired object as a noncurrent
   * version. An expiration costs no request (S3 Standard has no minimum storage duration).
   */
  rawExpiryDays?: number;
  alarms?: number;
  /** GetMetricStatistics calls per day made by the actual-vs-estimate view (3 metrics per check). */
  metricChecksPerDay?: number;
  /** The stack reads Kafka credentials from a Secrets Manager secret (deploy --kafka-sasl-secret). */
  kafkaSecret?: boolean;
  /**
   * The app watches the deployed stack (cloud-health/monitor.ts): the error alarm (DescribeAlarms, CloudWatch API)
   * and once a day the failed-event and quarantine listings (two LISTs, PUT-class).
   */
  cloudHealthChecks?: boolean;
  healthAlarmChecksPerDay?: number;
  healthListsPerDay?: number;
  /** The daily analytics copy is on (deploy --analytics-copy): its LIST/PUT/GET, storage and runs. */
  analyticsCopy?: boolean;
}

/**
 * Defaults and where they come from (see docs/costs.md "Defaults").
 * Bytes per row and gzip ratio were measured on ../shared/samples/gpuz: modern GPU-Z rows are 522–680 bytes
 * (space-padded fields; median of the five 2020–2026 NVIDIA/AMD logs ≈ 560), and gzip -6 of 300-row batches
 * compresses them 15–21× (60-row batches 13.5–18.5×). 15× is the conservative end.
 */
const RAW_BYTES_PER_ROW = 560;
const GZIP_RATIO = 15;
/**
 * A full day document of a 1 Hz host, gzip -6: 192,688 bytes for 288 five-minute batches of a real 29-sensor log
 * (1,440 one-minute buckets; src/shared/process/testing/sample-day-rollups.ts, 2026-12-03; the seal bench's
 * replay gives 164 KB for 24 hourly objects, 203 KB for 288). Most of it is the buckets, one a minute whatever the
 * interval, so it is used as is for every interval.
 */
const DAY_ROLLUPS_BYTES = 193_000;
/** PUT-class requests of one host's day seal: the LIST of the day's processed prefix and the day document's PUT. */
export const DAY_SEAL_PUT_CLASS = 2;

export const USAGE_DEFAULTS = {
  sampleRateMs: 1000,
  /** Around the clock: the upper bound, until the store says how long GPU-Z logs a day. */
  loggingHoursPerDay: 24,
  hosts: 1,
  monthDays: 30,
  latestJson: false,
  rawBytesPerRow: RAW_BYTES_PER_ROW,
  gzipRatio: GZIP_RATIO,
  /** Assumption until the Lambda is measured: columnar JSON of the same numbers gzips about as well as the CSV. */
  processedBytesPerRow: RAW_BYTES_PER_ROW / GZIP_RATIO,
  /** From the infra design (Lambda 256 MB). */
  lambdaMemoryMb: 256,
  /** Per run: a cold start + the raw GET and processed PUT, at the 256 MB function's CPU share (lambda-run.ts). */
  lambdaBaseMs: LAMBDA_RUN_BASE_MS,
  /** The processor's measured CPU per MB of log × the bytes of a row, at the same share (≈ 38 ms). */
  lambdaMsPerThousandRows: lambdaMsPerThousandRows(RAW_BYTES_PER_ROW),
  /** The day seal's measured CPU, 215 ms per day of 86,400 rows, at the same share (≈ 17.2 ms per 1,000 rows). */
  lambdaSealMsPerThousandRows: LAMBDA_SEAL_MS_PER_THOUSAND_ROWS,
  /** Assumed: half of the base's 100 ms for the raw GET and the processed PUT. */
  lambdaS3RequestMs: S3_REQUEST_MS,
  dayRollupBytes: DAY_ROLLUPS_BYTES,
  /** START + END + REPORT platform lines (~350 B) + one JSON summary line of ours (~250 B). */
  logBytesPerInvocation: 600,
  /** From the infra design (log group with 7-day retention). */
  logRetentionDays: 7,
  dashboardOpensPerDay: 4,
  dashboardDevices: 1,
  /** Assumed: one look a day at Sessions (its default range is all stored data) or a chart of all of it. */
  historyViewsPerDay: 1,
  historyMonths: 0,
  rawExpiryDays: 0,
  alarms: 1,
  metricChecksPerDay: 0,
  kafkaSecret: false,
  cloudHealthChecks: false,
  /** Every 10 minutes. */
  healthAlarmChecksPerDay: 144,
  /** The failed bucket's and the quarantine prefix's listing, once a day (more only when the alarm fires). */
  healthListsPerDay: 2,
  analyticsCopy: false,
} as const;

/** One LIST returns at most 1,000 keys. */
const KEYS_PER_LIST = 1000;
const GB = 1e9;

/**
 * Key dates the dashboard lists for a host's newest objects (one LIST with a start key,
 * src/main/core/data/processed-data.ts): today and the 12 days before it — a week in which to find the last key
 * date, and the 5 days before that a batch can reach past its own (MAX_BATCH_DAYS, a day each side for time zones).
 * The same listing serves the sensor picker and every chart within those days.
 */
export const DASHBOARD_RECENT_DAYS = 13;

export interface MonthlyUsage {
  monthDays: number;
  hosts: number;
  /** Months of history stored before the month (their storage counts in s3StorageGbMonth). */
  historyMonths: number;
  /** Raw batches expire this many days after upload (0: kept): their storage is at most those days (rawMonthsStored). */
  rawExpiryDays: number;
  /** Batches per host in the month (every started interval counts, so the figure never undercounts). */
  batchesPerHost: number;
  /** Objects uploaded by all hosts (= Lambda invocations). */
  batches: number;
  putsPerBatch: number;
  rowsPerHost: number;
  /**
   * `daySeal` (the Lambda's LIST + PUT per host and sealed day) and `analytics` (LIST + PUT of the daily copy) are
   * part of `total`, and so are the health checks' LISTs (`healthLists` below). `historyLists`: the dashboard's
   * looks at all stored data, part of `lists`.
   */
  s3PutClass: {
    puts: number;
    lists: number;
    historyLists: number;
    daySeal: number;
    analytics: number;
    total: number;
  };
  /**
   * By the Lambda: `lambda` the raw object's GET, `sealChecks` the HEAD of the previous day's document on every
   * batch, `sealReads` the seal's GET of each processed object (once per batch).
   */
  s3GetClass: {
    lambda: number;
    sealChecks: number;
    sealReads: number;
    dashboard: number;
    analytics: number;
    total: number;
  };
  /** Days sealed per host: every day with a processed object (all of them unless batches are over a day apart). */
  sealedDaysPerHost: number;
  /** Average GB stored over the month (raw + processed + day documents + analytics copy, all hosts). */
  s3StorageGbMonth: number;
  /** The daily analytics copy's share of the figures above (all zero when it is off). */
  analytics: AnalyticsCopyUsage;
  lambdaRequests: number;
  lambdaGbSeconds: number;
  lambdaDurationMs: number;
  logsIngestionGb: number;
  logsStorageGbMonth: number;
  alarms: number;
  metricApiRequests: number;
  getMetricDataMetrics: number;
  dataTransferOutGb: number;
  /** 1 with a Kafka credentials secret, else 0. */
  secrets: number;
  /** GetSecretValue: once per cold start, counted as once per invocation (the upper bound). */
  secretApiCalls: number;
  /** The app's health checks of the stack: LISTs (in s3PutClass.total) and DescribeAlarms calls. */
  healthLists: number;
  healthAlarmChecks: number;
}

export type ResolvedUsageInput = Required<UsageInput>;

/** Fills in the defaults: the processed size follows the raw size and ratio unless given. */
export function resolveUsageInput(input: UsageInput): ResolvedUsageInput {
  const rawBytesPerRow = input.rawBytesPerRow ?? USAGE_DEFAULTS.rawBytesPerRow;
  const gzipRatio = input.gzipRatio ?? USAGE_DEFAULTS.gzipRatio;
  return {
    ...USAGE_DEFAULTS,
    ...stripUndefined(input),
    intervalMs: input.intervalMs,
    rawBytesPerRow,
    gzipRatio,
    processedBytesPerRow: input.processedBytesPerRow ?? rawBytesPerRow / gzipRatio,
  };
}

/**
 * Batches in a month at an interval: every started interval is one batch (ceil), so the count never undercounts.
 * Logging `hoursPerDay` below 24 (one sitting a day), each day's sitting starts its own intervals — but never more
 * batches than the month has intervals (an interval longer than the day spans sittings):
 *   batchesInMonth(HOUR, 30) → 720      batchesInMonth(HOUR, 30, 3.5) → 120      batchesInMonth(48 * HOUR, 30, 3) → 15
 */
export function batchesInMonth(intervalMs: number, monthDays: number, hoursPerDay = 24): number {
  const aroundTheClock = Math.ceil((monthDays * 86_400_000) / intervalMs);
  if (hoursPerDay >= 24) return aroundTheClock;
  if (!(hoursPerDay > 0)) return 0;
  return Math.min(aroundTheClock, monthDays * Math.ceil((hoursPerDay * 3_600_000) / intervalMs));
}

/**
 * Months of raw batches stored through the month: all of them (`storedMonths`), or with `rawExpiryDays` at most
 * those days and the noncurrent days after them (in this month's days):
 *   rawMonthsStored({ rawExpiryDays: 0, monthDays: 30 }, 12.5) → 12.5   rawMonthsStored({ rawExpiryDays: 30, monthDays: 30 }, 12.5) → 1.23
 */
export function rawMonthsStored(
  u: Pick<ResolvedUsageInput, 'rawExpiryDays' | 'monthDays'>,
  storedMonths: number,
): number {
  if (!(u.rawExpiryDays > 0)) return storedMonths;
  return Math.min(storedMonths, (u.rawExpiryDays + NONCURRENT_VERSION_DAYS) / u.monthDays);
}

/** PUT-class requests per batch: raw + processed (+ latest.json.gz). */
export function putsPerBatchFor(latestJson: boolean): number {
  return latestJson ? 3 : 2;
}

/**
 * LIST requests the dashboard makes in a month: per open, one LIST of the hosts in the store (listHosts: one page
 * with a delimiter, for the Costs view's host count and the host picker), and per host the first page of its
 * processed keys (the oldest objects, for the extent; a host with fewer than 1,000 objects needs no other) and the
 * last DASHBOARD_RECENT_DAYS days of keys, one LIST per 1,000 of them (the newest objects: sensors, the extent, and
 * a chart within those days). Per look at a view over all stored data (historyViewsPerDay), every stored key of
 * each host, one LIST per 1,000 — none when the first page holds them all (processed-listing.test.ts counts both
 * against the data layer). Not modelled: a chart of older days within a month (a LIST of its days, kept 30 s;
 * fewer keys than a look at all of them), a host that stored nothing in the last week (three LISTs by delimiter find
 * its last day), and the LIST of a host's day documents (`rollups/{host}/`), which comes only with a sealed day of 2
 * or more uncached objects in range — a device's first long-range draw, an open after days away.
 */
export function dashboardListsPerMonth(input: {
  opensPerDay: number;
  monthDays: number;
  hosts: number;
  objectsPerHostPerDay: number;
  devices?: number;
  /** Looks a day at a view over all stored data (default none), and the objects each host has stored by then. */
  historyViewsPerDay?: number;
  storedObjectsPerHost?: number;
}): number {
  const recentPages = Math.max(
    1,
    Math.ceil((input.objectsPerHostPerDay * DASHBOARD_RECENT_DAYS) / KEYS_PER_LIST),
  );
  const opens = input.opensPerDay * input.monthDays * (1 + input.hosts * (1 + recentPages));
  const stored = input.storedObjectsPerHost ?? 0;
  const allPages = stored < KEYS_PER_LIST ? 0 : Math.ceil(stored / KEYS_PER_LIST);
  const looks = (input.historyViewsPerDay ?? 0) * input.monthDays * input.hosts * allPages;
  return (opens + looks) * (input.devices ?? 1);
}

export function modelMonthlyUsage(input: UsageInput): MonthlyUsage {
  if (!(input.intervalMs > 0)) throw new RangeError('intervalMs must be > 0');
  const u = resolveUsageInput(input);
  const hoursPerDay = Math.min(24, Math.max(0, u.loggingHoursPerDay));
  const batchesPerHost = batchesInMonth(u.intervalMs, u.monthDays, hoursPerDay);
  const batches = batchesPerHost * u.hosts;
  const putsPerBatch = putsPerBatchFor(u.latestJson);
  const rowsPerHost = (u.monthDays * hoursPerDay * 3_600_000) / u.sampleRateMs;
  const rowsPerBatch = batchesPerHost > 0 ? rowsPerHost / batchesPerHost : 0;

  // A look at all stored data mid-month lists the months before it and half of this one's objects.
  const listing = {
    opensPerDay: u.dashboardOpensPerDay,
    monthDays: u.monthDays,
    hosts: u.hosts,
    objectsPerHostPerDay: batchesPerHost / u.monthDays,
    devices: u.dashboardDevices,
    historyViewsPerDay: u.dashboardOpensPerDay > 0 ? u.historyViewsPerDay : 0,
    storedObjectsPerHost: Math.ceil((u.historyMonths + 0.5) * batchesPerHost),
  };
  const lists = dashboardListsPerMonth(listing);
  const historyLists = dashboardListsPerMonth({ ...listing, opensPerDay: 0 });
  const puts = batches * putsPerBatch;
  const batchesPerHostPerDay = batchesPerHost / u.monthDays;
  // Only days with a processed object are sealed: all of them unless batches are more than a day apart.
  const sealedDaysPerHost = Math.min(u.monthDays, batchesPerHost);
  const sealListPages = Math.max(1, Math.ceil(batchesPerHostPerDay / KEYS_PER_LIST));
  // The seal's LIST pages (one for up to 1,000 batches a day) and its PUT: DAY_SEAL_PUT_CLASS at any usual interval.
  const sealPutClassPerDay = sealListPages + 1;
  const daySeal = u.hosts * sealedDaysPerHost * sealPutClassPerDay;
  const healthLists = u.cloudHealthChecks ? u.healthListsPerDay * u.monthDays : 0;
  // Each new processed object is fetched once per device; latest.json.gz changes every batch, so a
  // conditional GET on open is still a billed GET.
  // A dashboard that is never opened downloads nothing.
  const devices = u.dashboardOpensPerDay > 0 ? u.dashboardDevices : 0;
  const latestGets = u.latestJson ? u.dashboardOpensPerDay * u.monthDays * u.hosts * devices : 0;
  const dashboardGets = batches * devices + latestGets;

  const rawGbPerMonth = (rowsPerHost * u.hosts * u.rawBytesPerRow) / u.gzipRatio / GB;
  const processedGbPerMonth = (rowsPerHost * u.hosts * u.processedBytesPerRow) / GB;
  // One day document per host and sealed day, written once: no replaced versions for the lifecycle rule to keep.
  const dayRollupGbPerMonth = (u.hosts * sealedDaysPerHost * u.dayRollupBytes) / GB;
  // Processed data never expires (the lifecycle rules only expire noncurrent versions after 7 days): what was stored
  // before stays, and this month's uploads are stored for half the month on average. Raw batches too, unless the
  // stack expires them: then at most their days kept are stored at any time.
  const storedMonths = u.historyMonths + 0.5;
  const s3StorageGbMonth =
    storedMonths * (processedGbPerMonth + dayRollupGbPerMonth) +
    rawMonthsStored(u, storedMonths) * rawGbPerMonth;

  const analytics = u.analyticsCopy
    ? analyticsCopyUsage({
        monthDays: u.monthDays,
        hosts: u.hosts,
        batchesPerHostPerDay,
        rowsPerHostPerDay: rowsPerHost / u.monthDays,
        historyMonths: u.historyMonths,
      })
    : NO_ANALYTICS;

  // The day seal runs once a day in one run; it is spread over the batches it seals (one GET and the CPU of each
  // batch's rows, its LIST and PUT over the day's batches), so the average matches CloudWatch's per invocation.
  // S3 requests are counted one after the other (the upper bound); with the HEAD of every run:
  const s3RequestsPerRun =
    2 + (batchesPerHost > 0 ? (sealedDaysPerHost * sealPutClassPerDay) / batchesPerHost : 0);
  const lambdaDurationMs =
    u.lambdaBaseMs +
    ((u.lambdaMsPerThousandRows + u.lambdaSealMsPerThousandRows) * rowsPerBatch) / 1000 +
    u.lambdaS3RequestMs * s3RequestsPerRun;
  const lambdaGbSeconds =
    (batches * lambdaDurationMs + analytics.invocations * analytics.durationMs) *
    (u.lambdaMemoryMb / 1024 / 1000);
  const logsIngestionGb = ((batches + analytics.invocations) * u.logBytesPerInvocation) / GB;
  // With a retention shorter than the month, the steady-state archive holds `retention` days of logs.
  const logsStorageGbMonth = logsIngestionGb * Math.min(1, u.logRetentionDays / u.monthDays);

  return {
    monthDays: u.monthDays,
    hosts: u.hosts,
    historyMonths: u.historyMonths,
    rawExpiryDays: u.rawExpiryDays,
    batchesPerHost,
    batches,
    putsPerBatch,
    rowsPerHost,
    s3PutClass: {
      puts,
      lists,
      historyLists,
      daySeal,
      analytics: analytics.lists + analytics.puts,
      total: puts + lists + daySeal + healthLists + analytics.lists + analytics.puts,
    },
    s3GetClass: {
      lambda: batches,
      sealChecks: batches,
      sealReads: batches,
      dashboard: dashboardGets,
      analytics: analytics.gets,
      total: batches * 3 + dashboardGets + analytics.gets,
    },
    sealedDaysPerHost,
    s3StorageGbMonth: s3StorageGbMonth + analytics.storageGbMonth,
    analytics,
    lambdaRequests: batches + analytics.invocations,
    lambdaGbSeconds,
    lambdaDurationMs,
    logsIngestionGb,
    logsStorageGbMonth,
    alarms: u.alarms,
    metricApiRequests: u.metricChecksPerDay * u.monthDays * 3,
    getMetricDataMetrics: 0,
    dataTransferOutGb: (batches * devices * rowsPerBatch * u.processedBytesPerRow) / GB,
    secrets: u.kafkaSecret ? 1 : 0,
    secretApiCalls: u.kafkaSecret ? batches : 0,
    healthLists,
    healthAlarmChecks: u.cloudHealthChecks ? u.healthAlarmChecksPerDay * u.monthDays : 0,
  };
}

const NO_ANALYTICS: AnalyticsCopyUsage = {
  lists: 0,
  puts: 0,
  gets: 0,
  storageGbMonth: 0,
  invocations: 0,
  durationMs: 0,
};

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
