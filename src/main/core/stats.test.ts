import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countersProblem, loadStats } from './stats';

/** stats.json in a fresh folder, loaded at `iso`: `reload()` loads the file again, `written()` parses it. */
async function freshStats(iso: string) {
  const dir = mkdtempSync(join(tmpdir(), 'gpuz-stats-'));
  const path = join(dir, 'stats.json');
  const now = () => new Date(iso);
  const { stats } = await loadStats(path, now);
  return {
    dir,
    stats,
    reload: async () => (await loadStats(path, now)).stats,
    written: () => JSON.parse(readFileSync(path, 'utf8')),
  };
}

describe('stats.save', () => {
  it('a burst of saves ends with the latest counters, and leaves no temporary file', async () => {
    // Prepare (overlapping writes landed in any order: 25 of 30 such bursts ended with older counters)
    const { dir, stats, written } = await freshStats('2026-12-03T08:00:00Z');

    for (let round = 1; round <= 5; round++) {
      // Act
      const saves: Promise<void>[] = [];
      for (let i = 1; i <= 20; i++) {
        stats.counters.rowsRead = round * 100 + i;
        saves.push(stats.save());
      }
      await Promise.all(saves);

      // Assess
      expect(written().rowsRead).toBe(round * 100 + 20);
    }
    expect(readdirSync(dir)).toEqual(['stats.json']);
    rmSync(dir, { recursive: true, force: true });
  });

  it('a save that cannot be written fails for every caller that joined it, and the next save is tried again', async () => {
    // Prepare: the counters' folder is a file, so every write fails
    const dir = mkdtempSync(join(tmpdir(), 'gpuz-stats-'));
    writeFileSync(join(dir, 'state'), 'not a folder');
    const { stats } = await loadStats(
      join(dir, 'state', 'stats.json'),
      () => new Date('2026-12-03T08:00:00Z'),
    );

    // Act
    const joined = await Promise.allSettled([stats.save(), stats.save(), stats.save()]);
    const later = await stats.save().then(
      () => 'written',
      (error: NodeJS.ErrnoException) => error.code,
    );

    // Assess: no caller hangs, and a failed write does not stop the ones after it
    expect(joined.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected']);
    expect(later).toMatch(/^E[A-Z]+$/); // EEXIST here: the folder cannot be made
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('batches counted while in the spool', () => {
  it('are saved with the counters, read back, dropped by keepOnly, and left out of the file when none', async () => {
    // Prepare
    const { dir, stats, reload, written } = await freshStats('2026-12-03T11:00:00Z');
    stats.counters.batchesUploaded = 2;
    stats.counted.add('ab12-0-10').add('ab12-10-20');

    // Act
    await stats.save();
    const again = await reload();
    again.keepOnly(['ab12-10-20', 'ab12-20-30']);

    // Assess
    expect(again.counters.batchesUploaded).toBe(2);
    expect(again.counters).not.toHaveProperty('countedInSpool');
    expect([...again.counted]).toEqual(['ab12-10-20']);
    again.counted.clear();
    await again.save();
    expect(written()).not.toHaveProperty('countedInSpool');
    rmSync(dir, { recursive: true, force: true });
  });

  it('a list that is not of batch ids makes the file damaged, said as such', () => {
    expect(countersProblem({ rowsRead: 1, countedInSpool: [3] })).toBe(
      'countedInSpool is not a list of batch ids',
    );
    expect(countersProblem({ rowsRead: 1, countedInSpool: ['ab12-0-10'] })).toBeNull();
  });
});

describe('the catch-up under way', () => {
  it('is saved with the counters as two numbers, read back apart from them, and left out when none', async () => {
    // Prepare
    const { dir, stats, reload, written } = await freshStats('2026-12-07T06:00:00Z');
    stats.counters.rawBytesUploaded = 8_388_608;
    stats.catchUp = { at: Date.UTC(2026, 11, 7, 5, 50), stored: 0 };

    // Act
    await stats.save();
    const file = written();
    const again = await reload();

    // Assess: numbers, so a build from before them reads the file as counters (an object would be "damaged")
    expect(file).toMatchObject({ catchUpSince: Date.UTC(2026, 11, 7, 5, 50), catchUpStoredBytes: 0 });
    expect(countersProblem(file)).toBeNull();
    expect(again.catchUp).toEqual({ at: Date.UTC(2026, 11, 7, 5, 50), stored: 0 });
    expect(again.counters).not.toHaveProperty('catchUpSince');
    again.catchUp = null;
    await again.save();
    expect(written()).not.toHaveProperty('catchUpSince');
    rmSync(dir, { recursive: true, force: true });
  });
});

describe('how far the log was read', () => {
  it('is saved with the counters as three numbers (the file id one of them), read back apart from them', async () => {
    // Prepare
    const { dir, stats, reload, written } = await freshStats('2026-12-07T11:00:00Z');
    stats.counters.rowsRead = 6_915_000;
    const at = { fileId: '015938d59699', offset: 4_702_200_680, check: 2 ** 48 - 1 };
    stats.reading = () => at;

    // Act
    await stats.save();
    const file = written();
    const again = await reload();

    // Assess: numbers, so a build from before them reads the file as counters; the id's leading zero kept
    expect(file).toMatchObject({ readToFile: 0x015938d59699, readToOffset: 4_702_200_680 });
    expect(countersProblem(file)).toBeNull();
    expect(again.readTo).toEqual(at);
    expect(again.counters).not.toHaveProperty('readToFile');
    // Nothing read in this run yet: the position loaded is saved again, not dropped
    await again.save();
    expect((await reload()).readTo).toEqual(at);
    rmSync(dir, { recursive: true, force: true });
  });
});
