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
  const sessions: BuiltSession[] = [];
  const sessionIndex = new Map<number, SessionState>();
  let current: SessionState | undefined;
  let currentNo = -1;
  const stats = new Map<string, Stats>();
  const rollups = createRollupBuilder();
  const warnings: ProcessWarning[] = [];
  const skipReasons: Record<string, number> = {};
  let warningsDropped = 0;
  let skippedLines = 0;
  let rows = 0;
  let cells = 0;
  // The earliest and latest row: `local` as written (text rows) or as a wall time (byte rows, formatted at the end).
  let firstT = 0;
  let lastT = 0;
  let firstLocal: string | number = '';
  let lastLocal: string | number = '';
  let eventValues = new Float64Array(0);
  let built: BuiltBatch | undefined;

  function stateOf(sessionNo: number): SessionState | undefined {
    if (sessionNo !== currentNo) {
      current = sessionIndex.get(sessionNo);
      currentNo = sessionNo;
    }
    return current;
  }

  /** One row into its session's columns, the summary stats and the rollups; `values[i]` NaN = no reading. */
  function append(state: SessionState, t: number, local: string | number, values: Float64Array): void {
    const { session, table } = state;
    table.append(t, values);
    rollups.addRow(session.keys, t, values);
    if (rows === 0 || t < firstT) {
      firstT = t;
      firstLocal = local;
    }
    if (rows === 0 || t >= lastT) {
      lastT = t;
      lastLocal = local;
    }
    session.length += 1;
    rows += 1;
    cells += table.columns.length + 1;
  }

  function addRow(event: Extract<ParseEvent, { type: 'row' }>): void {
    const state = stateOf(event.session);
    if (!state) return;
    const n = state.table.columns.length;
    if (eventValues.length < n) eventValues = new Float64Array(n);
    for (let i = 0; i < n; i += 1) eventValues[i] = event.values[i] ?? Number.NaN;
    if (event.text) addText(state.session, event.text);
    append(state, event.t, event.local, eventValues);
  }

  function statsOf(key: string): Stats {
    let s = stats.get(key);
    if (!s) {
      s = createStats();
      stats.set(key, s);
    }
    return s;
  }

  return {
    add(event) {
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
          sessions.push(session);
          sessionIndex.set(event.session, { session, table, stats: keys.map(statsOf) });
          currentNo = -1;
          return;
        }
        case 'row':
          addRow(event);
          return;
        case 'skip':
          skippedLines += 1;
          skipReasons[event.reason] = (skipReasons[event.reason] ?? 0) + 1;
          return;
        case 'warning':
          if (warnings.length < MAX_WARNINGS) warnings.push(toWarning(event));
          else warningsDropped += 1;
      }
    },
    row(sessionNo, t, wall, values) {
      const state = stateOf(sessionNo);
      if (state) append(state, t, wall, values);
    },
    get rows() {
      return rows;
    },
    get cells() {
      return cells;
    },
    result() {
      built ??= build();
      return built;
    },
  };

  /** Summary stats are added up here, once: result() hands out the same batch when asked again. */
  function build(): BuiltBatch {
    // Summary stats from the columns, session after session: each key's readings in the order they came.
    for (const { table, stats: columnStats } of sessionIndex.values()) {
      table.columns.forEach((column, i) => {
        for (const chunk of column.chunks()) columnStats[i]!.addAll(chunk);
      });
    }
    const columns: Record<string, ColumnStats> = {};
    for (const [key, s] of stats) {
      const r = s.result();
      if (r) columns[key] = r;
    }
    const kept = sessions.filter((session) => session.length > 0);
    return {
      sessions: kept,
      rollups: rollups.result(),
      cells,
      summary: {
        rows,
        sessions: kept.length,
        skippedLines,
        skipReasons,
        firstT,
        lastT,
        firstLocal: typeof firstLocal === 'string' ? firstLocal : formatWall(firstLocal),
        lastLocal: typeof lastLocal === 'string' ? lastLocal : formatWall(lastLocal),
        columns,
        warnings,
        warningsDropped,
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
