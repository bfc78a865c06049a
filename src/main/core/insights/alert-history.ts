/**
 * The Alerts view's history, kept in `{stateDir}/alerts.json` so it survives a restart (it lived in memory only:
 * after a reboot the view was empty, and what fired last night was gone): oldest first, at most ALERTS_MAX events.
 *
 *   const { history, notice } = await openAlertHistory('/state/alerts.json', () => new Date())
 *   history.add({ ruleId: 'hot-spot-100', kind: 'fired', … })   // saved in the background, one write at a time
 *   history.events() → [oldest, …];  await history.flush()      // on stop
 * A damaged file is set aside (alerts.json.damaged-…) and the history starts empty; `notice` says so.
 */
import type { ErrorData } from '../../../shared/errors';
import type { AlertEvent } from '../../../shared/insights/types';
import { isRecord, readOrSetAside, serialWriter } from '../state-file';

export const ALERTS_MAX = 200;
export const ALERTS_FILE = 'alerts.json';

export interface AlertHistory {
  events(): AlertEvent[];
  add(event: AlertEvent): void;
  /** Resolves when every event added so far is on disk (a failed write rejects here, once). */
  flush(): Promise<void>;
}

/** In memory only (no state folder: tests, a refused start). */
export function memoryAlertHistory(): AlertHistory {
  let events: AlertEvent[] = [];
  return {
    events: () => [...events],
    add(event) {
      events = [...events, event].slice(-ALERTS_MAX);
    },
    flush: async () => undefined,
  };
}

export async function openAlertHistory(
  path: string,
  now: () => Date,
): Promise<{ history: AlertHistory; notice: ErrorData | null }> {
  const { value, notice } = await readOrSetAside(path, parseAlerts, now(), {
    code: 'ALERTS_RESET',
    after: 'the alert history starts again empty',
    unaffected: 'The alert rules and uploading are not affected.',
  });
  const memory = memoryAlertHistory();
  for (const event of value ?? []) memory.add(event);
  const file = serialWriter(path);
  return {
    notice,
    history: {
      events: memory.events,
      add(event) {
        memory.add(event);
        file.save(`${JSON.stringify(memory.events())}\n`);
      },
      flush: () => file.flush(),
    },
  };
}

/** The saved list, or an error that says what is wrong with it (the caller sets the file aside). */
function parseAlerts(data: unknown): AlertEvent[] {
  if (!Array.isArray(data)) throw new Error('it is not a list of alerts');
  for (const [i, e] of data.entries()) {
    const ok =
      isRecord(e) &&
      typeof e.ruleId === 'string' &&
      (e.kind === 'fired' || e.kind === 'cleared') &&
      typeof e.sensor === 'string' &&
      (e.comparison === '>=' || e.comparison === '<=') &&
      typeof e.message === 'string' &&
      ['threshold', 'value', 'at', 'since'].every((k) => Number.isFinite(e[k])) &&
      (e.late === undefined || typeof e.late === 'boolean');
    if (!ok) throw new Error(`entry ${i} is not an alert (${JSON.stringify(e).slice(0, 60)})`);
  }
  return data as AlertEvent[];
}
