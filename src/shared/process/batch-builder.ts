import { formatWall } from '../parse/timestamps';
import type { ParseEvent, ParseSink } from '../parse/types';
import { type ColumnTable, createColumnTable, type NumberColumn } from './number-column';
import { createRollupBuilder } from './rollups';
import { createStats, type Stats } from './stats';
import type { ColumnInfo, ColumnStats, ProcessWarning, Rollups, Summary } from './types';

/**
 * Parser events → the columnar contents of one processed document, accumulated row by row.
 *
 *   const b = createBatchBuilder(); for (const e of parser.push(bytes)) b.add(e); …; b.result()
 *   const b = createBatchBuilder(); const parser = createLogParser({ sink: b }); parser.push(bytes); …; b.result()
 *     → { sessions: [{ columns, length, t, values, text }], rollups, summary }
 *
 * It is the parser's ParseSink: GPU-Z rows read from bytes arrive as numbers (row()) and go straight into the
 * columns, so no RowEvent, values array or boxed number is made per row. Numbers live in Float64Array chunks
 * (see number-column.ts) until serialisation; nothing is kept per row.
 */
export interface BuiltSession {
  columns: ColumnInfo[];
  /** The session starts at a header line of the log (a new GPU-Z logging session), not one continued from the previous batch. */
  header: boolean;
  /** Column keys in column order (one array per session: the rollup cache keys on its identity). */
  keys: string[];
  length: number;
  t: NumberColumn;
  values: Map<string, NumberColumn>;
  text: Map<string, (string | null)[]>;
}

export interface BuiltBatch {
  sessions: BuiltSession[];
  rollups: Rollups;
  summary: Summary;
  /** Total number cells held (rows × columns), for the size guard. */
  cells: number;
}

export interface BatchBuilder extends ParseSink {
  add(event: ParseEvent): void;
  readonly rows: number;
  readonly cells: number;
  result(): BuiltBatch;
}

const MAX_WARNINGS = 50;

/** A session's columns (one table) and summary stats in column order, so a row needs no lookups by key. */
interface SessionState {
  session: BuiltSession;
  table: ColumnTable;
  stats: Stats[];
}

export function createBatchBuilder(): BatchBuilder {
  return new DocumentBuilder();
}

/**
 * A class, not closures made per call: one is made per processed document, and closures made again for each
 * document got optimised code of their own that V8 threw away and compiled again at the next one (row/append/addRow
 * were compiled 7–11 times per backfill; bench/backfill.ts, `--trace-opt`).
 */
class DocumentBuilder implements BatchBuilder {
  private readonly sessions: BuiltSession[] = [];
  private readonly sessionIndex = new Map<number, SessionState>();
  private current: SessionState | undefined = undefined;
  private currentNo = -1;
  private readonly stats = new Map<string, Stats>();
  private readonly rollups = createRollupBuilder();
  private readonly warnings: ProcessWarning[] = [];
  private readonly skipReasons: Record<string, number> = {};
  private warningsDropped = 0;
  private skippedLines = 0;
  rows = 0;
  cells = 0;
  // The earliest and latest row: `local` as written (text rows) or as a wall time (byte rows, formatted at the end).
  private firstT = 0;
  private lastT = 0;
  private firstLocal: string | number = '';
  private lastLocal: string | number = '';
  private eventValues = new Float64Array(0);
  private built: BuiltBatch | undefined = undefined;

  add(event: ParseEvent): void {
    switch (event.type) {
      case 'session': {
        const keys = event.columns.map((column) => column.key);
        const table = createColumnTable(keys.length);
        const session: BuiltSession = {
          header: true,
          columns: event.columns.map(({ key, name, unit, gpu }) =>
            gpu === undefined ? { key, name, unit } : { key, name, unit, gpu },
          ),
          keys,
          length: 0,
          t: table.t,
          values: new Map(keys.map((key, i) => [key, table.columns[i]!])),
          text: new Map(),
        };
        this.sessions.push(session);
        this.sessionIndex.set(event.session, { session, table, stats: keys.map((key) => this.statsOf(key)) });
        this.currentNo = -1;
        return;
      }
      case 'row':
        this.addRow(event);
        return;
      case 'skip':
        this.skippedLines += 1;
        this.skipReasons[event.reason] = (this.skipReasons[event.reason] ?? 0) + 1;
        return;
      case 'warning':
        if (this.warnings.length < MAX_WARNINGS) this.warnings.push(toWarning(event));
        else this.warningsDropped += 1;
    }
  }

  row(sessionNo: number, t: number, wall: number, values: Float64Array): void {
    const state = this.stateOf(sessionNo);
    if (state) this.append(state, t, wall, values);
  }

  result(): BuiltBatch {
    this.built ??= this.build();
    return this.built;
  }

  private stateOf(sessionNo: number): SessionState | undefined {
    if (sessionNo !== this.currentNo) {
      this.current = this.sessionIndex.get(sessionNo);
      this.currentNo = sessionNo;
    }
    return this.current;
  }

  /** One row into its session's columns, the summary stats and the rollups; `values[i]` NaN = no reading. */
  private append(state: SessionState, t: number, local: string | number, values: Float64Array): void {
    const { session, table } = state;
    table.append(t, values);
    this.rollups.addRow(session.keys, t, values);
    if (this.rows === 0 || t < this.firstT) {
      this.firstT = t;
      this.firstLocal = local;
    }
    if (this.rows === 0 || t >= this.lastT) {
      this.lastT = t;
      this.lastLocal = local;
    }
    session.length += 1;
    this.rows += 1;
    this.cells += table.columns.length + 1;
  }

  private addRow(event: Extract<ParseEvent, { type: 'row' }>): void {
    const state = this.stateOf(event.session);
    if (!state) return;
    const n = state.table.columns.length;
    if (this.eventValues.length < n) this.eventValues = new Float64Array(n);
    const values = this.eventValues;
    for (let i = 0; i < n; i += 1) values[i] = event.values[i] ?? Number.NaN;
    if (event.text) addText(state.session, event.text);
    this.append(state, event.t, event.local, values);
  }

  private statsOf(key: string): Stats {
    let s = this.stats.get(key);
    if (!s) {
      s = createStats();
      this.stats.set(key, s);
    }
    return s;
  }

  /** Summary stats are added up here, once: result() hands out the same batch when asked again. */
  private build(): BuiltBatch {
    // Summary stats from the columns, session after session: each key's readings in the order they came.
    for (const { table, stats: columnStats } of this.sessionIndex.values()) {
      table.columns.forEach((column, i) => {
        for (const chunk of column.chunks()) columnStats[i]!.addAll(chunk);
      });
    }
    const columns: Record<string, ColumnStats> = {};
    for (const [key, s] of this.stats) {
      const r = s.result();
      if (r) columns[key] = r;
    }
    const kept = this.sessions.filter((session) => session.length > 0);
    return {
      sessions: kept,
      rollups: this.rollups.result(),
      cells: this.cells,
      summary: {
        rows: this.rows,
        sessions: kept.length,
        skippedLines: this.skippedLines,
        skipReasons: this.skipReasons,
        firstT: this.firstT,
        lastT: this.lastT,
        firstLocal: typeof this.firstLocal === 'string' ? this.firstLocal : formatWall(this.firstLocal),
        lastLocal: typeof this.lastLocal === 'string' ? this.lastLocal : formatWall(this.lastLocal),
        columns,
        warnings: this.warnings,
        warningsDropped: this.warningsDropped,
      },
    };
  }
}

function addText(session: BuiltSession, text: Record<string, string>): void {
  for (const [key, value] of Object.entries(text)) {
    let series = session.text.get(key);
    if (!series) {
      // A text key first seen mid-session: earlier rows had no such cell.
      series = new Array<string | null>(session.length).fill(null);
      session.text.set(key, series);
    }
    series.push(value);
  }
  for (const series of session.text.values()) {
    if (series.length === session.length) series.push(null);
  }
}

function toWarning(event: Extract<ParseEvent, { type: 'warning' }>): ProcessWarning {
  return event.line === undefined
    ? { code: event.code, message: event.message }
    : { code: event.code, message: event.message, line: event.line };
}
