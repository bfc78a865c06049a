import type { CostView } from '../../shared/contract';
import { budgetScheduleText } from '../../shared/cost/budget-schedule';
import { EVENINGS_BUDGET, view } from './cost-view.test-support';
import {
  costFigures,
  costHeadline,
  costNotes,
  REGIME_CHOICES,
  safeIntervalText,
  serviceRows,
} from './costs-model';

describe('costs-model', () => {
  it('headline: the month at the interval; a local folder costs AWS nothing; credits say what reaches the card', () => {
    expect(costHeadline(view())).toBe('About $0.0110 a month at 1 h between uploads.');
    expect(costHeadline(view({ awsBilled: false }))).toMatch(
      /^This PC does not upload to AWS, so AWS bills nothing\./,
    );
    expect(costHeadline(view({ regime: 'credits', billedUsd: 0 }))).toContain('$0.00 reaches your card');
  });

  it('figures carry the data the e2e reads and explain PUT-class', () => {
    const figures = costFigures(view());
    expect(figures.map((f) => f.testid)).toEqual([
      'cost-monthly',
      'cost-billed',
      'cost-puts',
      'cost-hosts',
      'cost-logging',
      'cost-history',
      'cost-safe-interval',
    ]);
    // A year of readings: the storage line pays for them (processed data never expires).
    const since = Date.UTC(2025, 11, 6, 20);
    expect(costFigures(view({ historyMonths: 11.83, storedSince: since }))[5]).toMatchObject({
      text: `12 months of readings already stored (since ${new Date(since).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric' })}) and this month's uploads`,
      data: { 'data-months': 11.83 },
    });
    expect(figures[5]!.text).toBe("this month's uploads (nothing stored before it)");
    // Raw batches the stack deletes after 30 days: how long they are stored, the old version's 7 days with them.
    expect(
      costFigures(view({ historyMonths: 11.83, storedSince: since, rawExpiryDays: 30 }))[5]!.text,
    ).toMatch(/and this month's uploads; raw batches kept 37 days \(30, then 7 as old versions\)$/);
    // Two PCs, one with a year, one new: half of it per PC, said as such.
    expect(costFigures(view({ hosts: 2, historyMonths: 5.92, storedSince: since }))[5]!.text).toMatch(
      /^6 months of readings per PC on average already stored \(the oldest since .+\) and this month's uploads$/,
    );
    expect(figures[3]).toMatchObject({ text: '1 host (this PC)', data: { 'data-value': 1 } });
    // How long GPU-Z logs a day: around the clock until measured; then as stored, with the month around the clock.
    expect(figures[4]).toMatchObject({
      text: 'around the clock (24 h a day) until a whole day is stored',
      data: { 'data-hours': 24 },
    });
    const logging = {
      hoursPerDay: 3.14,
      bytesPerDay: 6_400_000,
      days: 12,
      unmeasuredHosts: 0,
      idleHosts: 0,
      lastLoggedDay: null,
      resumedHosts: 0,
      resumedDay: null,
      seenByAgent: false,
      aroundTheClockUsd: 0.0125,
    };
    expect(costFigures(view({ logging }))[4]).toMatchObject({
      text: '3.1 h a day, as stored over the last 12 days (6.1 MB of log a day); around the clock: $0.0125 a month',
      data: { 'data-hours': 3.14 },
    });
    expect(
      costFigures(view({ hosts: 2, logging: { ...logging, hoursPerDay: 11.6, days: 1 } }))[4]!.text,
    ).toBe(
      '12 h a day per PC, as stored yesterday (6.1 MB of log a day per PC measured); around the clock: $0.0125 a month',
    );
    // Nothing stored lately (or the store not read): this PC's agent's count, and the other PCs around the clock
    const seen = { ...logging, hoursPerDay: 3, days: 14, seenByAgent: true };
    expect(costFigures(view({ logging: seen }))[4]!.text).toBe(
      "3.0 h a day, as this PC's agent saw GPU-Z log over the last 14 days (no whole day stored lately to measure); around the clock: $0.0125 a month",
    );
    expect(
      costFigures(view({ hosts: 2, logging: { ...seen, hoursPerDay: 13.5, unmeasuredHosts: 1 } }))[4]!.text,
    ).toBe(
      "14 h a day per PC, as this PC's agent saw GPU-Z log over the last 14 days (no whole day stored lately to measure), 1 of 2 PCs around the clock until a whole day of it is stored; around the clock: $0.0125 a month",
    );
    // A second PC with no whole day stored yet: counted around the clock, and said so.
    const newPc = { ...logging, hoursPerDay: 13.57, unmeasuredHosts: 1 };
    expect(costFigures(view({ hosts: 2, logging: newPc }))[4]!.text).toBe(
      '14 h a day per PC, as stored over the last 12 days (6.1 MB of log a day per PC measured), 1 of 2 PCs around ' +
        'the clock until a whole day of it is stored; around the clock: $0.0125 a month',
    );
    expect(costFigures(view({ logging: { ...logging, hoursPerDay: 24 } }))[4]!.text).toBe(
      'around the clock, as stored over the last 12 days (6.1 MB of log a day)',
    );
    // Just short of it: not "24 h" beside a dearer "around the clock"
    expect(costFigures(view({ logging: { ...logging, hoursPerDay: 23.9 } }))[4]!.text).toBe(
      '23.9 h a day, as stored over the last 12 days (6.1 MB of log a day); around the clock: $0.0125 a month',
    );
    // A PC that stored nothing lately (off for weeks, or a log backfilled from long ago): its last days of logging.
    const idle = {
      ...logging,
      hoursPerDay: 24,
      bytesPerDay: 58_700_000,
      lastLoggedDay: Date.UTC(2026, 10, 19),
      idleHosts: 1,
    };
    expect(costFigures(view({ logging: idle }))[4]!.text).toBe(
      'around the clock, as stored over its last 12 days of logging, to Nov 19, 2026 (56 MB of log a day); nothing ' +
        'stored since',
    );
    // A laptop that logged 20 minutes once, in August
    const once = { ...idle, days: 1, hoursPerDay: 0.33, lastLoggedDay: Date.UTC(2026, 7, 6) };
    expect(costFigures(view({ logging: once }))[4]!.text).toBe(
      '0.3 h a day, as stored on its last day of logging, Aug 6, 2026 (56 MB of log a day); nothing stored since; ' +
        'around the clock: $0.0125 a month',
    );
    expect(
      costFigures(view({ hosts: 2, logging: { ...idle, idleHosts: 2, hoursPerDay: 13.5 } }))[4]!.text,
    ).toBe(
      '14 h a day per PC, as stored over each one’s last 12 days of logging (56 MB of log a day per PC measured); ' +
        'nothing stored since Nov 19, 2026; around the clock: $0.0125 a month',
    );
    expect(costFigures(view({ hosts: 2, logging: { ...idle, hoursPerDay: 13.5 } }))[4]!.text).toBe(
      '14 h a day per PC, as stored over the last 12 days (56 MB of log a day per PC measured), 1 of 2 PCs on its ' +
        'last days of logging (nothing stored in the last 13 days); around the clock: $0.0125 a month',
    );
    // Logging again since today after weeks off: its days before the break, until a whole day of it is stored.
    const back = { ...idle, hoursPerDay: 3.14, resumedHosts: 1, resumedDay: Date.UTC(2026, 11, 7) };
    expect(costFigures(view({ logging: back }))[4]!.text).toBe(
      '3.1 h a day, as stored over its last 12 days of logging, to Nov 19, 2026 (56 MB of log a day); logging again ' +
        'since Dec 7, 2026, measured once a whole day of it is stored; around the clock: $0.0125 a month',
    );
    expect(costFigures(view({ hosts: 2, logging: { ...back, idleHosts: 2 } }))[4]!.text).toMatch(
      /days of logging \(56 MB of log a day per PC measured\); 1 of them logging again since Dec 7, 2026, measured/,
    );
    expect(costFigures(view({ hosts: 2, logging: back }))[4]!.text).toMatch(
      /, 1 of 2 PCs on its last days of logging \(logging again since Dec 7, 2026 after 13 days or more without\);/,
    );
    expect(costFigures(view({ hosts: 3, logging: { ...back, idleHosts: 2 } }))[4]!.text).toMatch(
      /, 2 of 3 PCs on their last days of logging \(nothing stored in the last 13 days, or for 1 of them only since Dec 7, 2026\);/,
    );
    expect(costFigures(view({ hosts: 2 }))[3]).toMatchObject({ text: '2 hosts', data: { 'data-value': 2 } });
    expect(figures[0]).toMatchObject({ text: '$0.0110', data: { 'data-usd': 0.011 } });
    // What the uploads and listings are; after a year, the daily look at all of it (Sessions) is 270 of them.
    expect(figures[2]!.tip).toBe(
      '1,440 uploads (720 batches, raw and processed) · 60 to gather each day · 112 listings by the dashboard',
    );
    const year = { uploads: 1440, batches: 720, daySeals: 60, lists: 630, historyLists: 270, other: 60 };
    expect(costFigures(view({ putClassRequests: 2190, putClassParts: year }))[2]!.tip).toBe(
      '1,440 uploads (720 batches, raw and processed) · 60 to gather each day · 630 listings by the dashboard, 270 of ' +
        'them for a daily look at all stored data (Sessions) · 60 for health checks and the analytics copy',
    );
    expect(safeIntervalText(view())).toBe(
      '48 min or more keeps S3 uploads and listings within 2,000 a month.',
    );
    expect(safeIntervalText(view({ smallestSafeIntervalMinutes: null }))).toMatch(/^No interval/);
    // Measured hours of logging: the interval holds for them (logging more makes more batches).
    expect(safeIntervalText(view({ smallestSafeIntervalMinutes: 7, logging }))).toBe(
      '7 min or more keeps S3 uploads and listings within 2,000 a month at 3.1 h of logging a day.',
    );
    expect(safeIntervalText(view({ logging: { ...logging, hoursPerDay: 24 } }))).toBe(
      '48 min or more keeps S3 uploads and listings within 2,000 a month.',
    );
  });

  it('a budget schedule has its line (budgetScheduleText); a fixed interval has none', () => {
    const schedule = EVENINGS_BUDGET;
    const line = (over: Partial<CostView>) =>
      costFigures(view(over)).find((f) => f.testid === 'cost-schedule');
    expect(line({ intervalMinutes: 10, schedule })).toMatchObject({
      text: budgetScheduleText(schedule),
      data: { 'data-minutes': 10 },
    });
    expect(line({})).toBeUndefined();
  });

  it('every line gets plain words and an explanation; GB-s is explained; no meter without an allowance', () => {
    const [puts, lambda] = serviceRows(view());
    expect(puts).toMatchObject({ words: 'S3 uploads and listings', meter: null, usdText: '$0.0081' });
    expect(lambda!.words).toBe('Processing time');
    expect(lambda!.explanation).toMatch(/GB-seconds \(GB-s\)/);
    expect(lambda!.usageText).toBe('56.1 GB-s / 400,000 free (0 %)');
    expect(lambda!.meter).toMatchObject({ max: 400_000 });
  });

  it('regimes are offered in plain words, today’s first; notes carry the price date', () => {
    expect(REGIME_CHOICES.map((c) => c.value)).toEqual(['none', 'credits', 'legacy']);
    expect(costNotes(view({ warnings: ['w'] }))).toEqual([
      'w',
      'Prices checked 2026-11-28 (AWS list prices, US dollars).',
    ]);
  });
});
