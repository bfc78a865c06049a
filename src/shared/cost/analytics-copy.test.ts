import { ANALYTICS_DEFAULTS, analyticsCopyUsage } from './analytics-copy';
import { estimateMonthlyCost } from './estimate';
import { safeIntervalFor } from './format';

const HOURLY = { intervalMs: 60 * 60_000, monthDays: 30, dashboardOpensPerDay: 0 };

describe('analyticsCopyUsage', () => {
  it('counts per run 1 LIST for hosts and 2 per host, per host and day 1 PUT and a GET per batch + 1', () => {
    expect(
      analyticsCopyUsage({
        monthDays: 30,
        hosts: 2,
        batchesPerHostPerDay: 24,
        rowsPerHostPerDay: 86_400,
        historyMonths: 0,
      }),
    ).toMatchObject({ lists: 30 * (1 + 2 * 2), puts: 60, gets: 60 * 25, invocations: 30 });
    const usage = analyticsCopyUsage({
      monthDays: 30,
      hosts: 2,
      batchesPerHostPerDay: 24,
      rowsPerHostPerDay: 86_400,
      historyMonths: 0,
    });
    expect(usage.storageGbMonth).toBeCloseTo((86_400 * 30 * 2 * 34) / 1e9 / 2, 12);
    expect(usage.durationMs).toBeCloseTo(
      ANALYTICS_DEFAULTS.baseMs + ANALYTICS_DEFAULTS.msPerThousandRows * 172.8,
      9,
    );
  });

  it('pages the processed LIST when a week of batches passes 1,000 keys (5-minute batches: 2,016)', () => {
    const usage = analyticsCopyUsage({
      monthDays: 30,
      hosts: 1,
      batchesPerHostPerDay: 288,
      rowsPerHostPerDay: 86_400,
      historyMonths: 0,
    });
    expect(usage.lists).toBe(30 * (1 + 3 + 1));
  });
});

describe('estimateMonthlyCost with the daily analytics copy', () => {
  const off = estimateMonthlyCost({ ...HOURLY, regime: 'none' });
  const on = estimateMonthlyCost({ ...HOURLY, regime: 'none', analyticsCopy: true });

  it('adds its requests and storage to the totals, and shows them on lines of their own', () => {
    expect(on.putClassRequests - off.putClassRequests).toBe(90 + 30);
    expect(on.getClassRequests - off.getClassRequests).toBe(750);
    expect(on.services.map((s) => s.service)).toEqual(
      expect.arrayContaining([
        'S3 PUT/COPY/POST/LIST: daily analytics copy',
        'S3 GET: daily analytics copy',
        'S3 Standard storage: daily analytics copy',
      ]),
    );
    const copy = on.services.find((s) => s.service === 'S3 PUT/COPY/POST/LIST: daily analytics copy')!;
    expect(copy.usage).toBe(120);
    expect(copy.cost).toBeCloseTo((120 * 0.005) / 1000, 10);
    expect(on.total).toBeGreaterThan(off.total);
  });

  it('shares the free allowances: the rest uses them first, the copy pays what is left over', () => {
    const legacy = estimateMonthlyCost({ ...HOURLY, regime: 'legacy', analyticsCopy: true });
    const puts = legacy.services.filter((s) => s.service.startsWith('S3 PUT'));
    expect(puts.map((s) => [s.usage, s.allowance, s.cost])).toEqual([
      [1500, 2000, 0], // 720 batches × 2 + 30 day seals × 2
      [120, 2000, 0],
    ]);
    expect(puts[0]!.percentUsed).toBeCloseTo((1620 / 2000) * 100, 6);
  });

  it('leaves less room for batches: the smallest interval within 2,000 PUT-class requests grows', () => {
    expect(safeIntervalFor(off)).toBe(45); // (2,000 − 60 for the day seals) / 2 = 970 batches; 43,200 / 970 = 44.5
    expect(safeIntervalFor(on)).toBe(Math.ceil((30 * 1440) / Math.floor((2000 - 120 - 60) / 2)));
  });
});
