#!/usr/bin/env node
// `npm run bench`: every benchmark area in turn (parse, processor, agent, backfill, dashboard, sessions,
// cache-index, analytics), or only the areas named as arguments (`npm run bench -- parse agent`). Each area is `npm run bench:<area>` (bench/<area>.ts
// under tsx) with its output passed through; they run one after another, never two at once, because each
// measures time and memory. Before an area runs, what it needs is checked (Python, Chromium, free space in
// the temp folder…); an area whose needs are missing is not started and says what to install. The last
// lines are a table of area, status, time and note, then the closing goal table (work, ours, baseline, ratio,
// goal, met/missed: each area appends its rows to BENCH_GOALS_FILE, bench/support/goal-table.mjs); the exit
// code is non-zero when any area failed or could not run. Figures and how to read them: docs/benchmarks.md.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatGoalTable, readGoals } from '../bench/support/goal-table.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const SAMPLE = fileURLToPath(
  new URL('../../shared/samples/gpuz/nvidia-turing-usbc-gpuz-2023-trunc2mb.txt', import.meta.url),
);
const agentMb = Number(process.env.BENCH_AGENT_MB ?? 1024);
const agentSeconds = Number(process.env.BENCH_AGENT_SECONDS ?? 120);

// ─── what an area needs: each check returns undefined when satisfied, else what is missing and how to fix it

const moduleInstalled = (name) => () =>
  existsSync(join(ROOT, 'node_modules', name, 'package.json'))
    ? undefined
    : `${name} is not installed (run \`npm ci\`)`;

const sample = () =>
  existsSync(SAMPLE) ? undefined : `the real GPU-Z sample the synthetic logs replay is missing: ${SAMPLE}`;

const python = () => {
  const r = spawnSync('python3', ['-c', "from zoneinfo import ZoneInfo; ZoneInfo('Europe/Berlin')"], {
    encoding: 'utf8',
  });
  if (r.error) return 'python3 is not on PATH (the Python csv baseline; `apt-get install -y python3`)';
  if (r.status !== 0) {
    return `python3 cannot load the Europe/Berlin zone (needs Python 3.9+ and tzdata): ${r.stderr.trim().split('\n').at(-1)}`;
  }
  return undefined;
};

const chromium = () => {
  const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  return existsSync(path)
    ? undefined
    : `Chromium not found at ${path} (\`apt-get install -y chromium\`, or set CHROMIUM_PATH)`;
};

/** Free space in the temp folder, where every area writes its synthetic data (deleted at the end). */
const tempSpace = (neededMb) => () => {
  if (!Number.isFinite(neededMb)) return undefined; // e.g. BENCH_AGENT_MB not a number: the bench reports it.
  try {
    const s = statfsSync(tmpdir());
    const freeMb = (s.bavail * s.bsize) / 1_048_576;
    if (freeMb >= neededMb) return undefined;
    return `needs ≈${Math.ceil(neededMb)} MB free in ${tmpdir()}, has ${Math.floor(freeMb)} MB (set TMPDIR to a bigger disk)`;
  } catch {
    return undefined; // statfs unsupported here: let the area try.
  }
};

const AREAS = {
  parse: {
    what: '`gpuz-cloud parse` of a 100 MB log (bm1 replay) vs DuckDB (Python) and Python csv, whole processes',
    needs: [moduleInstalled('tsx'), moduleInstalled('esbuild'), sample, python, tempSpace(160)],
    notes: () => ['installs duckdb (bench/requirements.txt) into ~/.cache/gpuz-cloud/bench-venv once (PyPI)'],
  },
  processor: {
    what: 'Lambda processor on 24 h / 100 MB / 300 MB batches vs a naive port; bundle size and cold start',
    needs: [
      moduleInstalled('tsx'),
      moduleInstalled('esbuild'),
      moduleInstalled('yazl'),
      sample,
      tempSpace(550),
    ],
    notes: () => ['rebuilds dist/lambda/ (npm run build:lambda) to measure the bundle'],
  },
  agent: {
    what: `upload agent: ${agentSeconds} s of --watch (growing and idle log), one-time upload of ${agentMb} MB`,
    needs: [moduleInstalled('tsx'), moduleInstalled('esbuild'), sample, tempSpace(agentMb * 1.1 + 100)],
    notes: () => [],
  },
  backfill: {
    what: 'one-time upload of a 100 MB log (bm1 replay) to a local store vs gzip -6, whole processes',
    needs: [moduleInstalled('tsx'), moduleInstalled('esbuild'), sample, tempSpace(450)],
    notes: () => (existsSync('/usr/bin/gzip') || existsSync('/bin/gzip') ? [] : ['gzip not found on PATH']),
  },
  dashboard: {
    what: '30 days of processed data, Charts view cold / disk cache / warm in Chromium',
    needs: [
      moduleInstalled('tsx'),
      moduleInstalled('@playwright/test'),
      moduleInstalled('vite'),
      chromium,
      tempSpace(150),
    ],
    notes: () =>
      existsSync(join(ROOT, 'out/renderer/index.html'))
        ? []
        : ['out/renderer/ is missing: the bench builds it with Vite first'],
  },
  sessions: {
    what: 'Sessions view, "All stored data" over 30 days: listSessions cold, vs the build before (from git)',
    needs: [moduleInstalled('tsx'), moduleInstalled('esbuild'), python, tempSpace(150)],
    notes: () => [],
  },
  'cache-index': {
    what: 'disk cache of a year: Charts on the last hour, a new batch; one index file per day vs one for all (git)',
    needs: [moduleInstalled('tsx'), moduleInstalled('esbuild'), python, tempSpace(500)],
    notes: () => [],
  },
  analytics: {
    what: 'Parquet writers compared (pinned, installed into a cache); export of 30 days; the long-range chart input',
    needs: [moduleInstalled('tsx'), moduleInstalled('esbuild'), moduleInstalled('hyparquet'), tempSpace(200)],
    notes: () => [
      'installs hyparquet-writer, @dsnp/parquetjs and parquet-wasm into ~/.cache/gpuz-cloud once (npm)',
    ],
  },
};

// ─── arguments

const args = process.argv.slice(2);
if (args.includes('--help') || args.includes('-h')) {
  process.stdout.write(
    `usage: npm run bench [-- <area>…]\n\nareas, run in this order:\n${Object.entries(AREAS)
      .map(([name, a]) => `  ${name.padEnd(10)} ${a.what}`)
      .join('\n')}\n\nenvironment: BENCH_AGENT_SECONDS (120), BENCH_AGENT_MB (1024), CHROMIUM_PATH, TMPDIR\n`,
  );
  process.exit(0);
}
const unknown = args.filter((a) => !(a in AREAS));
if (unknown.length > 0) {
  process.stderr.write(
    `bench: unknown area ${unknown.join(', ')}; areas: ${Object.keys(AREAS).join(', ')}\n`,
  );
  process.exit(2);
}
const selected = Object.keys(AREAS).filter((name) => args.length === 0 || args.includes(name));
const scripts = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts ?? {};

// ─── run

/** `npm run --silent bench:<area>` with inherited output → exit code (a signal counts as 1). */
function runArea(name) {
  return new Promise((resolve) => {
    const child = spawn('npm', ['run', '--silent', `bench:${name}`], {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, BENCH_GOALS_FILE: goalsFile },
    });
    child.on('error', (error) => {
      process.stderr.write(`bench: cannot run npm: ${error.message}\n`);
      resolve({ code: 127 });
    });
    child.on('close', (code, signal) => resolve({ code: code ?? 1, signal }));
  });
}

const results = [];
const startedAt = performance.now();
const goalsDir = mkdtempSync(join(tmpdir(), 'gpuz-bench-goals-'));
const goalsFile = join(goalsDir, 'goals.jsonl');
for (const name of selected) {
  const area = AREAS[name];
  process.stdout.write(`\n=== bench ${name}: ${area.what} ===\n`);
  const missing = [];
  if (!scripts[`bench:${name}`]) missing.push(`package.json has no "bench:${name}" script`);
  for (const check of area.needs) {
    const problem = check();
    if (problem) missing.push(problem);
  }
  if (missing.length > 0) {
    for (const m of missing) process.stdout.write(`bench ${name}: cannot run: ${m}\n`);
    results.push({ name, status: 'MISSING', seconds: 0, note: missing.join('; ') });
    continue;
  }
  for (const note of area.notes()) process.stdout.write(`bench ${name}: note: ${note}\n`);
  const t0 = performance.now();
  const { code, signal } = await runArea(name);
  const seconds = (performance.now() - t0) / 1000;
  const note = code === 0 ? '' : signal ? `killed by ${signal}` : `exit code ${code}`;
  results.push({ name, status: code === 0 ? 'ok' : 'FAILED', seconds, note });
}

process.stdout.write('\n=== bench results ===\n');
for (const r of results) {
  const time = r.status === 'MISSING' ? 'not run' : `${r.seconds.toFixed(1)} s`;
  const line = `${r.status.padEnd(8)}${r.name.padEnd(11)}${time.padStart(9)}  ${r.note}`;
  process.stdout.write(`${line.trimEnd()}\n`);
}
const goals = readGoals(goalsFile);
rmSync(goalsDir, { recursive: true, force: true });
if (goals.length > 0) process.stdout.write(`\n=== goals (issue 18) ===\n${formatGoalTable(goals)}`);
const bad = results.filter((r) => r.status !== 'ok');
process.stdout.write(
  `total ${((performance.now() - startedAt) / 1000).toFixed(1)} s: ${results.length - bad.length} ok, ` +
    `${bad.filter((r) => r.status === 'FAILED').length} failed, ${bad.filter((r) => r.status === 'MISSING').length} could not run\n`,
);
process.exit(bad.length > 0 ? 1 : 0);
