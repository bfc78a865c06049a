import { formatDuration, parseDuration, parseInterval } from './duration';

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

describe('parseInterval', () => {
  it('reads a bare number as minutes (the old script’s --interval 5) and units as given', () => {
    expect(parseInterval('5')).toBe(5 * 60_000);
    expect(parseInterval(' 45 ')).toBe(45 * 60_000);
    expect(parseInterval('1.5')).toBe(90_000);
    expect(parseInterval('30s')).toBe(30_000);
    expect(parseInterval('1h')).toBe(3_600_000);
    expect(() => parseInterval('0')).toThrow(/longer than zero/);
    expect(() => parseInterval('5 minutes')).toThrow(/not a duration/);
  });
});
