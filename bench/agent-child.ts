/**
 * One measured process for bench/agent.ts (bundled by esbuild, run with plain node so tsx is not measured):
 *   node agent-child.mjs watch <log> <store> <state> <seconds>   → `upload --watch` for that long
 *   node agent-child.mjs once <log> <store> <state>              → one-time `upload` of the whole log
 *   node agent-child.mjs gzip <log>                              → baseline: node:zlib gzip stream of the log
 * Prints one JSON line: CPU ms (user+system), peak RSS, wall time.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { createGzip } from 'node:zlib';
import { runUpload, type UploadIo } from '../src/main/cli/commands/upload';

const [mode, log, store, state, seconds] = process.argv.slice(2) as [string, string, string, string, string];
const started = performance.now();
const cpuAtStart = process.cpuUsage();

const io = (stopAfterMs: number): UploadIo => ({
  out: () => undefined,
  err: () => undefined,
  isTTY: false,
  stopSignal: () => new Promise((resolve) => setTimeout(() => resolve('SIGTERM'), stopAfterMs)),
});

let code = 0;
if (mode === 'gzip') {
  await pipeline(createReadStream(log), createGzip(), createWriteStream('/dev/null'));
} else {
  const options = {
    file: log,
    local: store,
    stateDir: state,
    compress: true,
    estimate: false,
    host: 'bench',
    tz: 'UTC',
  };
  code = await runUpload(
    mode === 'watch' ? { ...options, watch: true, interval: 60_000 } : { ...options, watch: false },
    io(Number(seconds) * 1000),
  );
}
const cpu = process.cpuUsage(cpuAtStart);
const total = process.cpuUsage();
process.stdout.write(
  `${JSON.stringify({
    mode,
    code,
    wallMs: Math.round(performance.now() - started),
    cpuMs: Math.round((cpu.user + cpu.system) / 1000),
    cpuMsWithStartup: Math.round((total.user + total.system) / 1000),
    peakRssMB: Math.round(process.resourceUsage().maxRSS / 1024),
  })}\n`,
);
