/**
 * Dashboard benchmark: 30 days of 1-row-per-second processed data in a local store; time from opening the
 * Charts view to the first drawn 30-day charts, three sensors stacked (performance marks in Chromium), cold and from the cache, plus
 * the page's JS heap. Run: `npx tsx bench/dashboard.ts [--days 30] [--runs 3] [--s3]`.
 * --s3 measures the same month again from a bucket of the moto server on this machine (MOTO_ENDPOINT: run
 * `eval "$(node scripts/services.mjs env)"` first): 720 real S3 GETs through the SDK, no network latency.
 *
 * cold        = empty ETag cache, new agent process: LISTs, then one GET per day document (the objects
 *               themselves only where no day document has them); `objects only` measures the same month read
 *               object by object (LIST + GET + gunzip + split of every object), the path before day documents
 * disk cache  = new agent process over the cache the cold run left: LIST, then rollup files only, no GET
 * warm        = same agent process, page reopened: rollups already in memory
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { type Browser, chromium, type Page } from '@playwright/test';
import { ensureRendererBuilt, RENDERER_OUT } from '../e2e/support/build-renderer';
import { CHROMIUM_ARGS } from '../e2e/support/chromium';
import { createLocalStore } from '../src/main/core/store/local';
import { createS3Client, createS3Store } from '../src/main/core/store/s3';
import { type ChartsProcessOptions, startChartsProcess } from './support/charts-process';
import { appendGoal, formatGoalTable, loadAverage } from './support/goal-table.mjs';
import { median, numberArg } from './support/measure';
import { writeSyntheticMonth } from './support/synth-processed';

const days = numberArg('days', 30);
const runs = numberArg('runs', 3);
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

type Results = Record<
  'cold' | 'disk cache' | 'warm',
  { ms: number[]; data: number[]; heap: number[]; gets: number[] }
>;

/** Cold, disk cache and warm, `runs` times, over one store (the folder, or moto's S3 with --s3). */
async function measure(
  browser: Browser,
  root: string,
  label: string,
  s3?: ChartsProcessOptions['s3'],
  objectsOnly = false,
): Promise<Results> {
  const results: Results = {
    cold: { ms: [], data: [], heap: [], gets: [] },
    'disk cache': { ms: [], data: [], heap: [], gets: [] },
    warm: { ms: [], data: [], heap: [], gets: [] },
  };
  for (let run = 0; run < runs; run++) {
    const stateDir = join(root, `state-${label}-${run}`);
    for (const phase of ['cold', 'disk cache'] as const) {
      // The server in a process of its own, as the product runs it (charts-process.ts says why).
      const harness = await startChartsProcess({
        storeDir: join(root, 'store'),
        ...(s3 ? { s3 } : {}),
        ...(objectsOnly ? { objectsOnly } : {}),
        stateDir,
        host,
        rendererDir: RENDERER_OUT,
      });
      const page = await browser.newPage();
      const first = await openCharts(page, harness.url);
      results[phase].ms.push(first.ms);
      results[phase].data.push(first.dataMs);
      results[phase].heap.push(first.heapMb);
      results[phase].gets.push(await harness.gets());
      if (phase === 'disk cache') {
        const before = await harness.gets();
        await page.close();
        const again = await browser.newPage();
        const warm = await openCharts(again, harness.url);
        results.warm.ms.push(warm.ms);
        results.warm.data.push(warm.dataMs);
        results.warm.heap.push(warm.heapMb);
        results.warm.gets.push((await harness.gets()) - before);
        await again.close();
      } else {
        await page.close();
      }
      await harness.close();
    }
  }
  console.log(`\nOpen Charts → first drawn ${days}-day chart, ${label} (median of ${runs}):`);
  console.log('| case | data in (ms) | first draw (ms) | GETs | JS heap (MB) |');
  console.log('|---|---:|---:|---:|---:|');
  for (const [name, r] of Object.entries(results)) {
    console.log(
      `| ${name} | ${median(r.data).toFixed(0)} | ${median(r.ms).toFixed(0)} | ${median(r.gets)} | ${median(r.heap).toFixed(1)} |`,
    );
  }
  const ratio = median(results.cold.ms) / median(results['disk cache'].ms);
  console.log(`\ncold / disk cache = ${ratio.toFixed(1)}×; load average ${loadAverage()}`);
  return results;
}

/** The synthetic month copied into a new bucket of the S3 server MOTO_ENDPOINT names (PUTs not counted). */
async function monthInMoto(storeDir: string): Promise<NonNullable<ChartsProcessOptions['s3']>> {
  const endpoint = process.env.MOTO_ENDPOINT;
  if (!endpoint) throw new Error('--s3 needs moto: eval "$(node scripts/services.mjs env)" first');
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const client = createS3Client({ region, endpoint });
  const bucket = `bench-dashboard-${Date.now()}`;
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  const store = createS3Store({ client, bucket });
  const local = createLocalStore({ root: storeDir });
  const objects = [...(await local.list('processed/')), ...(await local.list('rollups/'))];
  for (let i = 0; i < objects.length; i += 16) {
    await Promise.all(
      objects.slice(i, i + 16).map(async ({ key }) =>
        store.put(key, await readFile(join(storeDir, key)), {
          contentType: 'application/json',
          contentEncoding: 'gzip',
        }),
      ),
    );
  }
  return { endpoint, bucket, region };
}

const root = await mkdtemp(join(tmpdir(), 'gpuz-bench-dash-'));
try {
  await ensureRendererBuilt();
  const storeDir = join(root, 'store');
  const started = performance.now();
  const data = await writeSyntheticMonth({ dir: storeDir, host, days, end: Date.now() });
  console.log(
    `data: ${data.objects} processed objects, ${data.rows.toLocaleString('en-US')} rows, ${(data.bytes / 1e6).toFixed(1)} MB gz (synthesized in ${((performance.now() - started) / 1000).toFixed(1)} s)`,
  );
  const s3 = process.argv.includes('--s3') ? await monthInMoto(storeDir) : undefined;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...CHROMIUM_ARGS, '--enable-precise-memory-info'],
  });
  const results = await measure(browser, root, 'local store');
  // The same month read as before day documents (every processed object GET), in the same run: the baseline of the step.
  const objectsOnly = await measure(browser, root, 'local store, objects only', undefined, true);
  const overS3 = s3 ? await measure(browser, root, 'S3 (moto on this machine)', s3) : undefined;
  await browser.close();
  const cold = median(results.cold.ms);
  const cached = median(results['disk cache'].ms);
  const warm = median(results.warm.ms);
  const s3Text = overS3 ? `; moto S3: cold ${median(overS3.cold.ms).toFixed(0)} ms` : '';
  const before = median(objectsOnly.cold.ms);
  // Before issue 18 (docs/benchmarks.md, 2026-11-30, idle machine): cold 4,885 ms, disk cache 348 ms, warm 206 ms.
  const goal = appendGoal({
    area: 'dashboard',
    work: `cold ${days}-day chart, first draw, local store (${median(results.cold.gets)} GETs; cached ${median(results['disk cache'].gets)})`,
    ours: `cold ${cold.toFixed(0)} ms, disk cache ${cached.toFixed(0)} ms, warm ${warm.toFixed(0)} ms${s3Text}`,
    baseline: `every object read (no day documents), same run: cold ${before.toFixed(0)} ms (${median(objectsOnly.cold.gets)} GETs); before issue 18: cold 4,885, disk cache 348, warm 206 ms (idle machine)`,
    ratio: `${(before / cold).toFixed(2)}× faster cold than the same run's objects-only; ${(4885 / cold).toFixed(2)}× against 4,885 ms`,
    goal: 'cold < 1,500 ms; cached as before; no new requests',
    met: cold < 1500 && median(results.cold.gets) <= data.objects && median(results['disk cache'].gets) === 0,
  });
  if (!process.env.BENCH_GOALS_FILE) process.stdout.write(formatGoalTable([goal]));
} finally {
  await rm(root, { recursive: true, force: true });
}
