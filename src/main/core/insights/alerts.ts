/**
 * Threshold alerts on live rows, one notification per episode (pure; the agent feeds it, the tray and the
 * dashboard only display what it says):
 *
 *   const alerts = createAlertEvaluator(() => settings.alerts)
 *   alerts.add(rows, columns)   → [{ kind: 'fired', ruleId: 'hot-spot-100', value: 100.5, at, since, message }]
 *   …                           → [{ kind: 'cleared', … }] once the reading is back past value ∓ hysteresis
 *
 * A rule fires when its condition held for `durationSeconds` by the rows' own time stamps (a caught-up log
 * alerts as it would have live). While an episode lasts nothing more fires; it ends when a reading is back
 * past the hysteresis line (default 2 units), so a value wobbling around the threshold alerts once. A
 * reading of no value (GPU-Z's `-`) neither holds nor ends a condition; a pause longer than 5 minutes, time
 * going back (a log started over) or a new set of columns restarts the count, but not an open episode.
 */
import type { AlertEvent, AlertRule } from '../../../shared/insights/types';
import { sameSensorKeys } from '../../../shared/parse/column-keys';
import type { Column } from '../../../shared/parse/types';

export interface AlertRow {
  t: number;
  values: (number | null)[];
}

export interface AlertEvaluator {
  add(rows: AlertRow[], columns: Column[]): AlertEvent[];
}

const DEFAULT_HYSTERESIS = 2;
const RESTART_GAP_MS = 5 * 60_000;

interface RuleState {
  /** When the condition began holding (null: not holding). */
  since: number | null;
  /** When the open episode fired (null: none open). */
  firedAt: number | null;
  lastT: number | null;
}

export function createAlertEvaluator(rules: () => AlertRule[]): AlertEvaluator {
  const states = new Map<string, RuleState>();
  return {
    add(rows, columns) {
      const events: AlertEvent[] = [];
      for (const rule of rules()) {
        if (!rule.enabled) continue;
        // A rule on hot_spot_c watches gpu_热点温度_c in a zh-CN HWiNFO log (column-keys.ts sameSensorKeys).
        const key = sameSensorKeys(rule.sensor).find((same) => columns.some((c) => c.key === same));
        const index = columns.findIndex((c) => c.key === key);
        if (index < 0) continue;
        const column = columns[index]!;
        const stateKey = `${rule.id}\0${rule.sensor}\0${rule.comparison}\0${rule.value}`;
        let state = states.get(stateKey);
        if (!state) {
          state = { since: null, firedAt: null, lastT: null };
          states.set(stateKey, state);
        }
        for (const row of rows) {
          const event = step(rule, state, row.t, row.values[index] ?? null, column);
          if (event) events.push(event);
        }
      }
      return events;
    },
  };
}

function step(
  rule: AlertRule,
  state: RuleState,
  t: number,
  value: number | null,
  column: Column,
): AlertEvent | null {
  if (state.lastT !== null && (t < state.lastT || t - state.lastT > RESTART_GAP_MS)) state.since = null;
  state.lastT = t;
  if (value === null) return null;
  const beyond = rule.comparison === '>=' ? value >= rule.value : value <= rule.value;
  const hysteresis = rule.hysteresis ?? DEFAULT_HYSTERESIS;
  const back = rule.comparison === '>=' ? value < rule.value - hysteresis : value > rule.value + hysteresis;
  if (state.firedAt !== null) {
    if (!back) return null;
    const event = toEvent(rule, 'cleared', value, t, state.firedAt, column);
    state.firedAt = null;
    state.since = null;
    return event;
  }
  if (!beyond) {
    state.since = null;
    return null;
  }
  state.since ??= t;
  if (t - state.since < rule.durationSeconds * 1000) return null;
  state.firedAt = t;
  return toEvent(rule, 'fired', value, t, state.since, column);
}

function toEvent(
  rule: AlertRule,
  kind: AlertEvent['kind'],
  value: number,
  at: number,
  since: number,
  column: Column,
): AlertEvent {
  const unit = column.unit ? ` ${column.unit}` : '';
  const sign = rule.comparison === '>=' ? '≥' : '≤';
  const message =
    kind === 'fired'
      ? `${column.name} ${sign} ${rule.value}${unit} for ${rule.durationSeconds} s (now ${value}${unit})`
      : `${column.name} back to ${value}${unit} (alert at ${sign} ${rule.value}${unit} is over)`;
  return {
    ruleId: rule.id,
    kind,
    sensor: rule.sensor,
    comparison: rule.comparison,
    threshold: rule.value,
    value,
    at,
    since,
    message,
  };
}

/** Rules offered in Settings, off until the user turns them on. */
export const SUGGESTED_RULES: AlertRule[] = [
  {
    id: 'hot-spot-100',
    sensor: 'hot_spot_c',
    comparison: '>=',
    value: 100,
    durationSeconds: 10,
    enabled: false,
  },
  {
    id: 'gpu-temperature-85',
    sensor: 'gpu_temperature_c',
    comparison: '>=',
    value: 85,
    durationSeconds: 30,
    enabled: false,
  },
  {
    id: 'memory-temperature-100',
    sensor: 'memory_temperature_c',
    comparison: '>=',
    value: 100,
    durationSeconds: 10,
    enabled: false,
  },
];
