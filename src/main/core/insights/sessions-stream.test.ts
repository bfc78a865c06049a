/**
 * The session detector folds rows in as they come (months of stored rows, one object at a time): it must find what
 * the whole-array rule below finds — the rule as detectSessions had it before it streamed — for any rows in time
 * order, cut into pieces anywhere.
 */
import fc from 'fast-check';
import type { LoggingSession, PlaySession, SessionFigures } from '../../../shared/insights/types';
import { statsOf } from '../../../shared/series-stats';
import type { BatchRows } from '../data/types';
import { sampleRows } from './sample-rows.test-support';
import { optionsArb, pieces, rowsArb } from './session-rows.test-support';
import { createSessionDetector, detectSessions, SESSION_KEYS, type SessionOptions } from './sessions';

// ─── the rule over one array of rows (before 2026-12-04), kept as the reference

function wholeArray(rows: BatchRows, options: SessionOptions = {}): LoggingSession[] {
  const gapMs = options.gapMs ?? 5 * 60_000;
  const starts = new Set(options.starts ?? []);
  const sessions: LoggingSession[] = [];
  let first = 0;
  for (let i = 1; i <= rows.t.length; i++) {
    const t = rows.t[i];
    if (t !== undefined && !starts.has(t) && t - rows.t[i - 1]! <= gapMs) continue;
    if (i > first)
      sessions.push({ kind: 'logging', ...figures(rows, first, i), plays: plays(rows, first, i, options) });
    first = i;
  }
  return sessions;
}

function plays(rows: BatchRows, from: number, to: number, options: SessionOptions): PlaySession[] {
  const load = rows.values[SESSION_KEYS.load];
  if (!load) return [];
  const threshold = options.playLoadPct ?? 50;
  const minMs = options.playMinMs ?? 2 * 60_000;
  const bridgeMs = options.playBridgeMs ?? 30_000;
  const found: PlaySession[] = [];
  let runStart = -1;
  let lastAbove = -1;
  const close = () => {
    if (runStart >= 0 && rows.t[lastAbove]! - rows.t[runStart]! >= minMs)
      found.push({ kind: 'play', ...figures(rows, runStart, lastAbove + 1) });
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
  return found;
}

function figures(rows: BatchRows, from: number, to: number): SessionFigures {
  const column = (key: string) => rows.values[key];
  // Board power where a row has it, else chip power (since 2026-12-04: AMD logs have only the chip's).
  const board = column(SESSION_KEYS.boardPower);
  const chip = column(SESSION_KEYS.chipPower);
  const power = board || chip ? rows.t.map((_, i) => board?.[i] ?? chip?.[i] ?? null) : undefined;
  let powerKey: SessionFigures['powerKey'] = null;
  for (let i = from; i < to && powerKey === null; i++) {
    if ((board?.[i] ?? null) !== null) powerKey = SESSION_KEYS.boardPower;
    else if ((chip?.[i] ?? null) !== null) powerKey = SESSION_KEYS.chipPower;
  }
  let energy = 0;
  let energyRows = 0;
  if (power) {
    for (let i = from; i < to - 1; i++) {
      const watts = power[i];
      if (watts === null || watts === undefined) continue;
      energy += watts * Math.min(rows.t[i + 1]! - rows.t[i]!, 10_000);
      energyRows += 1;
    }
  }
  const reduce = (values: (number | null)[] | undefined) =>
    values ? statsOf(values.slice(from, to)) : { max: null, avg: null };
  const round = (value: number | null, decimals: number) =>
    value === null ? null : Math.round(value * 10 ** decimals) / 10 ** decimals;
  const powerStats = reduce(power);
  return {
    start: rows.t[from]!,
    end: rows.t[to - 1]!,
    durationMs: rows.t[to - 1]! - rows.t[from]!,
    rows: to - from,
    maxGpuTemperatureC: reduce(column(SESSION_KEYS.temperature)).max,
    maxHotSpotC: reduce(column(SESSION_KEYS.hotSpot)).max,
    avgGpuClockMhz: round(reduce(column(SESSION_KEYS.clock)).avg, 1),
    avgPowerW: round(powerStats.avg, 1),
    maxPowerW: powerStats.max,
    powerKey,
    energyWh: energyRows > 0 ? round(energy / 3_600_000, 2) : null,
  };
}

describe('the session detector, fed piece by piece', () => {
  it('finds what the whole-array rule finds, for any rows in time order cut anywhere', () => {
    fc.assert(
      fc.property(
        rowsArb,
        fc.array(fc.nat(), { maxLength: 8 }),
        optionsArb,
        fc.array(fc.nat(), { maxLength: 3 }),
        (rows, cuts, options, startPicks) => {
          const starts = startPicks.map((pick) => rows.t[pick % Math.max(1, rows.t.length)]!).filter(Boolean);
          const detector = createSessionDetector({ ...options, starts });
          for (const piece of pieces(rows, cuts)) detector.add(piece);
          expect(detector.result()).toEqual(wholeArray(rows, { ...options, starts }));
        },
      ),
      { numRuns: 1500 },
    );
  });

  it.each([
    'gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt',
    'gpuz/amd-radeon-hbm2-gpuz-2020-12-sessions.txt',
    'gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt',
  ])('finds on %s what the whole-array rule finds, fed in pieces of 97 rows', (file) => {
    const { rows, starts } = sampleRows(file);
    const detector = createSessionDetector({ starts });
    for (let from = 0; from < rows.t.length; from += 97)
      detector.add({
        t: rows.t.slice(from, from + 97),
        values: Object.fromEntries(
          Object.entries(rows.values).map(([k, v]) => [k, v.slice(from, from + 97)]),
        ),
      });
    const expected = wholeArray(rows, { starts });
    expect(detector.result()).toEqual(expected);
    expect(detectSessions(rows, { starts })).toEqual(expected);
  });

  it('lists the session in progress, and goes on with it at the next rows', () => {
    const detector = createSessionDetector({ playMinMs: 0 });
    const row = (t: number, load: number) => ({ t: [t], values: { [SESSION_KEYS.load]: [load] } });
    detector.add(row(0, 90));
    expect(detector.result()).toMatchObject([{ rows: 1, plays: [{ rows: 1 }] }]);
    detector.add(row(1000, 90));
    expect(detector.result()).toMatchObject([{ rows: 2, plays: [{ rows: 2 }] }]);
  });
});
