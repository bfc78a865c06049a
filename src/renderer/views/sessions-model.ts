/**
 * What the Sessions view shows, without a DOM (sessions-model.test.ts):
 *   sessionRows(sessions) → logging sessions, each followed by its play sessions, with the figures as text
 *   compareRows([a, b])   → one row per figure: each run's value and the delta to the first run
 *   chartsHash(session)   → '#charts/custom/gpu_temperature_c,hot_spot_c,…,{its power key}/{start}-{end}'
 *   powerNote(session)    → { suffix: ' (chip)', title } when its power is the GPU chip's (an AMD log), else null
 *   keptNote(list)        → '' online; without the store, what the list is drawn from and what it leaves out
 *   listNote(list, empty) → '12 logging sessions, 1 play session.' (+ keptNote); none: `empty`, or none kept
 *   overlayKey(runs)      → 'gpu_temperature_c' (hot spot when no run has a GPU temperature)
 *   overlayQuery(run, key, host) → the chart query of one compared run, always naming the runs' host
 */
import type { ChartQuery, LoggingSession, SessionFigures, SessionList } from '../../shared/contract';
import { POWER_KEYS, type PowerKey } from '../../shared/parse/column-keys';
import { plural } from '../../shared/plural';
import { keptOnlyText } from '../charts/charts-model';
import { formatCount } from '../format';

export const FIGURES: { key: keyof SessionFigures; label: string; unit: string }[] = [
  { key: 'durationMs', label: 'Duration', unit: 'min' },
  { key: 'maxGpuTemperatureC', label: 'Max GPU temperature', unit: '°C' },
  { key: 'maxHotSpotC', label: 'Max hot spot', unit: '°C' },
  { key: 'avgGpuClockMhz', label: 'Avg GPU clock', unit: 'MHz' },
  { key: 'avgPowerW', label: 'Avg power', unit: 'W' },
  { key: 'maxPowerW', label: 'Max power', unit: 'W' },
  { key: 'energyWh', label: 'Energy', unit: 'Wh' },
];

/** The figures that are of one kind of power or another (board or chip: `powerKey`). */
const POWER_FIGURES: ReadonlySet<keyof SessionFigures> = new Set(['avgPowerW', 'maxPowerW', 'energyWh']);

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

/**
 * One row per figure. Power figures say which power they are (board, chip); runs of both kinds (an NVIDIA card's
 * board power beside an AMD card's chip power) get no deltas: the difference would be mostly what the chip leaves out.
 */
export function compareRows(runs: SessionFigures[]): CompareRow[] {
  const kinds = [...new Set(runs.map((run) => run.powerKey).filter((key) => key !== null))];
  return FIGURES.map(({ key, label, unit }) => {
    const values = runs.map((run) => figureValue(run, key));
    const base = values[0] ?? null;
    const power = POWER_FIGURES.has(key);
    const comparable = !power || kinds.length <= 1;
    return {
      label: power ? powerLabel(label, kinds) : label,
      unit,
      values,
      deltas: values.map((v) =>
        v === null || base === null || !comparable ? null : Math.round((v - base) * 10) / 10,
      ),
    };
  });
}

/**
 * 'Avg power' → 'Avg board power' or 'Avg chip power'; 'Energy' → 'Energy' or 'Energy (chip power)';
 * either → '… (board / chip)' when the runs differ.
 */
function powerLabel(label: string, kinds: PowerKey[]): string {
  const words = kinds.map((kind) => POWER_WORDS[kind]);
  if (words.length > 1) return `${label} (${words.join(' / ')})`;
  if (words.length === 0) return label;
  if (label.endsWith('power')) return label.replace(/power$/, `${words[0]} power`);
  return kinds[0] === POWER_KEYS[1] ? `${label} (chip power)` : label;
}

const POWER_WORDS: Record<PowerKey, string> = { board_power_draw_w: 'board', gpu_chip_power_draw_w: 'chip' };

/** A session's charts: GPU temperature, hot spot, GPU clock and the power its figures are of (board by default). */
export const SESSION_CHART_KEYS = ['gpu_temperature_c', 'hot_spot_c', 'gpu_clock_mhz'];

export function chartsHash(session: SessionFigures): string {
  const keys = [...SESSION_CHART_KEYS, session.powerKey ?? POWER_KEYS[0]];
  return `#charts/custom/${keys.join(',')}/${session.start}-${session.end + 1000}`;
}

/** What a session's power figures add to say they are the GPU chip's, not the whole card's (null: the card's). */
export function powerNote(session: SessionFigures): { suffix: string; title: string } | null {
  if (session.powerKey !== POWER_KEYS[1]) return null;
  return {
    suffix: ' (chip)',
    title:
      "GPU chip power: this log has no board power (GPU-Z logs only the chip's on many AMD cards). It leaves out the memory and the voltage regulators, so the card drew more.",
  };
}

/**
 * What a session list says of itself when the store could not be listed (SessionList.keptOnly): the store's error,
 * that it lists what this PC kept, and the stored batches it leaves out because only their outline is kept here.
 */
export function keptNote(list: Omit<SessionList, 'sessions'>): string {
  if (!list.keptOnly) return '';
  const outlined = list.outlinedOnly ?? 0;
  const left =
    outlined > 0
      ? ` ${plural(outlined, 'stored batch', 'stored batches')} of this range ${outlined === 1 ? 'is' : 'are'} left out: this PC charted ${outlined === 1 ? 'it' : 'them'} but never read ${outlined === 1 ? 'its' : 'their'} rows.`
      : '';
  return `${keptOnlyText(list.keptOnly, 'sessions')}${left}`;
}

/**
 * The line under the range buttons: the counts, or `empty` (why there are none: the view's words for the range),
 * and without the store what the list is drawn from — where none is no news of the range, only of what is kept.
 */
export function listNote(list: SessionList, empty: string): string {
  const { sessions } = list;
  const plays = sessions.reduce((n, s) => n + s.plays.length, 0);
  const counted =
    sessions.length > 0
      ? `${plural(sessions.length, 'logging session', undefined, formatCount)}, ${plural(plays, 'play session', undefined, formatCount)}.`
      : list.keptOnly
        ? 'No sessions in the readings this PC kept.'
        : empty;
  return list.keptOnly ? `${counted} ${keptNote(list)}` : counted;
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
