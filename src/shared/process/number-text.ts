/**
 * Numbers written as JSON text straight into bytes: exactly the text `String(value)` gives (NaN → `null`), without
 * making a string per number. The processed document's columns are millions of numbers; building them as
 * strings and encoding those to UTF-8 for gzip was most of the encoder's time.
 *
 *   const out = new Uint8Array(64);
 *   writeNumber(out, 0, 1713610929000) → 13 (bytes '1713610929000')
 *   writeNumber(out, 0, -0.825)        → 6  ('-0.825')      writeNumber(out, 0, NaN) → 4 ('null')
 *
 * Fast path: an integer below 2^53, or a decimal with at most 6 fraction digits and 15 significant digits
 * (every reading a sensor log holds). Such a value v equals m / 10^k for an integer m, checked exactly (the
 * division is correctly rounded), and a decimal of ≤ 15 significant digits is the only one of its length that
 * reads back as v — so it is the shortest, which is what String() prints. Anything else (exponents, long
 * fractions) takes String() itself.
 */

/** The most bytes one number takes (String() of a double is at most 24 characters; `null` is 4). */
export const MAX_NUMBER_BYTES = 25;

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6];
const MAX_MANTISSA = 1e15;
const ZERO = 48;
const DIGITS = new Uint8Array(20);

/** Writes `value` at `at` (room for MAX_NUMBER_BYTES needed) and returns the offset after it. */
export function writeNumber(out: Uint8Array, at: number, value: number): number {
  // biome-ignore lint/suspicious/noSelfCompare: NaN = no reading
  if (value !== value) {
    out[at] = 110; // n
    out[at + 1] = 117; // u
    out[at + 2] = 108; // l
    out[at + 3] = 108; // l
    return at + 4;
  }
  let v = value;
  let i = at;
  if (v < 0) {
    out[i++] = 45; // -
    v = -v;
  }
  if (v < MAX_MANTISSA) {
    if (Math.floor(v) === v) return writeInteger(out, i, v);
    for (let k = 1; k < POW10.length; k += 1) {
      const m = Math.round(v * POW10[k]!);
      if (m < MAX_MANTISSA && m / POW10[k]! === v) return writeDecimal(out, i, m, k);
    }
  }
  return writeText(out, at, String(value));
}

/** A whole number below 10^15 → its digits. */
function writeInteger(out: Uint8Array, at: number, v: number): number {
  if (v < 4294967296) return writeUint32(out, at, v >>> 0);
  // Two halves that fit in 32 bits: the high part, then the low eight digits zero-padded.
  const high = Math.floor(v / 1e8);
  const low = v - high * 1e8;
  const i = writeUint32(out, at, high);
  let n = low >>> 0;
  for (let d = i + 7; d >= i; d -= 1) {
    out[d] = ZERO + (n % 10);
    n = (n / 10) >>> 0;
  }
  return i + 8;
}

function writeUint32(out: Uint8Array, at: number, value: number): number {
  let n = value;
  let count = 0;
  do {
    DIGITS[count++] = ZERO + (n % 10);
    n = (n / 10) >>> 0;
  } while (n > 0);
  for (let d = 0; d < count; d += 1) out[at + d] = DIGITS[count - 1 - d]!;
  return at + count;
}

/** m / 10^k (m a whole number, k ≥ 1) → `int.frac` without trailing zeros: (825, 3) → '0.825'. */
function writeDecimal(out: Uint8Array, at: number, mantissa: number, scale: number): number {
  let m = mantissa;
  let k = scale;
  while (k > 0 && m % 10 === 0) {
    m /= 10;
    k -= 1;
  }
  const whole = Math.floor(m / POW10[k]!);
  let i = writeInteger(out, at, whole);
  if (k === 0) return i;
  out[i++] = 46; // .
  let fraction = m - whole * POW10[k]!;
  for (let d = i + k - 1; d >= i; d -= 1) {
    out[d] = ZERO + (fraction % 10);
    fraction = Math.floor(fraction / 10);
  }
  return i + k;
}

function writeText(out: Uint8Array, at: number, text: string): number {
  for (let c = 0; c < text.length; c += 1) out[at + c] = text.charCodeAt(c);
  return at + text.length;
}
