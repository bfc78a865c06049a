import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Test-only: the real analytics engines (DuckDB 1.4.4 + httpfs, pyspark 4.2.0) in the venv that
 * `node scripts/analytics/setup.mjs` prepares, driven through scripts/analytics/engines.py.
 *
 *   runRecipe('duckdb-local', { '/data/gpuz': outDir }) → [{ host, date, minute, temp_c }, …]
 *   engineRows(outDir) → every row DuckDB reads from an export folder
 */
export const ANALYTICS_VENV =
  process.env.GPUZ_ANALYTICS_VENV ?? join(homedir(), '.cache', 'gpuz-cloud', 'analytics-venv');
export const SPARK_KAFKA_JARS =
  process.env.GPUZ_SPARK_KAFKA_JARS ?? join(homedir(), '.cache', 'gpuz-cloud', 'spark-kafka', 'jars');
const ENGINES = new URL('../../scripts/analytics/engines.py', import.meta.url).pathname;

function python(): string {
  const path = join(ANALYTICS_VENV, 'bin', 'python');
  if (!existsSync(path)) {
    throw new Error(
      `The analytics tests need DuckDB and pyspark in ${ANALYTICS_VENV}: run \`node scripts/analytics/setup.mjs\` (npm test and .ci/run do).`,
    );
  }
  return path;
}

function runEngines(args: string[]): string {
  const result = spawnSync(python(), [ENGINES, ...args], {
    encoding: 'utf8',
    maxBuffer: 512 << 20,
    timeout: 300_000,
    // pyspark turns timestamps into Python datetimes in the process's zone: make that UTC.
    env: { ...process.env, TZ: 'UTC', PYSPARK_PYTHON: python() },
  });
  if (result.status !== 0) {
    throw new Error(
      `engines.py ${args[0]} ${args[1] ?? ''} failed (${result.status}):\n${result.stderr.slice(-3000)}`,
    );
  }
  return result.stdout;
}

export function runRecipe<T = Record<string, unknown>>(
  name: string,
  replace: Record<string, string>,
  options: { s3Endpoint?: string; result?: string } = {},
): T[] {
  const args = ['recipe', name, '--replace', JSON.stringify(replace)];
  if (options.s3Endpoint) args.push('--s3-endpoint', options.s3Endpoint);
  if (options.result) args.push('--result', options.result);
  return JSON.parse(runEngines(args)) as T[];
}

export interface EngineRow {
  host: string;
  date: string;
  t_ms: number;
  local: string;
  [column: string]: unknown;
}

export function engineRows(root: string): EngineRow[] {
  return runEngines(['rows', root])
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as EngineRow);
}
