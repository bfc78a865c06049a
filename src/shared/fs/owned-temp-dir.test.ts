import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openOwnedTempDir, sweepOwnedTempDirs } from './owned-temp-dir';

const PREFIX = 'gpuz-test-spill-';
let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'gpuz-owned-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A folder as a run with this owner would have left it (owner.json, and some spilled rows). */
function leftBy(name: string, owner: object | null): string {
  const dir = join(root, `${PREFIX}${name}`);
  mkdirSync(dir);
  if (owner) writeFileSync(join(dir, 'owner.json'), JSON.stringify(owner));
  writeFileSync(join(dir, '0.json'), 'x'.repeat(1024));
  return dir;
}

/** A real process: its pid while it runs, and after it was killed and reaped. */
async function child(): Promise<{ pid: number; kill: () => Promise<void> }> {
  const proc = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await new Promise((resolve) => proc.once('spawn', resolve));
  return {
    pid: proc.pid!,
    kill: async () => {
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGKILL');
      await exited;
    },
  };
}

describe('owned temp folders', () => {
  it('the next open deletes the folders of killed runs and of an earlier run with this pid, and keeps the rest', async () => {
    // Prepare
    const killed = await child();
    await killed.kill();
    const running = await child();
    try {
      const ofKilled = leftBy('killed', { pid: killed.pid });
      const ofEarlierRunSamePid = leftBy('restarted', { pid: process.pid, run: 'an earlier runtime' });
      const ofRunning = leftBy('running', { pid: running.pid, run: 'its own' });
      const unownedFresh = leftBy('fresh', null);
      const unownedOld = leftBy('old', null);
      const twoDaysAgo = (Date.now() - 48 * 3_600_000) / 1000;
      utimesSync(unownedOld, twoDaysAgo, twoDaysAgo);
      mkdirSync(join(root, 'gpuz-other-prefix'));
      // Act
      const mine = await openOwnedTempDir(PREFIX, root);
      // Assess
      expect(existsSync(ofKilled)).toBe(false);
      expect(existsSync(ofEarlierRunSamePid)).toBe(false);
      expect(existsSync(unownedOld)).toBe(false);
      expect(existsSync(ofRunning)).toBe(true);
      expect(existsSync(unownedFresh)).toBe(true);
      expect(existsSync(join(root, 'gpuz-other-prefix'))).toBe(true);
      // This run's own folder survives a second open (two copies at once in one process) and a sweep.
      const second = await openOwnedTempDir(PREFIX, root);
      expect(await sweepOwnedTempDirs(PREFIX, root)).toEqual([]);
      expect(readdirSync(root).sort()).toEqual(
        ['gpuz-other-prefix', `${PREFIX}fresh`, `${PREFIX}running`, mine, second]
          .map((p) => p.replace(`${root}/`, ''))
          .sort(),
      );
    } finally {
      await running.kill();
    }
  });
});
