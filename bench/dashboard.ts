/**
 * Dashboard benchmark: 30 days of 1-row-per-second processed data in a local store; time from opening the
 * Charts view to the first drawn 30-day charts, three sensors stacked (performance marks in Chromium), cold and from the cache, plus
 * the page's JS heap. Run: `npx tsx bench/dashboard.ts [--days 30] [--runs 3]`.
 *
 * cold        = empty ETag cache, new agent process: LIST + GET + gunzip + split of every object
 * disk cache  = new agent process over the cache the cold run left: LIST, then rollup files only, no GET
 * warm        = same agent process, page reopened: rollups already in memory
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { ensureRendererBuilt, RENDERER_OUT } from '../e2e/support/build-renderer';
import { CHROMIUM_ARGS } from '../e2e/support/chromium';
import { startChartsHarness } from './support/charts-harness';
import { appendGoal, formatGoalTable, loadAverage } from './support/goal-table.mjs';
import { writeSyntheticMonth } from './support/synth-processed';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const days = arg('days', 30);
const runs = arg('runs', 3);
const host = 'bench-pc';

async function openCharts(page: Page, url: string): Promise<{ ms: number; dataMs: number; heapMb: number }> {
  // Three sensors stacked (the Thermals preset of the synthetic month): one query, three charts drawn.
  await page.goto(`${url}#charts/30d/gpu_temperature_c,hot_spot_c,fan_speed_pct`);
  await page.waitForSelector('main[data-first-draw-ms]', { timeout: 120_000 });
  const ms = Number(await page.getAttribute('main', 'data-first-draw-ms'));
  const dataMs = Number(await page.getAttribute('main', 'data-first-data-ms'));
  const heap = await page.evaluate(
    () => (performance as unknown as { memory: { usedJSHeapSize: number } }).memory.usedJSHeapSize,
  );
  return { ms, dataMs, heapMb: heap / 1024 / 1024 };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

const root = await mkdtemp(join(tmpdir(), 'gpuz-bench-dash-'));
try {
  await ensureRendererBuilt();
  const storeDir = join(root, 'store');
  const started = performance.now();
  const data = await writeSyntheticMonth({ dir: storeDir, host, days, end: Date.now() });
  console.log(
    `data: ${data.objects} processed objects, ${data.rows.toLocaleString('en-US')} rows, ${(data.bytes / 1e6).toFixed(1)} MB gz (synthesized in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'],
  });
  const results: Record<string, { ms: number[]; data: number[]; heap: number[]; gets: number[] }> = {
    cold: { ms: [], data: [], heap: [], gets: [] },
    'disk cache': { ms: [], data: [], heap: [], gets: [] },
    warm: { ms: [], data: [], heap: [], gets: [] },
  };
  for (let run = 0; run < runs; run++) {
    const stateDir = join(root, `state-${run}`);
    for (const phase of ['cold', 'disk cache'] as const) {
      const harness = await startChartsHarness({ storeDir, stateDir, host, rendererDir: RENDERER_OUT });
      const page = await browser.newPage();
      const first = await openCharts(page, harness.url);
      results[phase]!.ms.push(first.ms);
      results[phase]!.data.push(first.dataMs);
      results[phase]!.heap.push(first.heapMb);
      results[phase]!.gets.push(harness.requests.get);
      if (phase === 'disk cache') {
        const before = harness.requests.get;
        await page.close();
        const again = await browser.newPage();
        const warm = await openCharts(again, harness.url);
        results.warm!.ms.push(warm.ms);
        results.warm!.data.push(warm.dataMs);
        results.warm!.heap.push(warm.heapMb);
        results.warm!.gets.push(harness.requests.get - before);
        await again.close();
      } else {
        await page.close();
      }
      await harness.close();
    }
  }
  await browser.close();
  console.log(`\nOpen Charts → first drawn ${days}-day chart (median of ${runs}):`);
  console.log('| case | data in (ms) | first draw (ms) | GETs | JS heap (MB) |');
  console.log('|---|---:|---:|---:|---:|');
  for (const [name, r] of Object.entries(results)) {
    console.log(
      `| ${name} | ${median(r.data).toFixed(0)} | ${median(r.ms).toFixed(0)} | ${median(r.gets)} | ${median(r.heap).toFixed(1)} |`,
    );
  }
  const ratio = median(results.cold!.ms) / median(results['disk cache']!.ms);
  console.log(`\ncold / disk cache = ${ratio.toFixed(1)}×; load average ${loadAverage()}`);
  const cold = median(results.cold!.ms);
  const cached = median(results['disk cache']!.ms);
  const warm = median(results.warm!.ms);
  // Before issue 18 (docs/benchmarks.md, 2026-11-30, idle machine): cold 4,885 ms, disk cache 348 ms, warm 206 ms.
  const goal = appendGoal({
    area: 'dashboard',
    work: `cold ${days}-day chart, first draw (${median(results.cold!.gets)} GETs; cached ${median(results['disk cache']!.gets)})`,
    ours: `cold ${cold.toFixed(0)} ms, disk cache ${cached.toFixed(0)} ms, warm ${warm.toFixed(0)} ms`,
    baseline: 'before: cold 4,885, disk cache 348, warm 206 ms (idle)',
    ratio: `${(4885 / cold).toFixed(2)}× faster cold`,
    goal: 'cold < 1,500 ms; cached as before; no new requests',
    met: cold < 1500 && median(results.cold!.gets) <= 720 && median(results['disk cache']!.gets) === 0,
  });
  if (!process.env.BENCH_GOALS_FILE) process.stdout.write(formatGoalTable([goal]));
} finally {
  await rm(root, { recursive: true, force: true });
}
