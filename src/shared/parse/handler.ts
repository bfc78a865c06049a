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
