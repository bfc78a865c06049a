/**
 * The README's and docs/costs.md's cost figures are the one cost answer's (answer.ts), not typed-in numbers:
 * every `gpuz-cloud estimate …  # total $…; smallest interval …` line, the README's hourly sentence and the
 * figures table are recomputed here for a fresh install's settings (us-east-1) and must match to the digit.
 */
import { readFileSync } from 'node:fs';
import type { Settings } from '../contract';
import { costAnswer, costInputsOf } from './answer';
import { formatUsd } from './format';

const readme = readFileSync('README.md', 'utf8');
const costsMd = readFileSync('docs/costs.md', 'utf8');
const fresh: Settings = {
  logPath: 'GPU-Z Sensor Log.txt',
  target: { kind: 'local', dir: 'store' },
  schedule: { kind: 'interval', minutes: 60 },
  compression: 'gzip',
  host: 'pc',
  timeZone: 'UTC',
};

/** The answer for a 30-day month (the docs' month) at `minutes`, as `estimate --month-days 30` gives it. */
function answerAt(minutes: number) {
  const inputs = costInputsOf(fresh, { now: new Date('2026-11-15T12:00:00Z'), intervalMinutes: minutes });
  return costAnswer({ ...inputs, monthDays: 30 });
}

const count = (n: number) => n.toLocaleString('en-US');

describe('cost figures in the docs', () => {
  it('README: each `gpuz-cloud estimate` example prints the total and the interval its comment says', () => {
    const examples = [
      ...readme.matchAll(
        /gpuz-cloud estimate --interval (\d+) --month-days 30 +# total (\$[\d.]+); smallest interval within 2,000 PUTs: (\d+) min/g,
      ),
    ];
    expect(examples.length).toBeGreaterThan(0);
    for (const [, minutes, total, safe] of examples) {
      const answer = answerAt(Number(minutes));
      expect(formatUsd(answer.estimate.total)).toBe(total);
      expect(answer.smallestSafeIntervalMinutes).toBe(Number(safe));
    }
  });

  it('README: the hourly sentence (total, PUT-class requests, batches, PUTs per batch, day seals, LISTs)', () => {
    const match =
      /default hourly upload, (\$[\d.]+) a month in a 30-day month \(us-east-1, no free tier left; ([\d,]+) PUT-class\s+requests = ([\d,]+) batches × (\d) \+ (\d+) for the\s+day seals \+ (\d+) dashboard LISTs\)/.exec(
        readme,
      );
    expect(match).not.toBeNull();
    const answer = answerAt(60);
    expect(match![1]).toBe(formatUsd(answer.estimate.total));
    expect(match![2]).toBe(count(answer.estimate.putClassRequests));
    expect(match![3]).toBe(count(answer.estimate.usage.batches));
    expect(match![4]).toBe(String(answer.estimate.usage.putsPerBatch));
    expect(match![5]).toBe(count(answer.estimate.usage.s3PutClass.daySeal));
    expect(match![6]).toBe(count(answer.estimate.usage.s3PutClass.lists));
  });

  it('README: the month after a year of hourly readings (storage grows: nothing expires)', () => {
    const match =
      /after a year of hourly readings a 30-day month costs (\$[\d.]+) \(`gpuz-cloud estimate\s+--month-days 30 --stored-months 12`/.exec(
        readme,
      );
    expect(match).not.toBeNull();
    const inputs = costInputsOf(fresh, { now: new Date('2026-11-15T12:00:00Z'), intervalMinutes: 60 });
    expect(match![1]).toBe(
      formatUsd(costAnswer({ ...inputs, monthDays: 30, historyMonths: 12 }).estimate.total),
    );
  });

  it('docs/costs.md: the figures table', () => {
    const rows = [
      ...costsMd.matchAll(/^\| (\d+) (min|h) \| ([\d,]+) \| ([\d,]+) \| (\$[\d.]+) \| (\d+) min \|$/gm),
    ];
    expect(rows.length).toBe(4);
    for (const [, n, unit, puts, gets, total, safe] of rows) {
      const answer = answerAt(Number(n) * (unit === 'h' ? 60 : 1));
      expect(puts).toBe(count(answer.estimate.putClassRequests));
      expect(gets).toBe(count(answer.estimate.getClassRequests));
      expect(total).toBe(formatUsd(answer.estimate.total));
      expect(answer.smallestSafeIntervalMinutes).toBe(Number(safe));
    }
  });
});
