import { hasTrailingEmptyCell, toColumns } from './columns';
import { splitCsvLine } from './csv-cells';
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
import { formatLocal, type Stamper } from './timestamps';
import type { Column } from './types';

/**
 * HWiNFO CSV lines → session and row events.
 *
 *   'Date,Time,"GPU Temperature [°C]","GPU Fan [RPM]",'  → session { columns: gpu_temperature_c, fan_speed_rpm }
 *   '13.2.2017,15:22:3.757,61,No,'                        → row { local: '2017-02-13 15:22:03', values: [61, 0] }
 *
 * HWiNFO repeats the header (and sometimes the sensor-group line) as a footer when logging stops: a header equal
 * to the current one, or a group line, after rows is skipped as 'footer'. `Yes`/`No` cells are 1/0.
 */
export function createHwinfoHandler(stamp: Stamper): FormatHandler {
  let columns: Column[] | undefined;
  let headerText = '';
  let session = -1;
  let rowsInSession = 0;
  let warnedNoHeader = false;
  /** The date of the last row read, as [day, month, year]: a glued row must be of that day or the next. */
  let lastDate: number[] | undefined;

  function header(text: string, line: number, out: EventOut): void {
    if (columns !== undefined && rowsInSession > 0 && text === headerText) {
      out.push({
        type: 'skip',
        line,
        reason: 'footer',
        message: 'HWiNFO footer (the header repeated at the end)',
      });
      return;
    }
    const cells = splitCsvLine(text);
    if (hasTrailingEmptyCell(cells)) cells.pop();
    columns = toColumns(cells.slice(2), 'hwinfo');
    headerText = text;
    rowsInSession = 0;
    // A new session's first row is read against its own day, not the last one of a session days before.
    lastDate = undefined;
    session++;
    out.push({ type: 'session', session, format: 'hwinfo', columns, line });
  }

  function row(text: string, line: number, out: EventOut): void {
    const cells = splitCsvLine(text);
    const count = hasTrailingEmptyCell(cells) ? cells.length - 1 : cells.length;
    if (cells[0]!.trim() === '' && (cells[1] ?? '').trim() === '') {
      // The sensor-group line ("",,"CPU [#0]: …"): part of the header, or of the footer after rows.
      if (rowsInSession > 0)
        out.push({ type: 'skip', line, reason: 'footer', message: 'HWiNFO sensor-group line' });
      return;
    }
    if (columns === undefined) {
      skipBeforeHeader(line, out, warnedNoHeader);
      warnedNoHeader = true;
      return;
    }
    if (count !== columns.length + 2) {
      if (!readGlued(text, line, out)) out.push(skipFieldCount(line, columns.length + 2, count));
      return;
    }
    const date = readDate(cells[0]!);
    const time = readTime(cells[1]!);
    const t =
      date && time ? stamp(date[2]!, date[1]!, date[0]!, time[0]!, time[1]!, time[2]!, time[3]!) : undefined;
    if (t === undefined || !date || !time) {
      if (!readGlued(text, line, out)) out.push(skipBadTimestamp(line, `${cells[0]} ${cells[1]}`));
      return;
    }
    lastDate = date;
    const values: (number | null)[] = new Array(count - 2);
    for (let i = 2; i < count; i++) values[i - 2] = parseHwinfoCell(cells[i]!);
    rowsInSession++;
    const local = formatLocal(date[2]!, date[1]!, date[0]!, time[0]!, time[1]!, time[2]!);
    out.push({ type: 'row', session, line, t, local, values });
  }

  /**
   * A row cut short (HWiNFO killed mid-write, a write that failed on a full disk) with the header or row written
   * next glued behind it: the cut start is skipped, the glued line read on its own (as the agent's batches cut a
   * glued header). A glued row must be of the last row's day or the next: HWiNFO does not pad its day, so in
   * `…,6049,17.2.2017,…` the row may start at `17.2` or at `7.2`, and only the day decides which. A session's first
   * row cut before the end of its date gives no day: a row glued to it is skipped with it (said, never misread).
   *
   *   '17.2.2017,15:34:58.405,6049,13Date,Time,"Virtual Memory Commited [MB]",…' → skip, then the header
   */
  function readGlued(text: string, line: number, out: EventOut): boolean {
    const cells = columns!.length + 2;
    // The day a glued row is read against: the last row's, or the cut row's own when it still holds its date.
    const day = lastDate ?? readDate(text.slice(0, Math.max(0, text.indexOf(','))));
    const start = gluedLineStart(text, GLUED_START, (rest) => isHeader(rest) || isNextRow(rest, cells, day));
    if (start <= 0) return false;
    out.push(skipGluedStart(line, start));
    readLine(text.slice(start), line, out);
    return true;
  }

  /** True when `text` is one row of `cells` cells, written on `day` ([day, month, year]) or the next. */
  function isNextRow(text: string, cells: number, day: number[] | undefined): boolean {
    if (day === undefined || !hasCellCount(text, cells)) return false;
    const split = splitCsvLine(text);
    const date = readDate(split[0]!);
    if (date === undefined || readTime(split[1] ?? '') === undefined) return false;
    const days =
      (Date.UTC(date[2]!, date[1]! - 1, date[0]!) - Date.UTC(day[2]!, day[1]! - 1, day[0]!)) / DAY_MS;
    return days === 0 || days === 1;
  }

  function readLine(text: string, line: number, out: EventOut): void {
    if (isHeader(text)) header(text, line, out);
    else row(text, line, out);
  }

  return { line: readLine, end() {} };
}

const DAY_MS = 86_400_000;
/** Where a glued line may start: a header's `Date,Time`, or a row's date and time. */
const GLUED_START = /"?Date"?,"?Time"?,|\d{1,2}\.\d{1,2}\.\d{4},\d{1,2}:\d{1,2}:\d{1,2}/g;

function isHeader(text: string): boolean {
  return text.startsWith('Date,') || text.startsWith('"Date",');
}

/** `Yes`/`No` (and the Chinese 是/否) → 1/0; everything else as a number or null. */
function parseHwinfoCell(cell: string): number | null {
  const c = cell.charCodeAt(0);
  if (c === 89 && cell === 'Yes') return 1;
  if (c === 78 && cell === 'No') return 0;
  if (cell === '是') return 1;
  if (cell === '否') return 0;
  return parseCell(cell);
}

/** '13.2.2017' → [13, 2, 2017]. */
function readDate(cell: string): number[] | undefined {
  const parts = cell.trim().split('.');
  if (parts.length !== 3) return undefined;
  const numbers = parts.map((p) => (/^\d{1,4}$/.test(p) ? Number(p) : Number.NaN));
  return numbers.some(Number.isNaN) ? undefined : numbers;
}

/** '15:22:3.757' → [15, 22, 3, 757] (HWiNFO does not pad seconds). */
function readTime(cell: string): number[] | undefined {
  const match = /^(\d{1,2}):(\d{1,2}):(\d{1,2})(?:\.(\d{1,3}))?$/.exec(cell.trim());
  if (!match) return undefined;
  const ms = match[4] === undefined ? 0 : Number(match[4].padEnd(3, '0'));
  return [Number(match[1]), Number(match[2]), Number(match[3]), ms];
}
