/**
 * `gpuz-cloud agent`: the headless mode — upload agent, local processing and the dashboard on 127.0.0.1.
 *
 *   gpuz-cloud agent --file "C:\…\GPU-Z Sensor Log.txt" --local D:\gpuz-store --port 8123 --open
 *   → prints "Dashboard: http://127.0.0.1:8123/?token=…" and runs until Ctrl+C (then seals and uploads; see
 *     stop-signals.ts for the other ways to stop it)
 * The token is random per start, or GPUZ_CLOUD_DASHBOARD_TOKEN's (checked before anything else happens).
 * --file / --local / --interval change the saved settings (validated) once this process holds the state folder;
 * another agent running there refuses the start and nothing is written.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Command, InvalidArgumentError } from 'commander';
import type { Settings } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { composeApp, type Host, hostOfProcess, openSettingsStore, stateDirOf } from '../../core/app/compose';
import { deployBundleIn } from '../../core/deploy/prepare';
import { createHeadlessVault } from '../../core/secret-vault';
import { startHeadlessServer } from '../../headless/server';
import { parsePositive } from '../option-parsers';
import { createStatusSayer } from '../status-lines';
import { nextStopSignal } from '../stop-signals';

export interface AgentCommandOptions {
  port: number;
  open: boolean;
  stateDir?: string;
  file?: string;
  local?: string;
  interval?: number;
  rendererDir?: string;
}

export function registerAgent(program: Command): void {
  program
    .command('agent')
    .description('Run the upload agent and the dashboard on 127.0.0.1 (headless mode)')
    .option('--port <port>', 'port for the dashboard (0 = any free port)', parsePort, 0)
    .option('--open', 'open the dashboard in the default browser', false)
    .option(
      '--state-dir <dir>',
      'where settings, spool, checkpoint and caches live (default: the app-data folder)',
    )
    .option('--file <log>', 'GPU-Z sensor log to tail (saved in the settings)')
    .option('--local <dir>', 'use a local folder as the store (saved in the settings)')
    .option('--interval <minutes>', 'upload interval in minutes (saved in the settings)', parsePositive)
    .option('--renderer-dir <dir>', 'built dashboard (default: out/renderer of this install)')
    .addHelpText(
      'after',
      `\nThe address carries a new random token at each start. To keep one address across restarts (a bookmark),\nset ${DASHBOARD_TOKEN_ENV} to a long random value (at least 32 letters, digits, - or _) and pass --port.`,
    )
    .action(async (options: AgentCommandOptions) => {
      await runAgent(options);
    });
}

/**
 * The dashboard's token from GPUZ_CLOUD_DASHBOARD_TOKEN (with a fixed --port: a bookmark that outlives a restart);
 * undefined when unset (a random one per run). One too short or with other characters than a URL keeps as they are
 * refuses the start, before anything is written.
 */
export function dashboardTokenOf(env: Record<string, string | undefined>): string | undefined {
  const token = env[DASHBOARD_TOKEN_ENV]?.trim();
  if (!token) return undefined;
  if (/^[A-Za-z0-9_-]{32,256}$/.test(token)) return token;
  throw new AppError(
    'BAD_DASHBOARD_TOKEN',
    `${DASHBOARD_TOKEN_ENV} is ${token.length < 32 ? `${token.length} characters long; it must be at least 32` : 'not made of letters, digits, "-" and "_" only'}: anyone on this PC who guesses it reaches the dashboard.`,
    'Set it to a long random value, e.g. the output of `openssl rand -hex 32` or `node -e "console.log(crypto.randomBytes(32).toString(\'hex\'))"`, or unset it for a new token at each start.',
  );
}

export const DASHBOARD_TOKEN_ENV = 'GPUZ_CLOUD_DASHBOARD_TOKEN';

export async function runAgent(options: AgentCommandOptions, host: Host = hostOfProcess()): Promise<void> {
  // Checked first: a refused start changes nothing.
  const token = dashboardTokenOf(host.env);
  const stateDir = stateDirOf(host, options.stateDir);
  const rendererDir = options.rendererDir ? resolve(options.rendererDir) : findRendererDir();
  const app = composeApp({
    host,
    stateDir,
    settings: await openSettingsStore(stateDir, host),
    // No OS keychain here: saving typed-in keys is refused; profiles and the default chain work.
    secrets: createHeadlessVault(),
    bundle: deployBundleIn(join(rendererDir, '..', '..'), host.env),
  });
  // The port is taken first, answering nothing until the app has started: a port in use refuses the start before
  // anything is written (taken after, the start had saved the options and left an agent running without a
  // dashboard, holding the state folder, the process alive after its error).
  let started = () => {};
  const ready = new Promise<void>((resolve) => {
    started = resolve;
  });
  const server = await startHeadlessServer({
    handlers: app.handlers,
    events: app.events,
    rendererDir,
    port: options.port,
    ready,
    ...(token ? { token } : {}),
  });
  // The options are saved only once this process holds the state folder: a refused start changes nothing.
  const changes = options.file || options.local || options.interval;
  try {
    await app.start(changes ? { edit: (saved) => withOptions(saved, options) } : {});
  } catch (error) {
    await server.close(); // a request that came meanwhile has its connection closed, unanswered
    throw error;
  }
  started();
  // Listening before the address is printed: whoever reads it may stop the agent at once (a service manager, a
  // test), and a signal before the handlers are in place would end the process without sealing.
  const stopping = nextStopSignal();
  // A token of the user's own outlives this run: not printed (a service manager keeps stdout in its log).
  const shown = token
    ? `${server.url.replace(token, `<${DASHBOARD_TOKEN_ENV}>`)} (the token is the variable's value)`
    : server.url;
  process.stdout.write(`GPU-Z Cloud agent running (state: ${stateDir})\nDashboard: ${shown}\n`);
  if (options.open) openInBrowser(server.url);
  // What the dashboard shows on its badge, said here too: someone who started this in a terminal sees why it waits.
  const say = createStatusSayer((text) => process.stderr.write(text), { dashboard: true });
  app.events.on('status', say);
  say(await app.handlers.getStatus());

  const signal = await stopping;
  process.stdout.write(`Stopping (${signal}): sealing and uploading what is complete…\n`);
  await server.close();
  await app.stop();
}

/** The saved settings with what --file, --local and --interval say (unchanged without them). */
export function withOptions(saved: Settings, options: AgentCommandOptions): Settings {
  return {
    ...saved,
    ...(options.file ? { logPath: resolve(options.file) } : {}),
    ...(options.local ? { target: { kind: 'local' as const, dir: resolve(options.local) } } : {}),
    ...(options.interval ? { schedule: { kind: 'interval' as const, minutes: options.interval } } : {}),
  };
}

/** out/renderer of this install, looked up from the running file (bundled CLI or sources under tsx). */
export function findRendererDir(start = dirname(fileURLToPath(import.meta.url))): string {
  let dir = start;
  for (let i = 0; i < 6; i++) {
    const candidate = join(dir, 'out', 'renderer');
    if (existsSync(join(candidate, 'index.html'))) return candidate;
    dir = dirname(dir);
  }
  throw new AppError(
    'NO_DASHBOARD',
    'The dashboard is not built (out/renderer is missing).',
    'Run `npm run build` first.',
  );
}

function openInBrowser(url: string): void {
  const [command, args] =
    process.platform === 'win32'
      ? ['cmd', ['/c', 'start', '""', url]]
      : process.platform === 'darwin'
        ? ['open', [url]]
        : ['xdg-open', [url]];
  spawn(command, args as string[], { stdio: 'ignore', detached: true }).unref();
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new InvalidArgumentError('a port is 0–65535');
  return port;
}
