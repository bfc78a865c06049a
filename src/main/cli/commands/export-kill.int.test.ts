import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asyncBufferFromFile, parquetMetadataAsync } from 'hyparquet';
import { writeSyntheticMonth } from '../../../../bench/support/synth-processed';
import { bundleCli, type CliBundle, collect, spawnCli } from '../../../test-support/cli-process';

/**
 * `gpuz-cloud export` killed with SIGKILL while it writes (a real process, three times at different moments),
 * then run to the end: every day is there once, complete, with every row; no temp file is left; the runs after
 * a kill skip the days already written.
 */
const DAYS = 6;

describe('gpuz-cloud export under kill -9', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpuz-export-kill-'));
  let cli: CliBundle;
  beforeAll(async () => {
    cli = await bundleCli();
    await writeSyntheticMonth({
      dir: join(dir, 'store'),
      host: 'pc',
      days: DAYS,
      end: Date.UTC(2026, 7, 31),
    });
  });
  afterAll(() => {
    cli.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  const out = join(dir, 'out');
  const state = join(out, '.gpuz-export.json');
  const args = ['export', '--local', join(dir, 'store'), '--out', out];
  const daysDone = () =>
    existsSync(state) ? Object.keys(JSON.parse(readFileSync(state, 'utf8')).days).length : 0;

  it('resumes after each kill and ends with every day once, complete', async () => {
    for (const afterDays of [1, 3, 4]) {
      // Act: kill once `afterDays` days are recorded, while the next day is being written.
      const child = spawnCli(cli, args);
      const result = collect(child, 120_000);
      while (daysDone() < afterDays && child.exitCode === null) await new Promise((r) => setTimeout(r, 20));
      child.kill('SIGKILL');
      expect((await result).signal).toBe('SIGKILL');
    }
    const last = await collect(spawnCli(cli, args), 120_000);
    // Assess
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
});
