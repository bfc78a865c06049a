import { allowancesFor, regimeWarnings } from './free-tier';

describe('free-tier regimes', () => {
  it('gives the 12-month S3 allowance only to legacy accounts, always-free to all', () => {
    expect(allowancesFor('legacy')).toMatchObject({
      s3PutClass: 2000,
      s3GetClass: 20_000,
      s3StorageGbMonth: 5,
    });
    for (const regime of ['credits', 'none'] as const) {
      expect(allowancesFor(regime)).toMatchObject({ s3PutClass: 0, s3GetClass: 0, s3StorageGbMonth: 0 });
    }
    for (const regime of ['legacy', 'credits', 'none'] as const) {
      expect(allowancesFor(regime)).toMatchObject({
        lambdaRequests: 1_000_000,
        lambdaGbSeconds: 400_000,
        alarms: 10,
        metricApiRequests: 1_000_000,
        getMetricDataMetrics: 0,
        logsGb: 5,
        dataTransferOutGb: 100,
      });
    }
  });

  it('warns that every legacy 12-month offer had ended by 15 July 2026', () => {
    expect(regimeWarnings('legacy', new Date('2026-03-01Z'))).toEqual([]);
    expect(regimeWarnings('legacy', new Date('2026-11-28Z'))[0]).toMatch(/ended by 2026-07-15/);
    // An account opened 2025-01-10 lost it on 2026-01-10.
    expect(regimeWarnings('legacy', new Date('2026-02-01Z'), new Date('2025-01-10Z'))[0]).toMatch(
      /ended by 2026-01-10/,
    );
  });

  it('warns when the chosen regime does not fit the account date', () => {
    const w = regimeWarnings('legacy', new Date('2025-09-01Z'), new Date('2025-08-01Z'));
    expect(w[0]).toMatch(/no 12-month S3 allowance/);
    expect(regimeWarnings('credits', new Date('2026-03-01Z'), new Date('2025-08-01Z'))[0]).toMatch(
      /expired on 2026-02-01/,
    );
    expect(regimeWarnings('credits', new Date('2025-12-01Z'), new Date('2025-08-01Z'))).toEqual([]);
  });
});
