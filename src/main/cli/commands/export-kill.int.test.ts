import { existsSync, mkdirSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet';
import { writeSyntheticMonth } from '../../../../bench/support/synth-processed';
import { useBundledCli } from '../../../test-support/bundled-cli';
import { collect, spawnCli } from '../../../test-support/cli-process';

/**
 * `gpuz-cloud export` killed with SIGKILL while it writes (a real process, three times at different moments),
 * then run to the end: every day is there once, complete, with every row; no temp file is left; the runs after
 * a kill skip the days already written. Ctrl+C stops it between documents and leaves nothing in the temp folder.
 */
const DAYS = 6;

describe('gpuz-cloud export under kill -9', () => {
  const { dir, cli } = useBundledCli('gpuz-export-kill-');
  beforeAll(async () => {
    await writeSyntheticMonth({
      dir: join(dir, 'store'),
      host: 'pc',
      days: DAYS,
      end: Date.UTC(2026, 7, 31),
    });
  });

  const out = join(dir, 'out');
  const state = join(out, '.gpuz-export.json');
  const args = ['export', '--local', join(dir, 'store'), '--out', out];
  // The exports' temp folder (TMPDIR), where they spill day rows: what a kill leaves there is seen.
  const temp = join(dir, 'tmp');
  mkdirSync(temp);
  const env = { TMPDIR: temp };
  const spillDirs = () => readdirSync(temp).filter((name) => name.startsWith('gpuz-export-'));
  const daysDone = () =>
    existsSync(state) ? Object.keys(JSON.parse(readFileSync(state, 'utf8')).days).length : 0;

  it('resumes after each kill and ends with every day once, complete', async () => {
    for (const afterDays of [1, 3, 4]) {
      // Act: kill once `afterDays` days are recorded, while the next day is being written.
      const child = spawnCli(cli, args, { env });
      const result = collect(child, 120_000);
      while (daysDone() < afterDays && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
      child.kill('SIGKILL');
      expect((await result).signal).toBe('SIGKILL');
    }
    const leftByKills = spillDirs().length;
    // A day file's temp copy that a kill left, found by a run 10 minutes later (a write in progress is younger).
    const dayFolder = join(out, 'host=pc', readdirSync(join(out, 'host=pc')).sort()[0]!);
    const cut = join(dayFolder, '.cut.parquet.0123abcd.tmp');
    writeFileSync(cut, 'PAR1');
    const before = new Date(Date.now() - 11 * 60_000);
    for (const file of readdirSync(out, { recursive: true })
      .map(String)
      .filter((f) => f.endsWith('.tmp')))
      utimesSync(join(out, file), before, before);
    const last = await collect(spawnCli(cli, args, { env }), 120_000);
    // Assess: before, each killed run left its spill folder (4–9 MB of rows each) and its temp copy for good.
    expect(leftByKills).toBe(1); // each run deletes the folders of the killed runs before it
    expect(spillDirs()).toEqual([]);
    expect(last.code).toBe(0);
    expect(last.stdout).toMatch(/days up to date; read \d+ batches, skipped [1-9]\d* unchanged/);
    const files = readdirSync(out, { recursive: true }).map(String);
    expect(files.filter((f) => f.includes('.tmp'))).toEqual([]);
    const parquet = files.filter((f) => f.endsWith('.parquet')).sort();
    expect(parquet).toHaveLength(DAYS);
    let rows = 0;
    for (const file of parquet)
      rows += Number((await parquetMetadataAsync(await asyncBufferFromFile(join(out, file)))).num_rows);
    expect(rows).toBe(DAYS * 86_400);
  });

  it('stops at Ctrl+C between documents: exit 130, the days written kept, its spill folder gone', async () => {
    // Arrange
    const outStopped = join(dir, 'out-stopped');
    const child = spawnCli(cli, ['export', '--local', join(dir, 'store'), '--out', outStopped], { env });
    const result = collect(child, 120_000);
    const spilling = () => spillDirs().some((name) => readdirSync(join(temp, name)).length > 1);
    while (!spilling() && child.exitCode === null) await new Promise((r) => setTimeout(r, 10));
    // Act
    child.kill('SIGINT');
    const stopped = await result;
    // Assess: before, Ctrl+C ended it at once and its spill folder stayed.
    expect(stopped.code, stopped.stderr).toBe(130);
    expect(stopped.stderr).toMatch(/stopped by SIGINT; the days written are kept/);
    expect(spillDirs()).toEqual([]);
  });
});
