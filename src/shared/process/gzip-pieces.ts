import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import { MAX_NUMBER_BYTES, writeNumber } from './number-text';

/**
 * A gzip stream fed in 256 KiB pieces of bytes: JSON text (UTF-8) and numeric arrays written straight into the
 * piece (number-text.ts), so a column of numbers never becomes strings. Memory: one piece plus the compressed
 * output.
 *
 *   const out = createGzipPieces(6);
 *   await out.text('{"t":'); await out.numbers([Float64Array.of(1, NaN, 2.5)]); await out.text('}');
 *   await out.end() → gzip bytes of '{"t":[1,null,2.5]}'
 */
export interface GzipPieces {
  text(text: string): Promise<void>;
  /** `[v,v,…]` of the chunks' values in order (NaN → null). */
  numbers(chunks: readonly Float64Array[]): Promise<void>;
  end(): Promise<Uint8Array>;
}

const PIECE_BYTES = 256 * 1024;
const COMMA = 44;

export function createGzipPieces(level: number): GzipPieces {
  const gzip = createGzip({ level });
  const out: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => out.push(chunk));
  const finished = once(gzip, 'end');
  let piece = Buffer.allocUnsafe(PIECE_BYTES);
  let at = 0;

  /** Hands the filled part to gzip (which keeps it until compressed, so the next piece is a new buffer). */
  async function flush(): Promise<void> {
    if (at === 0) return;
    const full = piece.subarray(0, at);
    piece = Buffer.allocUnsafe(PIECE_BYTES);
    at = 0;
    if (!gzip.write(full)) await once(gzip, 'drain');
  }

  return {
    async text(text) {
      // UTF-8 takes at most 3 bytes per UTF-16 unit.
      if (at + text.length * 3 > PIECE_BYTES) await flush();
      if (text.length * 3 > PIECE_BYTES) {
        if (!gzip.write(text)) await once(gzip, 'drain');
        return;
      }
      at += piece.write(text, at, 'utf8');
    },
    async numbers(chunks) {
      await this.text('[');
      let first = true;
      for (const chunk of chunks) {
        let i = 0;
        while (i < chunk.length) {
          const next = fill(piece, at, chunk, i, first);
          at = filledTo;
          if (next > i) first = false;
          i = next;
          if (i < chunk.length) await flush();
        }
      }
      await this.text(']');
    },
    async end() {
      gzip.end(piece.subarray(0, at));
      await finished;
      return Buffer.concat(out);
    },
  };
}

/** Where the last fill() stopped writing in its piece. */
let filledTo = 0;

/**
 * Writes values from `from` into `piece` at `at` until it is full; returns the index of the first value not written
 * (and sets filledTo). A value equal to the one before (most sensor readings: 61 % of the 24 h replay's) copies its
 * bytes. Module-level and touching no object: V8 keeps one optimised copy of it for every document of the process
 * (a closure per document was compiled again for each), and a property written after its loop deoptimised it at
 * the end of every call in 3 of 4 cold runs (106–223 times per 24 h document).
 */
function fill(piece: Buffer, at: number, values: Float64Array, from: number, first: boolean): number {
  const last = PIECE_BYTES - MAX_NUMBER_BYTES - 1;
  let i = from;
  let pos = at;
  let comma = !first;
  let previous = Number.NaN;
  let previousAt = 0;
  let previousLength = 0;
  while (i < values.length && pos <= last) {
    if (comma) piece[pos++] = COMMA;
    comma = true;
    const value = values[i++]!;
    if (value === previous) {
      for (let k = 0; k < previousLength; k += 1) piece[pos + k] = piece[previousAt + k]!;
      pos += previousLength;
    } else {
      previousAt = pos;
      pos = writeNumber(piece, pos, value);
      previous = value;
      previousLength = pos - previousAt;
    }
  }
  filledTo = pos;
  return i;
}

// Feedback priming: before any document, `fill` runs over every kind of value a document holds (13-digit times, small
// and large integers, decimals, a negative, no reading, equal neighbours), 10 times (V8 records feedback from a
// function's 9th call on). Without it the first column (the times: distinct integers) decides what V8's optimised
// `fill` and writeNumber expect, and each later kind of value deoptimises them (4 recompiles per cold process).
const PRIMER = Float64Array.of(
  1713610929000,
  1713610930000,
  7469,
  7469,
  63.5,
  63.5,
  0.962,
  -0.825,
  Number.NaN,
  0,
  1e21,
);
for (let n = 0; n < 10; n++) fill(Buffer.allocUnsafe(1024), 0, PRIMER, 0, n === 0);
