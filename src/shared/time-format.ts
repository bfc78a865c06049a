/**
 * One way to show a moment on every surface — the dashboard's tables and notes, the charts' time axis, the tray —
 * in the locale's own hour style (12 h "5:16 PM" or 24 h "17:16", never both on one screen):
 *   formatMoment(at, now)                       → '5:16:54 PM' today, 'Dec 1, 5:16:54 PM' another day,
 *                                                  'Dec 1, 2025, 5:16 PM' another year
 *   formatMoment(at, now, { seconds: false })   → '5:16 PM' (the tray)
 *   formatAxisTime(at, spanMs)                  → '5:16 PM' within two days, 'Dec 1' at midnight and for longer ranges,
 *                                                  'Jan 2026' beyond 62 days (a tick a month)
 *   formatDuration(95_000)                      → '1 min 35 s'; '5 h 30 min', '3 d 2 h', '250 ms'
 * `locale` undefined = the user's (browser or OS); `timeZone` undefined = the machine's.
 */
export interface MomentOptions {
  locale?: string | undefined;
  timeZone?: string | undefined;
  /** Show seconds (default true; ignored for another year). */
  seconds?: boolean;
}

const DAY_MS = 86_400_000;
/** Beyond this many days an axis ticks once a month ('Jan 2026'), not once a day. */
const MONTHS_FROM_DAYS = 62;

/**
 * Formatters by locale, zone and parts: making one costs ≈ 20–100 µs, and a year of sessions listed made five per
 * row (≈ 75,000 for 15,000 rows: most of the 12 s the Sessions list took to show).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();

function format(at: Date, options: MomentOptions, parts: Intl.DateTimeFormatOptions): string {
  const key = JSON.stringify([options.locale, options.timeZone, parts]);
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat(options.locale, {
      ...(options.timeZone ? { timeZone: options.timeZone } : {}),
      ...parts,
    });
    if (formatters.size >= 64) formatters.clear(); // a few per surface; never grows without bound
    formatters.set(key, formatter);
  }
  return formatter.format(at);
}

function dayKey(at: Date, options: MomentOptions): string {
  return format(at, { ...options, locale: 'en-CA' }, { year: 'numeric', month: '2-digit', day: '2-digit' });
}

export function formatMoment(
  at: Date | number | string,
  now: Date | number = Date.now(),
  options: MomentOptions = {},
): string {
  const date = new Date(at);
  if (Number.isNaN(date.getTime())) return '—';
  const today = new Date(now);
  const clock: Intl.DateTimeFormatOptions = {
    hour: 'numeric',
    minute: '2-digit',
    ...(options.seconds === false ? {} : { second: '2-digit' }),
  };
  if (dayKey(date, options) === dayKey(today, options)) return format(date, options, clock);
  const sameYear = format(date, options, { year: 'numeric' }) === format(today, options, { year: 'numeric' });
  return sameYear
    ? format(date, options, { month: 'short', day: 'numeric', ...clock })
    : format(date, options, {
        year: 'numeric',
        month: 'short',
        day: 'numeric',
        hour: 'numeric',
        minute: '2-digit',
      });
}

/** A day as people read it: 'Dec 6, 2025' (the Costs view's "stored since"). */
export function formatDate(at: number, options: MomentOptions = {}): string {
  return format(new Date(at), options, { year: 'numeric', month: 'short', day: 'numeric' });
}

/**
 * A tick of a time axis spanning `spanMs`: the clock within two days, but the date at midnight (where a day begins);
 * the date beyond two days, where the axis ticks once a day (axisTimeUnit).
 */
export function formatAxisTime(at: number, spanMs: number, options: MomentOptions = {}): string {
  const date = new Date(at);
  if (axisTimeUnit(spanMs) === 'month') return format(date, options, { month: 'short', year: 'numeric' });
  const midnight = dayKey(new Date(at - 1), options) !== dayKey(date, options);
  return spanMs <= 2 * DAY_MS && !midnight
    ? format(date, options, { hour: 'numeric', minute: '2-digit' })
    : format(date, options, { month: 'short', day: 'numeric' });
}

/**
 * The unit a time axis ticks in: beyond two days one tick per day (at midnight), each date once (Chart.js's own steps
 * ticked a week every 8 hours, each labelled with its date: 'Nov 28' three times); beyond 3 hours whole hours (a day:
 * 2:00 PM … midnight's date … 12:00 PM); else Chart.js's choice (minutes).
 */
export function axisTimeUnit(spanMs: number): 'month' | 'day' | 'hour' | false {
  // A year by days drew 365 grid lines, a grey hatch under the curves.
  if (spanMs > MONTHS_FROM_DAYS * DAY_MS) return 'month';
  if (spanMs > 2 * DAY_MS) return 'day';
  return spanMs > 3 * 3_600_000 ? 'hour' : false;
}

/** A length of time as people read it: '250 ms', '40 s', '1 min 35 s', '5 h 30 min' (up to 47 h), '3 d 2 h'. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return `${minutes} min${seconds % 60 ? ` ${seconds % 60} s` : ''}`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h${minutes % 60 ? ` ${minutes % 60} min` : ''}`;
  const days = Math.floor(hours / 24);
  return `${days} d${hours % 24 ? ` ${hours % 24} h` : ''}`;
}
