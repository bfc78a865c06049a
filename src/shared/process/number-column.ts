/**
 * Growable columns of numbers with gaps, in fixed-size Float64Array chunks (NaN = no reading).
 *
 *   const c = createNumberColumn(); c.push(2490); c.push(null); c.get(1) → null; c.length → 2
 *   const table = createColumnTable(2); table.append(1713610929000, Float64Array.of(2490, NaN))
 *     → table.t.get(0) → 1713610929000, table.columns[1].get(0) → null
 *
 * Why chunks: a JS array of mixed numbers and nulls costs ~16–24 bytes per cell (boxed doubles), a
 * Float64Array 8, and growing by fixed chunks never copies, so a 100 MB log stays inside a 256 MB Lambda.
 * A table is one session's time column and value columns growing in lock-step: a row is one call that writes
 * each number straight into its column's chunk (the processor's hot path; no call or boxed number per cell).
 */
export interface NumberColumn {
  readonly length: number;
  get(index: number): number | null;
  /** The filled part of every chunk, in order (NaN = no reading): the serialiser's fast path. */
  chunks(): Float64Array[];
}

export interface GrowableNumberColumn extends NumberColumn {
  push(value: number | null): void;
}

export interface ColumnTable {
  readonly length: number;
  readonly t: NumberColumn;
  readonly columns: readonly NumberColumn[];
  /** One row: its time and `values[i]` for column i (NaN = no reading; only the first `columns.length` read). */
  append(t: number, values: Float64Array): void;
}

const CHUNK = 16_384;

export function createNumberColumn(): GrowableNumberColumn {
  const chunks: Float64Array[] = [];
  let length = 0;
  return {
    ...columnView(chunks, () => length),
    get length() {
      return length;
    },
    push(value) {
      const offset = length % CHUNK;
      if (offset === 0) chunks.push(new Float64Array(CHUNK));
      chunks[chunks.length - 1]![offset] = value === null ? Number.NaN : value;
      length += 1;
    },
  };
}

export function createColumnTable(width: number): ColumnTable {
  const tChunks: Float64Array[] = [];
  const valueChunks: Float64Array[][] = Array.from({ length: width }, () => []);
  // The chunk each column is filling, and the next free offset in them (CHUNK: all full).
  let tCurrent = new Float64Array(0);
  let current: Float64Array[] = [];
  let offset = CHUNK;
  let length = 0;
  const size = () => length;
  return {
    get length() {
      return length;
    },
    t: columnView(tChunks, size),
    columns: valueChunks.map((chunks) => columnView(chunks, size)),
    append(t, values) {
      if (offset === CHUNK) {
        tCurrent = new Float64Array(CHUNK);
        tChunks.push(tCurrent);
        current = valueChunks.map((chunks) => {
          const chunk = new Float64Array(CHUNK);
          chunks.push(chunk);
          return chunk;
        });
        offset = 0;
      }
      tCurrent[offset] = t;
      for (let i = 0; i < width; i += 1) current[i]![offset] = values[i]!;
      offset += 1;
      length += 1;
    },
  };
}

/** Read access to chunks filled up to `length()`. */
function columnView(chunks: Float64Array[], length: () => number): NumberColumn {
  return {
    get length() {
      return length();
    },
    chunks() {
      const n = length();
      return chunks.map((chunk, i) => (i === chunks.length - 1 ? chunk.subarray(0, n - i * CHUNK) : chunk));
    },
    get(index) {
      const value = chunks[Math.floor(index / CHUNK)]![index % CHUNK]!;
      return Number.isNaN(value) ? null : value;
    },
  };
}
