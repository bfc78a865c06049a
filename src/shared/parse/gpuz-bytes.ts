/**
 * The GPU-Z data row read straight from its bytes: the parser's fast path for the common line, with no text
 * decoding, string splitting or Number() per cell. It takes only what it can read exactly as the text path
 * (gpuz.ts) would and declines everything else, which then goes the text way: same events either way.
 *
 *   const values = new Float64Array(2), time = new Int32Array(6);
 *   readGpuzRow(bytes('2024-04-11 14:43:15 ,  99.8 ,  - ,'), 0, 34, values, time)
 *     → 0 (the timestamp's offset), values = [99.8, NaN] (NaN = no reading), time = [2024, 4, 11, 14, 43, 15]
 *   readGpuzRow(bytes('2024-04-11 14:43:15 , 1e3 ,'), …) → -1 (declined: the text path decides)
 *
 * Taken: a `YYYY-MM-DD HH:MM:SS` first cell (spaces around it), then exactly `values.length` cells, each
 * blank, `-`, or a plain decimal (`-`? digits, `.` digits?, at most 15 digits) padded with spaces, and the
 * trailing comma GPU-Z ends every line with. A plain decimal of ≤ 15 digits is an exact integer m and an exact
 * power of ten 10^k, so m / 10^k is the correctly rounded double, the same one Number() returns.
 */

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
const SPACE = 32;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const ZERO = 48;

/**
 * Fills `values` (NaN = no reading) and `time` ([year, month, day, hour, minute, second] as written, not yet
 * checked as a date) and returns the offset of the timestamp's first byte, or -1 to decline the line (values and
 * time then partly written).
 */
export function readGpuzRow(
  b: Uint8Array,
  from: number,
  to: number,
  values: Float64Array,
  time: Int32Array,
): number {
  let at = from;
  while (at < to && b[at] === SPACE) at++;
  let i = readStampCell(b, at, to, time);
  if (i < 0) return -1;
  const n = values.length;
  for (let c = 0; c < n; c++) {
    while (i < to && b[i] === SPACE) i++;
    let value = Number.NaN;
    if (i < to && b[i] !== COMMA) {
      // Without a branch: code that runs only once a minus comes (late in a log) would leave V8's compiled loop.
      const minus = b[i] === MINUS ? 1 : 0;
      const sign = 1 - 2 * minus;
      i += minus;
      let mantissa = 0;
      let count = 0;
      let scale = 0;
      while (i < to) {
        const d = b[i]! - ZERO;
        if (d < 0 || d > 9) break;
        mantissa = mantissa * 10 + d;
        count++;
        i++;
      }
      if (count > 0 && b[i] === DOT) {
        i++;
        while (i < to) {
          const d = b[i]! - ZERO;
          if (d < 0 || d > 9) break;
          mantissa = mantissa * 10 + d;
          count++;
          scale++;
          i++;
        }
      }
      while (i < to && b[i] === SPACE) i++;
      if (i >= to || b[i] !== COMMA) return -1;
      if (count > 15) return -1;
      if (count > 0) {
        const v = scale === 0 ? mantissa : mantissa / POW10[scale]!;
        value = v === 0 ? 0 : v * sign;
      } // else a lone '-': no reading
    } else if (i >= to) return -1;
    values[c] = value;
    i++;
  }
  while (i < to && b[i] === SPACE) i++;
  if (i !== to) return -1;
  return at;
}

/**
 * A GPU-Z data row's timestamp and cell count only, its values left unread (the agent counts rows and keeps the
 * first and last time stamps of a batch; the values are the processor's): the offset of the timestamp's first byte,
 * or -1 to decline the line (the text path decides). Taken only where the text path would read a row with this
 * time stamp: a `YYYY-MM-DD HH:MM:SS` first cell (spaces around it) and exactly `cells` more cells, the last one
 * followed by the trailing comma and nothing but spaces.
 *
 *   readGpuzStamp(bytes('2024-04-11 14:43:15 , 1e3 ,  - ,'), 0, 31, 2, time) → 0, time = [2024, 4, 11, 14, 43, 15]
 *   readGpuzStamp(bytes('2024-04-11 14:43:15 , 1 ,'), 0, 25, 2, time)         → -1 (a cell short: the text path skips it)
 */
export function readGpuzStamp(
  b: Uint8Array,
  from: number,
  to: number,
  cells: number,
  time: Int32Array,
): number {
  let at = from;
  while (at < to && b[at] === SPACE) at++;
  let i = readStampCell(b, at, to, time);
  if (i < 0) return -1;
  // The timestamp cell's comma, one per value cell, nothing but spaces after the last: the text path's cell
  // count (its trailing empty cell dropped) is then exactly 1 + cells.
  // indexOf is memchr on a Buffer: ≈ 1.5× faster here than a byte loop over the padded cells.
  let commas = 0;
  let last = i - 1;
  for (let c = i - 1; c >= 0 && c < to; c = b.indexOf(COMMA, c + 1)) {
    if (++commas > cells + 1) return -1;
    last = c;
  }
  if (commas !== cells + 1) return -1;
  for (i = last + 1; i < to; i++) if (b[i] !== SPACE) return -1;
  return at;
}

/**
 * The `YYYY-MM-DD HH:MM:SS` cell at `at`, spaces after it, then its comma → the index past that comma, with the
 * fields in `time` (as written, not yet checked as a date); -1 when it is not one.
 */
function readStampCell(b: Uint8Array, at: number, to: number, time: Int32Array): number {
  if (at + 19 > to) return -1;
  const year = digits(b, at, 4);
  const month = digits(b, at + 5, 2);
  const day = digits(b, at + 8, 2);
  const hour = digits(b, at + 11, 2);
  const minute = digits(b, at + 14, 2);
  const second = digits(b, at + 17, 2);
  if ((year | month | day | hour | minute | second) < 0) return -1;
  if (b[at + 4] !== MINUS || b[at + 7] !== MINUS || b[at + 10] !== SPACE) return -1;
  if (b[at + 13] !== 58 || b[at + 16] !== 58) return -1;
  let i = at + 19;
  while (i < to && b[i] === SPACE) i++;
  if (b[i] !== COMMA) return -1;
  time[0] = year;
  time[1] = month;
  time[2] = day;
  time[3] = hour;
  time[4] = minute;
  time[5] = second;
  return i + 1;
}

/** `count` ASCII digits at `at` → their value; -1 when any is not a digit. */
function digits(b: Uint8Array, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const d = b[i]! - ZERO;
    if (d < 0 || d > 9) return -1;
    value = value * 10 + d;
  }
  return value;
}

/** The 19 timestamp bytes at `at` as text (RowEvent.local). */
export function localText(b: Uint8Array, at: number): string {
  return String.fromCharCode(
    b[at]!,
    b[at + 1]!,
    b[at + 2]!,
    b[at + 3]!,
    b[at + 4]!,
    b[at + 5]!,
    b[at + 6]!,
    b[at + 7]!,
    b[at + 8]!,
    b[at + 9]!,
    b[at + 10]!,
    b[at + 11]!,
    b[at + 12]!,
    b[at + 13]!,
    b[at + 14]!,
    b[at + 15]!,
    b[at + 16]!,
    b[at + 17]!,
    b[at + 18]!,
  );
}
