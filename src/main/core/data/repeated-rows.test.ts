import fc from 'fast-check';
import { rowIdentity } from '../../../shared/row-identity';
import { overlappingRanges, timeGroups, withoutRepeatedRows } from './repeated-rows';
import type { BatchRows } from './types';

/** The rule itself, row by row over every batch (what withoutRepeatedRows did before it skipped any). */
function everyRowChecked(batches: BatchRows[]): BatchRows[] {
  const owner = new Map<string, number>();
  return batches.map((batch, b) => {
    const keep = batch.t
      .map((t, i) => [t, i] as const)
      .filter(([t, i]) => {
        const row = rowIdentity(
          t,
          Object.entries(batch.values).map(([key, column]) => [key, column[i] ?? null] as const),
        );
        const first = owner.get(row);
        if (first !== undefined && first !== b) return false;
        owner.set(row, b);
        return true;
      })
      .map(([, i]) => i);
    return {
      t: keep.map((i) => batch.t[i]!),
      values: Object.fromEntries(
        Object.entries(batch.values).map(([key, column]) => [key, keep.map((i) => column[i] ?? null)]),
      ),
    };
  });
}

/** Batches of a few rows on a small clock, readings from a few values: repeats, overlaps and gaps all happen. */
const batchesArb = fc.array(
  fc
    .record({
      start: fc.integer({ min: 0, max: 60 }),
      steps: fc.array(fc.integer({ min: -2, max: 4 }), { maxLength: 12 }),
      readings: fc.array(fc.option(fc.constantFrom(1, 2), { nil: null }), { minLength: 12, maxLength: 12 }),
    })
    .map(({ start, steps, readings }): BatchRows => {
      const t: number[] = [];
      let at = start;
      for (const step of steps) {
        at += step;
        t.push(at * 1000);
      }
      return { t, values: { a: t.map((_, i) => readings[i] ?? null) } };
    }),
  { maxLength: 6 },
);

describe('withoutRepeatedRows', () => {
  it('gives what checking every row gives, for any batches (it checks only those whose times meet)', () => {
    fc.assert(
      fc.property(batchesArb, (batches) => {
        expect(withoutRepeatedRows(batches)).toEqual(everyRowChecked(batches));
      }),
      { numRuns: 2000 },
    );
  });

  it('hands back a batch whose times meet no other batch’s as it is, even with its own repeated seconds', () => {
    const alone: BatchRows = { t: [1, 1, 2], values: { a: [5, 5, 6] } };
    const a: BatchRows = { t: [10, 11], values: { a: [1, 2] } };
    const b: BatchRows = { t: [11, 12], values: { a: [2, 3] } };
    const [keptAlone, keptA, keptB] = withoutRepeatedRows([alone, a, b]);
    expect(keptAlone).toBe(alone);
    expect(keptA).toBe(a);
    expect(keptB).toEqual({ t: [12], values: { a: [3] } });
  });

  it('knows which batches meet: touching at one stamp counts, an empty batch meets none', () => {
    expect(
      overlappingRanges([
        { first: 0, last: 10 },
        { first: 10, last: 20 },
        { first: 30, last: 40 },
        { first: Number.POSITIVE_INFINITY, last: Number.NEGATIVE_INFINITY },
      ]),
    ).toEqual(new Set([0, 1]));
  });
});

describe('timeGroups', () => {
  it('groups batches whose times meet, directly or through another, in time order', () => {
    expect(
      timeGroups([
        { first: 20, last: 30 },
        { first: 0, last: 10 },
        { first: 5, last: 12 },
        { first: 12, last: 15 },
        { first: 40, last: 50 },
        { first: 30, last: 30 },
      ]),
    ).toEqual([[1, 2, 3], [0, 5], [4]]);
    expect(timeGroups([])).toEqual([]);
  });
});
