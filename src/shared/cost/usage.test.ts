import { encodeDayRollups, withBatch } from '../process/day-rollups';
import { sampleDayRollups } from '../process/testing/sample-day-rollups';
import { modelMonthlyUsage, rawMonthsStored, USAGE_DEFAULTS } from './usage';

const HOUR = 60 * 60_000;

describe('the day seal in the monthly usage', () => {
  it('costs 2 PUT-class requests per host and day (LIST + PUT), not per batch', () => {
    // Prepare
    const input = { intervalMs: HOUR, monthDays: 30, hosts: 2, dashboardOpensPerDay: 0 };
    // Act
    const u = modelMonthlyUsage(input);
    // Assess: 2 hosts × 720 batches × 2 object PUTs + 2 hosts × 30 days × 2.
    expect(u.s3PutClass).toEqual({
      puts: 2880,
      lists: 0,
      historyLists: 0,
      daySeal: 120,
      analytics: 0,
      total: 3000,
    });
  });

  it('adds per batch a HEAD of the previous day and the seal’s GET of the object (GET-class)', () => {
    const u = modelMonthlyUsage({ intervalMs: HOUR, monthDays: 30, dashboardOpensPerDay: 0 });
    expect(u.s3GetClass).toEqual({
      lambda: 720,
      sealChecks: 720,
      sealReads: 720,
      dashboard: 0,
      analytics: 0,
      total: 2160,
    });
  });

  it('seals only days with a processed object: at 48-hour batches 15 of 30', () => {
    const u = modelMonthlyUsage({ intervalMs: 48 * HOUR, monthDays: 30, dashboardOpensPerDay: 0 });
    expect(u.sealedDaysPerHost).toBe(15);
    expect(u.s3PutClass.daySeal).toBe(30);
  });

  it('stores one day document per host and day, written once (no replaced versions)', () => {
    // Prepare
    const base = { intervalMs: 5 * 60_000, monthDays: 30, hosts: 2, dashboardOpensPerDay: 0 };
    // Act
    const none = modelMonthlyUsage({ ...base, dayRollupBytes: 0 });
    const some = modelMonthlyUsage(base);
    // Assess: 2 hosts × 30 days × 193,000 B uploaded, stored half the month on average.
    expect(some.s3StorageGbMonth - none.s3StorageGbMonth).toBeCloseTo((2 * 30 * 193_000) / 2 / 1e9, 12);
  });

  it('spreads the seal over the runs: the HEAD, the seal’s GET and CPU per batch, its LIST and PUT per day', () => {
    // Prepare: hourly, 3,600 rows a batch.
    const input = { intervalMs: HOUR, monthDays: 30, dashboardOpensPerDay: 0 };
    // Act
    const u = modelMonthlyUsage(input);
    const without = modelMonthlyUsage({ ...input, lambdaSealMsPerThousandRows: 0, lambdaS3RequestMs: 0 });
    // Assess: 3.6 × 17.2 ms of seal CPU + 50 ms × (HEAD + GET + (LIST + PUT) / 24 batches a day).
    expect(u.lambdaDurationMs - without.lambdaDurationMs).toBeCloseTo(
      3.6 * USAGE_DEFAULTS.lambdaSealMsPerThousandRows + 50 * (2 + 2 / 24),
      9,
    );
    expect(u.lambdaDurationMs - without.lambdaDurationMs).toBeCloseTo(166, 0);
  });

  it("the day document's size default is what a realistic full day of a real log encodes to (±5 %)", async () => {
    const { day, last } = await sampleDayRollups();
    const bytes = encodeDayRollups(withBatch(day, last)).length;
    expect(Math.abs(bytes / USAGE_DEFAULTS.dayRollupBytes - 1)).toBeLessThan(0.05);
  });
});

describe('logging part of the day (loggingHoursPerDay)', () => {
  it('counts one sitting a day: 3.5 h at hourly batches is 4 batches a day, the rows 3.5 h of them', () => {
    // Prepare
    const input = { intervalMs: HOUR, monthDays: 30, dashboardOpensPerDay: 0 };
    // Act
    const part = modelMonthlyUsage({ ...input, loggingHoursPerDay: 3.5 });
    const all = modelMonthlyUsage(input);
    // Assess: 30 days × 4 batches, each PUT twice; 30 day seals of 2; rows 30 × 3.5 × 3,600.
    expect(part.batchesPerHost).toBe(120);
    expect(part.s3PutClass.total).toBe(120 * 2 + 30 * 2);
    expect(part.rowsPerHost).toBe(30 * 3.5 * 3600);
    expect(all.batchesPerHost).toBe(720);
    // Storage of the batches follows the rows (3.5 of 24 hours); the day documents, one a day, stay.
    const dayDocuments = (30 * USAGE_DEFAULTS.dayRollupBytes) / 2 / 1e9;
    expect((part.s3StorageGbMonth - dayDocuments) / (all.s3StorageGbMonth - dayDocuments)).toBeCloseTo(
      3.5 / 24,
      12,
    );
  });

  it('never counts more batches than the month has intervals (an interval longer than the sitting and the day)', () => {
    const u = modelMonthlyUsage({
      intervalMs: 48 * HOUR,
      monthDays: 30,
      dashboardOpensPerDay: 0,
      loggingHoursPerDay: 3,
    });
    expect(u.batchesPerHost).toBe(15);
    expect(u.sealedDaysPerHost).toBe(15);
  });

  it('is the same month as before at 24 h, and a month of no logging makes no batch and no NaN', () => {
    const input = { intervalMs: 5 * 60_000, monthDays: 31, dashboardOpensPerDay: 4 };
    expect(modelMonthlyUsage({ ...input, loggingHoursPerDay: 24 })).toEqual(modelMonthlyUsage(input));
    const none = modelMonthlyUsage({ ...input, loggingHoursPerDay: 0 });
    expect(none.batches).toBe(0);
    expect(none.rowsPerHost).toBe(0);
    expect(Number.isFinite(none.lambdaDurationMs)).toBe(true);
    expect(none.s3PutClass.puts).toBe(0);
  });
});

describe('raw batches the stack deletes (raw_expiry_days)', () => {
  it('are stored for their days kept and the 7 days of their old version; the processed data stays', () => {
    // Prepare: a year stored; raw and processed the same size a row (the model's default)
    const base = {
      intervalMs: HOUR,
      monthDays: 30,
      dashboardOpensPerDay: 0,
      historyMonths: 12,
      dayRollupBytes: 0,
    };
    // Act
    const kept = modelMonthlyUsage(base);
    const deleted = modelMonthlyUsage({ ...base, rawExpiryDays: 30 });
    // Assess: 12.5 months of each when kept; the raw half is 37 days (30 + 7 noncurrent) when deleted.
    expect(deleted.s3StorageGbMonth / kept.s3StorageGbMonth).toBeCloseTo((12.5 + 37 / 30) / 25, 12);
    expect(deleted.rawExpiryDays).toBe(30);
    expect(deleted.s3PutClass).toEqual(kept.s3PutClass); // an expiration is no request
  });

  it('change nothing while the store holds fewer days than they are kept', () => {
    expect(rawMonthsStored({ rawExpiryDays: 30, monthDays: 30 }, 0.5)).toBe(0.5);
    expect(rawMonthsStored({ rawExpiryDays: 1, monthDays: 30 }, 0.5)).toBeCloseTo(8 / 30, 12);
    expect(rawMonthsStored({ rawExpiryDays: 0, monthDays: 30 }, 12.5)).toBe(12.5);
  });
});
