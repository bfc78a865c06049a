import { countLoggingMinute, type LoggingSeen, loggingShareOf } from './logging-share';

const at = (iso: string) => Date.parse(iso);

describe('loggingShareOf', () => {
  it('is the minutes with new rows over the time since counting began, once a whole UTC day was seen', () => {
    const seen: LoggingSeen = {
      since: at('2026-12-06T12:00:00Z'),
      minutesByDay: { '2026-12-06': 180, '2026-12-07': 90 },
    };
    // Yesterday seen from noon only: nothing to say yet (around the clock)
    expect(loggingShareOf(seen, new Date('2026-12-07T22:00:00Z'))).toBeNull();
    // Tomorrow, 1.5 days seen: 4.5 h of them logging
    expect(loggingShareOf(seen, new Date('2026-12-08T00:00:00Z'))).toBeCloseTo(270 / 2160, 10);
    expect(loggingShareOf(undefined, new Date('2026-12-08T00:00:00Z'))).toBeNull();
  });

  it('looks back 14 days at most: 3 h evenings for a fortnight after a week around the clock read 0.125', () => {
    const minutesByDay: Record<string, number> = {};
    for (let d = 1; d <= 7; d++) minutesByDay[`2026-11-${String(d).padStart(2, '0')}`] = 1440;
    for (let d = 8; d <= 21; d++) minutesByDay[`2026-11-${String(d).padStart(2, '0')}`] = 180;
    const seen = { since: at('2026-11-01T00:00:00Z'), minutesByDay };
    expect(loggingShareOf(seen, new Date('2026-11-22T00:00:00Z'))).toBeCloseTo(0.125, 10);
    // All 21 days: (7 × 1440 + 14 × 180) / (21 × 1440) = 0.4167
    expect(loggingShareOf(seen, new Date('2026-11-22T00:00:00Z'))).toBeLessThan(0.4);
  });

  it('is at most 1', () => {
    const seen = {
      since: at('2026-12-06T00:00:00Z'),
      minutesByDay: { '2026-12-06': 1440, '2026-12-07': 720 },
    };
    expect(loggingShareOf(seen, new Date('2026-12-07T01:00:00Z'))).toBe(1);
  });
});

describe('countLoggingMinute', () => {
  it('counts a minute once, by UTC day, and drops the days older than 15', () => {
    const seen: LoggingSeen = { since: 0, minutesByDay: { '2026-11-20': 30, '2026-11-22': 40 } };
    let last: number | null = null;
    for (const iso of ['2026-12-07T23:59:01Z', '2026-12-07T23:59:59Z'])
      last = countLoggingMinute(seen, at(iso), last);
    expect(seen.minutesByDay).toEqual({ '2026-11-22': 40, '2026-12-07': 1 });
    for (const iso of ['2026-12-08T00:00:00Z', '2026-12-08T00:00:30Z'])
      last = countLoggingMinute(seen, at(iso), last);
    expect(seen.minutesByDay).toEqual({ '2026-12-07': 1, '2026-12-08': 1 });
    // A later minute of the same day counts again
    countLoggingMinute(seen, at('2026-12-08T00:01:00Z'), last);
    expect(seen.minutesByDay['2026-12-08']).toBe(2);
  });
});
