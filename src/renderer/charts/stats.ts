/** min / max / avg of the readings shown (nulls skipped): [3, null, 5] → { min: 3, max: 5, avg: 4, count: 2 }. */
export function statsOf(values: (number | null)[]): {
  min: number | null;
  max: number | null;
  avg: number | null;
  count: number;
} {
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  let count = 0;
  for (const value of values) {
    if (value === null) continue;
    min = Math.min(min, value);
    max = Math.max(max, value);
    sum += value;
    count += 1;
  }
  return count ? { min, max, avg: sum / count, count } : { min: null, max: null, avg: null, count: 0 };
}
