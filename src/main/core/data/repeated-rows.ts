import { createRollupBuilder } from '../../../shared/process/rollups';
import { rowIdentity } from '../../../shared/row-identity';
import { toBatchRollups } from './decode-processed';
import type { BatchRollups, BatchRows, Columns } from './types';

/**
 * A row of one host counts once, even when two objects carry it (a checkpoint restored from a backup makes the
 * agent cut a range again with other boundaries: belt and braces behind its own guarantee). A row is its time
 * stamp and its readings (shared/row-identity.ts): rows of a repeated DST hour or of a clock set back share a
 * time stamp with other rows, not their readings, and stay. Rows repeated inside one batch are GPU-Z's own
 * duplicate seconds and stay.
 *
 *   withoutRepeatedRows([{ t: [1, 2, 3], values: { a: [5, 6, 7] } }, { t: [3, 3, 4], values: { a: [7, 9, 8] } }])
 *   → [{ t: [1, 2, 3], … }, { t: [3, 4], values: { a: [9, 8] } }]
 *   overlappingRanges([{ first: 0, last: 10 }, { first: 11, last: 20 }, { first: 15, last: 30 }]) → Set { 1, 2 }
 *   rollupsOf({ t: [60_000, 61_000], values: { a: [1, 3] } }) → { t: [60_000], avg: { a: [2] }, count: { a: [2] }, … }
 */
export function withoutRepeatedRows(batches: BatchRows[]): BatchRows[] {
  // Only batches whose time ranges meet can carry one row: the others are kept as they are, without an identity
  // string for each of their rows (Sessions over two weeks built 1.2 M of them: 14 of its 18 s).
  const shared = overlappingRanges(batches.map(rangeOf));
  const owner = new Map<string, number>();
  return batches.map((batch, b) => {
    if (!shared.has(b)) return batch;
    const keep: number[] = [];
    const columns = Object.entries(batch.values);
    batch.t.forEach((t, i) => {
      const row = rowIdentity(
        t,
        columns.map(([key, column]) => [key, column[i] ?? null] as const),
      );
      const first = owner.get(row);
      if (first !== undefined && first !== b) return;
      owner.set(row, b);
      keep.push(i);
    });
    if (keep.length === batch.t.length) return batch;
    const values: Columns = {};
    for (const [key, column] of Object.entries(batch.values))
      values[key] = keep.map((i) => column[i] ?? null);
    return { t: keep.map((i) => batch.t[i]!), values };
  });
}

/** The first and last time stamps of rows in any order; an empty batch is { +∞, −∞ } and meets no other. */
export function rangeOf(rows: BatchRows): { first: number; last: number } {
  let first = Number.POSITIVE_INFINITY;
  let last = Number.NEGATIVE_INFINITY;
  for (const t of rows.t) {
    if (t < first) first = t;
    if (t > last) last = t;
  }
  return { first, last };
}

/** Indexes of the batches whose time range meets another's: only these can carry the same rows. */
export function overlappingRanges(ranges: { first: number; last: number }[]): Set<number> {
  return new Set(timeGroups(ranges).flatMap((group) => (group.length > 1 ? group : [])));
}

/**
 * Batches grouped by time: a group's ranges meet one another's (directly or through a third), groups do not meet,
 * and come in time order; inside a group the batches keep their order (the first one holds a row two carry).
 *
 *   timeGroups([{ first: 20, last: 30 }, { first: 0, last: 10 }, { first: 5, last: 12 }]) → [[1, 2], [0]]
 */
export function timeGroups(ranges: { first: number; last: number }[]): number[][] {
  const order = ranges.map((_, i) => i).sort((a, b) => ranges[a]!.first - ranges[b]!.first);
  const groups: number[][] = [];
  let reach = Number.NEGATIVE_INFINITY;
  for (const i of order) {
    const range = ranges[i]!;
    if (groups.length > 0 && range.first <= reach) groups.at(-1)!.push(i);
    else groups.push([i]);
    reach = Math.max(reach, range.last);
  }
  for (const group of groups) group.sort((a, b) => a - b);
  return groups;
}

/** 1-minute rollups of rows (the processor's own builder), for batches whose stored rollups would count twice. */
export function rollupsOf(rows: BatchRows): BatchRollups {
  const builder = createRollupBuilder();
  const keys = Object.keys(rows.values);
  rows.t.forEach((t, i) => {
    builder.addRow(
      keys,
      t,
      keys.map((key) => rows.values[key]![i] ?? null),
    );
  });
  return toBatchRollups(builder.result());
}
