/**
 * Byte-level line helpers for the tailer and the batch builder (no decoding: GPU-Z writes the ANSI code page,
 * and a byte range must be cut exactly where the file has its line feeds).
 *
 *   isHeaderLine(Buffer.from('        Date        , GPU Clock [MHz] ,\r\n')) → true
 *   isHeaderLine(Buffer.from('2024-04-20 13:02:09 , 210.0 ,\r\n'))          → false
 *   headerToPrepend(Buffer.from('  Date , GPU Clock [MHz] ,\0\0\0…2024-04-11 14:43:15 , 99.8 ,\r\n'))
 *     → '  Date , GPU Clock [MHz] ,\r\n'  (the row GPU-Z glued after a NUL run stays in its own range only)
 *   damagedPrefixLength(Buffer.from('2026-08-06 19:10:0\0\0\0        Date        , GPU Clock [MHz] ,\r\n'))
 *     → 21  (a row cut by a power loss, NULs, then GPU-Z's next header: the header starts at byte 21)
 */
const LF = 0x0a;
const CR = 0x0d;
const LEADING_NOISE = new Set([0x00, 0x20, 0x09, 0xef, 0xbb, 0xbf, 0xfe, 0xff]);
/** GPU-Z and HWiNFO start their header with `Date`, nvidia-smi with `timestamp`. */
const HEADER_FIRST_CELLS = new Set(['date', 'timestamp']);

/** Index just past the last line feed in `buf` (0 when there is no complete line). */
export function completeLinesEnd(buf: Uint8Array): number {
  return buf.lastIndexOf(LF) + 1;
}

/** Calls `visit(start, end)` for each complete line of `buf` (end is just past its LF). */
export function forEachLine(buf: Buffer, visit: (start: number, end: number) => void): void {
  let start = 0;
  for (;;) {
    const lf = buf.indexOf(LF, start);
    if (lf < 0) return;
    visit(start, lf + 1);
    start = lf + 1;
  }
}

export function isHeaderLine(line: Uint8Array): boolean {
  let i = 0;
  while (i < line.length && LEADING_NOISE.has(line[i]!)) i++;
  const first = line[i];
  // Cheap rejection first: data rows start with a digit, headers with D/d/t/T.
  if (first !== 0x44 && first !== 0x64 && first !== 0x74 && first !== 0x54) return false;
  const comma = line.indexOf(0x2c, i);
  const cell = Buffer.from(line.subarray(i, comma < 0 ? Math.min(line.length, i + 32) : comma))
    .toString('latin1')
    .trim()
    .toLowerCase();
  return HEADER_FIRST_CELLS.has(cell);
}

/** True for a line with nothing but NULs, spaces and line breaks (no row, no header). */
export function isBlankLine(line: Uint8Array): boolean {
  for (const byte of line)
    if (byte !== 0 && byte !== 0x20 && byte !== 0x09 && byte !== CR && byte !== LF) return false;
  return true;
}

const GLUED_TIMESTAMP = /,\s*\d{4}-\d{2}-\d{2} \d/;

/** A header line with a data row glued after it (GPU-Z writing on after a truncation). */
export function hasGluedRow(line: Uint8Array): boolean {
  const text = Buffer.from(line).toString('latin1').replace(/\0+/g, ',');
  return GLUED_TIMESTAMP.test(text);
}

/** The header alone (no NUL run, no glued row), ending with the line's own line break. */
export function headerToPrepend(line: Uint8Array): Buffer {
  const eol = line.length >= 2 && line[line.length - 2] === CR ? '\r\n' : '\n';
  let text = Buffer.from(line)
    .toString('latin1')
    .replace(/[\r\n]+$/, '');
  // A NUL run before the header (a hole left by a power loss) is not part of it; one after it is GPU-Z's gap.
  text = text.replace(/^\0+/, '');
  const nul = text.indexOf('\0');
  if (nul >= 0) text = text.slice(0, nul);
  const glued = GLUED_TIMESTAMP.exec(text);
  if (glued) text = text.slice(0, glued.index + 1);
  return Buffer.from(text + eol, 'latin1');
}

const HEADER_WORDS = [Buffer.from('Date'), Buffer.from('timestamp')];

/**
 * The length of a damaged line's broken start, or 0 for an intact line. Damaged: a partial row (cut by a power
 * loss or a truncation) followed by a NUL run and/or the next header or row GPU-Z wrote after it. What follows the
 * damage is a line of its own; a line that is all damage (fragment, NULs, line break) is damaged whole.
 * UTF-16 text (every other byte 0) is never taken for NUL damage.
 */
export function damagedPrefixLength(line: Uint8Array): number {
  if (isHeaderLine(line) || isBlankLine(line)) return 0;
  const buf = Buffer.from(line.buffer, line.byteOffset, line.byteLength);
  const nul = buf.indexOf(0);
  if (nul > 0 && !isBlankLine(buf.subarray(0, nul)) && !looksUtf16(buf)) {
    let end = buf.lastIndexOf(0) + 1;
    while (end < buf.length && (buf[end] === 0x20 || buf[end] === 0x09)) end++;
    // Keep the spaces a GPU-Z header starts with: step back to them if a header follows.
    const rest = buf.subarray(end);
    if (isBlankLine(rest)) return buf.length;
    let start = end;
    while (start > 0 && buf[start - 1] === 0x20) start--;
    return isHeaderLine(buf.subarray(start)) ? start : end;
  }
  for (const word of HEADER_WORDS) {
    const at = buf.indexOf(word, 1);
    if (at < 0) continue;
    let start = at;
    while (start > 0 && (buf[start - 1] === 0x20 || buf[start - 1] === 0x09)) start--;
    if (start > 0 && isHeaderLine(buf.subarray(start)) && !isBlankLine(buf.subarray(0, start))) return start;
  }
  return 0;
}

/**
 * The wall-clock minute a data row was written at, from its first cells as written — GPU-Z `2024-04-20 13:02:09`,
 * nvidia-smi `2024/10/13 03:33:31.779`, HWiNFO `22.3.2025,21:36:49.335` — as minutes since 1970 of that wall time
 * read as UTC (no time zone: only differences count); null for a line without one (a header, a blank, a fragment).
 *
 *   rowWallMinutes(Buffer.from('2024-04-20 13:02:09 , 210.0 ,\r\n')) → 28_560_302 (2024-04-20 13:02)
 *   rowWallMinutes(Buffer.from('22.3.2025,21:36:49.335,13584,\n'))    → the minute of 2025-03-22 21:36
 *
 * Byte reads only (it runs for every line a backfill cuts): no decoding, no regular expression.
 */
export function rowWallMinutes(line: Uint8Array): number | null {
  let at = 0;
  while (at < line.length && LEADING_NOISE.has(line[at]!)) at++;
  const first = digitsAt(line, at);
  const separator = line[cursor];
  let year: number;
  let month: number;
  let day: number;
  if ((separator === 0x2d || separator === 0x2f) && cursor === at + 4) {
    // YYYY-MM-DD or YYYY/MM/DD, a space, then the time
    year = first;
    month = digitsAt(line, cursor + 1);
    if (line[cursor] !== separator) return null;
    day = digitsAt(line, cursor + 1);
    if (line[cursor] !== 0x20) return null;
  } else if (separator === 0x2e && first >= 0) {
    // D.M.YYYY, a comma, then the time (HWiNFO)
    day = first;
    month = digitsAt(line, cursor + 1);
    if (line[cursor] !== 0x2e) return null;
    year = digitsAt(line, cursor + 1);
    if (line[cursor] !== 0x2c) return null;
  } else return null;
  const hour = digitsAt(line, cursor + 1);
  if (line[cursor] !== 0x3a) return null;
  const minute = digitsAt(line, cursor + 1);
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > 31 || hour < 0 || hour > 23) return null;
  if (minute < 0 || minute > 59) return null;
  // Days since 1970-01-01 of the civil date (H. Hinnant's days_from_civil): integer arithmetic, no Date per row.
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  const days = era * 146_097 + dayOfEra - 719_468;
  return (days * 24 + hour) * 60 + minute;
}

/** Where the last digitsAt stopped: the byte after its digits. */
let cursor = 0;

/** The 1 to 4 ASCII digits at `at` → their value, -1 when `at` holds none; `cursor` is left past them. */
function digitsAt(line: Uint8Array, at: number): number {
  let value = 0;
  let i = at;
  for (; i < line.length && i < at + 4; i++) {
    const digit = line[i]! - 0x30;
    if (digit < 0 || digit > 9) break;
    value = value * 10 + digit;
  }
  cursor = i;
  return i === at ? -1 : value;
}

/**
 * False when no line of `bytes` can be damaged: it holds no NUL byte and no header word, the only things
 * damagedPrefixLength looks for. One search of a whole chunk each instead of three of every line (≈ 0.13 s of a
 * 100 MB backfill's main thread).
 *
 *   mayHoldDamage(Buffer.from('2024-04-20 13:02:09 , 210.0 ,\r\n'))            → false
 *   mayHoldDamage(Buffer.from('2026-08-06 19:10:0\0\0        Date   , …\r\n')) → true
 */
export function mayHoldDamage(bytes: Buffer): boolean {
  return bytes.indexOf(0) >= 0 || HEADER_WORDS.some((word) => bytes.includes(word));
}

function looksUtf16(line: Buffer): boolean {
  let even = 0;
  let odd = 0;
  for (let i = 0; i < line.length; i++) if (line[i] === 0) i % 2 === 0 ? even++ : odd++;
  const half = line.length / 2;
  return even >= half * 0.8 || odd >= half * 0.8;
}
