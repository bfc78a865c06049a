/**
 * Starts `gpuz-cloud agent` as a separate process, the way a user runs it, and reads the printed URL:
 *   const agent = await startAgentProcess({ stateDir, args: ['--file', log, '--local', dir] })
 *   agent.url → 'http://127.0.0.1:40123/?token=…'; await agent.stop()
 *   await runGpuzCloud(['status', '--state-dir', dir]) → { code: 0, stdout: 'State folder: …', stderr: '' }
 * Uses the built CLI (bin/gpuz-cloud.mjs) when `npm run build` made it, otherwise the sources through tsx.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type CliResult, collect } from '../../src/test-support/cli-process';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

function cliEntry(): string[] {
  return existsSync(`${ROOT}dist/cli/index.mjs`)
    ? ['bin/gpuz-cloud.mjs']
    : ['--import', 'tsx', 'src/main/cli/index.ts'];
}

/** Runs one `gpuz-cloud` command to its end, as a user types it. */
export function runGpuzCloud(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [...cliEntry(), ...args], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return collect(child);
}

export interface AgentProcess {
  url: string;
  port: number;
  token: string;
  output(): string;
  stop(): Promise<void>;
}

export async function startAgentProcess(options: {
  stateDir: string;
  args?: string[];
  env?: Record<string, string>;
}): Promise<AgentProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [...cliEntry(), 'agent', '--port', '0', '--state-dir', options.stateDir, ...(options.args ?? [])],
    { cwd: ROOT, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`agent did not print its URL in 60 s:\n${output}`)),
      60_000,
    );
    const check = () => {
      const match =
        /Dashboard: (http:\/\/127\.0\.0\.1:\d+\/\?token=)([0-9a-f]+|<GPUZ_CLOUD_DASHBOARD_TOKEN>)/.exec(
          output,
        );
      if (match) {
        clearTimeout(timer);
        // A token of the user's own is not printed: the URL is made with it, as the user would.
        resolve(
          `${match[1]}${match[2]!.startsWith('<') ? options.env?.GPUZ_CLOUD_DASHBOARD_TOKEN : match[2]}`,
        );
      }
    };
    child.stdout?.on('data', check);
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`agent exited with ${code}:\n${output}`));
    });
  });
  const parsed = new URL(url);
  return {
    url,
    port: Number(parsed.port),
    token: parsed.searchParams.get('token')!,
    output: () => output,
    stop: async () => {
      if (child.exitCode !== null) return;
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
