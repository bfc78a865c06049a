/**
 * `npm run bench:parse`: our streaming parser vs csv-parse (same post-processing) vs Python's csv module,
 * on a ≥100 MB GPU-Z log synthesized by replaying the rows of real samples. Each contender runs in its own
 * child process under /usr/bin/time -v (when present) so its peak RSS is its own.
 *
 *   npx tsx bench/parse.ts            → a table of MB/s, rows/s, peak RSS and the ratios
 *   npx tsx bench/parse.ts --mb 200   → a bigger file
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { synthesizeGpuzLog } from './parse-synth';

const ZONE = 'Europe/Berlin';

interface Result {
  name: string;
  mb: number;
  rows: number;
  seconds: number;
  rssMb: number | undefined;
}

function runChild(name: string, command: string[], file: string): Result {
  const useTime = existsSync('/usr/bin/time');
  const argv = useTime ? ['/usr/bin/time', '-v', ...command] : command;
  const result = spawnSync(argv[0]!, argv.slice(1), { encoding: 'utf8', maxBuffer: 1 << 20 });
  if (result.status !== 0) throw new Error(`${name} failed: ${result.stderr}`);
  const report = JSON.parse(result.stdout.trim().split('\n').at(-1)!) as {
    rows: number;
    seconds: number;
    rssKb?: number;
  };
  const rssKb = /Maximum resident set size \(kbytes\): (\d+)/.exec(result.stderr)?.[1];
  const rss = rssKb !== undefined ? Number(rssKb) : report.rssKb;
  return {
    name,
    mb: statSync(file).size / 1e6,
    rows: report.rows,
    seconds: report.seconds,
    rssMb: rss === undefined ? undefined : rss / 1024,
  };
}

function node(mode: string, file: string): string[] {
  return [process.execPath, '--import', 'tsx', join(import.meta.dirname, 'parse-child.ts'), mode, file, ZONE];
}

function format(r: Result): string {
  const mbps = (r.mb / r.seconds).toFixed(1).padStart(7);
  const rowsps = Math.round(r.rows / r.seconds)
    .toLocaleString('en-US')
    .padStart(10);
  const rss = r.rssMb === undefined ? '?' : r.rssMb.toFixed(0);
  return `${r.name.padEnd(28)} ${r.mb.toFixed(1).padStart(7)} MB ${r.rows.toLocaleString('en-US').padStart(9)} rows ${mbps} MB/s ${rowsps} rows/s  peak RSS ${rss.padStart(4)} MB`;
}

const mbArg = process.argv.indexOf('--mb');
const targetMb = mbArg > 0 ? Number(process.argv[mbArg + 1]) : 110;
const dir = mkdtempSync(join(tmpdir(), 'gpuz-bench-'));
try {
  const big = join(dir, 'big.txt');
  const small = join(dir, 'quarter.txt');
  await synthesizeGpuzLog(big, targetMb * 1e6);
  await synthesizeGpuzLog(small, (targetMb * 1e6) / 4);
  const ours = runChild('ours (createLogParser)', node('ours', big), big);
  const oursQuarter = runChild('ours, ¼ of the file', node('ours', small), small);
  const csvParse = runChild('csv-parse + same post-proc', node('csv-parse', big), big);
  const python = runChild(
    'python csv module',
    ['python3', join(import.meta.dirname, 'parse_baseline.py'), big, ZONE],
    big,
  );
  for (const r of [ours, oursQuarter, csvParse, python]) console.log(format(r));
  const speed = (r: Result) => r.mb / r.seconds;
  console.log(`ours / python:    ${(speed(ours) / speed(python)).toFixed(2)}× (target ≥ 3×)`);
  console.log(`ours / csv-parse: ${(speed(ours) / speed(csvParse)).toFixed(2)}× (target ≥ 1.5×)`);
  if (ours.rssMb !== undefined && oursQuarter.rssMb !== undefined) {
    console.log(
      `peak RSS, 4× the file: ${ours.rssMb.toFixed(0)} MB vs ${oursQuarter.rssMb.toFixed(0)} MB (flat = constant memory)`,
    );
  }
  if (ours.rows !== csvParse.rows || ours.rows !== python.rows) {
    throw new Error(
      `row counts differ: ours ${ours.rows}, csv-parse ${csvParse.rows}, python ${python.rows}`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
