import fc from 'fast-check';
import { estimateMonthlyCost } from './estimate';
import { pricesFor } from './prices';

const FIVE_MINUTES = 5 * 60_000;

function lineOf(estimate: ReturnType<typeof estimateMonthlyCost>, prefix: string) {
  const found = estimate.services.find((l) => l.service.startsWith(prefix));
  if (!found) throw new Error(`no line ${prefix}`);
  return found;
}

describe('estimateMonthlyCost: the 5-minute case the old design called "$0.00/month"', () => {
  // 30-day month: 30 × 24 × 60 / 5 = 8,640 batches → 8,640 raw + 8,640 processed PUTs = 17,280, + the day seal's
  // LIST + PUT on each of 30 days = 60 → 17,340 PUT-class.
  const base = { intervalMs: FIVE_MINUTES, monthDays: 30, dashboardOpensPerDay: 0 } as const;

  it('legacy: (17,340 − 2,000) × $0.005/1000 = $0.0767 + the GETs beyond 20,000, the rest inside the allowances', () => {
    const e = estimateMonthlyCost({ ...base, regime: 'legacy' });
    expect(e.usage.batches).toBe(8640);
    expect(e.putClassRequests).toBe(17_340);
    const put = lineOf(e, 'S3 PUT');
    expect(put.allowance).toBe(2000);
    expect(put.percentUsed).toBeCloseTo(867, 9); // 17,340 / 2,000
    expect(put.cost).toBeCloseTo(0.0767, 10);
    // GETs by the Lambda: 8,640 raw + 8,640 HEADs + 8,640 re-read by the seal = 25,920; (25,920 − 20,000) ×
    // $0.0004/1000 = $0.002368. Storage ≈ 0.1 GB-month < 5 GB.
    expect(lineOf(e, 'S3 GET').cost).toBeCloseTo(0.002368, 10);
    expect(lineOf(e, 'S3 Standard').cost).toBe(0);
    expect(e.total).toBeCloseTo(0.079068, 10);
    expect(e.creditsConsumed).toBeUndefined();
    expect(e.billed).toBeCloseTo(0.079068, 10);
  });

  it('credits: no S3 allowance, 17,340 × $0.005/1000 = $0.0867 of PUTs drawn from credits', () => {
    const e = estimateMonthlyCost({ ...base, regime: 'credits' });
    expect(lineOf(e, 'S3 PUT').cost).toBeCloseTo(0.0867, 10);
    // GET: 25,920 (Lambda: raw object, HEAD of yesterday's document, the seal's read) × $0.0004/1000 = $0.010368.
    expect(lineOf(e, 'S3 GET').cost).toBeCloseTo(0.010368, 10);
    // Storage: 2,592,000 rows × 560 B / 15 = 0.096768 GB raw + the same processed + 30 day documents × 193,000 B
    // = 0.199326 GB uploaded; stored half the month on average = 0.099663 GB-month × $0.023 = $0.002292249.
    expect(lineOf(e, 'S3 Standard').usage).toBeCloseTo(0.099663, 9);
    expect(lineOf(e, 'S3 Standard').cost).toBeCloseTo(0.002292249, 12);
    // 0.0867 + 0.010368 + 0.002292249 = 0.099360249; Lambda and CloudWatch stay inside always-free.
    expect(e.total).toBeCloseTo(0.099360249, 12);
    expect(e.creditsConsumed).toBeCloseTo(0.099360249, 12);
    expect(e.billed).toBe(0);
  });

  it('none: the same list-price total, billed to the card', () => {
    const e = estimateMonthlyCost({ ...base, regime: 'none' });
    expect(e.total).toBeCloseTo(0.099360249, 12);
    expect(e.billed).toBeCloseTo(0.099360249, 12);
    expect(e.creditsConsumed).toBeUndefined();
  });

  it('credits: a month that costs more than the credits left bills the rest', () => {
    const e = estimateMonthlyCost({ ...base, regime: 'credits', creditsRemainingUsd: 0.05 });
    expect(e.creditsConsumed).toBe(0.05);
    expect(e.billed).toBeCloseTo(0.049360249, 12);
  });

  it('latest.json.gz adds one PUT per batch: 8,640 × 3 + 60 = 25,980', () => {
    const e = estimateMonthlyCost({ ...base, regime: 'none', latestJson: true });
    expect(e.putClassRequests).toBe(25_980);
  });
});

describe('estimateMonthlyCost: hosts, dashboard, Lambda', () => {
  it('3 hosts at 45 minutes in a 31-day month: 3 × 992 batches × 2 + 186 = 6,138 PUT-class → legacy $0.02069', () => {
    // 44,640 min / 45 = 992 batches per host; + 3 hosts × 31 day seals × 2 = 186; (6,138 − 2,000) × $0.005/1000.
    const e = estimateMonthlyCost({
      intervalMs: 45 * 60_000,
      monthDays: 31,
      hosts: 3,
      regime: 'legacy',
      dashboardOpensPerDay: 0,
    });
    expect(e.usage.batchesPerHost).toBe(992);
    expect(e.putClassRequests).toBe(6138);
    expect(e.total).toBeCloseTo(0.02069, 10);
  });

  it("counts the dashboard's LISTs as PUT-class and its GETs once per new object", () => {
    // 4 opens × 31 days × (1 hosts LIST + 2 hosts × (the first page + 4 pages of the last 13 days' 3,744 objects))
    // = 1,364 LISTs, and a look a day at all stored data: 31 days × 2 hosts × 5 pages (4,464 objects mid-month)
    // = 310; none of the day documents (a device's first long-range draw, not monthly).
    const e = estimateMonthlyCost({
      intervalMs: FIVE_MINUTES,
      monthDays: 31,
      hosts: 2,
      regime: 'none',
      dashboardOpensPerDay: 4,
    });
    // Day seals: 2 hosts × 31 days × (1 LIST + 1 PUT) = 124.
    expect(e.usage.s3PutClass).toEqual({
      puts: 2 * 8928 * 2,
      lists: 1364 + 310,
      historyLists: 310,
      daySeal: 124,
      analytics: 0,
      total: 35_712 + 1364 + 310 + 124,
    });
    // GETs: 17,856 raw objects, 17,856 HEADs and 17,856 seal reads by the Lambda + 17,856 new processed objects
    // fetched once by the dashboard.
    expect(e.usage.s3GetClass).toEqual({
      lambda: 17_856,
      sealChecks: 17_856,
      sealReads: 17_856,
      dashboard: 17_856,
      analytics: 0,
      total: 4 * 17_856,
    });
  });

  it('prices Lambda duration beyond 400,000 free GB-s by architecture', () => {
    // 1-minute batches, 10 hosts, 30 days: 43,200 × 10 = 432,000 invocations (< 1M free requests).
    // 60 s each at 256 MB: 432,000 × 0.25 GB × 60 s = 6,480,000 GB-s; billable 6,080,000.
    const input = {
      intervalMs: 60_000,
      monthDays: 30,
      hosts: 10,
      regime: 'none',
      lambdaBaseMs: 60_000,
      lambdaMsPerThousandRows: 0,
      lambdaSealMsPerThousandRows: 0,
      lambdaS3RequestMs: 0,
      dashboardOpensPerDay: 0,
    } as const;
    const arm = lineOf(estimateMonthlyCost({ ...input, arch: 'arm64' }), 'Lambda duration');
    const x86 = lineOf(estimateMonthlyCost({ ...input, arch: 'x86_64' }), 'Lambda duration');
    expect(arm.usage).toBeCloseTo(6_480_000, 6);
    expect(arm.cost).toBeCloseTo(6_080_000 * 0.0000133334, 9); // $81.067072
    expect(x86.cost).toBeCloseTo(6_080_000 * 0.0000166667, 9); // $101.333536
    expect(lineOf(estimateMonthlyCost({ ...input, arch: 'arm64' }), 'Lambda requests').cost).toBe(0);
  });

  it('uses the regional price table: eu-central-1 PUTs at $0.0054 per 1,000', () => {
    const e = estimateMonthlyCost({
      intervalMs: FIVE_MINUTES,
      monthDays: 30,
      regime: 'none',
      region: 'eu-central-1',
      dashboardOpensPerDay: 0,
    });
    expect(lineOf(e, 'S3 PUT').cost).toBeCloseTo(17_340 * 0.0000054, 12); // $0.093636
    expect(e.prices).toBe(pricesFor('eu-central-1'));
  });

  it('refuses a region without dated prices', () => {
    expect(() => estimateMonthlyCost({ intervalMs: FIVE_MINUTES, regime: 'none', region: 'mars-1' })).toThrow(
      /No dated prices/,
    );
  });
});

describe('estimateMonthlyCost properties', () => {
  it('cost never rises when the interval grows', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1440 }),
        fc.integer({ min: 0, max: 1440 }),
        fc.record({
          hosts: fc.integer({ min: 1, max: 5 }),
          monthDays: fc.integer({ min: 28, max: 31 }),
          regime: fc.constantFrom('legacy', 'credits', 'none' as const),
          dashboardOpensPerDay: fc.integer({ min: 0, max: 24 }),
          latestJson: fc.boolean(),
          arch: fc.constantFrom('arm64', 'x86_64' as const),
        }),
        (minutes, extra, rest) => {
          const shorter = estimateMonthlyCost({ ...rest, intervalMs: minutes * 60_000 });
          const longer = estimateMonthlyCost({ ...rest, intervalMs: (minutes + extra) * 60_000 });
          expect(longer.total).toBeLessThanOrEqual(shorter.total + 1e-12);
          expect(longer.putClassRequests).toBeLessThanOrEqual(shorter.putClassRequests);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('a Kafka credentials secret adds $0.40 a month plus one GetSecretValue per invocation (no allowance)', () => {
    const plain = estimateMonthlyCost({ intervalMs: 3_600_000, monthDays: 31, regime: 'none' });
    const secret = estimateMonthlyCost({
      intervalMs: 3_600_000,
      monthDays: 31,
      regime: 'none',
      kafkaSecret: true,
    });
    expect(plain.services.map((s) => s.service)).not.toContain('Secrets Manager secret');
    const lines = secret.services.filter((s) => s.service.startsWith('Secrets Manager'));
    expect(lines).toMatchObject([
      { service: 'Secrets Manager secret', usage: 1, allowance: 0, cost: 0.4 },
      { service: 'Secrets Manager API calls', usage: 744, allowance: 0 },
    ]);
    expect(lines[1]!.cost).toBeCloseTo((744 / 10_000) * 0.05, 10);
    expect(secret.total - plain.total).toBeCloseTo(0.4 + 0.00372, 10);
    expect(secret.total / plain.total).toBeCloseTo(31.66, 1); // "about 32×" in docs/costs.md
  });
});

describe('the app watching a deployed stack (cloud health)', () => {
  it('counts two LISTs a day (PUT-class) and a DescribeAlarms every 10 minutes (free API requests)', () => {
    // Prepare
    const base = { intervalMs: 3_600_000, monthDays: 30, regime: 'none' as const, dashboardOpensPerDay: 0 };
    // Act
    const without = estimateMonthlyCost(base);
    const watched = estimateMonthlyCost({ ...base, cloudHealthChecks: true });
    // Assess
    expect(watched.putClassRequests - without.putClassRequests).toBe(60);
    const alarmLine = watched.services.find(
      (l) => l.service === 'CloudWatch DescribeAlarms (app health check)',
    );
    expect(alarmLine).toMatchObject({ usage: 4320, allowance: 1_000_000, cost: 0 });
    // 60 more PUT-class requests at $0.005 per 1,000.
    expect(watched.total - without.total).toBeCloseTo(0.0003, 6);
    expect(without.services.some((l) => l.service.startsWith('CloudWatch DescribeAlarms'))).toBe(false);
  });
});
