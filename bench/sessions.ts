import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { appendGoal, formatGoalTable, loadAverage } from './support/goal-table.mjs';
import { type Measured, measure, median, numberArg } from './support/measure';
import { writeSyntheticMonth } from './support/synth-processed';
import { buildChildAt, bundleChild } from './support/tree-at';

const days = numberArg('days', 30);
const rounds = numberArg('rounds', 3);
const host = 'bench-pc';
/** The commit before the detector took rows piece by piece (and before rows of objects whose times do not meet
 * were no longer given an identity each): the baseline, built from git in the same run. */
const BEFORE = '3bbdefaf192d6065b51bdd1ca5056e4cf5553f01';
const BEFORE_SHORT = BEFORE.slice(0, 7);

const root = mkdtempSync(join(tmpdir(), 'gpuz-bench-sessions-'));

interface Run extends Measured {
  ms: number;
  sessions: number;
  plays: number;
}

let runCount = 0;
/** One child on a new (cold) cache folder. */
function run(bundle: string, storeDir: string): Run {
  const stateDir = join(root, `state-${runCount++}`);
  const m = measure([process.execPath, bundle, JSON.stringify({ storeDir, stateDir, host })]);
  rmSync(stateDir, { recursive: true, force: true });
  return { ...m, ...(JSON.parse(m.stdout.trim().split('\n').at(-1)!) as Omit<Run, keyof Measured>) };
}

function summary(runs: Run[]): { seconds: number; cpu: number; rss: number; ms: number } {
  return {
    seconds: median(runs.map((r) => r.seconds)),
    cpu: median(runs.map((r) => r.cpuSeconds)),
    rss: Math.max(...runs.map((r) => r.rssMb)),
    ms: median(runs.map((r) => r.ms)),
  };
}

try {
  const storeDir = join(root, 'store');
  const started = performance.now();
  const data = await writeSyntheticMonth({ dir: storeDir, host, days, end: Date.now() });
  console.log(
    `data: ${data.objects} processed objects, ${data.rows.toLocaleString('en-US')} rows (synthesized in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  // In node_modules' cache folder, so the external packages resolve from there.
  const ours = resolve(`node_modules/.cache/gpuz-bench/sessions-child-${process.pid}.mjs`);
  await bundleChild(resolve('.'), 'bench/sessions-child.ts', ours);
  const beforeBundle = join(root, 'before', 'sessions-child.mjs');
  const missing = await buildChildAt(BEFORE, join(root, 'before'), 'bench/sessions-child.ts', beforeBundle);
  if (missing) console.log(`baseline not built: ${missing}`);
  const runs: { ours: Run[]; before: Run[] } = { ours: [], before: [] };
  for (let r = 0; r < rounds; r++) {
    runs.ours.push(run(ours, storeDir));
    if (!missing) runs.before.push(run(beforeBundle, storeDir));
  }
  rmSync(ours, { force: true });
  const a = summary(runs.ours);
  const sessions = runs.ours[0]!;
  console.log(
    `\nSessions, "All stored data" over ${days} days, cold cache, fresh process (median of ${rounds}):`,
  );
  console.log(
    '| build | listSessions (ms) | process wall (s) | CPU (s) | peak RSS (MB) | sessions / plays |',
  );
  console.log('|---|---:|---:|---:|---:|---|');
  const line = (name: string, s: ReturnType<typeof summary>, r: Run) =>
    console.log(
      `| ${name} | ${s.ms.toFixed(0)} | ${s.seconds.toFixed(2)} | ${s.cpu.toFixed(2)} | ${s.rss.toFixed(0)} | ${r.sessions} / ${r.plays} |`,
    );
  line('ours', a, sessions);
  const b = missing ? undefined : summary(runs.before);
  if (b) line(`before (${BEFORE_SHORT})`, b, runs.before[0]!);
  console.log(`\nload average ${loadAverage()}`);
  const same =
    !b || (runs.before[0]!.sessions === sessions.sessions && runs.before[0]!.plays === sessions.plays);
  const goal = appendGoal({
    area: 'sessions',
    work: `Sessions "All stored data", ${days} days (${data.rows.toLocaleString('en-US')} rows), cold cache, whole process`,
    ours: `${a.seconds.toFixed(2)} s, ${a.rss.toFixed(0)} MB (listSessions ${a.ms.toFixed(0)} ms)`,
    baseline: b
      ? `${BEFORE_SHORT} from git, same run: ${b.seconds.toFixed(2)} s, ${b.rss.toFixed(0)} MB`
      : `not built: ${missing}`,
    ratio: b
      ? `${(b.seconds / a.seconds).toFixed(2)}× faster, ${(b.rss / a.rss).toFixed(2)}× less memory`
      : '—',
    goal: 'not an issue-18 goal (a second-day fault): the same sessions in less time and memory',
    met: Boolean(b) && same && a.seconds < b!.seconds && a.rss < b!.rss,
  });
  if (!same) console.log('the two builds listed different sessions: see the table');
  if (!process.env.BENCH_GOALS_FILE) process.stdout.write(formatGoalTable([goal]));
} finally {
  rmSync(root, { recursive: true, force: true });
}
