/**
 * Every stop signal seals and stores what is complete: the built CLI (`upload --watch` with a 60-minute interval, and
 * `agent`) as a separate process on Linux, stopped by SIGINT, SIGTERM or SIGHUP. (SIGBREAK exists on Windows only;
 * the Windows suite stops node.exe with Ctrl+C and TerminateProcess under Wine.) And what `agent` says in its terminal.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SAMPLES_DIR } from '../../test-support/services';
import { storedKeys, storedLines } from '../../test-support/store-lines';

const ROOT = join(import.meta.dirname, '..', '..', '..');
const CLI = join(ROOT, 'dist', 'cli', 'index.mjs');
const skip = existsSync(CLI) ? null : 'the CLI is not built (npm run build)';

/** 100 complete rows of a real log and half of the 101st. */
function writeLog(dir: string): string {
  const lines = readFileSync(join(SAMPLES_DIR, 'gpuz', 'nvidia-ada-pwrsrc-gpuz-2024.txt'), 'latin1').match(
    /[^\n]*\n/g,
  )!;
  const log = join(dir, 'GPU-Z Sensor Log.txt');
  writeFileSync(log, Buffer.from(lines.slice(0, 101).join('') + lines[101]!.slice(0, 40), 'latin1'));
  return log;
}

async function runUntil(args: string[], ready: RegExp, signal: NodeJS.Signals, atOnce = false) {
  const child: ChildProcess = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => {
    output += chunk.toString();
  };
  child.stdout!.on('data', collect);
  child.stderr!.on('data', collect);
  // atOnce: the signal goes in the same instant the ready line arrives, as a service manager or a script may send it.
  let sent = false;
  const readyNow = () => {
    if (!atOnce || sent || !ready.test(output)) return;
    sent = true; // once: a second signal ends the process at once, by design
    child.kill(signal);
  };
  child.stdout!.on('data', readyNow);
  child.stderr!.on('data', readyNow);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  for (const end = Date.now() + 30_000; !ready.test(output); ) {
    if (Date.now() > end || child.exitCode !== null) throw new Error(`not ready:\n${output}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (!atOnce) child.kill(signal);
  return { code: await exited, output };
}

describe.skipIf(skip !== null)(`stop signals on the built CLI${skip ? ` (skipped: ${skip})` : ''}`, () => {
  const dir = mkdtempSync(join(tmpdir(), 'gpuz-signals-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)(
    'upload --watch stopped by %s seals and stores the 100 complete rows at once',
    async (signal) => {
      // Prepare
      const work = mkdtempSync(join(dir, `${signal}-`));
      const log = writeLog(work);
      const store = join(work, 'store');
      const args = ['upload', '--watch', '--interval', '60', '--file', log, '--local', store];

      // Act
      const { code, output } = await runUntil(
        [...args, '--state-dir', join(work, 'state')],
        /Watching/,
        signal,
      );

      // Assess
      expect(code, output).toBe(0);
      expect(output).toContain(`${signal}: sealing and sending what is complete`);
      expect(storedLines(store).data).toHaveLength(100);
    },
  );

  it('agent stopped by SIGHUP (console closed) seals, stores and processes the complete rows', async () => {
    // Prepare
    const work = mkdtempSync(join(dir, 'agent-'));
    const log = writeLog(work);
    const store = join(work, 'store');

    // Act
    const { code, output } = await runUntil(
      ['agent', '--port', '0', '--state-dir', join(work, 'state'), '--file', log, '--local', store],
      /Dashboard: http/,
      'SIGHUP',
    );

    // Assess
    expect(code, output).toBe(0);
    expect(output).toContain('Stopping (SIGHUP): sealing and uploading what is complete');
    expect(storedLines(store).data).toHaveLength(100);
    expect(storedKeys(store, 'processed')).toHaveLength(1);
  });

  it('agent on a damaged checkpoint says why in the terminal, with the dashboard’s advice, and keeps the file', async () => {
    // Prepare: the URL was all it printed; the reason was only on the dashboard's badge
    const work = mkdtempSync(join(dir, 'agent-damaged-'));
    const log = writeLog(work);
    mkdirSync(join(work, 'state'));
    writeFileSync(join(work, 'state', 'checkpoint.json'), '{"version":1,"garb');

    // Act
    const { code, output } = await runUntil(
      [
        'agent',
        '--port',
        '0',
        '--state-dir',
        join(work, 'state'),
        '--file',
        log,
        '--local',
        join(work, 'store'),
      ],
      /error: .*checkpoint\.json is damaged/,
      'SIGTERM',
    );

    // Assess
    expect(code, output).toBe(0);
    expect(output).toMatch(/error: .*checkpoint\.json is damaged: it is not JSON .* — .*Check and repair/);
    expect(readFileSync(join(work, 'state', 'checkpoint.json'), 'utf8')).toBe('{"version":1,"garb');
  });

  it.each([
    ['agent', /Dashboard: http/, 'Stopping (SIGTERM): sealing and uploading what is complete'],
    ['upload', /Watching/, 'SIGTERM: sealing and sending what is complete'],
  ] as const)(
    '%s stopped the instant it says it runs still seals and stores the complete rows (5 times)',
    async (command, ready, said) => {
      // It was killed outright about 3 times in 5: the handlers were installed only after the line was written.
      for (let i = 0; i < 5; i++) {
        const work = mkdtempSync(join(dir, `${command}-at-once-`));
        const log = writeLog(work);
        const store = join(work, 'store');
        const args =
          command === 'agent'
            ? ['agent', '--port', '0', '--file', log, '--local', store]
            : ['upload', '--watch', '--interval', '60', '--file', log, '--local', store];
        const { code, output } = await runUntil(
          [...args, '--state-dir', join(work, 'state')],
          ready,
          'SIGTERM',
          true,
        );
        expect(code, output).toBe(0);
        expect(output).toContain(said);
        expect(storedLines(store).data).toHaveLength(100);
      }
    },
  );
});
