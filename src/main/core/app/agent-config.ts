/**
 * Settings → the upload agent's configuration, written once for the tray app, `gpuz-cloud agent` and
 * `gpuz-cloud upload`:
 *   agentConfigFor(settings, { stateDir, store, agentVersion: '0.1.0' })
 *     → { logPath, host, timeZone, intervalMs: 3_600_000, compress: true, retry: { baseMs: 1000, maxMs: 30_000 }, … }
 * A monthly PUT budget becomes a function of the agent's counters (src/shared/cost/budget-schedule.ts), read
 * at every check, so the interval follows what was actually counted this month.
 */
import type { Settings } from '../../../shared/contract';
import { budgetIntervalMs, budgetUsedUpUntil } from '../../../shared/cost/budget-schedule';
import type { AgentConfig } from '../agent/config';
import type { Store } from '../store/types';

/** Waits between upload retries: back quickly after a short outage, at most 30 s apart (every mode). */
export const UPLOAD_RETRY = { baseMs: 1000, maxMs: 30_000 } as const;

/** What the agent needs of the settings (`upload` builds these from its flags, the app reads settings.json). */
export type AgentSettings = Pick<Settings, 'logPath' | 'host' | 'timeZone' | 'schedule' | 'compression'>;

export function agentConfigFor(
  settings: AgentSettings,
  deps: { stateDir: string; store: Store; agentVersion: string; watch?: boolean },
): AgentConfig {
  return {
    logPath: settings.logPath,
    host: settings.host,
    timeZone: settings.timeZone,
    stateDir: deps.stateDir,
    ...scheduleOf(settings.schedule),
    compress: settings.compression === 'gzip',
    store: deps.store,
    agentVersion: deps.agentVersion,
    retry: UPLOAD_RETRY,
    // One-shot (`upload` without --watch): the process ends with the upload, no dashboard shows a live view.
    ...(deps.watch === false ? { watch: false, liveView: false } : {}),
  };
}

/**
 * A fixed interval in ms, or the budget-aware function of the agent's counters, with what the Overview says of a
 * used-up budget (the month's change the next upload waits for).
 */
export function scheduleOf(
  schedule: Settings['schedule'],
): Pick<AgentConfig, 'intervalMs' | 'budgetUsedUpUntil'> {
  if (schedule.kind !== 'budget') return { intervalMs: schedule.minutes * 60_000 };
  const options = { putBudget: schedule.monthlyPuts, clock: () => new Date() };
  return { intervalMs: budgetIntervalMs(options), budgetUsedUpUntil: budgetUsedUpUntil(options) };
}
