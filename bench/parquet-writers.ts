/**
 * Which Parquet writer (docs/analytics.md, docs/benchmarks.md): `npx tsx bench/parquet-writers.ts`.
 *
 * The three candidates write the same day — 86,400 rows of host, time, session and 30 nullable DOUBLE columns
 * (≈ 2 % nulls), the daily copy's shape — each in a child process (bench/parquet-writers/write-*.mjs), 3 runs:
 * median time, peak RSS over a child that only builds the data, file size; the file is read back with hyparquet
 * (row count, null count and sum of two columns, the time column's type); the writer's bundle (esbuild, minified,
 * gzip -9), plus any .wasm it loads. The candidates are installed at pinned versions into a cache folder with
 * npm, so they do not weigh on the project's dependencies.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { median } from './support/measure';

const CANDIDATES = {
  hyparquet: { packages: ['hyparquet-writer@0.17.0'], wasm: null },
  dsnp: { packages: ['@dsnp/parquetjs@1.8.8'], wasm: null },
  wasm: {
    packages: ['parquet-wasm@0.8.0', 'apache-arrow@21.2.0'],
    wasm: 'parquet-wasm/node/parquet_wasm_bg.wasm',
  },
} as const;
const HERE = new URL('./parquet-writers/', import.meta.url).pathname;
const CACHE = join(homedir(), '.cache', 'gpuz-cloud', 'bench-parquet-writers');

mkdirSync(CACHE, { recursive: true });
const wanted = Object.values(CANDIDATES).flatMap((c) => c.packages);
const stamp = join(CACHE, '.installed');
if (!existsSync(stamp) || readFileSync(stamp, 'utf8') !== wanted.join(' ')) {
  console.log(`installing ${wanted.join(', ')} into ${CACHE} …`);
  writeFileSync(join(CACHE, 'package.json'), '{"private":true,"type":"module"}');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', '--save-exact', ...wanted], {
    cwd: CACHE,
    stdio: 'inherit',
  });
  writeFileSync(stamp, wanted.join(' '));
}
for (const file of readdirSync(HERE)) copyFileSync(join(HERE, file), join(CACHE, file));

const runChild = (script: string, out: string) => {
  const r = spawnSync(process.execPath, [join(CACHE, script), out], { cwd: CACHE, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${script}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1)!) as { ms?: number; rss: number };
};
writeFileSync(
  join(CACHE, 'write-none.mjs'),
  "import { makeData } from './data.mjs';\nmakeData();\nconsole.log(JSON.stringify({ rss: process.resourceUsage().maxRSS }));\n",
);
const baseRss = median([1, 2, 3].map(() => runChild('write-none.mjs', '').rss));

console.log(
  'writer      version                          time (ms)  +RSS (MB)  file (MB)  bundle gz (KB)  read back',
);
for (const [name, candidate] of Object.entries(CANDIDATES)) {
  const out = join(CACHE, `out-${name}.parquet`);
  const runs = [1, 2, 3].map(() => runChild(`write-${name}.mjs`, out));
  const bytes = readFileSync(out);
  const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  const rows = (await parquetReadObjects({ file, columns: ['time', 'c0', 'c29'] })) as Record<
    string,
    unknown
  >[];
  const c0 = rows.map((r) => r.c0).filter((v) => v !== null && v !== undefined) as number[];
  const time = parquetMetadata(file).schema.find((e) => e.name === 'time')!;
  const bundle = await build({
    entryPoints: [join(CACHE, `write-${name}.mjs`)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    minify: true,
    write: false,
    external: ['./data.mjs'],
    logLevel: 'silent',
  });
  const wasmGz = candidate.wasm
    ? gzipSync(readFileSync(join(CACHE, 'node_modules', candidate.wasm)), { level: 9 }).length
    : 0;
  const bundleGz = gzipSync(bundle.outputFiles[0]!.contents, { level: 9 }).length + wasmGz;
  console.log(
    [
      name.padEnd(11),
      candidate.packages.join(' ').padEnd(32),
      median(runs.map((r) => r.ms!))
        .toFixed(0)
        .padStart(9),
      ((median(runs.map((r) => r.rss)) - baseRss) / 1024).toFixed(0).padStart(10),
      (statSync(out).size / 1e6).toFixed(2).padStart(10),
      (bundleGz / 1024).toFixed(0).padStart(15),
      `  ${rows.length} rows, c0 ${c0.length} values sum ${c0.reduce((a, b) => a + b, 0).toFixed(1)}, time ${time.type}` +
        ` ${time.logical_type ? `${time.logical_type.type}(UTC=${(time.logical_type as { isAdjustedToUTC?: boolean }).isAdjustedToUTC})` : time.converted_type}`,
    ].join(' '),
  );
}
