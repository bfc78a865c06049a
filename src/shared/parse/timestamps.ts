import type { LocalTimeConverter } from './local-time';
import { readDigits } from './numbers';

/**
 * Validated wall-clock fields → epoch ms, remembering the previous row so the repeated autumn hour reads
 * forward (see local-time.ts).
 *
 *   const stamp = createStamper(createLocalTimeConverter('UTC'));
 *   stamp(2024, 4, 11, 14, 43, 15, 0) → 1712846595000     stamp(2024, 2, 30, 0, 0, 0, 0) → undefined
 *   stamp.wall(wallTime(2024, 4, 11, 14, 43, 15, 0)!) → the same, for a caller that holds the wall time
 */
export interface Stamper {
  (
    year: number,
    month: number,
    day: number,
    hour: number,
    minute: number,
    second: number,
    ms: number,
  ): number | undefined;
  /** A wall time already checked by wallTime() → epoch ms (the byte path, which has it as one number). */
  wall(localAsUtc: number): number;
}

export function createStamper(toEpoch: LocalTimeConverter, after?: number): Stamper {
  let previous: number | undefined = after;
  const wall = (localAsUtc: number): number => {
    const t = toEpoch(localAsUtc, previous);
    previous = t;
    return t;
  };
  const stamp = (
    year: number,
    month: number,
    day: number,
    hour: number,
    minute: number,
    second: number,
    ms: number,
  ) => {
    const local = wallTime(year, month, day, hour, minute, second, ms);
    return local === undefined ? undefined : wall(local);
  };
  return Object.assign(stamp, { wall });
}

/**
 * The fields of a written time → that wall-clock time as UTC ms ("local as UTC"), or undefined when they are
 * not a real date and time between 1970 and 9999: wallTime(2024, 2, 30, 0, 0, 0, 0) → undefined.
 */
export function wallTime(
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
  ms: number,
): number | undefined {
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return undefined;
  if (hour > 23 || minute > 59 || second > 59 || year < 1970 || year > 9999) return undefined;
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

/**
 * wallTime(…, 0) for rows that come in date order: the date is checked and turned into ms once per day.
 *   const wall = createWallClock(); wall(2024, 4, 11, 14, 43, 15) → Date.UTC(2024, 3, 11, 14, 43, 15)
 */
export function createWallClock(): (
  year: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  second: number,
) => number | undefined {
  let dateKey = -1;
  let midnight = 0;
  return (year, month, day, hour, minute, second) => {
    const key = year * 10_000 + month * 100 + day;
    if (key !== dateKey) {
      const wall = wallTime(year, month, day, 0, 0, 0, 0);
      if (wall === undefined) return undefined;
      dateKey = key;
      midnight = wall;
    }
    if (hour > 23 || minute > 59 || second > 59) return undefined;
    return midnight + hour * 3_600_000 + minute * 60_000 + second * 1000;
  };
}

/** `YYYY-MM-DD HH:MM:SS` (GPU-Z) or `YYYY/MM/DD HH:MM:SS` (nvidia-smi) at `at` → its six numbers, or undefined. */
export function readIsoLikeTimestamp(text: string, at: number): number[] | undefined {
  const year = readDigits(text, at, 4);
  const month = readDigits(text, at + 5, 2);
  const day = readDigits(text, at + 8, 2);
  const hour = readDigits(text, at + 11, 2);
  const minute = readDigits(text, at + 14, 2);
  const second = readDigits(text, at + 17, 2);
  if ((year | month | day | hour | minute | second) < 0) return undefined;
  if (text.charCodeAt(at + 13) !== 58 || text.charCodeAt(at + 16) !== 58 || text.charCodeAt(at + 10) !== 32) {
    return undefined;
  }
  return [year, month, day, hour, minute, second];
}

/** [2017, 2, 13, 15, 22, 3] → '2017-02-13 15:22:03' (the RowEvent.local form). */
export function formatLocal(
  year: number,
  month: number,
  day: number,
  h: number,
  m: number,
  s: number,
): string {
  return `${year}-${pad(month)}-${pad(day)} ${pad(h)}:${pad(m)}:${pad(s)}`;
}

/** A wall time as UTC ms (whole seconds) → its RowEvent.local text: 1712846595000 → '2024-04-11 14:43:15'. */
export function formatWall(wall: number): string {
  const d = new Date(wall);
  return formatLocal(
    d.getUTCFullYear(),
    d.getUTCMonth() + 1,
    d.getUTCDate(),
    d.getUTCHours(),
    d.getUTCMinutes(),
    d.getUTCSeconds(),
  );
}

function pad(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}
