import type { ParseEvent, SkipEvent, WarningEvent } from './types';

/** Where a handler puts its events: the parser's array, or a forwarder to its ParseSink (in order either way). */
export interface EventOut {
  push(event: ParseEvent): void;
}

/** One format's line-by-line state machine: decoded lines in, events appended to `out`. */
export interface FormatHandler {
  line(text: string, line: number, out: EventOut): void;
  /** Optional fast path: an undecoded line as bytes; false = not taken, `line` gets it decoded instead. */
  bytes?(bytes: Uint8Array, from: number, to: number, line: number, out: EventOut): boolean;
  end(out: EventOut): void;
}

/**
 * Rows that arrive before any header cannot be mapped to columns, so they are skipped, never guessed;
 * the first one also raises a warning a person sees (a cut-off log, or a batch that lost its header).
 *
 *   skipBeforeHeader(3, out, seen=false) → out += [warning NO_HEADER line 3, skip before-header line 3]
 */
export function skipBeforeHeader(line: number, out: EventOut, warned: boolean): void {
  if (!warned) {
    const warning: WarningEvent = {
      type: 'warning',
      code: 'NO_HEADER',
      message: `Line ${line} is a data row before any header line; rows are skipped until a header appears`,
      line,
    };
    out.push(warning);
  }
  out.push({ type: 'skip', line, reason: 'before-header', message: 'data row before any header line' });
}

export function skipFieldCount(line: number, expected: number, got: number): SkipEvent {
  return {
    type: 'skip',
    line,
    reason: 'field-count',
    message: `expected ${expected} fields as in the header, found ${got}`,
  };
}

export function skipBadTimestamp(line: number, cell: string): SkipEvent {
  return {
    type: 'skip',
    line,
    reason: 'bad-timestamp',
    message: `"${cell.trim().slice(0, 40)}" is not a valid timestamp`,
  };
}

/**
 * Where a whole line starts inside a line a handler refused, or -1. Such a line has a broken start — a row cut
 * short (the logger killed mid-write, a write that failed on a full disk) — with the next line the logger wrote
 * glued behind it: a header (it started again) or a row. `starts` (a global expression) finds each place a line of
 * the format could begin; the first one after something that is not blank where `isWholeLine` holds for the rest
 * is the glued line. Only refused lines come here, so a clean log never pays for the search.
 *
 *   gluedLineStart('2023/06/22 18:57:00.362, 0, NVtimestamp, index, name', /timestamp\s*,/g, isHeader) → 30
 */
export function gluedLineStart(text: string, starts: RegExp, isWholeLine: (rest: string) => boolean): number {
  starts.lastIndex = 1;
  for (let m = starts.exec(text); m !== null; m = starts.exec(text)) {
    if (text.slice(0, m.index).trim() !== '' && isWholeLine(text.slice(m.index))) return m.index;
    starts.lastIndex = m.index + 1;
  }
  return -1;
}

/** The broken start of a glued line (gluedLineStart), skipped; the glued line after it is read on its own. */
export function skipGluedStart(line: number, start: number): SkipEvent {
  return {
    type: 'skip',
    line,
    reason: 'field-count',
    message: `a row cut short (${start} characters) with the next line glued after it; that line is read`,
  };
}

/**
 * True when `text` holds `cells` comma-separated cells, a blank one after a trailing comma not counted.
 * Commas are counted only up to one too many, so a long broken line (rows that lost their line breaks) costs each
 * place tried one row's length, not the line's. Quotes are not honoured: rows of these logs hold none.
 */
export function hasCellCount(text: string, cells: number): boolean {
  let commas = 0;
  let last = -1;
  for (let at = text.indexOf(','); at >= 0; at = text.indexOf(',', at + 1)) {
    if (++commas > cells) return false;
    last = at;
  }
  // As the row readers count (hasTrailingEmptyCell): a blank after the last comma is no cell.
  const blankEnd = text.slice(last + 1).trim() === '';
  return commas === cells ? blankEnd : commas === cells - 1 && !blankEnd;
}
