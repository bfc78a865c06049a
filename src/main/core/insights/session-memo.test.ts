/**
 * The memo must list what one detector folding every group lists, whatever the reads before it were, and read only
 * the groups after the last checkpoint the reads share.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import type { BatchRows } from '../data/types';
import { CHECKPOINT_EVERY, createSessionMemo } from './session-memo';
import { optionsArb, pieces, rowsArb } from './session-rows.test-support';
import { createSessionDetector, detectSessions, SESSION_KEYS } from './sessions';

/** sessionRows' answer over pieces named as given; `read` records the first group each read asked for. */
function source(groups: BatchRows[], names: (string | null)[], read: number[]) {
  return {
    groups: names,
    pieces: async function* (first = 0) {
      read.push(first);
      yield* groups.slice(first);
    },
  };
}

const hours = (count: number) =>
  Array.from({ length: count }, (_, i): BatchRows => {
    const t = Array.from({ length: 360 }, (_, k) => 1_780_000_000_000 + i * 3_600_000 + k * 10_000);
    // Under load for the first half of each hour: a play session per hour; each hour a GPU-Z session (starts).
    const load = t.map((_, k) => (k < 180 ? 90 : 10));
    return { t, values: { [SESSION_KEYS.load]: load, [SESSION_KEYS.boardPower]: t.map((_, k) => 100 + k) } };
  });

describe('the session memo', () => {
  it('lists what folding every group lists, after any earlier read, and reads only from the last checkpoint both share', async () => {
    await fc.assert(
      fc.asyncProperty(
        rowsArb,
        fc.array(fc.nat(), { maxLength: 40 }),
        optionsArb,
        fc.array(fc.nat(), { maxLength: 3 }),
        // The earlier read: how many of the groups it had, one renamed (changed) and one unnamed, or not.
        fc.record({ had: fc.nat(), renamed: fc.option(fc.nat()), unnamed: fc.option(fc.nat()) }),
        async (rows, cuts, options, startPicks, earlier) => {
          const starts = startPicks.map((pick) => rows.t[pick % Math.max(1, rows.t.length)]!).filter(Boolean);
          const groups = pieces(rows, cuts);
          const names = groups.map((_, i) => `group ${i}`);
          const memo = createSessionMemo();
          const had = earlier.had % (groups.length + 1);
          const before = names
            .slice(0, had)
            .map((name, i) =>
              i === earlier.renamed ? `${name} (older version)` : i === earlier.unnamed ? null : name,
            );
          const reads: number[] = [];
          // The earlier read's own rows: the same groups (a renamed one's rows would differ: it is not resumed from).
          await memo.list('pc', { ...options, starts }, source(groups.slice(0, had), before, reads));
          const listed = await memo.list('pc', { ...options, starts }, source(groups, names, reads));
          expect(listed).toEqual(detectSessions(rows, { ...options, starts }));
          // Resumed at a checkpoint of the earlier read: a multiple of CHECKPOINT_EVERY or its last named group,
          // and never past a group it named otherwise or left unnamed.
          const first = reads[1]!;
          const shared = before.findIndex((name, i) => name !== names[i]);
          expect(first).toBeLessThanOrEqual(shared === -1 ? had : shared);
          if (first > 0)
            expect(first % CHECKPOINT_EVERY === 0 || first === (shared === -1 ? had : shared)).toBe(true);
        },
      ),
      { numRuns: 400 },
    );
  });

  it('a year listed again reads only the groups stored since its last checkpoint', async () => {
    const all = hours(200);
    const names = all.map((_, i) => `processed/pc/hour-${i} "etag-${i}"`);
    const memo = createSessionMemo();
    const reads: number[] = [];
    const starts = all.map((rows) => rows.t[0]!);
    const first = await memo.list('pc', { starts }, source(all.slice(0, 190), names.slice(0, 190), reads));
    expect(first).toHaveLength(190);
    expect(await memo.list('pc', { starts }, source(all.slice(0, 190), names.slice(0, 190), reads))).toEqual(
      first,
    );
    // Ten hours more, the last one's rows still pending (no name).
    const later = await memo.list('pc', { starts }, source(all, [...names.slice(0, 199), null], reads));
    expect(later).toEqual(detectSessions(mergeAll(all), { starts }));
    expect(later).toHaveLength(200);
    expect(later[0]!.plays).toHaveLength(1);
    // Then an object among the first day's re-cut (another ETag): from the start again; another scope: its own.
    const recut = names.map((name, i) => (i === 5 ? `${name} (re-cut)` : name));
    await memo.list('pc', { starts }, source(all, recut, reads));
    await memo.list('laptop', { starts }, source(all, names, reads));
    expect(reads).toEqual([0, 190, 190, 0, 0]);
  });

  it('a new process goes on from the checkpoints kept in the file, and lists the same', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gpuz-session-memo-'));
    try {
      await fc.assert(
        fc.asyncProperty(
          rowsArb,
          fc.array(fc.nat(), { maxLength: 60 }),
          optionsArb,
          fc.array(fc.nat(), { maxLength: 3 }),
          fc.nat(),
          async (rows, cuts, options, startPicks, had) => {
            const file = join(dir, 'sessions.json');
            await rm(file, { force: true });
            const starts = startPicks
              .map((pick) => rows.t[pick % Math.max(1, rows.t.length)]!)
              .filter(Boolean);
            const groups = pieces(rows, cuts);
            const names = groups.map((_, i) => `group ${i}`);
            const n = had % (groups.length + 1);
            const reads: number[] = [];
            const first = createSessionMemo({ file });
            await first.list(
              'pc',
              { ...options, starts },
              source(groups.slice(0, n), names.slice(0, n), reads),
            );
            await first.flush();
            const next = createSessionMemo({ file });
            const listed = await next.list('pc', { ...options, starts }, source(groups, names, reads));
            expect(listed).toEqual(detectSessions(rows, { ...options, starts }));
            // From the earlier read's last group (its newest checkpoint), if it folded any.
            expect(reads[1]).toBe(n);
            await next.flush();
          },
        ),
        { numRuns: 300 },
      );
      // A file cut short, or of another format: read from the start, the same sessions, and written anew.
      const all = hours(30);
      const names = all.map((_, i) => `hour ${i}`);
      const starts = all.map((rows) => rows.t[0]!);
      const file = join(dir, 'sessions.json');
      const expected = detectSessions(mergeAll(all), { starts });
      const reads: number[] = [];
      const seed = createSessionMemo({ file });
      await seed.list('pc', { starts }, source(all, names, reads));
      await seed.flush();
      await writeFile(file, (await readFile(file, 'utf8')).slice(0, 100));
      const afterCut = createSessionMemo({ file });
      expect(await afterCut.list('pc', { starts }, source(all, names, reads))).toEqual(expected);
      await afterCut.flush();
      const kept = JSON.parse(await readFile(file, 'utf8'));
      await writeFile(file, JSON.stringify({ ...kept, format: kept.format + 1 }));
      const otherFormat = createSessionMemo({ file });
      expect(await otherFormat.list('pc', { starts }, source(all, names, reads))).toEqual(expected);
      await otherFormat.flush();
      expect(await createSessionMemo({ file }).list('pc', { starts }, source(all, names, reads))).toEqual(
        expected,
      );
      expect(reads).toEqual([0, 0, 0, 30]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('writes the file when a read added checkpoints, not for rows not stored yet (read at every list)', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'gpuz-session-memo-'));
    try {
      const file = join(dir, 'sessions.json');
      const all = hours(30);
      const starts = all.map((rows) => rows.t[0]!);
      const names = [...all.slice(0, 29).map((_, i) => `hour ${i}`), null];
      const memo = createSessionMemo({ file });
      const reads: number[] = [];
      await memo.list('pc', { starts }, source(all, names, reads));
      await memo.flush();
      const written = await readFile(file, 'utf8');
      await writeFile(file, 'not rewritten');
      const listed = await memo.list('pc', { starts }, source(all, names, reads));
      await memo.flush();
      expect(listed).toEqual(detectSessions(mergeAll(all), { starts }));
      expect(reads).toEqual([0, 29]);
      expect(await readFile(file, 'utf8')).toBe('not rewritten');
      expect(JSON.parse(written).scopes[0].kept.map((k: { groups: number }) => k.groups)).toEqual([29, 24]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a checkpoint stays as it was while its detector folds on', () => {
    const [a, b, c] = hours(3);
    const detector = createSessionDetector({ playMinMs: 0 });
    detector.add(a!);
    const kept = detector.checkpoint();
    detector.add(b!);
    const resumed = createSessionDetector({ playMinMs: 0 }, kept);
    resumed.add(c!);
    detector.add(c!);
    expect(resumed.result()).toEqual(detectSessions(mergeAll([a!, c!]), { playMinMs: 0 }));
    expect(detector.result()).toEqual(detectSessions(mergeAll([a!, b!, c!]), { playMinMs: 0 }));
  });
});

function mergeAll(list: BatchRows[]): BatchRows {
  const keys = Object.keys(list[0]!.values);
  return {
    t: list.flatMap((rows) => rows.t),
    values: Object.fromEntries(keys.map((key) => [key, list.flatMap((rows) => rows.values[key]!)])),
  };
}
