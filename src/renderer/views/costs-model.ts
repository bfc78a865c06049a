/**
 * What the Costs view (and the Settings hint) say about a CostView, as plain data — no DOM, unit-tested:
 *   costHeadline(view) → 'About $0.0110 a month at 1 h between uploads.'
 *   costFigures(view)  → [{ label: 'Monthly estimate', text: '$0.0110', testid: 'cost-monthly', … }, …]
 *   serviceRows(view)  → [{ service: 'S3 uploads and listings', explanation: 'S3 bills every upload (PUT) …', … }]
 * costs.ts binds these to the page; every figure comes from the one cost answer in the main process.
 */
import type { CostView, FreeTierRegime, ServiceUsage } from '../../shared/contract';
import { budgetScheduleText } from '../../shared/cost/budget-schedule';
import { formatHours } from '../../shared/cost/format';
import { DASHBOARD_RECENT_DAYS } from '../../shared/cost/usage';
import { NONCURRENT_VERSION_DAYS } from '../../shared/stack/lifecycle';
import { formatDate } from '../../shared/time-format';
import { formatBytes, formatCount, formatDuration, formatUsd } from '../format';

export const REGIME_CHOICES: { value: FreeTierRegime; label: string }[] = [
  { value: 'none', label: 'No free tier (any account today, unless it is under 6 months old)' },
  { value: 'credits', label: 'New account on credits (opened in the last 6 months)' },
  { value: 'legacy', label: 'Old 12-month free tier (ended for every account by 15 July 2026)' },
];

/** One-line plain explanations of the words on AWS's bill, shown as a note under each line and as a tooltip. */
export const JARGON = {
  putClass:
    'PUT-class requests: S3 bills every upload (PUT) and every listing of a folder (LIST) at one price, per 1,000.',
  get: 'GET requests: S3 bills every download of an object and every check that one exists, per 1,000; the processing function downloads each batch twice (to process it, and once the day is over to gather the day into one summary document) and checks on every batch whether the day before is gathered yet.',
  storage: 'GB-month: one gigabyte kept for a whole month.',
  lambdaRequests: 'The processing function runs once per uploaded batch; AWS counts each run.',
  gbSeconds:
    'GB-seconds (GB-s): a function run is billed by memory × time — 1 GB for 1 second is 1 GB-s; 256 MB for 1.3 s is 0.325 GB-s.',
  logs: "CloudWatch Logs keep the processing function's own log lines (a few per batch) for 7 days.",
  alarms: 'One alarm tells you when processing fails.',
  getMetricStatistics:
    'GetMetricStatistics: the request the app uses to read how often the function ran; free up to 1 million a month.',
  getMetricData: 'GetMetricData: a CloudWatch request the app never makes (it is never free).',
  transfer:
    'Data transfer out: bytes downloaded from AWS to this PC (charts); the first 100 GB a month are free.',
  describeAlarms:
    "DescribeAlarms: the app checks your stack's alarm every 10 minutes; free within the 1 million requests a month.",
  secret: 'A Secrets Manager secret holds the Kafka password: $0.40 a month each, plus its reads.',
} as const;

const EXPLAINED: [prefix: string, words: string, explanation: string][] = [
  ['S3 PUT/COPY/POST/LIST', 'S3 uploads and listings', JARGON.putClass],
  ['S3 GET', 'S3 downloads', JARGON.get],
  ['S3 Standard storage', 'S3 storage', JARGON.storage],
  ['Lambda requests', 'Processing runs', JARGON.lambdaRequests],
  ['Lambda duration', 'Processing time', JARGON.gbSeconds],
  ['CloudWatch Logs ingestion', 'Function logs written', JARGON.logs],
  ['CloudWatch Logs storage', 'Function logs kept', JARGON.logs],
  ['CloudWatch alarms', 'Failure alarm', JARGON.alarms],
  ['CloudWatch GetMetricStatistics', 'Run counts read by the app', JARGON.getMetricStatistics],
  ['CloudWatch GetMetricData', 'Metric data (not used)', JARGON.getMetricData],
  ['CloudWatch DescribeAlarms', 'Alarm checks by the app', JARGON.describeAlarms],
  ['Data transfer out', 'Downloads to this PC', JARGON.transfer],
  ['Secrets Manager', 'Kafka password secret', JARGON.secret],
];

export interface ServiceRow {
  /** AWS's name for the line, as on the bill. */
  service: string;
  /** The same in plain words. */
  words: string;
  explanation: string;
  meter: { value: number; max: number; low: number; high: number; label: string } | null;
  usageText: string;
  usd: number;
  usdText: string;
}

export interface Figure {
  label: string;
  text: string;
  testid: string;
  data: Record<string, string | number>;
  tip?: string;
  big?: boolean;
}

/** The one sentence a person reads first. */
export function costHeadline(view: CostView): string {
  const every = formatDuration(view.intervalMinutes * 60_000);
  const month = `${formatUsd(view.monthlyUsd)} a month at ${every} between uploads`;
  if (!view.awsBilled) {
    return `This PC does not upload to AWS, so AWS bills nothing. Uploading to your own AWS stack would cost about ${month}.`;
  }
  if (view.regime === 'credits') {
    return `About ${month}, taken from your sign-up credits: ${formatUsd(view.billedUsd)} reaches your card.`;
  }
  return `About ${month}.`;
}

/**
 * "48 min or more keeps …" — the Costs view's and the Settings hint's words for the smallest safe interval, with the
 * hours of logging it holds for when they were measured (more logging, more batches: 7 min fits 2.7 h a day only).
 */
export function safeIntervalText(view: CostView): string {
  const budget = formatCount(view.putBudget);
  const logged = view.logging && view.logging.hoursPerDay < 23.95 ? view.logging.hoursPerDay : null;
  const hours = logged === null ? '' : ` at ${formatHours(logged)} of logging a day`;
  return view.smallestSafeIntervalMinutes === null
    ? `No interval keeps S3 uploads and listings within ${budget} a month${hours}.`
    : `${view.smallestSafeIntervalMinutes} min or more keeps S3 uploads and listings within ${budget} a month${hours}.`;
}

export function costFigures(view: CostView): Figure[] {
  const figures: Figure[] = [
    {
      label: 'Monthly estimate',
      text: formatUsd(view.monthlyUsd),
      testid: 'cost-monthly',
      data: { 'data-usd': view.monthlyUsd },
      big: true,
    },
    {
      label: 'Charged to the card',
      text: formatUsd(view.billedUsd),
      testid: 'cost-billed',
      data: { 'data-usd': view.billedUsd },
      ...(view.regime === 'credits' ? { tip: 'The rest is taken from the sign-up credits.' } : {}),
    },
    {
      label: 'S3 uploads and listings',
      text: `${formatCount(view.putClassRequests)} a month`,
      testid: 'cost-puts',
      data: { 'data-value': view.putClassRequests },
      tip: putClassText(view),
    },
    ...(view.schedule
      ? [
          {
            label: 'Upload schedule',
            text: budgetScheduleText(view.schedule),
            testid: 'cost-schedule',
            data: { 'data-minutes': view.intervalMinutes },
            tip: 'The agent spreads what is left of the budget over what is left of the month, each time it looks. It seals a batch only when GPU-Z has logged, so it spreads the batches over the hours GPU-Z logs, doubled for busier days ahead.',
          },
        ]
      : []),
    {
      label: 'PCs counted',
      text: view.hosts === 1 ? '1 host (this PC)' : `${formatCount(view.hosts)} hosts`,
      testid: 'cost-hosts',
      data: { 'data-value': view.hosts },
      tip: 'Every PC whose data is in the store uploads, is processed and is charted: the estimate counts them all.',
    },
    {
      label: 'GPU-Z logs',
      text: loggingText(view),
      testid: 'cost-logging',
      data: { 'data-hours': view.logging?.hoursPerDay ?? 24 },
      tip: "Uploads, processing runs and storage follow the hours GPU-Z logs. They are measured from the log bytes each PC stored on its last whole days (the listing the dashboard makes anyway), at one reading a second; until then, from the minutes this PC's agent saw GPU-Z log.",
    },
    {
      label: 'Storage counts',
      text: storedText(view),
      testid: 'cost-history',
      data: { 'data-months': view.historyMonths },
      tip: 'Processed data never expires, so each month pays for everything stored before it, and storage grows. Raw batches too, unless the stack deletes them after some days (Cloud, "Delete raw batches after (days)"; try it below).',
    },
    {
      label: 'Smallest safe interval',
      text: safeIntervalText(view),
      testid: 'cost-safe-interval',
      data: { 'data-minutes': view.smallestSafeIntervalMinutes ?? '' },
      tip: `${formatCount(view.putBudget)} PUT-class requests a month was the old free tier's S3 allowance: a yardstick for "uploads often enough, costs next to nothing".`,
    },
  ];
  return figures;
}

/**
 * What the month's uploads and listings are, in the order of their weight at usual intervals:
 *   '1,440 uploads (720 batches, raw and processed) · 60 to gather each day · 630 listings by the dashboard, 270 of
 *    them for a daily look at all stored data (Sessions)'
 */
export function putClassText(view: CostView): string {
  const p = view.putClassParts;
  const parts = [
    `${formatCount(p.uploads)} uploads (${formatCount(p.batches)} batches, raw and processed${p.uploads > 2 * p.batches ? ', and latest.json' : ''})`,
    `${formatCount(p.daySeals)} to gather each day`,
  ];
  if (p.lists > 0) {
    const looks =
      p.historyLists > 0
        ? `, ${formatCount(p.historyLists)} of them for a daily look at all stored data (Sessions)`
        : '';
    parts.push(`${formatCount(p.lists)} listings by the dashboard${looks}`);
  }
  if (p.other > 0) parts.push(`${formatCount(p.other)} for health checks and the analytics copy`);
  return parts.join(' · ');
}

/**
 * The hours a day the month is priced at:
 *   '3.1 h a day, as stored over the last 12 days (6.1 MB of log a day); around the clock: $0.0125 a month'
 *   '13 h a day per PC, as stored over the last 12 days (6.1 MB of log a day per PC measured), 1 of 2 PCs around
 *    the clock until a whole day of it is stored; around the clock: $0.0250 a month'
 *   'around the clock, as stored over its last 12 days of logging, to Nov 19, 2026 (56 MB of log a day); nothing
 *    stored since'
 *   'around the clock (24 h a day) until a whole day is stored'
 *   '3.0 h a day, as this PC's agent saw GPU-Z log over the last 14 days (no whole day stored lately to measure);
 *    around the clock: $0.0583 a month'   (the store not read, or nothing of it stored lately)
 */
export function loggingText(view: CostView): string {
  const logging = view.logging;
  if (!logging) return 'around the clock (24 h a day) until a whole day is stored';
  const several = view.hosts > 1;
  const last = logging.lastLoggedDay;
  // Key dates are UTC midnights naming a local date: said in UTC, they are that date.
  const date = (day: number) => formatDate(day, { timeZone: 'UTC' });
  const allIdle = last !== null && logging.idleHosts === view.hosts - logging.unmeasuredHosts;
  const whose = several ? 'each one’s' : 'its';
  const lastDays =
    logging.days === 1
      ? `on ${whose} last day of logging`
      : `over ${whose} last ${logging.days} days of logging`;
  const over = allIdle
    ? several
      ? lastDays
      : `${lastDays}, ${logging.days === 1 ? '' : 'to '}${date(last)}`
    : logging.days === 1
      ? 'yesterday'
      : `over the last ${logging.days} days`;
  const size = `${formatBytes(logging.bytesPerDay)} of log a day${several ? ' per PC measured' : ''}`;
  const unmeasured =
    logging.unmeasuredHosts > 0
      ? `, ${logging.unmeasuredHosts} of ${view.hosts} PCs around the clock until a whole day of it is stored`
      : '';
  // PCs that store again since yesterday or today (no whole day of it yet): measured on their days before the break.
  const resumed = logging.resumedDay === null ? '' : date(logging.resumedDay);
  const allResumed = logging.resumedHosts === logging.idleHosts;
  const lately = `nothing stored in the last ${DASHBOARD_RECENT_DAYS} days`;
  const idle =
    last === null
      ? ''
      : allIdle
        ? resumed
          ? `; ${several && !allResumed ? `${logging.resumedHosts} of them ` : ''}logging again since ${resumed}, measured once a whole day of it is stored`
          : `; nothing stored since${several ? ` ${date(last)}` : ''}`
        : `, ${logging.idleHosts} of ${view.hosts} PCs on ${logging.idleHosts === 1 ? 'its' : 'their'} last days of logging (${
            !resumed
              ? lately
              : allResumed
                ? `logging again since ${resumed} after ${DASHBOARD_RECENT_DAYS} days or more without`
                : `${lately}, or for ${logging.resumedHosts} of them only since ${resumed}`
          })`;
  const stored = logging.seenByAgent
    ? `as this PC's agent saw GPU-Z log over the last ${logging.days === 1 ? 'day' : `${logging.days} days`} (no whole day stored lately to measure)${unmeasured}`
    : `as stored ${over} (${size})${unmeasured}${idle}`;
  if (logging.hoursPerDay >= 23.95) return `around the clock${several ? ' per PC' : ''}, ${stored}`;
  return `${formatHours(logging.hoursPerDay)} a day${several ? ' per PC' : ''}, ${stored}; around the clock: ${formatUsd(logging.aroundTheClockUsd)} a month`;
}

/** What the storage line counts: this month's uploads, and the months already stored before it. */
export function storedText(view: CostView): string {
  if (view.historyMonths === 0 || view.storedSince === null)
    return `this month's uploads (nothing stored before it)${rawKept(view)}`;
  const months =
    view.historyMonths < 1 ? 'less than a month' : `${formatMonths(view.historyMonths)} of readings`;
  if (view.hosts > 1) {
    return `${months} per PC on average already stored (the oldest since ${formatDate(view.storedSince)}) and this month's uploads${rawKept(view)}`;
  }
  return `${months} already stored (since ${formatDate(view.storedSince)}) and this month's uploads${rawKept(view)}`;
}

/** '; raw batches kept 37 days (30, then 7 as old versions)' when the stack deletes them. */
function rawKept(view: CostView): string {
  const days = view.rawExpiryDays;
  const old = NONCURRENT_VERSION_DAYS;
  return days > 0 ? `; raw batches kept ${days + old} days (${days}, then ${old} as old versions)` : '';
}

function formatMonths(months: number): string {
  const whole = Math.round(months);
  return whole === 1 ? '1 month' : `${whole} months`;
}

export function serviceRows(view: CostView): ServiceRow[] {
  return view.services.map((s) => {
    const [, words, explanation] = EXPLAINED.find(([prefix]) => s.service.startsWith(prefix)) ?? [
      '',
      s.service,
      '',
    ];
    return {
      service: s.service,
      words: s.service.includes(': daily analytics copy') ? `${words}: daily analytics copy` : words,
      explanation,
      meter:
        s.allowance > 0
          ? {
              value: Math.min(s.monthly, s.allowance * 1.5),
              max: s.allowance,
              low: s.allowance * 0.8,
              high: s.allowance,
              label: `${s.service}: ${formatCount(s.monthly)} of ${formatCount(s.allowance)} free`,
            }
          : null,
      usageText: usageText(s),
      usd: s.usd,
      usdText: formatUsd(s.usd),
    };
  });
}

/** The regime's warnings (already in GUI words) and the price table's date. */
export function costNotes(view: CostView): string[] {
  return [...view.warnings, `Prices checked ${view.pricesAsOf} (AWS list prices, US dollars).`];
}

function usageText(s: ServiceUsage): string {
  const unit = s.unit === 'GB-seconds' ? 'GB-s' : s.unit;
  const free = s.allowance > 0 ? ` / ${amount(s.allowance)} free (${Math.round(s.percentUsed ?? 0)} %)` : '';
  return `${amount(s.monthly)} ${unit}${free}`;
}

function amount(value: number): string {
  if (value === 0) return '0';
  if (Math.abs(value) >= 100) return formatCount(value);
  return String(Number(value.toPrecision(3)));
}
