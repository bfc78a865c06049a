import type { CloudHealth } from '../../../shared/contract';
import { createHealthMonitor } from './monitor';

const health = (state: CloudHealth['alarm']['state'], failed = 0, since = 1): CloudHealth => ({
  checkedAt: 0,
  alarm: { state, since },
  failed: { count: failed, latest: [] },
  quarantined: { count: 0, latest: [] },
  problems: [],
});

/** A reader that answers from a list, recording whether each read asked for the listings. */
function reader(answers: CloudHealth[]) {
  const asked: boolean[] = [];
  return {
    asked,
    read: async ({ lists }: { lists: boolean }) => {
      asked.push(lists);
      return answers[Math.min(asked.length - 1, answers.length - 1)]!;
    },
  };
}

describe('cloud health monitor', () => {
  it('lists at the first check, then reads only the alarm until a day has passed', async () => {
    // Prepare
    let now = 0;
    const source = reader([health('OK'), health('OK'), health('OK')]);
    const monitor = createHealthMonitor({ read: source.read, onChange: () => undefined, clock: () => now });
    // Act
    await monitor.refresh({ lists: true });
    now += 10 * 60_000;
    await monitor.refresh();
    now += 24 * 60 * 60_000;
    await monitor.refresh();
    // Assess
    expect(source.asked).toEqual([true, false, true]);
  });

  it('lists again as soon as the alarm fires, and tells only about changes', async () => {
    const changes: CloudHealth[] = [];
    const source = reader([
      health('OK'),
      health('ALARM', 0, 2),
      health('ALARM', 1, 2),
      health('ALARM', 1, 2),
    ]);
    const monitor = createHealthMonitor({
      read: source.read,
      onChange: (h) => changes.push(h),
      clock: () => 0,
    });
    await monitor.refresh({ lists: true });
    await monitor.refresh({ lists: false });
    await monitor.refresh({ lists: false });
    expect(source.asked).toEqual([true, false, true, false]);
    expect(changes.map((h) => [h.alarm.state, h.failed.count])).toEqual([
      ['OK', 0],
      ['ALARM', 1],
    ]);
  });
});
