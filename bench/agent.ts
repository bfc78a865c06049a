/**
 * `npm run bench:agent`: what the upload agent costs on a gaming PC (docs/benchmarks.md, "Upload agent").
 *
 * 1. `upload --watch` tailing a log that grows 1 row/s, and the same on a log that does not grow (idle), both
 *    for BENCH_AGENT_SECONDS (default 120): CPU time and peak RSS of the agent process.
 * 2. A one-time `upload` of a BENCH_AGENT_MB (default 1024) MB log to the local store: MB/s and peak RSS,
 *    against the baseline of a bare node:zlib gzip stream of the same file (the agent also parses, hashes,
 *    spools and writes every byte).
 * Each contender runs in its own plain-node child process (bundled by esbuild), so its figures are its own.
 */
import { spawn } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  mkdtempSync,
  openSync,
  readFileSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { build } from 'esbuild';

const SECONDS = Number(process.env.BENCH_AGENT_SECONDS ?? 120);
const MB = Number(process.env.BENCH_AGENT_MB ?? 1024);
const SAMPLE = new URL('../../shared/samples/gpuz/nvidia-turing-usbc-gpuz-2023-trunc2mb.txt', import.meta.url)
  .pathname;

interface Result {
  mode: string;
  code: number;
  wallMs: number;
  cpuMs: number;
  cpuMsWithStartup: number;
  peakRssMB: number;
}

const dir = mkdtempSync(join(tmpdir(), 'gpuz-bench-agent-'));
const child = join(dir, 'agent-child.mjs');
await build({
  entryPoints: [new URL('./agent-child.ts', import.meta.url).pathname],
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node22',
  outfile: child,
  logLevel: 'silent',
  define: { __APP_VERSION__: '"bench"' },
  banner: {
    js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
  },
});

const sample = readFileSync(SAMPLE)
  .toString('latin1')
  .split(/(?<=\n)/);
const header = sample[0]!;
const rows = sample.slice(1).filter((l) => l.endsWith('\n'));

function run(args: string[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [child, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d) => {
      out += d;
    });
    p.on('exit', (code) =>
      code === 0 ? resolve(JSON.parse(out) as Result) : reject(new Error(`child ${args[0]} exited ${code}`)),
    );
  });
}

async function tailing(): Promise<{ growing: Result; idle: Result }> {
  const growingLog = join(dir, 'growing.txt');
  const idleLog = join(dir, 'idle.txt');
  writeFileSync(growingLog, header + rows.slice(0, 10).join(''), 'latin1');
  writeFileSync(idleLog, header + rows.slice(0, 10).join(''), 'latin1');
  let next = 10;
  const timer = setInterval(() => appendFileSync(growingLog, rows[next++ % rows.length]!, 'latin1'), 1000);
  const [growing, idle] = await Promise.all([
    run(['watch', growingLog, join(dir, 'store-g'), join(dir, 'state-g'), String(SECONDS)]),
    run(['watch', idleLog, join(dir, 'store-i'), join(dir, 'state-i'), String(SECONDS)]),
  ]);
  clearInterval(timer);
  return { growing, idle };
}

function writeBigLog(path: string, bytes: number): number {
  const fd = openSync(path, 'w');
  const block = Buffer.from(header + rows.join(''), 'latin1');
  let written = 0;
  while (written < bytes) {
    writeSync(fd, block);
    written += block.length;
  }
  closeSync(fd);
  return written;
}

const results: Record<string, unknown> = { seconds: SECONDS, node: process.version };
const tail = await tailing();
results.tail = tail;
const big = join(dir, 'big.txt');
const size = writeBigLog(big, MB * 1024 * 1024);
const baseline = await run(['gzip', big]);
const once = await run(['once', big, join(dir, 'store-big'), join(dir, 'state-big')]);
rmSync(big);
const mbps = (r: Result) => size / 1_048_576 / (r.wallMs / 1000);
results.throughput = {
  sizeMB: +(size / 1_048_576).toFixed(1),
  once,
  baseline,
  agentMBps: +mbps(once).toFixed(1),
  gzipMBps: +mbps(baseline).toFixed(1),
};
rmSync(dir, { recursive: true, force: true });

const pct = (r: Result) => ((r.cpuMs / r.wallMs) * 100).toFixed(3);
console.log(JSON.stringify(results, null, 2));
console.log(`
| case | wall | CPU (watch window) | CPU % of one core | peak RSS |
| --- | --- | --- | --- | --- |
| upload --watch, log grows 1 row/s | ${(tail.growing.wallMs / 1000).toFixed(0)} s | ${tail.growing.cpuMs} ms | ${pct(tail.growing)} % | ${tail.growing.peakRssMB} MB |
| upload --watch, idle (no growth) | ${(tail.idle.wallMs / 1000).toFixed(0)} s | ${tail.idle.cpuMs} ms | ${pct(tail.idle)} % | ${tail.idle.peakRssMB} MB |

| one-time upload of ${(size / 1_048_576).toFixed(0)} MB | wall | MB/s | peak RSS |
| --- | --- | --- | --- |
| agent (local store, gzip) | ${(once.wallMs / 1000).toFixed(1)} s | ${mbps(once).toFixed(1)} | ${once.peakRssMB} MB |
| baseline: node:zlib gzip stream | ${(baseline.wallMs / 1000).toFixed(1)} s | ${mbps(baseline).toFixed(1)} | ${baseline.peakRssMB} MB |
agent / gzip-stream: ${(mbps(once) / mbps(baseline)).toFixed(2)}×`);
