import { formatSeriesName, formatTime, formatUsd } from './format';

describe('renderer format', () => {
  it('names a series with its unit once (no "Fan Speed (%) (%)")', () => {
    expect(formatSeriesName('GPU Temperature', '°C')).toBe('GPU Temperature (°C)');
    expect(formatSeriesName('Fan Speed (%)', '%')).toBe('Fan Speed (%)');
    expect(formatSeriesName('PerfCap Reason', '')).toBe('PerfCap Reason');
  });

  it('shares the one USD and time formats', () => {
    expect(formatUsd(0.011)).toBe('$0.0110');
    expect(formatTime(null)).toBe('—');
  });
});
