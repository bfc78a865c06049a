import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLES_DIR } from '../../../test-support/services';
import { type ParseCommandOptions, runParse } from './parse';

async function run(file: string, options: ParseCommandOptions) {
  let out = '';
  let err = '';
  const code = await runParse(file, options, {
    write: async (text) => {
      out += text;
    },
    error: (text) => {
      err += text;
    },
  });
  return { code, out, err };
}

describe('gpuz-cloud parse', () => {
  it('prints the summary of a multi-session log', async () => {
    const { code, out, err } = await run(
      join(SAMPLES_DIR, 'gpuz/nvidia-gpuz-2016-old-names-lf-3-sessions.txt'),
      {
        format: 'summary',
        tz: 'UTC',
      },
    );
    expect([code, err]).toEqual([0, '']);
    const summary = JSON.parse(out);
    expect(summary).toMatchObject({
      format: 'gpuz',
      encoding: 'windows-1252',
      sessions: 3,
      rows: 4271,
      skippedLines: 0,
      firstTimestamp: '2016-01-09 15:10:13',
      lastTimestamp: '2016-01-12 13:12:30',
      warnings: [],
    });
    expect(summary.columns[0]).toEqual({ name: 'GPU Core Clock', unit: 'MHz', key: 'gpu_clock_mhz' });
    expect(summary.columns).toHaveLength(11);
  });

  it('prints one ndjson object per row with UTC time and values by key', async () => {
    const { code, out } = await run(join(SAMPLES_DIR, 'gpuz/intel-igpu-gpuz-2017-old-names-tiny-lf.txt'), {
      format: 'ndjson',
      tz: 'Europe/Berlin',
    });
    expect(code).toBe(0);
    const lines = out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    expect(lines[0]).toEqual({
      t: '2017-06-17T13:37:57.000Z',
      session: 0,
      values: {
        gpu_clock_mhz: 300,
        memory_clock_mhz: 933.3,
        gpu_temperature_c: 50,
        board_power_draw_w: 0,
        gpu_load_pct: 0,
        memory_used_mb: 213,
      },
    });
  });

  it('counts rows without a header as skipped and warns instead of failing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpuz-parse-'));
    const file = join(dir, 'tail.txt');
    writeFileSync(file, '2024-01-01 00:00:00 , 1 ,\r\n2024-01-01 00:00:01 , 2 ,\r\n');
    const { code, out } = await run(file, { format: 'summary', tz: 'UTC' });
    expect(code).toBe(0);
    expect(JSON.parse(out)).toMatchObject({
      rows: 0,
      skippedLines: 2,
      sessions: 0,
      warnings: [{ code: 'NO_HEADER' }],
    });
  });

  it('exits 2 with one line for a missing file, an unknown format and a bad zone', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gpuz-parse-'));
    const other = join(dir, 'other.csv');
    writeFileSync(other, 'name,age\nbob,3\n');
    for (const [file, tz, pattern] of [
      [join(dir, 'missing.txt'), 'UTC', /Cannot read/],
      [other, 'UTC', /not a log format/],
      [other, 'Mars/Base', /not a time zone/],
    ] as const) {
      const { code, out, err } = await run(file, { format: 'summary', tz });
      expect([code, out]).toEqual([2, '']);
      expect(err).toMatch(pattern);
      expect(err.trim().split('\n')).toHaveLength(1);
    }
  });

  it('sets the process exit code through the real CLI entry', () => {
    const result = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/main/cli/index.ts', 'parse', join(SAMPLES_DIR, 'MANIFEST.md')],
      { encoding: 'utf8' },
    );
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(/UNKNOWN|not a log format/);
    expect(result.stdout).toBe('');
  });
});
