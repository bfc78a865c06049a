/**
 * `npm run bench:backfill`: a one-time upload of a 100 MB GPU-Z log (the real bm1 sample replayed, one second per
 * row) to a local store — `gpuz-cloud upload --file big.txt --local dir` as a whole process: read, cut into
 * batches, gzip, spool, store, and the local processing a local store gets — against `gzip -6` of the same file.
 * Alternating, median of 3 (bench/measure.py: wall time, peak RSS). Goal (issue 18): ≥ 1.0× gzip's speed,
 * peak RSS ≤ 128 MB.
 *
 *   npx tsx bench/backfill.ts
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeGpuzLog } from './parse-synth';
import { appendGoal, formatGoalTable, loadAverage } from './support/goal-table.mjs';
import { measure, megabytes, seconds } from './support/measure';

const ROOT = join(import.meta.dirname, '..');
const dir = mkdtempSync(join(tmpdir(), 'gpuz-bench-backfill-'));
try {
  const built = spawnSync(process.execPath, ['scripts/build-cli.mjs'], { cwd: ROOT, encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`building the CLI failed: ${built.stderr}`);
  const log = join(dir, 'big.txt');
  await synthesizeGpuzLog(log, 100e6, 'bm1');
  const mb = statSync(log).size / 1e6;
  const ours: ReturnType<typeof measure>[] = [];
  const gzip: ReturnType<typeof measure>[] = [];
  for (let round = 0; round < 3; round++) {
    // A fresh store and state folder each round: every run is a first, whole backfill.
    const store = join(dir, `store-${round}`);
    const state = join(dir, `state-${round}`);
    mkdirSync(state);
    ours.push(
      measure([
        process.execPath,
        join(ROOT, 'bin/gpuz-cloud.mjs'),
        'upload',
        '--file',
        log,
        '--local',
        store,
        '--state-dir',
        state,
        '--host',
        'bench',
        '--tz',
        'Europe/Berlin',
      ]),
    );
    gzip.push(measure(['sh', '-c', `gzip -6 -c '${log}' > '${join(dir, 'out.gz')}'`]));
    rmSync(store, { recursive: true, force: true });
  }
  const median = (runs: ReturnType<typeof measure>[]) => [...runs].sort((a, b) => a.seconds - b.seconds)[1]!;
  const o = { ...median(ours), rssMb: Math.max(...ours.map((r) => r.rssMb)) };
  const g = median(gzip);
  console.log(`\nwhole processes, alternating, median of 3; load average ${loadAverage()}\n`);
  console.log('| contender | file | wall | speed | peak RSS |');
  console.log('| --- | --- | --- | --- | --- |');
  console.log(
    `| upload --file --local (backfill) | ${mb.toFixed(1)} MB | ${seconds(o.seconds)} | ${(mb / o.seconds).toFixed(1)} MB/s | ${megabytes(o.rssMb)} |`,
  );
  console.log(
    `| gzip -6 | ${mb.toFixed(1)} MB | ${seconds(g.seconds)} | ${(mb / g.seconds).toFixed(1)} MB/s | ${megabytes(g.rssMb)} |`,
  );
  console.log(`\n${o.stdout.trim()}`);
  const ratio = g.seconds / o.seconds;
  const goal = appendGoal({
    area: 'backfill',
    work: `backfill ${mb.toFixed(0)} MB log to a local store (upload --file --local), whole process`,
    ours: `${seconds(o.seconds)}, ${megabytes(o.rssMb)}`,
    baseline: `gzip -6 ${seconds(g.seconds)}`,
    ratio: `${ratio.toFixed(2)}× speed`,
    goal: '≥ 1.0×, ≤ 128 MB',
    met: ratio >= 1 && o.rssMb <= 128,
  });
  if (!process.env.BENCH_GOALS_FILE) process.stdout.write(formatGoalTable([goal]));
} finally {
  rmSync(dir, { recursive: true, force: true });
}
