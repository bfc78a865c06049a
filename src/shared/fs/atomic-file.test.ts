import { mkdtempSync, readdirSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  RENAME_RETRY_MS,
  renameRetrying,
  STALE_TEMP_MS,
  sweepStaleTemps,
  writeFileAtomic,
} from './atomic-file';

/** A rename that fails with `code` the first `failures` times (another process holds the target), then moves. */
function heldFor(failures: number, code: string) {
  const calls: string[][] = [];
  return {
    calls,
    rename: async (from: string, to: string) => {
      calls.push([from, to]);
      if (calls.length <= failures)
        throw Object.assign(new Error(`${code}: operation not permitted, rename '${from}' -> '${to}'`), {
          code,
        });
    },
  };
}

describe('renameRetrying (Windows: a target held by a scanner, an indexer or a reader)', () => {
  it.each(['EPERM', 'EACCES', 'EBUSY'])(
    'win32, %s three times, then free: renamed on the 4th try',
    async (code) => {
      // Prepare
      const held = heldFor(3, code);
      const waits: number[] = [];

      // Act
      await renameRetrying('a.tmp', 'stats.json', {
        platform: 'win32',
        rename: held.rename,
        wait: async (ms) => waits.push(ms),
      });

      // Assess
      expect(held.calls).toHaveLength(4);
      expect(waits).toEqual([10, 20, 30]);
    },
  );

  it('win32, held for good: gives up after RENAME_RETRY_MS of waiting with the last error', async () => {
    // Prepare
    const held = heldFor(Number.POSITIVE_INFINITY, 'EPERM');
    const waits: number[] = [];

    // Act
    const done = renameRetrying('a.tmp', 'stats.json', {
      platform: 'win32',
      rename: held.rename,
      wait: async (ms) => waits.push(ms),
    });

    // Assess
    await expect(done).rejects.toMatchObject({ code: 'EPERM' });
    const total = waits.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(RENAME_RETRY_MS);
    expect(total).toBeLessThan(RENAME_RETRY_MS + 100);
    expect(Math.max(...waits)).toBe(100);
  });

  it.each([
    ['linux', 'EPERM'],
    ['win32', 'ENOENT'],
    ['win32', 'EXDEV'],
  ] as const)(
    '%s, %s: thrown at once (a real problem, not a moment of contention)',
    async (platform, code) => {
      // Prepare
      const held = heldFor(1, code);

      // Act
      const done = renameRetrying('a.tmp', 'stats.json', {
        platform,
        rename: held.rename,
        wait: async () => 0,
      });

      // Assess
      await expect(done).rejects.toMatchObject({ code });
      expect(held.calls).toHaveLength(1);
    },
  );
});

describe('writeFileAtomic', () => {
  it('replaces the file and leaves no temp file beside it', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    const path = join(dir, 'stats.json');
    await writeFileAtomic(path, '{"a":1}\n');

    // Act
    await writeFileAtomic(path, '{"a":2}\n');

    // Assess
    expect(readFileSync(path, 'utf8')).toBe('{"a":2}\n');
    expect(readdirSync(dir)).toEqual(['stats.json']);
    rmSync(dir, { recursive: true });
  });
});

describe('sweepStaleTemps (writes cut by a kill or a power cut)', () => {
  it('deletes only writeFileAtomic temp files older than the limit', async () => {
    // Prepare: a temp copy left by a killed write an hour ago, one of a write in progress, and files that are not ours
    const dir = mkdtempSync(join(tmpdir(), 'atomic-'));
    const old = (Date.now() - 60 * 60_000) / 1000;
    const files = {
      stale: '.checkpoint.json.9f8e7d6c.tmp',
      writing: '.stats.json.0a1b2c3d.tmp',
      notOurs: '.notes.tmp',
      real: 'checkpoint.json',
    };
    for (const name of Object.values(files)) writeFileSync(join(dir, name), '{}');
    for (const name of [files.stale, files.notOurs, files.real]) utimesSync(join(dir, name), old, old);

    // Act
    const swept = await sweepStaleTemps(dir);

    // Assess
    expect(swept).toEqual([join(dir, files.stale)]);
    expect(readdirSync(dir).sort()).toEqual([files.writing, files.notOurs, files.real].sort());
    expect(STALE_TEMP_MS).toBeGreaterThanOrEqual(60_000); // far above a write's life (the rename retries ≤ 5 s)
    expect(await sweepStaleTemps(join(dir, 'missing'))).toEqual([]);
    rmSync(dir, { recursive: true });
  });
});
