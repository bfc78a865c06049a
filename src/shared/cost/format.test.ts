import { estimateMonthlyCost } from './estimate';
import { formatEstimateTable, formatHours, formatUsd } from './format';

describe('formatEstimateTable', () => {
  it('prints the lines, the total, the safe interval and the dated sources', () => {
    const text = formatEstimateTable(
      estimateMonthlyCost({ intervalMs: 300_000, monthDays: 31, regime: 'legacy', dashboardOpensPerDay: 0 }),
    );
    // 31 days × 288 = 8,928 batches × 2 + 31 day seals × 2 = 17,918 PUT-class; (17,918 − 2,000) × 0.005 / 1000
    // = $0.07959; GETs 3 × 8,928 = 26,784, (26,784 − 20,000) × 0.0004 / 1000 = $0.0027136 → $0.0823036.
    expect(text).toMatch(/S3 PUT\/COPY\/POST\/LIST +17,918 requests +2,000 +896% +\$0\.0796/);
    expect(text).toMatch(/total after free allowances +\$0\.0823/);
    expect(text).toContain(
      'PUT-class requests: 17,918 = 8,928 batches × 2 PUTs + 62 for the day seals (LIST + PUT per host and day) + 0 dashboard LISTs',
    );
    // (2,000 − 62) / 2 = 969 batches; 44,640 / 969 = 46.07 → 47.
    expect(text).toContain('Smallest interval within 2,000 PUT-class requests this month: 47 minutes (47m)');
    expect(text).toContain('checked 2026-11-28: https://aws.amazon.com/s3/pricing/');
    expect(text).not.toContain('drawn from credits');
  });

  it('shows credits drawn on a credits account and flags unverified regional prices', () => {
    const text = formatEstimateTable(
      estimateMonthlyCost({ intervalMs: 300_000, monthDays: 30, regime: 'credits', region: 'eu-central-1' }),
      { notes: ['Free Tier API: not read'] },
    );
    expect(text).toMatch(/drawn from credits +\$0\.\d{4}/);
    expect(text).toMatch(/billed to the card +\$0\.00$/m);
    expect(text).toContain('Free Tier API: not read');
    expect(text).toMatch(/s3\/pricing\/ \(3 regional figure\(s\) not re-confirmed that day\)/);
  });

  it('says when no interval fits', () => {
    const e = estimateMonthlyCost({
      intervalMs: 300_000,
      monthDays: 30,
      regime: 'legacy',
      dashboardOpensPerDay: 100,
    });
    expect(formatEstimateTable(e, { putBudget: 1000 })).toContain(
      'No interval keeps this month within 1,000',
    );
  });
});

describe('formatUsd', () => {
  it('keeps a cent-sized month visible and says $0.00 only for nothing', () => {
    expect(formatUsd(0.011)).toBe('$0.0110');
    expect(formatUsd(0.00002)).toBe('< $0.0001');
    expect(formatUsd(0)).toBe('$0.00');
    expect(formatUsd(12.345)).toBe('$12.35');
  });
});

describe('formatHours', () => {
  it('says hours to a tenth below 10 and whole from 10, the same in the Costs view and the CLI', () => {
    expect(formatHours(2.75)).toBe('2.8 h');
    expect(formatHours(9.94)).toBe('9.9 h');
    expect(formatHours(9.95)).toBe('10 h');
    expect(formatHours(13.5)).toBe('14 h');
    // Short of 24 by less than half an hour: a tenth, never "24 h" (which is around the clock, priced apart)
    expect(formatHours(23.49)).toBe('23 h');
    expect(formatHours(23.5)).toBe('23.5 h');
    expect(formatHours(23.94)).toBe('23.9 h');
    expect(formatHours(23.95)).toBe('24 h');
    expect(formatHours(24)).toBe('24 h');
  });
});
