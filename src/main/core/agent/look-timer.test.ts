import type { Timers } from './config';
import { createLookTimer } from './look-timer';

/** A clock and timers the test moves by hand: the times at which looks ran. */
function harness() {
  let clock = 0;
  let pending: { at: number; fn: () => void; id: number }[] = [];
  let ids = 0;
  const timers: Timers = {
    setTimeout: (fn, ms) => {
      const id = ++ids;
      pending.push({ at: clock + ms, fn, id });
      return id;
    },
    clearTimeout: (handle) => {
      pending = pending.filter((p) => p.id !== handle);
    },
  };
  const ran: number[] = [];
  const looks = createLookTimer(
    timers,
    () => clock,
    () => ran.push(clock),
  );
  const advance = (to: number) => {
    for (;;) {
      const next = pending.filter((p) => p.at <= to).sort((a, b) => a.at - b.at)[0];
      if (!next) break;
      pending = pending.filter((p) => p !== next);
      clock = next.at;
      next.fn();
    }
    clock = to;
  };
  return { looks, ran, advance };
}

describe('look timer: a request only brings the next look forward', () => {
  it.each<[string, [number, number][], number[]]>([
    ['one request', [[0, 1000]], [1000]],
    [
      'a hint brings a pending look forward',
      [
        [0, 1000],
        [100, 50],
      ],
      [150],
    ],
    [
      'a later request does not push a pending look back',
      [
        [0, 1000],
        [100, 2000],
      ],
      [1000],
    ],
    [
      'hints every 10 ms (a writer at 1,000 lines/s) never starve the look',
      Array.from({ length: 100 }, (_, i) => [i * 10, 50] as [number, number]),
      Array.from({ length: 20 }, (_, i) => (i + 1) * 50),
    ],
  ])('%s', (_name, requests, expected) => {
    // Prepare
    const { looks, ran, advance } = harness();
    // Act
    for (const [at, ms] of requests) {
      advance(at);
      looks.request(ms);
    }
    advance(10_000);
    // Assess
    expect(ran).toEqual(expected);
  });

  it('cancel leaves no look pending', () => {
    // Prepare
    const { looks, ran, advance } = harness();
    looks.request(100);
    // Act
    looks.cancel();
    advance(1000);
    // Assess
    expect(ran).toEqual([]);
  });
});
