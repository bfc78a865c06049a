/**
 * Logging sessions and the play sessions inside them, from time-ordered rows (pure):
 *
 *   detectSessions({ t, values: { gpu_load_pct: […], hot_spot_c: […], … } }, { starts: [t of each header] })
 *     → [{ kind: 'logging', start, end, durationMs, maxHotSpotC, avgGpuClockMhz, energyWh, …,
 *          plays: [{ kind: 'play', start, end, … }] }]
 *
 * A logging session starts at a GPU-Z header (`starts`: the time of the first row after each header) or
 * after a pause longer than `gapMs` (default 5 min). A play session is GPU load ≥ `playLoadPct` (default
 * 50 %) for at least `playMinMs` (2 min); dips below the line shorter than `playBridgeMs` (30 s: a loading
 * screen, a menu) do not end it.
 */
import type { LoggingSession, PlaySession, SessionFigures } from '../../../shared/insights/types';
import { statsOf } from '../../../shared/series-stats';
import type { BatchRows } from '../data/types';

export interface SessionOptions {
  /** Times (epoch ms) of rows that follow a GPU-Z header. */
  starts?: Iterable<number>;
  gapMs?: number;
  playLoadPct?: number;
  playMinMs?: number;
  playBridgeMs?: number;
}

export const SESSION_KEYS = {
  load: 'gpu_load_pct',
  temperature: 'gpu_temperature_c',
  hotSpot: 'hot_spot_c',
  clock: 'gpu_clock_mhz',
  power: 'board_power_draw_w',
} as const;

/** A step between rows longer than this is a pause: it adds no energy. */
const MAX_STEP_MS = 10_000;

export function detectSessions(rows: BatchRows, options: SessionOptions = {}): LoggingSession[] {
  const gapMs = options.gapMs ?? 5 * 60_000;
  const starts = new Set(options.starts ?? []);
  const sessions: LoggingSession[] = [];
  let first = 0;
  for (let i = 1; i <= rows.t.length; i++) {
    const t = rows.t[i];
    if (t !== undefined && !starts.has(t) && t - rows.t[i - 1]! <= gapMs) continue;
    if (i > first) {
      sessions.push({
        kind: 'logging',
        ...figures(rows, first, i),
        plays: detectPlays(rows, first, i, options),
      });
    }
    first = i;
  }
  return sessions;
}

function detectPlays(rows: BatchRows, from: number, to: number, options: SessionOptions): PlaySession[] {
  const load = rows.values[SESSION_KEYS.load];
  if (!load) return [];
  const threshold = options.playLoadPct ?? 50;
  const minMs = options.playMinMs ?? 2 * 60_000;
  const bridgeMs = options.playBridgeMs ?? 30_000;
  const plays: PlaySession[] = [];
  let runStart = -1;
  let lastAbove = -1;
  const close = () => {
    if (runStart >= 0 && rows.t[lastAbove]! - rows.t[runStart]! >= minMs)
      plays.push({ kind: 'play', ...figures(rows, runStart, lastAbove + 1) });
    runStart = -1;
  };
  for (let i = from; i < to; i++) {
    const value = load[i];
    if (value === null || value === undefined || value < threshold) continue;
    if (runStart >= 0 && rows.t[i]! - rows.t[lastAbove]! > bridgeMs) close();
    if (runStart < 0) runStart = i;
    lastAbove = i;
  }
  close();
  return plays;
}

/** The figures of rows [from, to). */
export function figures(rows: BatchRows, from: number, to: number): SessionFigures {
  const column = (key: string) => rows.values[key];
  const power = column(SESSION_KEYS.power);
  let energy = 0;
  let energyRows = 0;
  if (power) {
    for (let i = from; i < to - 1; i++) {
      const watts = power[i];
      if (watts === null || watts === undefined) continue;
      energy += watts * Math.min(rows.t[i + 1]! - rows.t[i]!, MAX_STEP_MS);
      energyRows += 1;
    }
  }
  const start = rows.t[from]!;
  const end = rows.t[to - 1]!;
  const powerStats = reduce(power, from, to);
  return {
    start,
    end,
    durationMs: end - start,
    rows: to - from,
    maxGpuTemperatureC: reduce(column(SESSION_KEYS.temperature), from, to).max,
    maxHotSpotC: reduce(column(SESSION_KEYS.hotSpot), from, to).max,
    avgGpuClockMhz: round(reduce(column(SESSION_KEYS.clock), from, to).avg, 1),
    avgBoardPowerW: round(powerStats.avg, 1),
    maxBoardPowerW: powerStats.max,
    energyWh: energyRows > 0 ? round(energy / 3_600_000, 2) : null,
  };
}

function reduce(
  values: (number | null)[] | undefined,
  from: number,
  to: number,
): { max: number | null; avg: number | null } {
  return values ? statsOf(values.slice(from, to)) : { max: null, avg: null };
}

function round(value: number | null, decimals: number): number | null {
  if (value === null) return null;
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}
