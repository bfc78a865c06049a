import { axisTimeUnit, formatAxisTime, formatMoment } from './time-format';

const now = Date.parse('2026-12-02T17:30:00Z');
const utc = (locale: string) => ({ locale, timeZone: 'UTC' });

describe('time-format', () => {
  it('one hour style per locale, on every kind of moment', () => {
    expect(formatMoment('2026-12-02T17:16:54Z', now, utc('en-US'))).toBe('5:16:54 PM');
    expect(formatMoment('2026-12-02T17:16:54Z', now, utc('en-GB'))).toBe('17:16:54');
    expect(formatMoment('2026-12-01T17:16:54Z', now, utc('en-US'))).toBe('Dec 1, 5:16:54 PM');
    expect(formatMoment('2025-12-01T17:16:54Z', now, utc('en-US'))).toBe('Dec 1, 2025, 5:16 PM');
    expect(formatMoment('2026-12-02T17:16:54Z', now, { ...utc('en-US'), seconds: false })).toBe('5:16 PM');
    expect(formatAxisTime(Date.parse('2026-12-02T17:16:54Z'), 3_600_000, utc('en-US'))).toBe('5:16 PM');
    expect(formatAxisTime(Date.parse('2026-12-02T17:16:54Z'), 3_600_000, utc('en-GB'))).toBe('17:16');
    expect(formatAxisTime(Date.parse('2026-12-02T17:16:54Z'), 7 * 86_400_000, utc('en-US'))).toBe('Dec 2');
    expect(formatAxisTime(Date.parse('2026-12-02T00:00:00Z'), 86_400_000, utc('en-US'))).toBe('Dec 2');
    expect(
      formatAxisTime(Date.parse('2026-12-02T00:00:00Z'), 86_400_000, {
        locale: 'en-US',
        timeZone: 'Europe/Berlin',
      }),
    ).toBe('1:00 AM');
    expect(axisTimeUnit(365 * 86_400_000)).toBe('month');
    expect(formatAxisTime(Date.parse('2026-01-01T00:00:00Z'), 365 * 86_400_000, utc('en-US'))).toBe(
      'Jan 2026',
    );
    expect(axisTimeUnit(62 * 86_400_000)).toBe('day');
    expect(axisTimeUnit(7 * 86_400_000)).toBe('day');
    expect(axisTimeUnit(86_400_000)).toBe('hour');
    expect(axisTimeUnit(3_600_000)).toBe(false);
    expect(formatMoment('not a time', now)).toBe('—');
  });

  it('"today" is the day in the given zone', () => {
    // 23:30 UTC on Dec 1 is already Dec 2 in Berlin.
    const late = '2026-12-01T23:30:00Z';
    expect(formatMoment(late, now, { locale: 'en-GB', timeZone: 'Europe/Berlin' })).toBe('0:30:00');
    expect(formatMoment(late, now, utc('en-GB'))).toBe('1 Dec, 23:30:00');
  });
});
