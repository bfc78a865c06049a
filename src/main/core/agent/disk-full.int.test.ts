/**
 * The state folder's disk (or the local store's) fills up while the agent watches a growing log, then has room again:
 * every row reaches the store once, none is skipped, no temp file is left behind, and nobody has to press anything. A real full disk: a 2 MB tmpfs mounted for the test
 * (skipped where mounting is not allowed: it needs root with CAP_SYS_ADMIN, as in this project's CI container).
 */
import { spawnSync } from 'node:child_process';
import {
  appendFileSync,
  closeSync,
  existsSync,
  mkdirSync,
  openSync,
  readdirSync,
  rmSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { mountSmallDisk } from '../../../test-support/small-disk';
import { runUpload } from '../../cli/commands/upload';
import { createLocalStore } from '../store/local';
import { collectIo, dataLinesOf, rawLines, sample, sorted } from './agent.test-support';
import { createAgent } from './index';

const { dir, disk, skip } = mountSmallDisk('gpuz-disk-full-', '2m');

/** Writes zeros until the disk is full; returns the filler's path. */
function fillUp(path: string): string {
  const fd = openSync(path, 'w');
  const zeros = Buffer.alloc(16 * 1024);
  try {
    for (;;) writeSync(fd, zeros);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOSPC') throw error;
  } finally {
    closeSync(fd);
  }
  return path;
}

function tempFilesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((name) => name.endsWith('.tmp'));
}

describe.skipIf(skip !== null)(`a full state disk${skip ? ` (skipped: ${skip})` : ''}`, () => {
  afterAll(() => {
    spawnSync('umount', [disk]);
    rmSync(dir, { recursive: true, force: true });
  });

  /**
   * A watching agent whose state folder is on the small disk, the store on another, and a real log (bm1) whose
   * first 199 rows are stored already; then another program fills the disk while GPU-Z logs rows 200–599.
   */
  async function watchingThenFull(name: string) {
    const { lines } = sample('gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt');
    const log = join(dir, `${name}.txt`);
    const store = createLocalStore({ root: join(dir, `store-${name}`) });
    const stateDir = join(disk, `state-${name}`);
    writeFileSync(log, lines(0, 200));
    const agent = createAgent({
      logPath: log,
      host: 'pc',
      timeZone: 'UTC',
      stateDir,
      intervalMs: 300,
      pollMs: 20,
      compress: false,
      store,
      watch: true,
    });
    await agent.start();
    await vi.waitFor(async () => expect((await rawLines(store)).data).toHaveLength(199), { timeout: 10_000 });

    const filler = fillUp(join(disk, `filler-${name}`));
    appendFileSync(log, lines(200, 600));
    await vi.waitFor(() => expect(agent.status().lastError?.code).toBe('STATE_WRITE_FAILED'), {
      timeout: 10_000,
    });
    return { lines, log, store, stateDir, agent, filler };
  }

  it('loses no row and sends none twice: the batches it could not spool go once there is room', async () => {
    // Prepare, Act 1: a real log growing in three parts; the disk fills during the second
    const { lines, log, store, stateDir, agent, filler } = await watchingThenFull('growing');
    await sleep(1_500); // several looks, each failing to spool
    // Left behind = there at two looks 200 ms apart: a write attempt under way has its own temp name for a moment.
    const before = tempFilesUnder(stateDir);
    await sleep(200);
    const left = tempFilesUnder(stateDir).filter((name) => before.includes(name));
    const duringFull = { stored: (await rawLines(store)).data.length, temps: left };

    // Act 2: room again, and the log goes on
    unlinkSync(filler);
    appendFileSync(log, lines(600, 900));
    await vi.waitFor(async () => expect((await rawLines(store)).data.length).toBeGreaterThanOrEqual(899), {
      timeout: 15_000,
    });
    await agent.stop();

    // Assess
    expect(duringFull).toEqual({ stored: 199, temps: [] });
    expect(agent.status().lastError?.message ?? '').not.toMatch(/disk/);
    const stored = await rawLines(store);
    expect(sorted(stored.data)).toEqual(sorted(dataLinesOf(lines(0, 900))));
    expect(agent.status().counters.rowsRead).toBe(899);
    expect(tempFilesUnder(stateDir)).toEqual([]);
  });

  it('GPU-Z restarting while the disk is full loses none of the lines already read: they wait in memory', async () => {
    // Prepare, Act 1: the disk fills while 400 more rows are logged and read
    const { lines, log, store, stateDir, agent, filler } = await watchingThenFull('restarted');
    await vi.waitFor(() => expect(agent.status().counters.rowsRead).toBe(599), { timeout: 10_000 });
    await sleep(1_000); // several looks, each failing to spool
    // Act 2: GPU-Z restarts with a new log in its place (its header, then 300 new rows) while the disk is still full
    unlinkSync(log);
    writeFileSync(log, Buffer.concat([lines(0, 1), lines(600, 900)]));
    await sleep(1_000);
    unlinkSync(filler);
    await vi.waitFor(async () => expect((await rawLines(store)).data.length).toBeGreaterThanOrEqual(899), {
      timeout: 15_000,
    });
    await agent.stop();

    // Assess: the old log's 599 rows and the new log's 300, each once (before: rows 200–599 were lost)
    const stored = await rawLines(store);
    expect(sorted(stored.data)).toEqual(sorted(dataLinesOf(lines(0, 900))));
    expect(agent.status().counters.rowsRead).toBe(899);
    expect(tempFilesUnder(stateDir)).toEqual([]);
  });

  it('a full store drive is waited out: once there is room the batches go by themselves, no "Upload now" needed', async () => {
    // Prepare: the local store on the small disk, the state folder elsewhere
    const { lines } = sample('gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt');
    const log = join(dir, 'store-full.txt');
    const store = createLocalStore({ root: join(disk, 'store') });
    writeFileSync(log, lines(0, 200));
    const agent = createAgent({
      logPath: log,
      host: 'pc',
      timeZone: 'UTC',
      stateDir: join(dir, 'state-store-full'),
      intervalMs: 300,
      pollMs: 20,
      compress: false,
      store,
      watch: true,
      retry: { baseMs: 100, maxMs: 300 },
    });
    await agent.start();
    await vi.waitFor(async () => expect((await rawLines(store)).data).toHaveLength(199), { timeout: 10_000 });
    // Act: the drive fills up while GPU-Z goes on, then has room again; nobody presses anything
    const filler = fillUp(join(disk, 'filler'));
    appendFileSync(log, lines(200, 600));
    await vi.waitFor(() => expect(agent.status().lastError?.code).toBe('STORE_FULL'), { timeout: 10_000 });
    const whileFull = agent.status().state;
    unlinkSync(filler);
    await vi.waitFor(async () => expect((await rawLines(store)).data.length).toBeGreaterThanOrEqual(599), {
      timeout: 15_000,
    });
    await agent.stop();
    // Assess: it stopped until "Upload now" (state error), which a terminal's `upload --watch` does not have
    expect(whileFull).toBe('offline');
    expect(sorted((await rawLines(store)).data)).toEqual(sorted(dataLinesOf(lines(0, 600))));
    expect(agent.status().lastError).toBeNull();
  });

  it('a one-shot upload on a full disk says so and leaves no half-written lock; the next run sends every row', async () => {
    // Prepare
    const { bytes } = sample('gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt');
    const log = join(dir, 'ada.txt');
    writeFileSync(log, bytes);
    const stateDir = join(disk, 'one-shot');
    mkdirSync(stateDir);
    const options = {
      file: log,
      local: join(dir, 'store-one-shot'),
      stateDir,
      watch: false,
      compress: true,
      estimate: false,
      host: 'pc',
      tz: 'UTC',
    };
    const filler = fillUp(join(disk, 'filler'));
    // Act
    const full = collectIo();
    const refused = await runUpload(options, full);
    unlinkSync(filler);
    const next = await runUpload(options, collectIo());
    // Assess: it was "ENOSPC: no space left on device, write", then a lock "held no readable process id"
    expect(refused).toBe(2);
    expect(full.text()).toMatch(
      /The disk of the state folder is full \(ENOSPC, .*agent\.lock\): .* — Free some space/,
    );
    expect(existsSync(join(stateDir, 'agent.lock'))).toBe(false);
    expect(next).toBe(0);
    const stored = await rawLines(createLocalStore({ root: options.local }));
    expect(sorted(stored.data)).toEqual(sorted(dataLinesOf(bytes)));
  });
});
