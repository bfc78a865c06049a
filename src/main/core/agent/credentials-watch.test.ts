import type { Timers } from './config';
import { createCredentialsWatch } from './credentials-watch';

/** The credentials a new client would find, as the test sets them; the times the watch called back. */
function harness(options: { everyMs?: number; maxMs?: number } = {}) {
  const timers: Timers = {
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
  };
  const state = { fingerprint: 'old' as string | null, reads: 0 };
  const changes: number[] = [];
  const started = Date.now();
  const watch = createCredentialsWatch({
    fingerprint: async () => {
      state.reads += 1;
      return state.fingerprint;
    },
    timers,
    everyMs: options.everyMs ?? 1000,
    maxMs: options.maxMs ?? 8000,
    onChange: () => changes.push(Date.now() - started),
  });
  return { watch, state, changes, started };
}

describe('credentials watch: a refusal is tried again once the credentials change', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('calls back at the first look after the credentials changed, once', async () => {
    const { watch, state, changes } = harness();
    watch.refused();
    await vi.advanceTimersByTimeAsync(3500);
    state.fingerprint = 'new';
    await vi.advanceTimersByTimeAsync(10_000);
    expect(changes).toEqual([4000]);
  });

  it('no credentials found (an SSO session that ended) is no change; a sign-in afterwards is', async () => {
    const { watch, state, changes } = harness();
    watch.refused();
    await vi.advanceTimersByTimeAsync(1500);
    state.fingerprint = null;
    await vi.advanceTimersByTimeAsync(2000);
    expect(changes).toEqual([]);
    state.fingerprint = 'signed-in';
    await vi.advanceTimersByTimeAsync(1000);
    expect(changes).toEqual([4000]);
  });

  it('the same credentials refused by a second batch do not start a second watch', async () => {
    const { watch, state, changes } = harness();
    watch.refused();
    await vi.advanceTimersByTimeAsync(500);
    watch.refused();
    await vi.advanceTimersByTimeAsync(2000);
    const reads = state.reads;
    state.fingerprint = 'new';
    await vi.advanceTimersByTimeAsync(1000);
    expect(reads).toBe(3); // at the refusal, then at 1 s and 2 s: one watch
    expect(changes).toEqual([3000]);
  });

  it('a person answering (Resume, Upload now) or a stop ends the watch', async () => {
    const { watch, state, changes } = harness();
    watch.refused();
    await vi.advanceTimersByTimeAsync(1500);
    watch.cancel();
    state.fingerprint = 'new';
    await vi.advanceTimersByTimeAsync(10_000);
    expect(changes).toEqual([]);
    expect(state.reads).toBe(2);
  });

  it('credentials that change but are refused again are watched at twice the wait, up to the cap; an upload resets it', async () => {
    const { watch, state, changes, started } = harness({ everyMs: 1000, maxMs: 4000 });
    let n = 0;
    const waits: number[] = [];
    const refusedAgain = async () => {
      const from = Date.now();
      const before = changes.length;
      watch.refused();
      await vi.advanceTimersByTimeAsync(0);
      state.fingerprint = `rotated-${++n}`;
      await vi.advanceTimersByTimeAsync(10_000);
      expect(changes.length).toBe(before + 1);
      waits.push(changes.at(-1)! - (from - started));
    };
    await refusedAgain();
    await refusedAgain();
    await refusedAgain();
    await refusedAgain();
    watch.accepted();
    await refusedAgain();
    expect(waits).toEqual([1000, 2000, 4000, 4000, 1000]);
  });
});
