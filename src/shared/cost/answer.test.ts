import type { Settings } from '../contract';
import {
  awsBilled,
  type CostContext,
  costAnswer,
  costInputsOf,
  DEFAULT_REGIME,
  historyMonthsOf,
  loggingOf,
  rowWidthOf,
} from './answer';
import { estimateMonthlyCost } from './estimate';

const hourlyLocal: Settings = {
  logPath: '/log.txt',
  target: { kind: 'local', dir: '/store' },
  schedule: { kind: 'interval', minutes: 60 },
  compression: 'gzip',
  host: 'pc',
  timeZone: 'UTC',
};
const december = new Date('2026-12-02T11:00:00Z');

describe('costAnswer(costInputsOf(settings))', () => {
  it('a fresh install in December 2026: hourly, regime none, never $0.00', () => {
    const answer = costAnswer(costInputsOf(hourlyLocal, { now: december }));
    expect(DEFAULT_REGIME).toBe('none');
    expect(answer.estimate.regime).toBe('none');
    expect(answer.intervalMinutes).toBe(60);
    // 31 days × 24 = 744 batches × 2 PUTs + 31 day seals × 2 (LIST + PUT) = 62 + 4 opens × 31 days × 3 LISTs (the
    // hosts, this host's first page, its last 13 days) = 372.
    expect(answer.estimate.putClassRequests).toBe(744 * 2 + 62 + 372);
    expect(answer.estimate.total).toBeGreaterThan(0);
    // (2,000 − 62 − 372) / 2 = 783 batches; 44,640 min / 783 = 57.01 → 58.
    expect(answer.smallestSafeIntervalMinutes).toBe(58);
    expect(answer.putBudget).toBe(2000);
  });

  it('storage pays for the months already stored: a year of readings makes the S3 storage line ≈ 24× the first month', () => {
    const line = (storedSince: number | null) =>
      costAnswer(costInputsOf(hourlyLocal, { now: december, storedSince })).estimate.services.find((s) =>
        s.service.startsWith('S3 Standard storage'),
      )!.usage;
    // Since 2025-12-01: the 12 months before December 2026 (365 days / 30.44).
    expect(historyMonthsOf(Date.UTC(2025, 11, 1), december)).toBe(11.99);
    expect(historyMonthsOf(Date.UTC(2026, 11, 1, 5), december)).toBe(0);
    expect(historyMonthsOf(null, december)).toBe(0);
    // A month's uploads count half the month (stored on average mid-month); the history counts whole.
    expect(line(Date.UTC(2025, 11, 1)) / line(null)).toBeCloseTo((11.99 + 0.5) / 0.5, 5);
    expect(line(Date.UTC(2026, 11, 1, 5))).toBe(line(null));
  });

  it("storage counts every PC's days stored: another PC's year though this PC is new; one old day as one day", () => {
    const storage = (context: Partial<CostContext>) =>
      costAnswer(costInputsOf(hourlyLocal, { now: december, hosts: 2, ...context })).estimate.usage
        .s3StorageGbMonth;
    const months = (storedDaysByHost: number[], storedSince: number | null = null) =>
      costInputsOf(hourlyLocal, { now: december, storedDaysByHost, storedSince }).historyMonths;
    const year = Date.UTC(2025, 11, 1);
    // Per host months, averaged: (365 + 0) / 2 days ≈ 6 months, over two hosts' uploads: the year of one host.
    expect(months([365, 0])).toBe(6);
    const newPc = storage({ storedSince: year, storedDaysByHost: [365, 0] });
    expect(newPc / storage({ storedSince: null })).toBeCloseTo((6 + 0.5) / 0.5, 5);
    // Taken as stored without a break since the oldest reading, the other PC's year counted for both.
    expect(storage({ storedSince: year })).toBeGreaterThan(newPc * 1.8);
    // A PC that uploaded one day a year ago and came back: one day stored, not 12 months.
    expect(months([1], year)).toBe(0.03);
    expect(historyMonthsOf(year, december)).toBe(11.99);
  });

  it('the smallest safe interval does not depend on the what-if interval (30 s once said 55 min)', () => {
    const at = (minutes: number) =>
      costAnswer(costInputsOf(hourlyLocal, { now: december, intervalMinutes: minutes }))
        .smallestSafeIntervalMinutes;
    expect(at(0.5)).toBe(58);
    expect(at(5)).toBe(58);
    expect(at(240)).toBe(58);
    // At 58 min the month fits 2,000 PUT-class requests; at 57 it does not.
    const usage = (minutes: number) =>
      costAnswer(costInputsOf(hourlyLocal, { now: december, intervalMinutes: minutes })).estimate
        .putClassRequests;
    expect(usage(58)).toBeLessThanOrEqual(2000);
    expect(usage(57)).toBeGreaterThan(2000);
  });

  it('is estimateMonthlyCost of the settings, nothing added', () => {
    const answer = costAnswer(costInputsOf(hourlyLocal, { now: december, intervalMinutes: 5 }));
    const direct = estimateMonthlyCost({ intervalMs: 300_000, monthDays: 31, regime: 'none' });
    expect(answer.estimate.total).toBe(direct.total);
  });

  it('a stack of ours in eu-west-1: its region and the app health checks; a budget schedule: its interval', () => {
    const stack: Settings = {
      ...hourlyLocal,
      target: { kind: 's3', bucket: 'gpuz-cloud-prod-raw-123456789012', region: 'eu-west-1' },
      schedule: { kind: 'budget', monthlyPuts: 2000 },
    };
    const inputs = costInputsOf(stack, { now: december });
    expect(inputs.region).toBe('eu-west-1');
    expect(inputs.cloudHealthChecks).toBe(true);
    expect(inputs.intervalMs).toBe(47 * 60_000); // (2,000 − 62 for the day seals) / 2 = 969; 44,640 / 969 → 47
    expect(awsBilled(stack.target)).toBe(true);
    expect(awsBilled(hourlyLocal.target)).toBe(false);
    expect(awsBilled({ kind: 's3', bucket: 'b', region: 'us-east-1', endpoint: 'http://minio:9000' })).toBe(
      false,
    );
  });

  it('the ratio measured on gzip uploads replaces the model ratio; unknown regions are priced as us-east-1', () => {
    const inputs = costInputsOf(
      { ...hourlyLocal, target: { kind: 's3', bucket: 'b', region: 'mars-1' } },
      { now: december, uploaded: { rawBytes: 2000, compressedBytes: 100 } },
    );
    expect(inputs.gzipRatio).toBe(20);
    expect(inputs.region).toBe('us-east-1');
    const none = costInputsOf(
      { ...hourlyLocal, compression: 'none' },
      {
        now: december,
        uploaded: { rawBytes: 2000, compressedBytes: 100 },
      },
    );
    expect(none.gzipRatio).toBeUndefined();
  });

  it("prices the hours logged a day: the measured hosts averaged, at this PC's row width; nothing logged is no measure", () => {
    const day = (hours: number, width = 560) => ({ days: 12, bytes: 12 * hours * 3600 * width });
    // Two PCs, 4 h and 2 h a day, and one not measured yet (counted around the clock): 10 h per PC.
    const three = costInputsOf(hourlyLocal, {
      now: december,
      hosts: 3,
      loggedByHost: [day(4), day(2), null],
    });
    expect(three.loggingHoursPerDay).toBeCloseTo(10, 12);
    expect(loggingOf({ hosts: 3, loggedByHost: [day(4), day(2), null] })).toMatchObject({
      unmeasuredHosts: 1,
      bytesPerDay: 3 * 3600 * 560,
    });
    // Another PC's own bytes a second (a HWiNFO log of 3,000-byte rows) turn its bytes into its hours, not this
    // PC's row width: 3 h and 2 h, and the model's row the bytes a second over both.
    const hwinfo = { days: 12, bytes: 12 * 3 * 3600 * 3000, bytesPerSecond: 3000 };
    const mixed = loggingOf({ hosts: 2, loggedByHost: [hwinfo, day(2)] })!;
    expect(mixed.hoursPerDay).toBeCloseTo(2.5, 12);
    expect(mixed.bytesPerRow).toBeCloseTo((3 * 3000 + 2 * 560) / 5, 9);
    // Without them, at this PC's 560-byte rows: 16 h for those 3 h.
    const unknown = { days: 12, bytes: hwinfo.bytes };
    expect(loggingOf({ hosts: 2, loggedByHost: [unknown, day(2)] })!.hoursPerDay).toBeCloseTo(
      ((3 * 3000) / 560 + 2) / 2,
      12,
    );
    // PCs that stored nothing lately, measured on their last days of logging: counted, and the newest such day kept.
    const idle = (hours: number, lastDay: number) => ({ ...day(hours), lastDay });
    expect(
      loggingOf({
        hosts: 3,
        loggedByHost: [idle(3, Date.UTC(2026, 10, 19)), idle(5, Date.UTC(2026, 9, 2)), day(4)],
      }),
    ).toMatchObject({ hoursPerDay: 4, idleHosts: 2, lastLoggedDay: Date.UTC(2026, 10, 19) });
    expect(loggingOf({ loggedByHost: [day(4)] })).toMatchObject({
      idleHosts: 0,
      lastLoggedDay: null,
      resumedHosts: 0,
      resumedDay: null,
    });
    // Of them, those logging again since yesterday or today (no whole day of it yet): counted, the newest date kept.
    const back = { ...idle(3, Date.UTC(2026, 10, 19)), resumedDay: Date.UTC(2026, 11, 6) };
    expect(
      loggingOf({
        hosts: 3,
        loggedByHost: [back, { ...back, resumedDay: Date.UTC(2026, 11, 7) }, idle(5, 0)],
      }),
    ).toMatchObject({ idleHosts: 3, resumedHosts: 2, resumedDay: Date.UTC(2026, 11, 7) });
    // More hosts counted than listed (estimate --hosts 4): the others around the clock too.
    expect(loggingOf({ hosts: 4, loggedByHost: [day(4)] })!.hoursPerDay).toBe((4 + 3 * 24) / 4);
    // Rows of 680 bytes (this PC's counters): the same bytes are fewer hours, and the model's rows that wide.
    const wide = { bytesRead: 680_000, rowsRead: 1000 };
    const measured = costInputsOf(hourlyLocal, {
      now: december,
      loggedByHost: [day(3, 680)],
      bytesPerRow: rowWidthOf(wide),
    });
    expect(measured).toMatchObject({ loggingHoursPerDay: 3, rawBytesPerRow: 680 });
    expect(rowWidthOf({ bytesRead: 68_000, rowsRead: 100 })).toBeUndefined();
    // Never more than the day; a PC idle on every day measured, or none measured: around the clock.
    expect(loggingOf({ loggedByHost: [day(30)] })!.hoursPerDay).toBe(24);
    expect(loggingOf({ loggedByHost: [{ days: 12, bytes: 0 }] })).toBeNull();
    expect(loggingOf({ loggedByHost: [null] })).toBeNull();
    expect(costInputsOf(hourlyLocal, { now: december }).loggingHoursPerDay).toBeUndefined();
  });
});
