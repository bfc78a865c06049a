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
 *
 * Power is board power where a row has it, else the GPU chip's (POWER_KEYS: AMD cards' GPU-Z logs only the chip);
 * `powerKey` names the one a stretch's first powered row gave. A logging session has one GPU-Z header, so one
 * set of columns: all its rows give the same one.
 *
 * Rows come in time order, in as many pieces as the caller likes: a detector folds each row into running figures
 * and keeps no rows (but those of a dip of at most `playBridgeMs`), so months of stored rows are listed one object
 * at a time (processed-data.ts `sessionRows`) — holding them all took 2.1 GB for 60 days.
 *
 *   const detector = createSessionDetector({ starts }); detector.add(rowsOfMonday); detector.add(rowsOfTuesday)
 *   detector.result() → the same sessions as detectSessions(both days' rows, { starts })
 *
 * A detector's state can be kept (`checkpoint()`) and folded on from later (`createSessionDetector(options, kept)`),
 * so a list over months already read folds in only what came since (session-memo.ts):
 *
 *   const kept = detector.checkpoint(); … createSessionDetector({ starts }, kept).add(rowsOfWednesday)
 */
import type { LoggingSession, PlaySession, SessionFigures } from '../../../shared/insights/types';
import { POWER_KEYS, type PowerKey, sameSensorKeys } from '../../../shared/parse/column-keys';
import { createStats, type Stats } from '../../../shared/process/stats';
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
  boardPower: POWER_KEYS[0],
  chipPower: POWER_KEYS[1],
} as const;

/** A step between rows longer than this is a pause: it adds no energy. */
const MAX_STEP_MS = 10_000;

export function detectSessions(rows: BatchRows, options: SessionOptions = {}): LoggingSession[] {
  const detector = createSessionDetector(options);
  detector.add(rows);
  return detector.result();
}

export interface SessionDetector {
  /** The next rows, in time order (each row's t not before the previous row's). */
  add(rows: BatchRows): void;
  /** The sessions of every row added (the one in progress too). */
  result(): LoggingSession[];
  /** The state after the rows added so far: a detector made from it goes on as this one would (this one too). */
  checkpoint(): SessionCheckpoint;
}

/** A detector's state (opaque): what it would fold the next rows into. Later adds to either detector leave it as is. */
export interface SessionCheckpoint {
  /** The sessions closed so far: the first `closed` of an array only ever appended to. */
  readonly sessions: readonly LoggingSession[];
  readonly closed: number;
  readonly logging: RunningFigures | null;
  /** The open logging session's closed plays: the first `playsClosed` of an array only ever appended to. */
  readonly plays: readonly PlaySession[];
  readonly playsClosed: number;
  readonly play: RunningFigures | null;
  readonly lastAboveT: number;
  readonly dip: readonly Readings[];
  readonly prevT: number;
}

/** One row's readings of the session keys (null: no reading, or no such column). */
interface Readings {
  t: number;
  load: number | null;
  temperature: number | null;
  hotSpot: number | null;
  clock: number | null;
  /** Board power, else chip power (POWER_KEYS); `powerKey` says which. */
  power: number | null;
  powerKey: PowerKey | null;
}

export function createSessionDetector(
  options: SessionOptions = {},
  from?: SessionCheckpoint,
): SessionDetector {
  const gapMs = options.gapMs ?? 5 * 60_000;
  const starts = new Set(options.starts ?? []);
  const threshold = options.playLoadPct ?? 50;
  const minMs = options.playMinMs ?? 2 * 60_000;
  const bridgeMs = options.playBridgeMs ?? 30_000;
  // Closed sessions are never changed once pushed, so a checkpoint shares them (and a resumed detector its prefix).
  const sessions: LoggingSession[] = from ? from.sessions.slice(0, from.closed) : [];
  let logging: RunningFigures | null = from?.logging?.copy() ?? null;
  let plays: PlaySession[] = from ? from.plays.slice(0, from.playsClosed) : [];
  // The play in progress: its figures up to its last row at or above the line, and the rows of a dip since.
  let play: RunningFigures | null = from?.play?.copy() ?? null;
  let lastAboveT = from?.lastAboveT ?? 0;
  let dip: Readings[] = from ? [...from.dip] : [];
  let prevT = from?.prevT ?? 0;

  function closePlay(): void {
    if (play && play.end - play.start >= minMs) plays.push({ kind: 'play', ...play.result() });
    play = null;
    dip = [];
  }

  function closeLogging(): void {
    closePlay();
    if (logging) sessions.push({ kind: 'logging', ...logging.result(), plays });
    logging = null;
    plays = [];
  }

  function addRow(row: Readings): void {
    if (logging && (starts.has(row.t) || row.t - prevT > gapMs)) closeLogging();
    prevT = row.t;
    logging ??= new RunningFigures();
    logging.add(row);
    if (row.load !== null && row.load >= threshold) {
      if (play && row.t - lastAboveT > bridgeMs) closePlay();
      if (play) for (const dipped of dip) play.add(dipped);
      play ??= new RunningFigures();
      play.add(row);
      lastAboveT = row.t;
      dip = [];
    } else if (play) {
      // Rows come in time order: once the dip is longer than the bridge, no later row can bridge it.
      if (row.t - lastAboveT > bridgeMs) closePlay();
      else dip.push(row);
    }
  }

  return {
    add(rows) {
      // A localised HWiNFO writes the same sensors under other keys (gpu_温度_c): the first one with a reading (the
      // data layer gives every key asked for, as nulls where the rows have none).
      const column = (key: string) =>
        sameSensorKeys(key)
          .map((same) => rows.values[same])
          .find((values) => values?.some((value) => value !== null));
      const load = column(SESSION_KEYS.load);
      const temperature = column(SESSION_KEYS.temperature);
      const hotSpot = column(SESSION_KEYS.hotSpot);
      const clock = column(SESSION_KEYS.clock);
      const board = column(SESSION_KEYS.boardPower);
      const chip = column(SESSION_KEYS.chipPower);
      for (let i = 0; i < rows.t.length; i++) {
        const boardW = board?.[i] ?? null;
        const chipW = boardW === null ? (chip?.[i] ?? null) : null;
        addRow({
          t: rows.t[i]!,
          load: load?.[i] ?? null,
          temperature: temperature?.[i] ?? null,
          hotSpot: hotSpot?.[i] ?? null,
          clock: clock?.[i] ?? null,
          power: boardW ?? chipW,
          powerKey:
            boardW !== null ? SESSION_KEYS.boardPower : chipW !== null ? SESSION_KEYS.chipPower : null,
        });
      }
    },
    result() {
      // The session in progress is listed as it stands, and goes on at the next add().
      const done = [...sessions];
      if (logging) {
        const open = [...plays];
        if (play && play.end - play.start >= minMs) open.push({ kind: 'play', ...play.result() });
        done.push({ kind: 'logging', ...logging.result(), plays: open });
      }
      return done;
    },
    checkpoint() {
      return {
        sessions,
        closed: sessions.length,
        logging: logging?.copy() ?? null,
        plays,
        playsClosed: plays.length,
        play: play?.copy() ?? null,
        lastAboveT,
        dip: [...dip],
        prevT,
      };
    },
  };
}

/**
 * A checkpoint as JSON, and back (session-memo.ts keeps them in a file): the sessions closed so far are left out
 * (the caller keeps them once for all its checkpoints) and given back to `fromJson`.
 * CHECKPOINT_FORMAT changes whenever the detector's rules or state change: a kept checkpoint of another format is
 * not resumed from.
 */
export const CHECKPOINT_FORMAT = 1;

export interface CheckpointJson {
  closed: number;
  logging: FiguresJson | null;
  plays: PlaySession[];
  play: FiguresJson | null;
  lastAboveT: number;
  dip: Readings[];
  prevT: number;
}

export function checkpointToJson(checkpoint: SessionCheckpoint): CheckpointJson {
  return {
    closed: checkpoint.closed,
    logging: checkpoint.logging?.toJson() ?? null,
    plays: checkpoint.plays.slice(0, checkpoint.playsClosed),
    play: checkpoint.play?.toJson() ?? null,
    lastAboveT: checkpoint.lastAboveT,
    dip: [...checkpoint.dip],
    prevT: checkpoint.prevT,
  };
}

/** `sessions`: at least the first `json.closed` sessions of the read the checkpoint was taken in. */
export function checkpointFromJson(
  json: CheckpointJson,
  sessions: readonly LoggingSession[],
): SessionCheckpoint {
  if (sessions.length < json.closed) throw new Error('a checkpoint needs the sessions closed before it');
  return {
    sessions,
    closed: json.closed,
    logging: json.logging ? RunningFigures.fromJson(json.logging) : null,
    plays: json.plays,
    playsClosed: json.plays.length,
    play: json.play ? RunningFigures.fromJson(json.play) : null,
    lastAboveT: json.lastAboveT,
    dip: json.dip,
    prevT: json.prevT,
  };
}

interface FiguresJson {
  start: number;
  end: number;
  rows: number;
  stats: number[][];
  energy: number;
  energyRows: number;
  prevPower: number | null;
  powerKey: PowerKey | null;
}

/** The figures of rows folded in one by one, as their order gives them. */
class RunningFigures {
  start = 0;
  end = 0;
  rows = 0;
  private temperature: Stats = createStats();
  private hotSpot: Stats = createStats();
  private clock: Stats = createStats();
  private power: Stats = createStats();
  private energy = 0;
  private energyRows = 0;
  private prevPower: number | null = null;
  private powerKey: PowerKey | null = null;

  toJson(): FiguresJson {
    const { start, end, rows, energy, energyRows, prevPower, powerKey } = this;
    const stats = [this.temperature, this.hotSpot, this.clock, this.power].map((s) => s.state());
    return { start, end, rows, stats, energy, energyRows, prevPower, powerKey };
  }

  static fromJson(json: FiguresJson): RunningFigures {
    const figures = new RunningFigures();
    figures.start = json.start;
    figures.end = json.end;
    figures.rows = json.rows;
    const [temperature, hotSpot, clock, power] = json.stats;
    figures.temperature = createStats(temperature);
    figures.hotSpot = createStats(hotSpot);
    figures.clock = createStats(clock);
    figures.power = createStats(power);
    figures.energy = json.energy;
    figures.energyRows = json.energyRows;
    figures.prevPower = json.prevPower;
    figures.powerKey = json.powerKey;
    return figures;
  }

  /** The same figures, to fold on from apart. */
  copy(): RunningFigures {
    const copy = Object.assign(new RunningFigures(), this);
    copy.temperature = this.temperature.copy();
    copy.hotSpot = this.hotSpot.copy();
    copy.clock = this.clock.copy();
    copy.power = this.power.copy();
    return copy;
  }

  add(row: Readings): void {
    if (this.rows === 0) this.start = row.t;
    // A row's power counts for the step to the next row (at most MAX_STEP_MS): the last row adds no energy.
    else if (this.prevPower !== null) {
      this.energy += this.prevPower * Math.min(row.t - this.end, MAX_STEP_MS);
      this.energyRows += 1;
    }
    this.end = row.t;
    this.rows += 1;
    this.prevPower = row.power;
    this.temperature.add(row.temperature);
    this.hotSpot.add(row.hotSpot);
    this.clock.add(row.clock);
    this.power.add(row.power);
    this.powerKey ??= row.powerKey;
  }

  result(): SessionFigures {
    const power = this.power.result();
    return {
      start: this.start,
      end: this.end,
      durationMs: this.end - this.start,
      rows: this.rows,
      maxGpuTemperatureC: this.temperature.result()?.max ?? null,
      maxHotSpotC: this.hotSpot.result()?.max ?? null,
      avgGpuClockMhz: round(this.clock.result()?.avg ?? null, 1),
      avgPowerW: round(power?.avg ?? null, 1),
      maxPowerW: power?.max ?? null,
      powerKey: this.powerKey,
      energyWh: this.energyRows > 0 ? round(this.energy / 3_600_000, 2) : null,
    };
  }
}

function round(value: number | null, decimals: number): number | null {
  if (value === null) return null;
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}
