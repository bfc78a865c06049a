import {
  budgetIntervalMs,
  budgetScheduleNow,
  budgetScheduleText,
  createBudgetSchedule,
} from './budget-schedule';
import { countLoggingMinute, type LoggingSeen } from './logging-share';

describe('createBudgetSchedule', () => {
  it('derives the interval from the budget and what the agent counted this month', () => {
    let now = new Date('2026-01-16T12:00:00Z'); // 15.5 days = 1,339,200 s left in January
    let counted = { month: '2026-01', put: 500, get: 0, list: 100 };
    const schedule = createBudgetSchedule({ putBudget: 2000, clock: () => now });
    const next = () => schedule({ requestsThisMonth: counted });
    // Used: 500 raw PUTs × 2 + 100 LISTs = 1,100, and January's 31 day seals × 2 = 62 kept back → 838 left
    // → 419 batches → 1,339,200 / 419 = 3,196.2 s → 3,197 s.
    expect(next().intervalMs).toBe(3_197_000);
    // Counters still from December (not reset yet) count as nothing used: (2,000 − 62) / 2 = 969 batches left,
    // 1,339,200 / 969 = 1,382.04 s → 1,383 s, above the 5-minute floor.
    counted = { month: '2025-12', put: 999, get: 0, list: 0 };
    expect(next().intervalMs).toBe(1_383_000);
    // Budget used up on 20 January: wait until 1 February.
    now = new Date('2026-01-20T00:00:00Z');
    counted = { month: '2026-01', put: 1000, get: 0, list: 0 };
    const r = next();
    expect(r.exhausted).toBe(true);
    expect(r.intervalMs).toBe(12 * 86_400_000);
  });

  it("keeps the whole month's day seals back: without them (putsPerDay 0) 450 batches are left, not 419", () => {
    // Prepare
    const counters = { requestsThisMonth: { month: '2026-01', put: 500, list: 100 } };
    const clock = () => new Date('2026-01-16T12:00:00Z');
    // Act
    const interval = createBudgetSchedule({ putBudget: 2000, putsPerDay: 0, clock })(counters);
    // Assess: 900 left → 450 batches → 1,339,200 / 450 = 2,976 s.
    expect(interval).toMatchObject({ batchesLeft: 450, intervalMs: 2_976_000 });
  });
});

describe('budgetIntervalMs', () => {
  it('is the schedule’s interval as a function of the agent’s counters', () => {
    const interval = budgetIntervalMs({ putBudget: 2000, clock: () => new Date('2026-01-16T12:00:00Z') });
    expect(interval({ requestsThisMonth: { month: '2026-01', put: 500, list: 100 } })).toBe(3_197_000);
    // More used → fewer batches left → a longer interval.
    expect(interval({ requestsThisMonth: { month: '2026-01', put: 700, list: 100 } })).toBeGreaterThan(
      3_197_000,
    );
  });
});

/**
 * December 2026 minute by minute, as the agent runs a budget of 2,000: rows in the minutes `logs` says, a batch
 * opened at its first row and sealed once the interval (asked at each minute, as the agent's looks do) has passed.
 * `seen` is what the agent saw of logging before 1 December (undefined: a build that counted no minutes).
 */
function december(logs: (t: number) => boolean, seen?: LoggingSeen) {
  let now = Date.parse('2026-12-01T00:00:00Z');
  const end = Date.parse('2027-01-01T00:00:00Z');
  const interval = budgetIntervalMs({ putBudget: 2000, clock: () => new Date(now) });
  const counters = {
    requestsThisMonth: { month: '2026-12', put: 0, list: 0 },
    ...(seen ? { logging: seen } : {}),
  };
  let openedAt: number | null = null;
  let lastMinute: number | null = null;
  const intervals: number[] = [];
  for (; now < end; now += 60_000) {
    if (logs(now)) {
      if (counters.logging) lastMinute = countLoggingMinute(counters.logging, now, lastMinute);
      openedAt ??= now;
    }
    const ms = openedAt === null ? 0 : interval(counters, openedAt);
    if (openedAt !== null && now - openedAt >= ms) {
      counters.requestsThisMonth.put += 1;
      intervals.push(ms / 60_000);
      openedAt = null;
    }
  }
  // Each raw PUT's processed PUT, and the 31 day seals (LIST + PUT) kept back
  return { batches: intervals.length, putClass: intervals.length * 2 + 31 * 2, intervals };
}

const utcHour = (t: number) => new Date(t).getUTCHours();
const evenings = (t: number) => utcHour(t) >= 19 && utcHour(t) < 22;
/** A fortnight of `hours` a day seen before 1 December. */
function fortnight(hours: number): LoggingSeen {
  const minutesByDay: Record<string, number> = {};
  for (let d = 17; d <= 30; d++) minutesByDay[`2026-11-${d}`] = hours * 60;
  return { since: Date.parse('2026-11-17T00:00:00Z'), minutesByDay };
}

describe('a month of a budget schedule, over the hours this PC logs', () => {
  it('3 h evenings: twice the batches of the around-the-clock spread, the first interval 12 min instead of 45', () => {
    const before = december(evenings);
    const after = december(evenings, fortnight(3));
    expect(before).toMatchObject({ batches: 332, putClass: 726 });
    expect(after).toMatchObject({ batches: 654, putClass: 1370 });
    expect(before.intervals[0]).toBeCloseTo(44.9, 1);
    expect(after.intervals[0]).toBeCloseTo(11.7, 1);
  });

  it('never goes over the budget, whatever the habit, and a busier last week still gets its uploads', () => {
    const aroundTheClock = () => true;
    const busyLastWeek = (t: number) => (new Date(t).getUTCDate() >= 22 ? utcHour(t) >= 8 : evenings(t));
    const idleThenAllDay = (t: number) => new Date(t).getUTCDate() >= 15;
    const runs = [
      december(aroundTheClock), // before: 2,008 (a used-up budget's wait shrank with the month: sealed halfway)
      december(aroundTheClock, fortnight(24)),
      december(busyLastWeek, fortnight(3)),
      december(idleThenAllDay, { since: Date.parse('2026-11-17T00:00:00Z'), minutesByDay: {} }),
    ];
    for (const run of runs) expect(run.putClass).toBeLessThanOrEqual(2000);
    expect(runs[0]!.putClass).toBe(2000);
    // 16 h a day from the 22nd after a fortnight of 3 h: the doubled share leaves room (measured alone, the last
    // interval of the month was 195 min)
    expect(runs[2]!.intervals.at(-1)).toBeLessThan(15);
  });

  it('holds the open batch of a used-up budget until the month changes', () => {
    const now = new Date('2026-12-20T00:00:00Z');
    const interval = budgetIntervalMs({ putBudget: 2000, clock: () => now });
    const usedUp = { requestsThisMonth: { month: '2026-12', put: 969, list: 0 } };
    const openedAt = Date.parse('2026-12-19T23:00:00Z');
    expect(openedAt + interval(usedUp, openedAt)).toBe(Date.parse('2027-01-01T00:00:00Z'));
    expect(interval(usedUp)).toBe(12 * 86_400_000); // no batch open: the time left
  });
});

describe('budgetScheduleNow and budgetScheduleText', () => {
  const now = new Date('2026-12-01T00:00:00Z');
  const counters = (put: number, logging?: LoggingSeen) => ({
    requestsThisMonth: { month: '2026-12', put, list: 0 },
    ...(logging ? { logging } : {}),
  });

  it('says the interval now and the hours it is spread over, or why it is around the clock, or used up', () => {
    const seen = budgetScheduleNow(2000, counters(0, fortnight(3)), now);
    expect(seen).toEqual({
      monthlyPuts: 2000,
      intervalMinutes: 12,
      loggedHoursPerDay: 3,
      days: 14,
      usedUpUntil: null,
    });
    expect(budgetScheduleText(seen)).toBe(
      "a budget of 2,000 uploads and listings a month: every 12 min now, over 6.0 h a day — twice the 3.0 h a day this PC's agent saw GPU-Z log over the last 14 days",
    );
    expect(budgetScheduleText(budgetScheduleNow(2000, counters(0), now))).toBe(
      "a budget of 2,000 uploads and listings a month: every 47 min now, around the clock until this PC's agent has seen a whole day",
    );
    expect(budgetScheduleText(budgetScheduleNow(2000, counters(0, fortnight(13)), now))).toBe(
      "a budget of 2,000 uploads and listings a month: every 47 min now, around the clock: this PC's agent saw GPU-Z log 13 h a day over the last 14 days",
    );
    const usedUp = budgetScheduleNow(2000, counters(969), now);
    // Priced at the around-the-clock interval, not the month's wait
    expect(usedUp).toMatchObject({ intervalMinutes: 47, usedUpUntil: Date.UTC(2027, 0, 1) });
    expect(budgetScheduleText(usedUp)).toBe(
      'a budget of 2,000 uploads and listings a month, used up: the next upload waits until Jan 1, 2027',
    );
  });
});
