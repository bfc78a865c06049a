/**
 * The CLI as a user runs it, for tests: bundled from the sources (esbuild, as scripts/build-cli.mjs does) and
 * started with plain node, so exit codes, stdout/stderr and signals are the real ones.
 *
 *   const cli = await bundleCli()                       // once per test file (~0.3 s)
 *   (in a vitest describe block, bundled-cli.ts's useBundledCli does the first with a temp folder, hooks included)
 *   await runCli(cli, ['upload', '--file', log, '--local', dir]) → { code: 0, stdout: 'Uploaded 1 batch, 356 rows read…', stderr: '' }
 *   const child = spawnCli(cli, ['upload', '--watch', …])  // a ChildProcess to kill
 *   await waitForOutput(child, /^uploaded /m)             // once it has printed that
 *   await uploadAsHost(cli, { file, store, host: 'laptop', stateDir })  // another PC's data in a local store
 *   await runCli(cli, ['upload', …], { pcName: 'игровой-пк' })  // on a PC of that name (hostRenameSkip() says if not here)
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type BuildOptions, build } from 'esbuild';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * esbuild options of a Node bundle as dist/cli is built (scripts/build-cli.mjs): ESM for Node 22, npm packages
 * external (resolved from node_modules next to the output), the app version defined, `require` available.
 */
export const NODE_BUNDLE = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'esm',
  packages: 'external',
  define: {
    __APP_VERSION__: JSON.stringify(
      (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version,
    ),
  },
  banner: {
    js: "import { createRequire as __cr } from 'node:module'; const require = __cr(import.meta.url);",
  },
} satisfies BuildOptions;

export interface CliBundle {
  path: string;
  remove(): void;
}

/**
 * Bundles src/main/cli into a folder of its own in node_modules/.cache (so its npm packages resolve from the
 * repository): index.mjs and, next to it as in dist/cli, process-worker.mjs (the local processing's thread).
 */
export async function bundleCli(): Promise<CliBundle> {
  const dir = join(
    ROOT,
    'node_modules',
    '.cache',
    'gpuz-test-cli',
    `cli-${process.pid}-${Math.random().toString(36).slice(2, 8)}`,
  );
  mkdirSync(dir, { recursive: true });
  await build({
    ...NODE_BUNDLE,
    entryPoints: {
      index: join(ROOT, 'src/main/cli/index.ts'),
      'process-worker': join(ROOT, 'src/main/core/pipeline/process-worker.ts'),
    },
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    logLevel: 'silent',
  });
  return { path: join(dir, 'index.mjs'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

export interface CliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface CliOptions {
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** The computer's name the CLI sees (os.hostname()): run in a UTS namespace of its own (`unshare -u`, root). */
  pcName?: string;
}

/** A program run as on a PC of another name: python sets the namespace's host name, then becomes the program. */
function renamed(pcName: string, program: string, args: string[]): [string, string[]] {
  const become =
    'import os, socket, sys; socket.sethostname(sys.argv[1].encode()); os.execv(sys.argv[2], sys.argv[2:])';
  return ['unshare', ['-u', 'python3', '-c', become, pcName, program, ...args]];
}

/** Why a test cannot give the CLI another computer name here (no UTS namespace: not root, a locked-down container), or null. */
export function hostRenameSkip(): string | null {
  const [program, args] = renamed('gpuz-probe', process.execPath, [
    '-e',
    "require('os').hostname() === 'gpuz-probe' || process.exit(3)",
  ]);
  const probe = spawnSync(program, args, { encoding: 'utf8', timeout: 10_000 });
  if (probe.status === 0) return null;
  const why = (probe.error?.message ?? probe.stderr.trim().split('\n').at(-1)) || `exit ${probe.status}`;
  return `a PC name of its own needs \`unshare -u\` (a UTS namespace, as root): ${why}`;
}

export function spawnCli(cli: CliBundle, args: string[], options: CliOptions = {}): ChildProcess {
  const [program, programArgs] = options.pcName
    ? renamed(options.pcName, process.execPath, [cli.path, ...args])
    : [process.execPath, [cli.path, ...args]];
  return spawn(program, programArgs, {
    cwd: options.cwd ?? ROOT,
    env: { ...process.env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs the CLI to its end (killed after `timeoutMs`) and collects what it printed. */
export function runCli(
  cli: CliBundle,
  args: string[],
  options: CliOptions & { timeoutMs?: number } = {},
): Promise<CliResult> {
  const child = spawnCli(cli, args, options);
  return collect(child, options.timeoutMs ?? 60_000);
}

export function collect(child: ChildProcess, timeoutMs = 60_000): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * Resolves on the first stderr text of `child` matching `pattern`; rejects if the process ends first (with what
 * it printed):
 *   await waitForOutput(agent, /Watching/)   // the watch loop runs
 */
export function waitForOutput(
  child: ChildProcess,
  pattern: RegExp,
  stream: 'stderr' | 'stdout' = 'stderr',
): Promise<void> {
  return new Promise((resolve, reject) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (pattern.test(text)) {
        child[stream]?.off('data', onData);
        resolve();
      }
    };
    child[stream]?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the CLI exited (${code}) before ${pattern}:\n${text}`)));
  });
}

/**
 * `upload --file <file> --local <store> --host <host>` in UTC, as a second PC would have stored its log:
 *   await uploadAsHost(cli, { file: BM1, store: join(dir, 'store'), host: 'laptop', stateDir }) → exit code 0
 */
export function uploadAsHost(
  cli: CliBundle,
  upload: { file: string; store: string; host: string; stateDir: string },
): Promise<CliResult> {
  return runCli(cli, [
    'upload',
    '--file',
    upload.file,
    '--local',
    upload.store,
    '--host',
    upload.host,
    '--state-dir',
    upload.stateDir,
    '--tz',
    'UTC',
  ]);
}
