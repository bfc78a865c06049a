/**
 * Figures of a real sample read straight from the log, in UTC (as `upload --tz UTC` stores it), for tests that
 * check what a view or a method shows:
 *   sampleFigures(BM1, 'gpu_temperature_c') → { max: 83, first: 1786035293000, last: 1786036476000 }
 * Each GPU-Z session is read with its own columns (a log may change its sensor set).
 */
import { readFileSync } from 'node:fs';
import { parseLog } from '../shared/parse/parse-log';

export function sampleFigures(path: string, key: string): { max: number; first: number; last: number } {
  const log = parseLog(readFileSync(path), { timeZone: 'UTC' });
  let max = Number.NEGATIVE_INFINITY;
  for (const row of log.rows) {
    const index = log.sessions[row.session]!.columns.findIndex((c) => c.key === key);
    const value = index >= 0 ? row.values[index] : null;
    if (typeof value === 'number' && value > max) max = value;
  }
  const times = log.rows.map((r) => r.t);
  return { max, first: Math.min(...times), last: Math.max(...times) };
}
