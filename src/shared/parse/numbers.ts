/**
 * One cell → a reading, or null for "no reading".
 *
 *   parseCell('        789.0   ') → 789    parseCell('   -   ') → null    parseCell('') → null
 *   parseCell('N/A') → null
 * Number() trims whitespace itself, so the hot path does no trim() or regex; only a result of 0 needs a
 * second look because Number('   ') is 0 too.
 */
export function parseCell(cell: string): number | null {
  const value = Number(cell);
  if (value === 0) return hasDigit(cell) ? 0 : null;
  // Number.isFinite is false for NaN ('-', 'N/A') and for 'Infinity', which no sensor writes.
  return Number.isFinite(value) ? value : null;
}

function hasDigit(cell: string): boolean {
  for (let i = 0; i < cell.length; i++) {
    const c = cell.charCodeAt(i);
    if (c >= 48 && c <= 57) return true;
  }
  return false;
}

/** Reads `count` decimal digits at `at`; -1 when any is not a digit. */
export function readDigits(text: string, at: number, count: number): number {
  let value = 0;
  for (let i = at; i < at + count; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    value = value * 10 + c;
  }
  return value;
}
