/**
 * The share of the time this PC logs, as its upload agent saw it: the minutes in which it read new rows, by UTC day.
 * A budget schedule spreads its batches over that share of the month, not over every hour (budget-schedule.ts):
 * a batch is sealed only in an interval that has rows, so hours GPU-Z does not log spend nothing.
 *
 *   loggingShareOf({ since: Date.parse('2026-12-01T00:00Z'), minutesByDay: { '2026-12-01': 180, … } }, now)
 *     → 0.125   (3 h a day over the days seen, up to the last 14)
 *
 * Time the agent did not run counts as time without logging (the PC off): it made no batch then either.
 */
import { utcDate } from '../analytics/row-schema';

/** What the agent saw of logging: since when it counts (epoch ms), and the minutes with new rows of each UTC day. */
export interface LoggingSeen {
  since: number;
  minutesByDay: Record<string, number>;
}

/** The days the share is measured over, at most: a fortnight follows a change of habit within two weeks. */
export const LOGGING_WINDOW_DAYS = 14;

const DAY_MS = 86_400_000;

/**
 * The fraction of the time since the window's start (the last 14 days, or since counting began) in which the agent
 * read new rows, at most 1; null until a whole UTC day was seen (yesterday's, at the earliest), as the Costs view
 * measures the store once a whole day is stored (null: around the clock, as before anything was seen). The window's
 * first day counts whole: a slight overstatement, which only lengthens the interval.
 */
export function loggingShareOf(seen: LoggingSeen | undefined, now: Date): number | null {
  if (!seen) return null;
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  if (seen.since > today - DAY_MS) return null;
  const start = Math.max(seen.since, now.getTime() - LOGGING_WINDOW_DAYS * DAY_MS);
  const seenMs = now.getTime() - start;
  const firstDay = utcDate(start);
  let minutes = 0;
  for (const [day, count] of Object.entries(seen.minutesByDay)) if (day >= firstDay) minutes += count;
  return Math.min(1, (minutes * 60_000) / seenMs);
}

/** The hours a day the agent saw GPU-Z log and the whole days it looked over (up to 14); null: no whole day seen. */
export function loggingSeenHours(
  seen: LoggingSeen | undefined,
  now: Date,
): { hoursPerDay: number; days: number } | null {
  const share = loggingShareOf(seen, now);
  if (share === null || !seen) return null;
  const seenMs = Math.min(now.getTime() - seen.since, LOGGING_WINDOW_DAYS * DAY_MS);
  return { hoursPerDay: share * 24, days: Math.floor(seenMs / DAY_MS) };
}

/**
 * `seen` with the minute of `at` counted, if it is not the minute counted last (`lastMinute`, epoch minutes), and the
 * days older than the window dropped. Returns the minute counted.
 */
export function countLoggingMinute(seen: LoggingSeen, at: number, lastMinute: number | null): number {
  const minute = Math.floor(at / 60_000);
  if (minute === lastMinute) return minute;
  const day = utcDate(at);
  seen.minutesByDay[day] = (seen.minutesByDay[day] ?? 0) + 1;
  const oldest = utcDate(at - (LOGGING_WINDOW_DAYS + 1) * DAY_MS);
  for (const key of Object.keys(seen.minutesByDay)) if (key < oldest) delete seen.minutesByDay[key];
  return minute;
}
