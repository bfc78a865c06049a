import type { Timers } from './config';

/**
 * When the agent looks at the log next: at most one look pending, and a request for a look only ever brings it
 * forward, never pushes it back — a file-change notification is a hint, and a writer at 1,000 lines/s notifies
 * every few ms; the look that seals and uploads on the interval must still come.
 *
 *   const looks = createLookTimer(timers, Date.now, () => look())
 *   looks.request(1000)   // a look in 1 s
 *   looks.request(50)     // a hint: now in 50 ms instead
 *   looks.request(1000)   // later than the pending one: ignored
 *   looks.cancel()
 */
export function createLookTimer(timers: Timers, now: () => number, look: () => void) {
  let handle: unknown = null;
  let due = 0;
  return {
    request(ms: number): void {
      const at = now() + ms;
      if (handle !== null && due <= at) return;
      if (handle !== null) timers.clearTimeout(handle);
      due = at;
      handle = timers.setTimeout(() => {
        handle = null;
        look();
      }, ms);
    },
    cancel(): void {
      if (handle !== null) timers.clearTimeout(handle);
      handle = null;
    },
  };
}
