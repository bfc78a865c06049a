import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { encodePack, type PackedMeta } from '../src/main/core/data/rollup-pack';
import { appendGoal, formatGoalTable, loadAverage } from './support/goal-table.mjs';
import { type Measured, measure, median, numberArg } from './support/measure';
import { buildChildAt, bundleChild } from './support/tree-at';

const days = numberArg('days', 365);
const rounds = numberArg('rounds', 3);
/** The last commit with one index file for every cached object: the baseline, built from git in the same run. */
const BEFORE = 'b96095be77dfffeb302fd3430a2f4cc2cefb6769';
const SENSORS = [
  'gpu_clock_mhz',
  'memory_clock_mhz',
  'gpu_temperature_c',
  'hot_spot_c',
  'fan_speed_pct',
  'gpu_load_pct',
  'board_power_draw_w',
  'gpu_voltage_v',
];
const HOUR = 3_600_000;

const root = mkdtempSync(join(tmpdir(), 'gpuz-bench-index-'));

/** A year of hourly objects as the cache holds them: the seed is one index.pack (what both builds can read). */
function seed(dir: string): { objects: number; bytes: number } {
  const metas = new Map<string, PackedMeta>();
  const end = Date.UTC(2026, 11, 4);
  for (let start = end - days * 24 * HOUR; start < end; start += HOUR) {
    const date = new Date(start).toISOString().slice(0, 10).replaceAll('-', '/');
    const key = `processed/bench-pc/${date}/bench-${start}.json.gz`;
    const etag = `"${start.toString(16)}"`;
    const t = Array.from({ length: 60 }, (_, m) => start + m * 60_000);
    const column = (offset: number) => t.map((_, m) => offset + ((start / HOUR + m) % 37) * 0.5);
    const stats = (offset: number) => Object.fromEntries(SENSORS.map((s, i) => [s, column(offset + i * 10)]));
    metas.set(key, {
      etag,
      summary: {
        key,
        etag,
        first: start,
        last: start + HOUR - 1000,
        sensors: SENSORS.map((s) => ({ key: s, name: s, unit: '' })),
        sessionStarts: [],
      },
      rollups: { t, min: stats(0), max: stats(5), avg: stats(2.5), count: stats(60) },
    });
  }
  mkdirSync(dir, { recursive: true });
  const pack = encodePack(metas);
  writeFileSync(join(dir, 'index.pack'), pack);
  writeFileSync(
    join(root, 'objects.json'),
    JSON.stringify([...metas.values()].map(({ summary }) => ({ key: summary.key, etag: summary.etag }))),
  );
  return { objects: metas.size, bytes: pack.length };
}

type Step = 'hour' | 'add';
interface Run extends Measured {
  ms: number;
}

function run(bundle: string, dir: string, step: Step): Run {
  const m = measure([
    process.execPath,
    bundle,
    JSON.stringify({ dir, objects: join(root, 'objects.json'), step }),
  ]);
  return { ...m, ...(JSON.parse(m.stdout.trim().split('\n').at(-1)!) as { ms: number }) };
}

const summary = (runs: Run[]) => ({
  ms: median(runs.map((r) => r.ms)),
  seconds: median(runs.map((r) => r.seconds)),
  cpu: median(runs.map((r) => r.cpuSeconds)),
  rss: Math.max(...runs.map((r) => r.rssMb)),
});

try {
  const seeded = seed(join(root, 'seed'));
  console.log(
    `cache: ${seeded.objects.toLocaleString('en-US')} objects over ${days} days, index ${(seeded.bytes / 1e6).toFixed(1)} MB as one file`,
  );
  const ours = resolve(`node_modules/.cache/gpuz-bench/cache-index-child-${process.pid}.mjs`);
  await bundleChild(resolve('.'), 'bench/cache-index-child.ts', ours);
  const beforeBundle = join(root, 'before', 'cache-index-child.mjs');
  const missing = await buildChildAt(
    BEFORE,
    join(root, 'before'),
    'bench/cache-index-child.ts',
    beforeBundle,
  );
  if (missing) console.log(`baseline not built: ${missing}`);
  const builds = [{ name: 'ours', bundle: ours, dir: join(root, 'ours') }];
  if (!missing) builds.push({ name: 'before', bundle: beforeBundle, dir: join(root, 'before-cache') });
  // Each build's own copy; a first open settles it (ours splits the older file into days, as after an update).
  for (const b of builds) {
    cpSync(join(root, 'seed'), b.dir, { recursive: true });
    run(b.bundle, b.dir, 'hour');
  }
  const runs = new Map<string, Run[]>();
  for (let r = 0; r < rounds; r++) {
    for (const step of ['hour', 'add'] as Step[])
      for (const b of builds) {
        const list = runs.get(`${b.name} ${step}`) ?? [];
        list.push(run(b.bundle, b.dir, step));
        runs.set(`${b.name} ${step}`, list);
      }
  }
  rmSync(ours, { force: true });
  console.log(`\nDisk cache of ${days} days, fresh process per step (median of ${rounds}):`);
  console.log('| build | step | in the process (ms) | process wall (s) | CPU (s) | peak RSS (MB) |');
  console.log('|---|---|---:|---:|---:|---:|');
  const figures = new Map<string, ReturnType<typeof summary>>();
  for (const [name, list] of runs) {
    const s = summary(list);
    figures.set(name, s);
    const [build, step] = name.split(' ');
    const label = build === 'before' ? `before (${BEFORE.slice(0, 7)})` : build;
    console.log(
      `| ${label} | ${step} | ${s.ms.toFixed(0)} | ${s.seconds.toFixed(2)} | ${s.cpu.toFixed(2)} | ${s.rss.toFixed(0)} |`,
    );
  }
  console.log(`\nload average ${loadAverage()}`);
  const text = (s: ReturnType<typeof summary>) => `${s.ms.toFixed(0)} ms, ${s.rss.toFixed(0)} MB`;
  const goals = (['hour', 'add'] as Step[]).map((step) => {
    const a = figures.get(`ours ${step}`)!;
    const b = figures.get(`before ${step}`);
    return appendGoal({
      area: 'cache-index',
      work:
        step === 'hour'
          ? `Charts opened on the last hour over a ${days}-day disk cache (extent + rollups), fresh process`
          : `a new batch remembered in a ${days}-day disk cache (index written), fresh process`,
      ours: text(a),
      baseline: b
        ? `one index file (${BEFORE.slice(0, 7)} from git, same run): ${text(b)}`
        : `not built: ${missing}`,
      ratio: b
        ? `${(b.ms / Math.max(1, a.ms)).toFixed(1)}× faster, ${(b.rss / a.rss).toFixed(2)}× less memory`
        : '—',
      goal: 'not an issue-18 goal (a second-day fault): faster and smaller than one index file',
      met: Boolean(b) && a.ms < b!.ms && a.rss < b!.rss,
    });
  });
  if (!process.env.BENCH_GOALS_FILE) process.stdout.write(formatGoalTable(goals));
} finally {
  rmSync(root, { recursive: true, force: true });
}
