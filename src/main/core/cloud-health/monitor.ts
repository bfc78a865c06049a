/**
 * Keeps the stack's health fresh while the app runs, cheaply: the alarm every 10 minutes (a free CloudWatch API
 * call), the two listings (PUT-class LISTs) once at start, once a day, and whenever the alarm newly fires.
 *
 *   const monitor = createHealthMonitor({ read: source.read, onChange: (h) => emit('cloudHealth', h), clock: Date.now })
 *   monitor.start()   → checks now, then on its timer;  monitor.refresh({ lists: true }) after a reprocess;  monitor.stop()
 */
import type { CloudHealth } from '../../../shared/contract';
import { USAGE_DEFAULTS } from '../../../shared/cost/usage';

const DAY_MS = 24 * 60 * 60_000;
/** The cost model counts these (USAGE_DEFAULTS.healthAlarmChecksPerDay / healthListsPerDay): one source for both. */
export const ALARM_EVERY_MS = DAY_MS / USAGE_DEFAULTS.healthAlarmChecksPerDay;
export const LISTS_EVERY_MS = DAY_MS / (USAGE_DEFAULTS.healthListsPerDay / 2);

export interface HealthMonitor {
  start(): void;
  stop(): void;
  current(): CloudHealth | null;
  refresh(options?: { lists?: boolean }): Promise<CloudHealth>;
}

export function createHealthMonitor(deps: {
  read(options: { lists: boolean; previous?: CloudHealth | null }): Promise<CloudHealth>;
  onChange(health: CloudHealth): void;
  clock: () => number;
  alarmEveryMs?: number;
  listsEveryMs?: number;
}): HealthMonitor {
  let health: CloudHealth | null = null;
  let listedAt = Number.NEGATIVE_INFINITY;
  let timer: ReturnType<typeof setInterval> | null = null;

  async function refresh(options: { lists?: boolean } = {}): Promise<CloudHealth> {
    const lists = options.lists ?? deps.clock() - listedAt >= (deps.listsEveryMs ?? LISTS_EVERY_MS);
    let next = await deps.read({ lists, previous: health });
    if (lists) listedAt = deps.clock();
    // A new alarm: the listings say what failed.
    if (!lists && next.alarm.state === 'ALARM' && newlyFired(health, next)) {
      next = await deps.read({ lists: true, previous: health });
      listedAt = deps.clock();
    }
    const changed = !health || summary(health) !== summary(next);
    health = next;
    if (changed) deps.onChange(next);
    return next;
  }

  return {
    start() {
      void refresh({ lists: true }).catch(() => undefined);
      timer = setInterval(() => void refresh().catch(() => undefined), deps.alarmEveryMs ?? ALARM_EVERY_MS);
      timer.unref?.();
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
    current: () => health,
    refresh,
  };
}

function newlyFired(before: CloudHealth | null, after: CloudHealth): boolean {
  return before?.alarm.state !== 'ALARM' || before.alarm.since !== after.alarm.since;
}

/** What a person would notice changing (not the time of the check). */
function summary(h: CloudHealth): string {
  return JSON.stringify([h.alarm, h.failed, h.quarantined, h.problems]);
}
