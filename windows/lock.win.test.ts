/**
 * One agent per state folder, the Windows way: Windows soon gives a dead process's pid to another program, so a
 * lock file's pid says little after a crash. The agent holds `agent.running` open with share mode 0 for its life;
 * the system lets go of it however the process ends (here `taskkill /F`, as Task Manager's End task).
 */
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLES_DIR } from '../src/test-support/services';
import { skipNote, useWine, WINE_SKIP } from './support/suite';
import { freshUserPaths, until, watchArgs } from './support/user-paths';

const WATCH = watchArgs('1s');

describe.skipIf(WINE_SKIP !== null)(`the state folder's lock under Wine${skipNote()}`, () => {
  const wine = useWine();

  it('refuses a second agent while the first runs, and starts after it was ended even when its pid runs another program', async () => {
    // Prepare: a log, a first agent watching it, and a stand-in for the program Windows gives its pid to next.
    const paths = freshUserPaths(wine());
    const log = readFileSync(join(SAMPLES_DIR, 'gpuz', 'nvidia-ada-pwrsrc-gpuz-2024.txt'));
    writeFileSync(paths.log, log.subarray(0, log.indexOf('\n', 2000) + 1));
    const first = wine().spawnNode(WATCH, 'lock-first');
    await first.waitFor(/Watching/);
    const second = await wine().node(WATCH, 'lock-second');
    const other = wine().spawnNode(['-e', 'setTimeout(() => {}, 120000)'], 'lock-other');
    const otherPid = await other.windowsPid();
    await first.terminate();

    // Act: the crashed agent's lock now names a process that runs.
    const lockPath = join(paths.state, 'agent.lock');
    const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as { pid: number; held?: boolean };
    writeFileSync(lockPath, JSON.stringify({ ...lock, pid: otherPid }));
    const third = wine().spawnNode(WATCH, 'lock-third');
    const started = await third.waitFor(/Watching|Another upload agent/);
    await until('its status file', () => existsSync(join(paths.state, 'agent-status.json')), 30_000);
    const status = await wine().node(['bin/gpuz-cloud.mjs', 'status'], 'lock-status');
    const code = await third.ctrlC();

    // Assess: the code before refused the third (process alive) until someone deleted the lock.
    expect(started[0], third.stderr()).toBe('Watching');
    expect(code, third.stderr()).toBe(0);
    expect(status.stdout.toString()).toMatch(/^Agent: running \(process \d+\)/m);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/Another upload agent \(process \d+\) is using/);
    expect(lock.held).toBe(true);
    expect(readdirSync(paths.state).filter((name) => name.startsWith('agent.'))).toEqual([]);
  });

  it('writes its lock file again when it is deleted while it runs, and a second agent is still refused', async () => {
    // Prepare
    const paths = freshUserPaths(wine());
    const log = readFileSync(join(SAMPLES_DIR, 'gpuz', 'nvidia-ada-pwrsrc-gpuz-2024.txt'));
    writeFileSync(paths.log, log.subarray(0, log.indexOf('\n', 2000) + 1));
    const first = wine().spawnNode(WATCH, 'restore-first');
    await first.waitFor(/Watching/);
    const lockPath = join(paths.state, 'agent.lock');
    // Act: the lock file deleted (a cleaner); agent.running stays held open by the agent
    rmSync(lockPath);
    await until('the lock written again', () => existsSync(lockPath), 30_000);
    const lock = JSON.parse(readFileSync(lockPath, 'utf8')) as { held?: boolean };
    const second = await wine().node(WATCH, 'restore-second');
    const code = await first.ctrlC();
    // Assess
    expect(lock.held).toBe(true);
    expect(second.code).toBe(2);
    expect(second.stderr).toMatch(/Another upload agent \(process \d+\) is using/);
    expect(code, first.stderr()).toBe(0);
    expect(first.stderr()).toContain('was deleted while this agent ran: written again');
  });
});
