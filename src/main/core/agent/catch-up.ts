import type { CatchUpProgress, CatchUpStart } from '../../../shared/agent-status';

/**
 * How far the agent is through work it is behind on — the log's bytes not read yet and the spool's batches not
 * stored yet: a first start on a months-long log, a restart after days off, the store back after an outage. The
 * Overview draws it as a progress bar with the rate and the time left, the badge and the tray say the percentage.
 * Shown from 16 MiB behind (about 8 hours of GPU-Z logging once a second) until less than 1 MiB is; the rate is the
 * stored bytes' over the last 20 s.
 *
 *   const catchUp = createCatchUp()
 *   catchUp.update({ pendingBytes: 300e6, storedBytes: 0, at: 0 })          → { doneBytes: 0, pendingBytes: 300e6,
 *                                                                              bytesPerSecond: null, etaSeconds: null, … }
 *   catchUp.update({ pendingBytes: 100e6, storedBytes: 200e6, at: 10_000 }) → { doneBytes: 200e6, bytesPerSecond: 20e6,
 *                                                                              etaSeconds: 5, … }
 *   catchUp.update({ pendingBytes: 0, storedBytes: 300e6, at: 15_000 })    → null (caught up)
 *
 * A restart goes on with the catch-up under way (its start kept in stats.json: `begun()`, `resume(…)`), so the bar
 * stands where it stood — not at 0 % of what is left, as if the work had begun again.
 */
export function createCatchUp(options: { startBytes?: number; endBytes?: number; windowMs?: number } = {}) {
  const startBytes = options.startBytes ?? CATCH_UP_START_BYTES;
  const endBytes = options.endBytes ?? CATCH_UP_END_BYTES;
  const windowMs = options.windowMs ?? 20_000;
  let begun: CatchUpStart | null = null;
  /** Stored bytes over the last `windowMs`, oldest first. */
  let samples: { at: number; stored: number }[] = [];
  return {
    /** When the catch-up under way began and the bytes stored then (null: none under way), to keep; never changed. */
    begun: (): Readonly<CatchUpStart> | null => begun,
    /** Goes on with a catch-up an earlier run began (from stats.json). */
    resume(start: CatchUpStart | null): void {
      begun = start && { ...start };
      samples = [];
    },
    update(now: { pendingBytes: number; storedBytes: number; at: number }): CatchUpProgress | null {
      const { pendingBytes, storedBytes, at } = now;
      if (begun === null ? pendingBytes < startBytes : pendingBytes < endBytes) {
        begun = null;
        samples = [];
        return null;
      }
      begun ??= { at, stored: storedBytes };
      // One sample a quarter second at most: status() runs at every event, hundreds a second in a catch-up.
      if (at - (samples.at(-1)?.at ?? Number.NEGATIVE_INFINITY) >= SAMPLE_MS)
        samples.push({ at, stored: storedBytes });
      while (samples.length > 2 && at - samples[1]!.at >= windowMs) samples.shift();
      const first = samples[0]!;
      const seconds = (at - first.at) / 1000;
      const rate = seconds >= 2 ? Math.max(0, storedBytes - first.stored) / seconds : null;
      return {
        since: new Date(begun.at).toISOString(),
        doneBytes: Math.max(0, storedBytes - begun.stored),
        pendingBytes,
        bytesPerSecond: rate,
        etaSeconds: rate ? Math.ceil(pendingBytes / rate) : null,
      };
    },
  };
}

/** Behind by this much, the catch-up is shown (16 MiB: about 8 hours of a once-a-second GPU-Z log). */
export const CATCH_UP_START_BYTES = 16 * 1024 * 1024;
const SAMPLE_MS = 250;

/** Less than this still to do, it is over. */
export const CATCH_UP_END_BYTES = 1024 * 1024;
