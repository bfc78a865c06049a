import type { ParseEvent } from '../parse/types';
import { createNumberColumn, type NumberColumn } from './number-column';
import { createRollupBuilder } from './rollups';
import { createStats, type Stats } from './stats';
import type { ColumnInfo, ColumnStats, ProcessWarning, Rollups, Summary } from './types';

/**
 * Parser events → the columnar contents of one processed document, accumulated row by row.
 *
 *   const b = createBatchBuilder(); for (const e of parser.push(bytes)) b.add(e); …; b.result()
 *     → { sessions: [{ columns, length, t, values, text }], rollups, summary }
 *
 * Numbers live in Float64Array chunks (see number-column.ts) until serialisation; nothing is kept per row.
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

export interface BatchBuilder {
  add(event: ParseEvent): void;
  readonly rows: number;
  readonly cells: number;
  result(): BuiltBatch;
}

const MAX_WARNINGS = 50;

export function createBatchBuilder(): BatchBuilder {
  const sessions: BuiltSession[] = [];
  // Per parser session: the columns and summary stats in column order, so a row needs no lookups by key.
  const sessionIndex = new Map<number, { session: BuiltSession; columns: NumberColumn[]; stats: Stats[] }>();
  const stats = new Map<string, Stats>();
  const rollups = createRollupBuilder();
  const warnings: ProcessWarning[] = [];
  const skipReasons: Record<string, number> = {};
  let warningsDropped = 0;
  let skippedLines = 0;
  let rows = 0;
  let cells = 0;
  let first: { t: number; local: string } | null = null;
  let last: { t: number; local: string } | null = null;

  function addRow(event: Extract<ParseEvent, { type: 'row' }>): void {
    const current = sessionIndex.get(event.session);
    if (!current) return;
    const { session, columns, stats: columnStats } = current;
    session.t.push(event.t);
    for (let i = 0; i < columns.length; i += 1) {
      const value = event.values[i] ?? null;
      columns[i]!.push(value);
      columnStats[i]!.add(value);
    }
    rollups.addRow(session.keys, event.t, event.values);
    if (event.text) addText(session, event.text);
    session.length += 1;
    rows += 1;
    cells += session.columns.length + 1;
    if (!first || event.t < first.t) first = { t: event.t, local: event.local };
    if (!last || event.t >= last.t) last = { t: event.t, local: event.local };
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
          const session: BuiltSession = {
            header: true,
            columns: event.columns.map(({ key, name, unit, gpu }) =>
              gpu === undefined ? { key, name, unit } : { key, name, unit, gpu },
            ),
            keys: event.columns.map((column) => column.key),
            length: 0,
            t: createNumberColumn(),
            values: new Map(event.columns.map((column) => [column.key, createNumberColumn()])),
            text: new Map(),
          };
          sessions.push(session);
          sessionIndex.set(event.session, {
            session,
            columns: session.keys.map((key) => session.values.get(key)!),
            stats: session.keys.map(statsOf),
          });
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
    get rows() {
      return rows;
    },
    get cells() {
      return cells;
    },
    result() {
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
          firstT: first?.t ?? 0,
          lastT: last?.t ?? 0,
          firstLocal: first?.local ?? '',
          lastLocal: last?.local ?? '',
          columns,
          warnings,
          warningsDropped,
        },
      };
    },
  };
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
