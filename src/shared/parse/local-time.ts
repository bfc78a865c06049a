import { AppError } from '../errors';

/**
 * Naive local wall-clock time (as logged by GPU-Z, HWiNFO, nvidia-smi) → epoch milliseconds (UTC) in an IANA zone.
 *
 *   const toEpoch = createLocalTimeConverter('Europe/Berlin');
 *   toEpoch(Date.UTC(2024, 0, 15, 12, 0, 0)) → Date.UTC(2024, 0, 15, 11, 0, 0)   // CET = UTC+1
 *
 * The input is the wall-clock reading encoded as if it were UTC ("local as UTC"). DST is handled like
 * Temporal's 'compatible' disambiguation, plus one rule for logs: a time in the repeated autumn hour is
 * read as the second pass when the first pass would make time run backwards after `previous`.
 * Offsets come from Intl (no time-zone database dependency) and are cached per local minute, because
 * every real zone transition falls on a whole minute and a 1 Hz log asks 60 times per minute.
 */
export type LocalTimeConverter = (localAsUtc: number, previous?: number) => number;

export function createLocalTimeConverter(
  timeZone?: string,
  /** `transitions: false` asks Intl for every minute near a transition (the tests' reference). */
  options: { transitions?: boolean } = {},
): LocalTimeConverter {
  const zone = timeZone ?? systemTimeZone();
  if (zone === 'UTC' || zone === 'Etc/UTC') return (localAsUtc) => localAsUtc;
  const intl = createOffsetLookup(zone);
  // Near a transition every minute's offsets are resolved anew (four Intl calls): a 1 Hz log of the two days around
  // a DST change asked Intl ≈ 11,500 times (0.15 s of a 100 MB backfill). The transition found once answers them.
  let transition: Transition | null = null;
  let lastSearch = Number.NEGATIVE_INFINITY;
  const offsetAt = (t: number): number =>
    transition && covers(transition, t) ? transition.offsetAt(t) : intl(t);
  let cachedMinute = Number.NaN;
  let early = 0;
  let late = 0;
  // Local times within STABLE_MS of a minute whose zone offset was the same a day before and a day after: every
  // one has that offset (see resolveOffsets), so a 1 Hz log asks Intl a few times a day instead of every minute.
  let stableFrom = Number.NaN;
  let stableTo = Number.NaN;
  let stableOffset = 0;
  return (localAsUtc, previous) => {
    if (localAsUtc >= stableFrom && localAsUtc < stableTo) return localAsUtc - stableOffset;
    const minute = Math.floor(localAsUtc / 60_000);
    if (minute !== cachedMinute) {
      const start = minute * 60_000;
      // resolveOffsets asks for instants within a day of the minute: the transition answers when it covers them.
      const known =
        transition !== null && covers(transition, start - DAY_MS) && covers(transition, start + DAY_MS);
      if (options.transitions !== false && !known && Math.abs(start - lastSearch) > DAY_MS) {
        const changes = intl(start - DAY_MS) !== intl(start + DAY_MS);
        transition = changes ? findTransition(start, intl) : null;
        // A zone that shows no single change here (two of them): Intl answers, searched again a day later.
        if (changes && transition === null) lastSearch = start;
      }
      const resolved = resolveOffsets(start, offsetAt);
      [early, late] = resolved;
      cachedMinute = minute;
      if (resolved[2]) {
        stableFrom = start - STABLE_MS;
        stableTo = start + STABLE_MS;
        stableOffset = early;
      }
    }
    const first = localAsUtc - early;
    if (early === late || previous === undefined) return first;
    const second = localAsUtc - late;
    return first < previous && second >= previous ? second : first;
  };
}

/**
 * How far around a stable minute its offset holds: offsets are within ±14 h, so for a local time 8 h away every
 * instant it could stand for lies within 22 h of the minute — inside the day either side where the zone kept one
 * offset (a zone changes its offset at most once in two days, which resolveOffsets assumes as well).
 */
const STABLE_MS = 8 * 3_600_000;

export function systemTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Throws a person-readable AppError for a zone Intl does not know. */
export function assertTimeZone(zone: string): void {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch (error) {
    throw new AppError(
      'BAD_TIME_ZONE',
      `"${zone}" is not a time zone this system knows`,
      'Use an IANA zone name such as Europe/Berlin, America/New_York or UTC.',
      { cause: error },
    );
  }
}

/**
 * The zone a raw batch names (its `timezone` metadata), or `fallback` when it names none or one this
 * system does not know: timeZoneOr('Europe/Berlin', 'UTC') → 'Europe/Berlin'; timeZoneOr('Mars/Base', 'UTC') → 'UTC'.
 */
export function timeZoneOr(zone: string | undefined, fallback: string): string {
  if (!zone) return fallback;
  try {
    assertTimeZone(zone);
    return zone;
  } catch {
    return fallback;
  }
}

const DAY_MS = 86_400_000;

/** One change of a zone's offset at `at` (UTC ms, a whole second), known to be the only one in [from, to). */
interface Transition {
  from: number;
  to: number;
  offsetAt(t: number): number;
}

function covers(transition: Transition, t: number): boolean {
  return t >= transition.from && t < transition.to;
}

/**
 * The one offset change within a day of local minute `start` (its offsets a day before and after differ), found by
 * bisection to the second (≈ 18 Intl calls), or null when the zone does not show a single change there. It holds
 * from two days before `start` to two days after: a zone changes its offset at most once in two days (the rule
 * resolveOffsets and STABLE_MS rest on), so the offset is `before` on one side and `after` on the other.
 */
function findTransition(start: number, offsetAt: (t: number) => number): Transition | null {
  const before = offsetAt(start - DAY_MS);
  const after = offsetAt(start + DAY_MS);
  if (offsetAt(start - 2 * DAY_MS) !== before || offsetAt(start + 2 * DAY_MS) !== after) return null;
  let low = start - DAY_MS; // offset `before`
  let high = start + DAY_MS; // offset `after`
  while (high - low > 1000) {
    const middle = low + Math.floor((high - low) / 2000) * 1000;
    const offset = offsetAt(middle);
    if (offset === before) low = middle;
    else if (offset === after) high = middle;
    else return null;
  }
  const at = high;
  return {
    from: start - 2 * DAY_MS,
    to: start + 2 * DAY_MS + 1,
    offsetAt: (t) => (Math.floor(t / 1000) * 1000 < at ? before : after),
  };
}

/**
 * The offsets (ms, local − UTC) of the instants that show this local minute: [earlier instant, later instant,
 * stable]. One valid instant → both equal. A skipped minute (spring gap) → the offset before the gap, which moves
 * the time forward by the gap like Temporal 'compatible' (02:30 in Berlin's gap → 03:30 CEST). `stable`: the zone
 * had the same offset a day before and a day after, and at the minute itself.
 */
function resolveOffsets(localAsUtc: number, offsetAt: (t: number) => number): [number, number, boolean] {
  const before = offsetAt(localAsUtc - 86_400_000);
  const after = offsetAt(localAsUtc + 86_400_000);
  if (before === after) {
    const exact = offsetAt(localAsUtc - before);
    return [exact, exact, exact === before];
  }
  const validBefore = offsetAt(localAsUtc - before) === before;
  const validAfter = offsetAt(localAsUtc - after) === after;
  if (validBefore && validAfter) {
    const [big, small] = before > after ? [before, after] : [after, before];
    return [big, small, false];
  }
  if (validAfter) return [after, after, false];
  if (validBefore) return [before, before, false];
  return [before, before, false];
}

/** The zone's UTC offset at an instant, in ms (Intl): createOffsetLookup('Europe/Berlin')(Date.UTC(2024, 0, 15)) → 3_600_000. */
export function createOffsetLookup(timeZone: string): (t: number) => number {
  assertTimeZone(timeZone);
  const format = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
    era: 'short',
  });
  return (t) => {
    const whole = Math.floor(t / 1000) * 1000;
    const parts: Record<string, string> = {};
    for (const part of format.formatToParts(whole)) parts[part.type] = part.value;
    const year = Number(parts.year) * (parts.era === 'BC' || parts.era === 'B' ? -1 : 1);
    const wall = Date.UTC(
      year,
      Number(parts.month) - 1,
      Number(parts.day),
      Number(parts.hour),
      Number(parts.minute),
      Number(parts.second),
    );
    return wall - whole;
  };
}
