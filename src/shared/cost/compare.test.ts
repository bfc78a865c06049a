import { compareActualToEstimate } from './compare';
import { estimateMonthlyCost } from './estimate';

// November 2026 has 30 days; at 2026-11-16T00:00Z, 15 of them (one half) have passed.
const now = new Date('2026-11-16T00:00:00Z');
const estimate = estimateMonthlyCost({
  intervalMs: 5 * 60_000,
  monthDays: 30,
  regime: 'none',
  dashboardOpensPerDay: 0,
});

describe('compareActualToEstimate', () => {
  it('projects half a month of counters to the whole month', () => {
    // 4,320 raw PUTs so far → 4,320 × 2 = 8,640 PUT-class (with the Lambda's processed PUTs) + 15 days of day
    // seals × 2 = 8,670 → 17,340 projected.
    const c = compareActualToEstimate({ counters: { put: 4320, get: 0, list: 0 }, estimate, now });
    expect(c.elapsedFraction).toBeCloseTo(0.5, 12);
    const put = c.rows.find((r) => r.metric === 'PUT-class requests')!;
    expect(put).toMatchObject({ soFar: 8670, projected: 17_340, estimated: 17_340, ratio: 1, status: 'ok' });
    expect(c.warnings).toEqual([]);
  });

  it('flags a month on course to exceed the estimate (manual uploads, retries, a shorter interval)', () => {
    // 6,000 raw PUTs × 2 + 200 LISTs + 30 for the day seals at mid-month → 12,230 → 24,460 projected against 17,340:
    // ratio 1.41 > 1.25.
    const c = compareActualToEstimate({ counters: { put: 6000, get: 0, list: 200 }, estimate, now });
    const put = c.rows.find((r) => r.metric === 'PUT-class requests')!;
    expect(put.projected).toBe(24_460);
    expect(put.status).toBe('over');
    expect(c.warnings).toContain('PUT-class requests: on course for 24460 this month, estimate 17340.');
  });

  it('checks the Lambda against CloudWatch: missing invocations, errors and a slow function', () => {
    const c = compareActualToEstimate({
      counters: { put: 4320, get: 0, list: 0 },
      estimate,
      cloudwatch: { invocations: 4000, errors: 2, durationAvgMs: 4000 },
      now,
    });
    const lambda = c.rows.find((r) => r.metric === 'Lambda invocations')!;
    expect(lambda).toMatchObject({ soFar: 4000, projected: 8000, estimated: 8640 });
    expect(lambda.status).toBe('ok'); // 8,000 / 8,640 = 0.93, within 25 %
    expect(c.warnings).toHaveLength(3);
    expect(c.warnings[0]).toMatch(/failed 2 time/);
    expect(c.warnings[1]).toMatch(/4320 raw uploads but only 4000 Lambda invocations/);
    // More than twice the model's duration per invocation (a cold start + one GET and PUT + 300 rows + the HEAD and
    // the day seal's share: 1,426 ms).
    expect(c.warnings[2]).toMatch(
      new RegExp(`averages 4000 ms against ${Math.round(estimate.usage.lambdaDurationMs)} ms`),
    );
  });
});
