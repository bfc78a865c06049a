import { sensorColumnName } from '../../../shared/analytics/row-schema';
import { parseLog } from '../../../shared/parse';
import type { StoredSample } from './sample-store.test-support';

/**
 * Test-only: what an engine must read back, computed from the parser alone (not from our export code).
 *
 *   expectedRows(sample) → [{ host, date, t, local, cells: { gpu_clock_mhz: 1746.5, pstate: 'P0' } }, …]
 *   hottestMinutes(samples) → Map('host|date' → { best: 66.46, byMinute: Map(epoch ms → avg) })
 */
export interface ExpectedRow {
  host: string;
  date: string;
  t: number;
  local: string;
  cells: Record<string, number | string>;
}

export function expectedRows(sample: StoredSample): ExpectedRow[] {
  const parsed = parseLog(sample.bytes, { timeZone: sample.timeZone });
  const numericKeys = new Set(parsed.sessions.flatMap((s) => s.columns.map((c) => c.key)));
  return parsed.rows.map((row) => {
    const columns = parsed.sessions.find((s) => s.session === row.session)!.columns;
    const cells: Record<string, number | string> = {};
    columns.forEach((column, i) => {
      const value = row.values[i];
      if (value !== null && value !== undefined)
        cells[sensorColumnName(column.key, 'number', numericKeys)] = value;
    });
    for (const [key, text] of Object.entries(row.text ?? {})) {
      cells[sensorColumnName(key, 'text', numericKeys)] = text;
    }
    return { host: sample.host, date: row.local.slice(0, 10), t: row.t, local: row.local, cells };
  });
}

/** A row as one comparable string: time and every non-null sensor cell, keys sorted. */
export function rowSignature(t: number, cells: Record<string, unknown>): string {
  const sorted = Object.keys(cells)
    .sort()
    .map((key) => [key, cells[key]]);
  return JSON.stringify([t, sorted]);
}

export interface DayHottest {
  best: number;
  byMinute: Map<number, number>;
}

/** Per host and date (the log's clock): the average GPU temperature of every minute, and the highest of them. */
export function hottestMinutes(rows: ExpectedRow[]): Map<string, DayHottest> {
  const sums = new Map<string, Map<number, { sum: number; count: number }>>();
  for (const row of rows) {
    const temp = row.cells.gpu_temperature_c;
    if (typeof temp !== 'number') continue;
    const id = `${row.host}|${row.date}`;
    const minutes = sums.get(id) ?? new Map<number, { sum: number; count: number }>();
    const minute = Math.floor(row.t / 60_000) * 60_000;
    const acc = minutes.get(minute) ?? { sum: 0, count: 0 };
    acc.sum += temp;
    acc.count += 1;
    minutes.set(minute, acc);
    sums.set(id, minutes);
  }
  const out = new Map<string, DayHottest>();
  for (const [id, minutes] of sums) {
    const byMinute = new Map([...minutes].map(([minute, acc]) => [minute, acc.sum / acc.count]));
    out.set(id, { best: Math.max(...byMinute.values()), byMinute });
  }
  return out;
}

/**
 * Checks an engine's "hottest minute per day per host" answer against the parser's numbers: one row per
 * host and day, and each names a minute whose average is the day's highest (sums in another order may differ
 * in the last bits, so ties are judged to 1e-9) with the average rounded to 2 decimals.
 */
export function hottestMismatches(
  answer: { host: string; date: string; minute: string; temp_c: number }[],
  expected: Map<string, DayHottest>,
): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const row of answer) {
    const id = `${row.host}|${row.date.slice(0, 10)}`;
    seen.add(id);
    const day = expected.get(id);
    const avg = day?.byMinute.get(Date.parse(row.minute));
    if (!day || avg === undefined) problems.push(`${id}: unexpected minute ${row.minute}`);
    else if (Math.abs(avg - day.best) > 1e-9)
      problems.push(`${id}: ${row.minute} averages ${avg}, not ${day.best}`);
    else if (Math.abs(row.temp_c - Math.round(day.best * 100) / 100) > 0.0101) {
      problems.push(`${id}: temp_c ${row.temp_c}, expected ${day.best}`);
    }
  }
  for (const id of expected.keys()) if (!seen.has(id)) problems.push(`${id}: missing`);
  return problems;
}
