import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
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
