/** Random rows in time order for the session detector's property tests, and cuts of them into pieces. */
import fc from 'fast-check';
import type { BatchRows } from '../data/types';
import { SESSION_KEYS } from './sessions';

// ─── rows in time order: steps of 0–40 s with now and then a pause of minutes; loads around the line

const reading = fc.option(
  fc.integer({ min: 0, max: 1000 }).map((n) => n / 10),
  { nil: null, freq: 8 },
);
export const rowsArb = fc
  .array(
    fc.record({
      step: fc.oneof(
        { weight: 12, arbitrary: fc.integer({ min: 0, max: 3 }) },
        { weight: 3, arbitrary: fc.integer({ min: 4, max: 45 }) },
        { weight: 1, arbitrary: fc.integer({ min: 200, max: 900 }) },
      ),
      load: fc.option(fc.constantFrom(0, 20, 49.9, 50, 75, 100), { nil: null, freq: 10 }),
      temperature: reading,
      hotSpot: reading,
      clock: reading,
      boardPower: reading,
      chipPower: reading,
    }),
    { maxLength: 300 },
  )
  .map((list) => {
    const rows: BatchRows = {
      t: [],
      values: Object.fromEntries(Object.values(SESSION_KEYS).map((key) => [key, []])),
    };
    let t = 1_780_000_000_000;
    for (const row of list) {
      t += row.step * 1000;
      rows.t.push(t);
      rows.values[SESSION_KEYS.load]!.push(row.load);
      rows.values[SESSION_KEYS.temperature]!.push(row.temperature);
      rows.values[SESSION_KEYS.hotSpot]!.push(row.hotSpot);
      rows.values[SESSION_KEYS.clock]!.push(row.clock);
      rows.values[SESSION_KEYS.boardPower]!.push(row.boardPower);
      rows.values[SESSION_KEYS.chipPower]!.push(row.chipPower);
    }
    return rows;
  });

export function pieces(rows: BatchRows, cuts: number[]): BatchRows[] {
  const at = [...new Set(cuts.map((c) => c % (rows.t.length + 1)))].sort((a, b) => a - b);
  const bounds = [0, ...at, rows.t.length];
  return bounds.slice(1).map((end, i) => ({
    t: rows.t.slice(bounds[i], end),
    values: Object.fromEntries(Object.entries(rows.values).map(([k, v]) => [k, v.slice(bounds[i], end)])),
  }));
}

export const optionsArb = fc.record({
  playMinMs: fc.constantFrom(0, 20_000, 120_000),
  playBridgeMs: fc.constantFrom(0, 10_000, 30_000),
  gapMs: fc.constantFrom(60_000, 300_000),
});
