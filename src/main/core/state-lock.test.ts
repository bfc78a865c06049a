import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockHolder, lockStateDir } from './state-lock';

/**
 * A parent that forks a child which exits at once and is never reaped: the child stays a zombie. → both
 * (The pid is printed once the child has exited — waitid with WNOWAIT waits without reaping — or a quick test saw
 * it still running: it failed so once in CI.)
 */
async function zombie(): Promise<{ parent: ChildProcess; pid: number }> {
  const parent = spawn('python3', [
    '-c',
    'import os, time\npid = os.fork()\nif pid == 0: os._exit(0)\nos.waitid(os.P_PID, pid, os.WEXITED | os.WNOWAIT)\nprint(pid, flush=True)\ntime.sleep(60)',
  ]);
  const pid = await new Promise<number>((resolve, reject) => {
    parent.stdout.once('data', (data: Buffer) => resolve(Number(data.toString().trim())));
    parent.once('error', reject);
  });
  return { parent, pid };
}

describe('lockStateDir', () => {
  let dir: string;
  const children: ChildProcess[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gpuz-lock-'));
  });
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('a state folder that is a file, or under one, is refused in words (it said "EEXIST: file already exists, mkdir …")', async () => {
    // Arrange: a file where the state folder should be
    const file = join(dir, 'GPU-Z Cloud');
    writeFileSync(file, 'x');
    // Act
    const isFile = await lockStateDir(file).catch((e: unknown) => e);
    const underFile = await lockStateDir(join(file, 'state')).catch((e: unknown) => e);
    // Assess
    expect(isFile).toMatchObject({
      code: 'STATE_NOT_A_FOLDER',
      message: `The state folder ${file} is a file, not a folder (EEXIST)`,
      advice: expect.stringContaining('--state-dir'),
      guiAdvice: 'Move that file away, then start GPU-Z Cloud again.',
    });
    expect(underFile).toMatchObject({
      code: 'STATE_NOT_A_FOLDER',
      message: expect.stringMatching(/cannot be made: a file sits on its path \(ENOTDIR\)$/),
    });
    expect(readFileSync(file, 'utf8')).toBe('x');
  });

  it('refuses while the lock’s process runs, naming it', async () => {
    // Arrange
    const other = spawn('sleep', ['60']);
    children.push(other);
    writeFileSync(join(dir, 'agent.lock'), JSON.stringify({ pid: other.pid }));
    // Act
    const locking = lockStateDir(dir);
    // Assess
    await expect(locking).rejects.toMatchObject({
      code: 'AGENT_RUNNING',
      message: expect.stringContaining(`process ${other.pid}`),
    });
    expect(await lockHolder(dir)).toBe(other.pid);
  });

  it.skipIf(process.platform !== 'linux')(
    'takes over the lock of an agent that was killed and not yet reaped (a zombie: a container without an init)',
    async () => {
      // Arrange
      const { parent, pid } = await zombie();
      children.push(parent);
      writeFileSync(join(dir, 'agent.lock'), JSON.stringify({ pid }));
      // Act
      const holder = await lockHolder(dir);
      const lock = await lockStateDir(dir);
      // Assess: the code before took the zombie for a running agent and refused, until its parent ended.
      expect(holder).toBeNull();
      expect(lock.notice).toBeNull();
      await lock.release();
      expect(existsSync(join(dir, 'agent.lock'))).toBe(false);
    },
  );
});

describe('a held lock, checked while its agent runs', () => {
  let dir: string;
  const children: ChildProcess[] = [];
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gpuz-lock-check-'));
  });
  afterEach(() => {
    for (const child of children.splice(0)) child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });
  const lockFile = () =>
    JSON.parse(readFileSync(join(dir, 'agent.lock'), 'utf8')) as { pid: number; bootedAt: number };

  it('is held while the file names this process', async () => {
    const lock = await lockStateDir(dir);
    expect(await lock.check()).toEqual({ held: true, notice: null });
    await lock.release();
  });

  it.each([
    { deleted: 'the lock file', remove: (d: string) => rmSync(join(d, 'agent.lock')) },
    { deleted: 'the whole state folder', remove: (d: string) => rmSync(d, { recursive: true }) },
  ])(
    '$deleted deleted: written again, said once, and a second agent is refused again',
    async ({ remove }) => {
      // Arrange
      const lock = await lockStateDir(dir);
      remove(dir);
      // Act
      const first = await lock.check();
      const second = await lock.check();
      // Assess: without it, a second agent found no lock and started on the same log
      expect(first).toMatchObject({ held: true, notice: { code: 'LOCK_RESTORED' } });
      expect(second).toEqual({ held: true, notice: null });
      expect(lockFile().pid).toBe(process.pid);
      await lock.release();
      expect(existsSync(join(dir, 'agent.lock'))).toBe(false);
    },
  );

  it('another live agent’s lock: lost, naming it; release leaves that lock alone', async () => {
    // Arrange: the file deleted, and another agent (a live process) started meanwhile and wrote its own
    const lock = await lockStateDir(dir);
    const other = spawn('sleep', ['60']);
    children.push(other);
    writeFileSync(join(dir, 'agent.lock'), JSON.stringify({ pid: other.pid, bootedAt: lockFile().bootedAt }));
    // Act
    const check = await lock.check();
    await lock.release();
    // Assess
    expect(check).toMatchObject({
      held: false,
      error: { code: 'AGENT_LOCK_LOST', message: expect.stringContaining(`process ${other.pid}`) },
    });
    expect(lockFile().pid).toBe(other.pid);
  });

  it('a lock file that names no process (garbage) is this agent’s again; one being written just then is read again first', async () => {
    // Arrange
    const lock = await lockStateDir(dir);
    const other = spawn('sleep', ['60']);
    children.push(other);
    const path = join(dir, 'agent.lock');
    const { bootedAt } = lockFile();
    // Act: garbage; then an empty file that another agent fills 30 ms later (its open, then its write)
    writeFileSync(path, '\u0000\u0000');
    const garbage = await lock.check();
    writeFileSync(path, '');
    setTimeout(() => writeFileSync(path, JSON.stringify({ pid: other.pid, bootedAt })), 30);
    const written = await lock.check();
    // Assess
    expect(garbage).toMatchObject({ held: true, notice: { code: 'LOCK_RESTORED' } });
    expect(written).toMatchObject({ held: false, error: { code: 'AGENT_LOCK_LOST' } });
    await lock.release();
  });

  it('a lock naming an ended process (written over by one that crashed): this agent’s again', async () => {
    const lock = await lockStateDir(dir);
    const ended = spawn('true');
    children.push(ended);
    await new Promise((resolve) => ended.once('exit', resolve));
    writeFileSync(join(dir, 'agent.lock'), JSON.stringify({ pid: ended.pid }));
    expect(await lock.check()).toMatchObject({ held: true, notice: { code: 'LOCK_RESTORED' } });
    expect(lockFile().pid).toBe(process.pid);
    await lock.release();
  });
});
