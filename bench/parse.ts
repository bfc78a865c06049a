/**
 * `npm run bench:parse`: `gpuz-cloud parse <log> --format summary` as a whole process (start-up included) vs
 * DuckDB (Python, from PyPI: read_csv + a cast of every column, all cores) and Python's csv module, on a 100 MB
 * GPU-Z log replaying the real bm1 sample (one second per row). Each contender is timed by bench/measure.py
 * (wall time, peak RSS), alternating, median of 3. Goal (issue 18): ≥ 1.2× DuckDB's speed within 100 MB peak RSS.
 *
 *   npx tsx bench/parse.ts            → a table, the ratios and the goal rows (bench/support/goal-table.mjs)
 *   npx tsx bench/parse.ts --mb 200   → a bigger file
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureVenv, venvBin } from '../scripts/python-venv.mjs';
import { synthesizeGpuzLog } from './parse-synth';
import { appendGoal, formatGoalTable, loadAverage } from './support/goal-table.mjs';
import { type Measured, measureAlternating, megabytes, seconds } from './support/measure';

const ZONE = 'Europe/Berlin';
const ROOT = join(import.meta.dirname, '..');
const VENV = process.env.GPUZ_BENCH_VENV ?? join(homedir(), '.cache', 'gpuz-cloud', 'bench-venv');

const mbArg = process.argv.indexOf('--mb');
const targetMb = mbArg > 0 ? Number(process.argv[mbArg + 1]) : 100;
const dir = mkdtempSync(join(tmpdir(), 'gpuz-bench-'));
try {
  const built = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`building the CLI failed: ${built.stderr}`);
  process.stdout.write(
    `Python baselines: venv ${ensureVenv({ dir: VENV, requirements: join(import.meta.dirname, 'requirements.txt') })} (${VENV})\n`,
  );

  const big = join(dir, 'big.txt');
  const quarter = join(dir, 'quarter.txt');
  await synthesizeGpuzLog(big, targetMb * 1e6, 'bm1');
  await synthesizeGpuzLog(quarter, (targetMb * 1e6) / 4, 'bm1');
  const cli = (file: string) => [
    process.execPath,
    join(ROOT, 'bin/gpuz-cloud.mjs'),
    'parse',
    file,
    '--format',
    'summary',
    '--tz',
    ZONE,
  ];
  const duckdbCommand = [venvBin(VENV, 'python'), join(import.meta.dirname, 'parse_duckdb.py'), big, ZONE];
  const pythonCommand = ['python3', join(import.meta.dirname, 'parse_baseline.py'), big, ZONE];
  const [ours, duckdb, python, oursQuarter] = measureAlternating([
    cli(big),
    duckdbCommand,
    pythonCommand,
    cli(quarter),
  ]) as [Measured, Measured, Measured, Measured];

  const rows = {
    ours: (JSON.parse(ours.stdout) as { rows: number }).rows,
    duckdb: (JSON.parse(duckdb.stdout) as { rows: number }).rows,
    python: (JSON.parse(python.stdout) as { rows: number }).rows,
  };
  if (rows.ours !== rows.duckdb || rows.ours !== rows.python) {
    throw new Error(`row counts differ: ours ${rows.ours}, DuckDB ${rows.duckdb}, Python csv ${rows.python}`);
  }
  const mb = statSync(big).size / 1e6;
  const line = (name: string, m: Measured, file = mb) =>
    `| ${name} | ${file.toFixed(1)} MB | ${seconds(m.seconds)} | ${(file / m.seconds).toFixed(1)} MB/s | ${megabytes(m.rssMb)} |`;
  console.log(
    `\n${rows.ours.toLocaleString('en-US')} rows; whole processes, alternating, median of 3; load average ${loadAverage()}\n`,
  );
  console.log('| contender | file | wall | speed | peak RSS |');
  console.log('| --- | --- | --- | --- | --- |');
  console.log(line('ours: gpuz-cloud parse --format summary', ours));
  console.log(line('ours, ¼ of the file', oursQuarter, statSync(quarter).size / 1e6));
  console.log(line('DuckDB (Python) read_csv + casts', duckdb));
  console.log(line('Python csv module', python));
  const vsDuckdb = duckdb.seconds / ours.seconds;
  console.log(
    `\nspeed ours / DuckDB ${vsDuckdb.toFixed(2)}×, ours / Python csv ${(python.seconds / ours.seconds).toFixed(2)}×`,
  );
  console.log(
    `peak RSS, 4× the file: ${megabytes(ours.rssMb)} vs ${megabytes(oursQuarter.rssMb)} (flat = streaming)\n`,
  );
  const goal = appendGoal({
    area: 'parse',
    work: `parse ${mb.toFixed(0)} MB log (bm1 replay), whole process`,
    ours: `${seconds(ours.seconds)}, ${megabytes(ours.rssMb)}`,
    baseline: `DuckDB ${seconds(duckdb.seconds)}, ${megabytes(duckdb.rssMb)}`,
    ratio: `${vsDuckdb.toFixed(2)}× speed`,
    goal: '≥ 1.2×, ≤ 100 MB',
    met: vsDuckdb >= 1.2 && ours.rssMb <= 100,
  });
  if (!process.env.BENCH_GOALS_FILE) process.stdout.write(formatGoalTable([goal]));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
