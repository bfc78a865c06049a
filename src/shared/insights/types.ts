/**
 * What sessions and threshold alerts look like to the UI, the tray and the CLI (declared here, not in core,
 * because the UI contract carries them; computed by src/main/core/insights).
 *
 *   { kind: 'logging', start: 1786035293000, end: 1786036476000, durationMs: 1183000, maxHotSpotC: 105.5, … }
 *   { ruleId: 'hot-spot-100', kind: 'fired', sensor: 'hot_spot_c', value: 100.5, at: 1786035710000, … }
 */
import type { ErrorData } from '../errors';
import type { PowerKey } from '../parse/column-keys';

/** Figures of one stretch of rows; a figure is null when the log has no such sensor (or no reading). */
export interface SessionFigures {
  /** Epoch ms of the first and last row. */
  start: number;
  end: number;
  durationMs: number;
  rows: number;
  maxGpuTemperatureC: number | null;
  maxHotSpotC: number | null;
  avgGpuClockMhz: number | null;
  /** Power from `powerKey`'s readings: board power where the log has it, else the GPU chip's (AMD). */
  avgPowerW: number | null;
  maxPowerW: number | null;
  /** Which power the figures are ('board_power_draw_w' or 'gpu_chip_power_draw_w'); null: the log has neither. */
  powerKey: PowerKey | null;
  /** That power integrated over time (a step longer than 10 s counts as 10 s: a pause draws nothing). */
  energyWh: number | null;
}

/** Time spent under load inside a logging session: GPU load at or above the threshold for ≥ 2 minutes. */
export interface PlaySession extends SessionFigures {
  kind: 'play';
}

/** One GPU-Z logging session: started by a GPU-Z header, or by a pause of more than `gapMinutes`. */
export interface LoggingSession extends SessionFigures {
  kind: 'logging';
  plays: PlaySession[];
}

/** A listSessions answer: the sessions, and whether they come from what this PC kept (the store not listed). */
export interface SessionList {
  sessions: LoggingSession[];
  /**
   * The store could not be listed (offline, a refused sign-in…), so the sessions are those of the objects this PC
   * read before (its cache): sessions stored since then are missing until the store answers. The store's error.
   */
  keptOnly?: ErrorData;
  /** With keptOnly: stored batches of the range this PC knows in outline only (a long chart's), not listed. */
  outlinedOnly?: number;
}

export interface SessionQuery {
  /** Epoch ms, inclusive / exclusive. */
  from: number;
  to: number;
  /** Another PC's sessions (the store's host name); default: this PC's. */
  host?: string;
  /** A pause longer than this starts a new logging session (default 5). */
  gapMinutes?: number;
  /** GPU load (%) at or above which time counts as play (default 50). */
  playLoadPct?: number;
}

/**
 * How far a listSessions call has read the stored data (pushed while it runs, at most every 250 ms): `done` of
 * `total` steps — one per object for its summary (a download on a cold cache), one per object for its rows.
 * `query` is the call's, so a page tells its own call from another's.
 */
export interface SessionsProgress {
  query: SessionQuery;
  done: number;
  total: number;
}

export type AlertComparison = '>=' | '<=';

/** "hot spot ≥ 100 °C for 10 s". Ends when the reading is back by `hysteresis` (no spam around the line). */
export interface AlertRule {
  id: string;
  /** Canonical column key (docs/column-keys.md): hot_spot_c, gpu_temperature_c… */
  sensor: string;
  comparison: AlertComparison;
  value: number;
  /** Seconds the condition must hold (by the rows' own time stamps) before it fires. */
  durationSeconds: number;
  /** How far back past `value` the reading must go to end the episode (default 2, in the sensor's unit). */
  hysteresis?: number;
  enabled: boolean;
}

/** One alert episode's start (`fired`) or end (`cleared`), as the tray, the banner and the history show it. */
export interface AlertEvent {
  ruleId: string;
  kind: 'fired' | 'cleared';
  sensor: string;
  comparison: AlertComparison;
  threshold: number;
  /** The reading at `at` (fired: the one that completed the duration; cleared: the one back past hysteresis). */
  value: number;
  /** Epoch ms of that row; `since`: when the condition began (fired) or the episode fired (cleared). */
  at: number;
  since: number;
  /** "Hot Spot ≥ 100 °C for 10 s (now 100.5 °C)". */
  message: string;
  /**
   * From the log's backlog: rows that were in the log before this run first read to its end (a first start on an
   * old log, or what GPU-Z logged while the agent was off). Listed in the history; no banner, no notification.
   */
  late?: boolean;
}
