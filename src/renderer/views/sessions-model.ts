/**
 * What the Sessions view shows, without a DOM (sessions-model.test.ts):
 *   sessionRows(sessions) → logging sessions, each followed by its play sessions, with the figures as text
 *   compareRows([a, b])   → one row per figure: each run's value and the delta to the first run
 *   chartsHash(session)   → '#charts/custom/gpu_temperature_c,hot_spot_c,…/{start}-{end}'
 *   overlayKey(runs)      → 'gpu_temperature_c' (hot spot when no run has a GPU temperature)
 *   overlayQuery(run, key, host) → the chart query of one compared run, always naming the runs' host
 */
import type { ChartQuery, LoggingSession, SessionFigures } from '../../shared/contract';

export const FIGURES: { key: keyof SessionFigures; label: string; unit: string }[] = [
  { key: 'durationMs', label: 'Duration', unit: 'min' },
  { key: 'maxGpuTemperatureC', label: 'Max GPU temperature', unit: '°C' },
  { key: 'maxHotSpotC', label: 'Max hot spot', unit: '°C' },
  { key: 'avgGpuClockMhz', label: 'Avg GPU clock', unit: 'MHz' },
  { key: 'avgBoardPowerW', label: 'Avg board power', unit: 'W' },
  { key: 'maxBoardPowerW', label: 'Max board power', unit: 'W' },
  { key: 'energyWh', label: 'Energy', unit: 'Wh' },
];

/** A figure as shown: durations in minutes (one decimal), the rest as stored; null stays null. */
export function figureValue(session: SessionFigures, key: keyof SessionFigures): number | null {
  const value = session[key];
  if (key === 'durationMs') return Math.round((value as number) / 6000) / 10;
  return value as number | null;
}

export interface CompareRow {
  label: string;
  unit: string;
  values: (number | null)[];
  /** value − the first run's value (null when either is missing); the first run's own delta is 0. */
  deltas: (number | null)[];
}

export function compareRows(runs: SessionFigures[]): CompareRow[] {
  return FIGURES.map(({ key, label, unit }) => {
    const values = runs.map((run) => figureValue(run, key));
    const base = values[0] ?? null;
    return {
      label,
      unit,
      values,
      deltas: values.map((v) => (v === null || base === null ? null : Math.round((v - base) * 10) / 10)),
    };
  });
}

export const SESSION_CHART_KEYS = ['gpu_temperature_c', 'hot_spot_c', 'gpu_clock_mhz', 'board_power_draw_w'];

export function chartsHash(session: SessionFigures): string {
  return `#charts/custom/${SESSION_CHART_KEYS.join(',')}/${session.start}-${session.end + 1000}`;
}

/** Logging sessions newest first, each followed by its play sessions. */
export function listed(sessions: LoggingSession[]): SessionFigures[] {
  return [...sessions].reverse().flatMap((s) => [s, ...s.plays]);
}

/** The sensor the compare overlay draws: GPU temperature, or the hot spot when no run has one. */
export function overlayKey(runs: SessionFigures[]): string {
  return runs.every((r) => r.maxGpuTemperatureC === null) ? 'hot_spot_c' : 'gpu_temperature_c';
}

/**
 * One compared run's chart query. It names the host the sessions were listed for, so another PC's runs are never
 * drawn with this PC's rows of the same minutes ('' only when the host list could not be read: this PC's).
 */
export function overlayQuery(run: SessionFigures, key: string, host: string): ChartQuery {
  const query: ChartQuery = { from: run.start, to: run.end + 1000, keys: [key] };
  return host ? { ...query, host } : query;
}
