import { hasTrailingEmptyCell, toColumns } from './columns';
import { localText, readGpuzRow, readGpuzStamp } from './gpuz-bytes';
import {
  type EventOut,
  type FormatHandler,
  gluedLineStart,
  hasCellCount,
  skipBadTimestamp,
  skipBeforeHeader,
  skipFieldCount,
  skipGluedStart,
} from './handler';
import { parseCell } from './numbers';
import { createWallClock, readIsoLikeTimestamp, type Stamper } from './timestamps';
import type { Column, ParseSink } from './types';

/**
 * GPU-Z "Sensor Log.txt" lines → session and row events.
 *
 *   '        Date        , GPU Clock [MHz] , GPU Temperature [°C] ,'  → session { columns: gpu_clock_mhz, gpu_temperature_c }
 *   '2024-04-11 14:43:15 ,          99.8   ,             -   ,'       → row { local: '2024-04-11 14:43:15', values: [99.8, null] }
 *
 * A header is a line whose first cell is `Date`; each one starts a new session (GPU-Z appends a header at
 * every logging start, and the sensor set may differ). Rows whose cell count differs from their header's are
 * skipped with their line number. With a `sink`, the rows read from bytes go to sink.row as numbers (no RowEvent);
 * with `readValues` false as well, their values are not read (sink.row gets an empty array: a row counter).
 */
export function createGpuzHandler(stamp: Stamper, sink?: ParseSink, readValues = true): FormatHandler {
  return new GpuzHandler(stamp, sink, readValues);
}

/**
 * A class, not closures made per call: a parser (one per processed document) makes one, and closures made again for
 * each document got optimised code of their own that V8 threw away and compiled again at the next one.
 */
class GpuzHandler implements FormatHandler {
  private columns: Column[] | undefined = undefined;
  // The byte path's row, reused: the sink copies it (no array per row).
  private scratch = new Float64Array(0);
  private readonly time = new Int32Array(6);
  private readonly wallClock = createWallClock();
  private session = -1;
  private warnedNoHeader = false;
  /** Rows from bytes only checked and counted (no values read). */
  private readonly counting: boolean;

  constructor(
    private readonly stamp: Stamper,
    private readonly sink: ParseSink | undefined,
    readValues: boolean,
  ) {
    this.counting = sink !== undefined && !readValues;
  }

  line(text: string, line: number, out: EventOut): void {
    if (isHeaderLine(text)) this.header(text, line, out);
    else this.row(text, line, out);
  }

  bytes(bytes: Uint8Array, from: number, to: number, line: number, out: EventOut): boolean {
    const { columns, time, sink } = this;
    if (columns === undefined) return false;
    if (!this.counting && this.scratch.length !== columns.length)
      this.scratch = new Float64Array(columns.length);
    const scratch = this.scratch;
    const at = this.counting
      ? readGpuzStamp(bytes, from, to, columns.length, time)
      : readGpuzRow(bytes, from, to, scratch, time);
    if (at < 0) return false;
    const wall = this.wallClock(time[0]!, time[1]!, time[2]!, time[3]!, time[4]!, time[5]!);
    if (wall === undefined) return false;
    // Stamped last: the stamper remembers the previous row, so a declined line must not have touched it.
    const t = this.stamp.wall(wall);
    if (sink !== undefined) {
      sink.row(this.session, t, wall, this.counting ? NO_VALUES : scratch);
      return true;
    }
    const values: (number | null)[] = new Array(scratch.length);
    for (let i = 0; i < scratch.length; i++) {
      const value = scratch[i]!;
      // biome-ignore lint/suspicious/noSelfCompare: NaN = no reading
      values[i] = value === value ? value : null;
    }
    out.push({ type: 'row', session: this.session, line, t, local: localText(bytes, at), values });
    return true;
  }

  end(): void {}

  private header(text: string, line: number, out: EventOut): void {
    const cells = text.split(',');
    if (hasTrailingEmptyCell(cells)) cells.pop();
    // A header glued to a data row (the row GPU-Z wrote after the file was truncated and re-headed):
    // the first cell that is a timestamp starts the row.
    const glued = cells.findIndex((cell, i) => i > 0 && isTimestampCell(cell));
    const names = glued > 0 ? cells.slice(1, glued) : cells.slice(1);
    this.columns = toColumns(names);
    this.session++;
    out.push({ type: 'session', session: this.session, format: 'gpuz', columns: this.columns, line });
    if (glued > 0) this.row(cells.slice(glued).join(','), line, out);
  }

  private row(text: string, line: number, out: EventOut): void {
    const columns = this.columns;
    if (columns === undefined) {
      skipBeforeHeader(line, out, this.warnedNoHeader);
      this.warnedNoHeader = true;
      return;
    }
    const cells = text.split(',');
    const count = hasTrailingEmptyCell(cells) ? cells.length - 1 : cells.length;
    if (count !== columns.length + 1) {
      if (!this.readGlued(text, line, out)) out.push(skipFieldCount(line, columns.length + 1, count));
      return;
    }
    const first = cells[0]!;
    const at = firstNonSpace(first);
    const parts = readIsoLikeTimestamp(first, at);
    const t =
      parts && !hasTextAfter(first, at + 19)
        ? this.stamp(parts[0]!, parts[1]!, parts[2]!, parts[3]!, parts[4]!, parts[5]!, 0)
        : undefined;
    if (t === undefined) {
      if (!this.readGlued(text, line, out)) out.push(skipBadTimestamp(line, first));
      return;
    }
    const values: (number | null)[] = new Array(count - 1);
    for (let i = 1; i < count; i++) values[i - 1] = parseCell(cells[i]!);
    out.push({ type: 'row', session: this.session, line, t, local: first.slice(at, at + 19), values });
  }

  /**
   * A line that is no row because its start is broken — a row cut short (GPU-Z killed mid-write, a write that
   * failed on a full disk) or other bytes — with the header or row GPU-Z wrote next glued behind it: the broken
   * start is skipped (counted as `field-count`) and the glued line read as its own, as the agent's batches cut it
   * (core/log-lines.ts damagedPrefixLength). False when the line holds no whole header or row after its start.
   *
   *   '2024-04-20 13:03:49 , 2520.0 , 13        Date        , GPU Clock [MHz] ,' → skip, then a new session
   *   '2024-04-20 13:03:49 , 25202024-04-20 13:03:50 , 2520.0 , 47.0 ,'      → skip, then the 13:03:50 row
   */
  private readGlued(text: string, line: number, out: EventOut): boolean {
    const cells = this.columns!.length + 1;
    const start = gluedLineStart(text, GLUED_START, (rest) => isHeaderLine(rest) || isWholeRow(rest, cells));
    if (start <= 0) return false;
    out.push(skipGluedStart(line, start));
    const rest = text.slice(start);
    if (isHeaderLine(rest)) this.header(rest, line, out);
    else this.row(rest, line, out);
    return true;
  }
}

const NO_VALUES = new Float64Array(0);
/**
 * Where a glued line may start: a header's `Date` with the spaces GPU-Z pads it with (`…UpdateDate ,` in bytes that
 * are no log line is no header), or a row's timestamp.
 */
const GLUED_START = / +Date *,|\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}/g;

/** True when `text` is one row of `cells` cells (its trailing comma allowed) with a timestamp first. */
function isWholeRow(text: string, cells: number): boolean {
  if (!hasCellCount(text, cells)) return false;
  const comma = text.indexOf(',');
  return isTimestampCell(text.slice(0, comma < 0 ? text.length : comma));
}

/**
 * True for a GPU-Z header line: its first cell is `Date` (padded with spaces) and it is not HWiNFO's `Date,Time`.
 *
 *   isGpuzHeaderLine('        Date        , GPU Clock [MHz] ,') → true
 *   isGpuzHeaderLine('2024-04-11 14:43:15 , 99.8 ,') → false
 */
export function isGpuzHeaderLine(line: string): boolean {
  const text = line.charCodeAt(0) === 0xfeff ? line.slice(1) : line;
  if (!isHeaderLine(text)) return false;
  const second = text.split(',', 3)[1];
  return second === undefined || second.trim() !== 'Time';
}

function isHeaderLine(text: string): boolean {
  const comma = text.indexOf(',');
  const first = comma < 0 ? text : text.slice(0, comma);
  // Cheap check first: data rows start with a digit, so the hot path never trims.
  const at = firstNonSpace(first);
  return first.charCodeAt(at) === 68 && first.trim() === 'Date';
}

function isTimestampCell(cell: string): boolean {
  const at = firstNonSpace(cell);
  return readIsoLikeTimestamp(cell, at) !== undefined && !hasTextAfter(cell, at + 19);
}

function firstNonSpace(text: string): number {
  let i = 0;
  while (i < text.length && text.charCodeAt(i) === 32) i++;
  return i;
}

function hasTextAfter(text: string, from: number): boolean {
  for (let i = from; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return true;
  }
  return false;
}
