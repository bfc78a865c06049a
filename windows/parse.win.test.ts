/**
 * `gpuz-cloud parse` as a Windows program: node.exe under Wine reads every shared sample (through Z:\…) and prints
 * the same bytes as the Linux run of the same built CLI: one JSON line per row (`--format ndjson`; the summary is
 * computed from the same rows, and each call costs ~2 s under Wine, so it is not run twice).
 */
import { execFile } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { SAMPLES_DIR } from '../src/test-support/services';
import { REPO_ROOT } from './support/requirements.mjs';
import { skipNote, useWine, WINE_SKIP } from './support/suite';

const SAMPLES = readdirSync(SAMPLES_DIR, { recursive: true, withFileTypes: true })
  .filter((entry) => entry.isFile() && !entry.name.startsWith('.') && entry.name !== 'MANIFEST.md')
  .map((entry) => join(entry.parentPath, entry.name).slice(SAMPLES_DIR.length))
  .sort();

const ARGS = ['--format', 'ndjson', '--tz', 'Europe/Berlin'];

async function parseOnLinux(file: string) {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['bin/gpuz-cloud.mjs', 'parse', file, ...ARGS],
    { cwd: REPO_ROOT, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 },
  );
  return stdout;
}

describe.skipIf(WINE_SKIP !== null)(`parse under Wine with node.exe${skipNote()}`, () => {
  const wine = useWine();

  it('finds the shared samples', () => {
    expect(SAMPLES.length).toBeGreaterThanOrEqual(17);
  });

  it.each(SAMPLES)('%s: every row byte for byte as on Linux', async (relative) => {
    // Prepare
    const file = join(SAMPLES_DIR, relative);

    // Act
    const [windows, linux] = await Promise.all([
      wine().node(['bin/gpuz-cloud.mjs', 'parse', wine().toWindows(file), ...ARGS], 'parse'),
      parseOnLinux(file),
    ]);

    // Assess
    expect([windows.code, windows.stderr]).toEqual([0, '']);
    expect(windows.stdout.length).toBe(linux.length);
    expect(windows.stdout.equals(linux)).toBe(true);
  });
});
