/**
 * A growable column of numbers with gaps, in fixed-size Float64Array chunks (NaN = no reading).
 *
 *   const c = createNumberColumn(); c.push(2490); c.push(null); c.get(1) → null; c.length → 2
 *
 * Why chunks: a JS array of mixed numbers and nulls costs ~16–24 bytes per cell (boxed doubles), a
 * Float64Array 8, and growing by fixed chunks never copies, so a 100 MB log stays inside a 256 MB Lambda.
 */
export interface NumberColumn {
  readonly length: number;
  push(value: number | null): void;
  get(index: number): number | null;
  /** The filled part of every chunk, in order (NaN = no reading): the serialiser's fast path. */
  chunks(): Float64Array[];
}

const CHUNK = 16_384;

export function createNumberColumn(): NumberColumn {
  const chunks: Float64Array[] = [];
  let length = 0;
  const append = (value: number): void => {
    const offset = length % CHUNK;
    if (offset === 0) chunks.push(new Float64Array(CHUNK));
    chunks[chunks.length - 1]![offset] = value;
    length += 1;
  };
  return {
    get length() {
      return length;
    },
    push(value) {
      append(value === null ? Number.NaN : value);
    },
    chunks() {
      return chunks.map((chunk, i) =>
        i === chunks.length - 1 ? chunk.subarray(0, length - i * CHUNK) : chunk,
      );
    },
    get(index) {
      const value = chunks[Math.floor(index / CHUNK)]![index % CHUNK]!;
      return Number.isNaN(value) ? null : value;
    },
  };
}
