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
  return new Table(width);
}

/**
 * A class, not a closure per table: V8 compiles `append` once for every table of the process (a closure's optimised
 * code is tied to its table, so each batch's table was compiled again), and its rollover to new chunks is a method
 * of its own.
 */
class Table implements ColumnTable {
  length = 0;
  readonly t: NumberColumn;
  readonly columns: readonly NumberColumn[];
  private readonly tChunks: Float64Array[] = [];
  private readonly valueChunks: Float64Array[][];
  // The chunk each column is filling, and the next free offset in them (CHUNK: all full).
  private tCurrent = new Float64Array(0);
  private current: Float64Array[] = [];
  private offset = CHUNK;

  constructor(private readonly width: number) {
    this.valueChunks = Array.from({ length: width }, () => []);
    const size = () => this.length;
    this.t = columnView(this.tChunks, size);
    this.columns = this.valueChunks.map((chunks) => columnView(chunks, size));
  }

  append(t: number, values: Float64Array): void {
    if (this.offset === CHUNK) this.grow();
    const offset = this.offset;
    const current = this.current;
    this.tCurrent[offset] = t;
    for (let i = 0; i < this.width; i += 1) current[i]![offset] = values[i]!;
    this.offset = offset + 1;
    this.length += 1;
  }

  private grow(): void {
    this.tCurrent = new Float64Array(CHUNK);
    this.tChunks.push(this.tCurrent);
    this.current = this.valueChunks.map((chunks) => {
      const chunk = new Float64Array(CHUNK);
      chunks.push(chunk);
      return chunk;
    });
    this.offset = 0;
  }
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
