import { formatDuration, parseDuration } from './duration';

describe('parseDuration / formatDuration', () => {
  it.each([
    ['5m', 300_000],
    ['45m', 2_700_000],
    ['1s', 1000],
    ['250ms', 250],
    ['1h30m', 5_400_000],
    ['90', 90_000],
    [' 2H ', 7_200_000],
  ])('%s → %i ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it('rejects what is not a duration', () => {
    expect(() => parseDuration('5 minutes')).toThrow(/not a duration/);
    expect(() => parseDuration('m')).toThrow(/not a duration/);
    expect(() => parseDuration('0s')).toThrow(/longer than zero/);
  });

  it('formats back', () => {
    expect(formatDuration(2_700_000)).toBe('45m');
    expect(formatDuration(5_400_000)).toBe('1h30m');
    expect(formatDuration(1000)).toBe('1s');
    expect(formatDuration(250)).toBe('250ms');
    expect(formatDuration(Number.POSITIVE_INFINITY)).toBe('never');
  });
});
