/**
 * A real sample log → the columnar rows and header times the session and alert code take (test support):
 *   const { rows, starts, columns, events } = sampleRows('gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt')
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseLog } from '../../../shared/parse/parse-log';
import type { Column } from '../../../shared/parse/types';
import { SAMPLES_DIR } from '../../../test-support/services';
import type { BatchRows } from '../data/types';

export function sampleRows(file: string) {
  const parsed = parseLog(readFileSync(join(SAMPLES_DIR, file)), { timeZone: 'UTC' });
  const keys = [...new Set(parsed.sessions.flatMap((s) => s.columns.map((c) => c.key)))];
  const rows: BatchRows = { t: [], values: Object.fromEntries(keys.map((k) => [k, []])) };
  const starts: number[] = [];
  let session = -1;
  for (const row of parsed.rows) {
    const columns = parsed.sessions.find((s) => s.session === row.session)!.columns;
    if (row.session !== session) starts.push(row.t);
    session = row.session;
    rows.t.push(row.t);
    for (const key of keys) {
      const index = columns.findIndex((c) => c.key === key);
      rows.values[key]!.push(index < 0 ? null : (row.values[index] ?? null));
    }
  }
  const columns: Column[] = parsed.sessions[0]!.columns;
  return { rows, starts, columns, events: parsed.rows };
}
