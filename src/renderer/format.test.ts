import { formatDuration, formatSeriesName, formatSpan, formatTime, formatUsd } from './format';

describe('renderer format', () => {
  it('names a series with its unit once (no "Fan Speed (%) (%)")', () => {
    expect(formatSeriesName('GPU Temperature', '°C')).toBe('GPU Temperature (°C)');
    expect(formatSeriesName('Fan Speed (%)', '%')).toBe('Fan Speed (%)');
    expect(formatSeriesName('PerfCap Reason', '')).toBe('PerfCap Reason');
  });

  it('says long durations in days and hours (a GPU-Z left logging for two weeks read "19600 min")', () => {
    expect(formatSpan(19_600 * 60_000)).toBe('13 d 14 h');
    expect(formatSpan(10 * 60_000 + 20_000)).toBe('10 min');
    expect(formatSpan(5 * 3_600_000 + 26 * 60_000 + 40_000)).toBe('5 h 27 min');
    expect(formatSpan(40_400)).toBe('40 s');
    expect(formatSpan(0)).toBe('0 s');
    expect(formatSpan(48 * 3_600_000)).toBe('2 d');
    expect(formatDuration(47 * 3_600_000 + 59 * 60_000)).toBe('47 h 59 min');
    expect(formatDuration(95_000)).toBe('1 min 35 s');
  });

  it('shares the one USD and time formats', () => {
    expect(formatUsd(0.011)).toBe('$0.0110');
    expect(formatTime(null)).toBe('—');
  });
});
