/**
 * One measured run of the processor on a raw object file, in its own process (bundled and run with plain
 * node by bench/processor.ts, so peak RSS is the processor's, not tsx's):
 *   node child.mjs ours  raw.csv.gz  → {"rows":86400,"seconds":3.1,"outBytes":…,"rssKb":…}
 *   node child.mjs naive raw.csv.gz  → same, for the whole-object baseline
 */
import { createReadStream, readFileSync } from 'node:fs';
import { gunzipSync, gzipSync } from 'node:zlib';
import { createLogParser, parseLog } from '../src/shared/parse';
import { encodeProcessed, processRawObject } from '../src/shared/process';

const [mode, file] = process.argv.slice(2) as ['ours' | 'naive', string];
const started = performance.now();
let rows = 0;
let outBytes = 0;
let quarantined: string | undefined;

if (mode === 'ours') {
  // 64 KiB chunks, like an S3 GetObject body.
  const body = createReadStream(file, { highWaterMark: 64 * 1024 });
  const outcome = await processRawObject(
    { sourceKey: 'raw/bench/2024/04/20/b-0-1.csv.gz', body, timeZone: 'Europe/Berlin' },
    { createParser: createLogParser },
  );
  if (outcome.kind === 'processed') {
    rows = outcome.batch.summary.rows;
    outBytes = (await encodeProcessed(outcome.batch)).length;
  } else {
    quarantined = outcome.document.reason.code;
  }
} else {
  // Baseline: the straightforward port of the old Python Lambda — whole object in memory, rows as objects,
  // JSON.stringify, gzipSync.
  const parsed = parseLog(gunzipSync(readFileSync(file)), { timeZone: 'Europe/Berlin' });
  const out = parsed.rows.map((row) => ({ t: row.t, values: row.values }));
  rows = out.length;
  outBytes = gzipSync(JSON.stringify({ columns: parsed.sessions.map((s) => s.columns), rows: out })).length;
}

const seconds = (performance.now() - started) / 1000;
const { maxRSS: rssKb, userCPUTime, systemCPUTime } = process.resourceUsage();
// CPU time of every thread of the process (zlib runs on libuv's pool), start-up included: what a Lambda's
// CPU share has to cover.
const cpuSeconds = (userCPUTime + systemCPUTime) / 1e6;
process.stdout.write(`${JSON.stringify({ rows, seconds, cpuSeconds, outBytes, rssKb, quarantined })}\n`);
