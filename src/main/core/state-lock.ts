import { constants, type FileHandle, mkdir, open, readFile, unlink } from 'node:fs/promises';
import { uptime } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { AppError, type ErrorData } from '../../shared/errors';
import { makeFolder, READ_ONLY_DRIVE_FIX } from '../../shared/fs/make-folder';
import { pathExists } from '../../shared/fs/path-exists';
import { isAlive } from '../../shared/pid-alive';
import { stateWriteError } from './state-file';

/**
 * One agent per state folder: two agents on one checkpoint and spool would cut the same log twice.
 *
 *   const { release } = await lockStateDir('/state')   // creates /state, writes /state/agent.lock = { pid, startedAt, bootedAt }
 *   await lockStateDir('/state') from another live process → AppError AGENT_RUNNING (names the lock file)
 *   await release()
 *
 * A lock left by a process that no longer runs (killed, crashed) is taken over, and so is one written before the
 * computer last started (after a reboot its pid may belong to any other program) or one that holds no pid (a
 * crash while it was written); `notice` then says so. The same process may lock again (the app replaces its agent
 * when the settings change).
 *
 * While it runs, the agent asks `check()` before each look at the log: a lock file deleted meanwhile (by a person, a
 * cleaner, the whole folder) is written again, and one another agent wrote meanwhile (it found none and started) ends
 * this agent's part — two agents never go on cutting the same log:
 *
 *   await lock.check() → { held: true, notice: null }                    the file still names this process
 *   (agent.lock deleted)  → { held: true, notice: { code: 'LOCK_RESTORED', … } }  written again
 *   (another agent's)     → { held: false, error: AppError AGENT_LOCK_LOST }      stop reading, sealing and writing
 *
 * `release()` deletes the file only while it names this process: an agent that lost its folder must not delete the
 * lock of the one that took it.
 *
 * Whether the holder still runs: on Windows, by `agent.running`, a file the agent holds open with share mode 0 for
 * its whole life (the system closes it however the process ends), not by its pid — Windows soon gives a dead
 * process's pid to another program, and a crashed tray app was then refused its own folder until someone deleted
 * the lock. Elsewhere by the pid; on Linux a zombie (a killed agent its parent has not reaped yet: a container
 * without an init, a supervisor's script) counts as ended.
 */
export async function lockStateDir(stateDir: string): Promise<HeldLock> {
  const path = join(stateDir, 'agent.lock');
  await makeFolder(stateDir).catch((error: unknown) => {
    throw stateFolderNotMade(error, stateDir);
  });
  // Windows: held before the lock file is looked at; while another process holds it, that agent runs.
  const running = await holdRunning(stateDir);
  if (running === 'busy') throw agentRunning(stateDir, path, (await readLock(path))?.pid ?? null, true);
  // Whatever refuses or fails from here lets go of agent.running again (Windows); only a lock returned keeps it.
  try {
    return await takeLock(stateDir, path, running);
  } catch (error) {
    await running?.release();
    throw error;
  }
}

/**
 * The state folder could not be made: a start refused in words (it said "EEXIST: file already exists, mkdir …").
 *   stateFolderNotMade({ code: 'EEXIST' }, '/x/state') → STATE_NOT_A_FOLDER "The state folder /x/state is a file, not a folder"
 */
export function stateFolderNotMade(error: unknown, stateDir: string): AppError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EEXIST' || code === 'ENOTDIR') {
    return new AppError(
      'STATE_NOT_A_FOLDER',
      `The state folder ${stateDir} ${code === 'EEXIST' ? 'is a file, not a folder' : 'cannot be made: a file sits on its path'} (${code})`,
      'Move that file away, or choose another state folder (--state-dir).',
      { cause: error, gui: 'Move that file away, then start GPU-Z Cloud again.' },
    );
  }
  // EROFS: the whole drive refuses (mounted read-only, write-protected); this user's rights would not help.
  return new AppError(
    'STATE_WRITE_FAILED',
    `The state folder ${stateDir} cannot be made (${code ?? String(error)})`,
    code === 'EROFS'
      ? `${READ_ONLY_DRIVE_FIX}, or choose a folder on another drive (--state-dir).`
      : 'Choose a folder this user may write (--state-dir), or let this user write there.',
    { cause: error },
  );
}

/** The state folder's lock as its agent holds it (see lockStateDir). */
export interface HeldLock {
  release(): Promise<void>;
  /** What taking it found (a stale lock taken over), or null. */
  notice: ErrorData | null;
  check(): Promise<LockCheck>;
}

/** Whether this process still holds the lock; `notice` when its deleted file was written again. */
export type LockCheck = { held: true; notice: ErrorData | null } | { held: false; error: AppError };

/** agent.lock written for this process (taking over one its holder left), or AGENT_RUNNING. */
async function takeLock(
  stateDir: string,
  path: string,
  running: { release(): Promise<void> } | null,
): Promise<HeldLock> {
  let notice: ErrorData | null = null;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (await writeLock(path, running !== null)) {
      return {
        release: async () => {
          if ((await readLock(path))?.pid === process.pid) await unlink(path).catch(() => undefined);
          await running?.release();
        },
        notice,
        check: () => checkLock(stateDir, path, running !== null),
      };
    }
    const holder = await readLock(path);
    if (holder && heldByAnother(holder, running !== null))
      throw agentRunning(stateDir, path, holder.pid, false);
    if (!holder || !isThisBoot(holder)) {
      notice = {
        code: 'LOCK_TAKEN_OVER',
        message: holder
          ? `${path} was left before this computer last started (process ${holder.pid}): taken over`
          : `${path} held no readable process id (a crash while it was written): taken over`,
      };
    }
    await unlink(path).catch(() => undefined);
  }
  throw new AppError('AGENT_LOCK', `Could not lock ${stateDir}`, `Delete ${path} and try again.`);
}

/** Writes agent.lock for this process: false when the file exists already. */
async function writeLock(path: string, held: boolean): Promise<boolean> {
  let handle: FileHandle;
  try {
    handle = await open(path, 'wx');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw stateWriteError(error, path);
  }
  const lock = {
    pid: process.pid,
    startedAt: new Date().toISOString(),
    bootedAt: bootTime(),
    ...(held ? { held: true } : {}),
  };
  try {
    await handle.writeFile(JSON.stringify(lock));
  } catch (error) {
    // A full disk: no half-written lock left behind (the next start took it for a crash's).
    await handle.close().catch(() => undefined);
    await unlink(path).catch(() => undefined);
    throw stateWriteError(error, path);
  }
  await handle.close();
  return true;
}

/**
 * The running agent's look at its lock (see lockStateDir). A file naming a process that has ended, or naming none,
 * is this agent's to write again like a missing one; only a live process of this boot takes the folder away.
 */
async function checkLock(stateDir: string, path: string, held: boolean): Promise<LockCheck> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const holder = await readLock(path);
    if (holder?.pid === process.pid) return { held: true, notice: null };
    if (holder && heldByAnother(holder, held))
      return { held: false, error: lockLost(stateDir, path, holder.pid) };
    const there = holder !== null || (await pathExists(path));
    // A file naming no process may be another agent's, written this moment: looked at again before it goes.
    if (there && holder === null && attempt === 0) {
      await sleep(UNREADABLE_WAIT_MS);
      continue;
    }
    if (there) await unlink(path).catch(() => undefined);
    // The whole folder may be gone: made again, as the agent's next writes do.
    await mkdir(stateDir, { recursive: true }).catch(() => undefined);
    let written: boolean;
    try {
      written = await writeLock(path, held);
    } catch {
      // Cannot be written now (a full disk): the agent's own writes say so; the next look tries again.
      return { held: true, notice: null };
    }
    if (written) {
      return {
        held: true,
        notice: {
          code: 'LOCK_RESTORED',
          message: `${path} was deleted while this agent ran: written again`,
          advice:
            'Leave the state folder to the agent while it runs: without its lock file a second agent could start on it.',
        },
      };
    }
  }
  // Written by someone else each time this agent would write it: this agent does not go on beside them.
  return { held: false, error: lockLost(stateDir, path, null) };
}

/** How long a lock file that names no process is given to become readable (an agent writing it just then). */
const UNREADABLE_WAIT_MS = 100;

/**
 * The lock was gone and this agent wrote it again, but another agent wrote the folder's checkpoint meanwhile: it ran
 * here (and may have ended since). AGENT_LOCK_LOST, as when its lock is found.
 */
export function checkpointTakenOver(stateDir: string, checkpointPath: string): AppError {
  return new AppError(
    'AGENT_LOCK_LOST',
    `Another upload agent wrote ${checkpointPath} while this agent's lock in ${stateDir} was gone (deleted with its file or its folder): this one stopped reading and sending, so the two never send the same rows twice`,
    'Start this agent again: it reads on from where the other one left the log.',
    {
      gui: 'Another GPU-Z Cloud (a `gpuz-cloud` in a terminal, or a second copy of the app) used this computer’s upload folder while this one’s lock was gone. Quit GPU-Z Cloud and start it again.',
    },
  );
}

function lockLost(stateDir: string, path: string, pid: number | null): AppError {
  const who = pid === null ? 'Another process' : `Another upload agent (process ${pid})`;
  return new AppError(
    'AGENT_LOCK_LOST',
    `${who} took over ${stateDir} (lock file ${path}) while this agent ran: this one stopped reading and sending, so the two never send the same rows twice`,
    'Keep one agent per state folder: stop the other one (or this one), then start this one again if it should be the one running.',
    {
      gui: 'Another GPU-Z Cloud (a `gpuz-cloud` in a terminal, or a second copy of the app) took over this computer’s upload folder. Quit one of them, then start GPU-Z Cloud again.',
    },
  );
}

/** `sure`: the agent holds agent.running (it runs); else only its pid does, which may be another program's now. */
function agentRunning(stateDir: string, path: string, pid: number | null, sure: boolean): AppError {
  const who = pid === null ? 'Another upload agent' : `Another upload agent (process ${pid})`;
  return new AppError(
    'AGENT_RUNNING',
    `${who} is using ${stateDir} (lock file ${path})`,
    `Stop it first (quit the tray app or the other \`gpuz-cloud upload --watch\`), or pass a different --state-dir.${sure ? '' : ` If no agent runs (process ${pid} is another program), delete ${path}.`}`,
    {
      gui: `Quit the other GPU-Z Cloud (its tray icon, or a \`gpuz-cloud\` in a terminal), then start this one again.${sure ? '' : ` If none runs, delete ${path}.`}`,
    },
  );
}

/** libuv's UV_FS_O_EXLOCK: open with share mode 0 (Windows only; Node does not export it in fs.constants). */
const EXLOCK = 0x10000000;
const RUNNING_ATTEMPTS = 10;
/** agent.running handles this process holds, by state folder (a second lock in the same process reuses it). */
const heldHere = new Map<string, { release(): Promise<void> }>();

/**
 * Windows: `agent.running` opened with share mode 0 and kept open → its release; 'busy' when another process holds
 * it (that agent runs). Elsewhere null: the pid tells.
 */
async function holdRunning(stateDir: string): Promise<{ release(): Promise<void> } | 'busy' | null> {
  if (process.platform !== 'win32') return null;
  const path = join(stateDir, 'agent.running');
  const mine = heldHere.get(path);
  if (mine) return mine;
  let handle: FileHandle | null = null;
  // A `status` probing the file, or a virus scanner looking at it, holds it for moments: asked again for a second
  // before taking it for a running agent.
  for (let attempt = 0; attempt < RUNNING_ATTEMPTS && !handle; attempt++) {
    try {
      handle = await open(path, constants.O_RDWR | constants.O_CREAT | EXLOCK);
    } catch (error) {
      // EBUSY is Windows' sharing violation; a denied folder (EPERM, EACCES) is said as what it is.
      if ((error as NodeJS.ErrnoException).code !== 'EBUSY') throw stateWriteError(error, path);
      if (attempt === RUNNING_ATTEMPTS - 1) return 'busy';
      await sleep(100);
    }
  }
  const held = handle!;
  const release = {
    async release() {
      if (heldHere.get(path) !== release) return;
      heldHere.delete(path);
      await held.close().catch(() => undefined);
      // Fails while another agent holds it already (share mode 0): then it is theirs.
      await unlink(path).catch(() => undefined);
    },
  };
  heldHere.set(path, release);
  return release;
}

/** Windows: whether another process holds `agent.running` in the folder now (null elsewhere: not known so). */
async function runningElsewhere(stateDir: string): Promise<boolean | null> {
  if (process.platform !== 'win32') return null;
  const path = join(stateDir, 'agent.running');
  if (heldHere.has(path)) return false;
  try {
    const handle = await open(path, constants.O_RDONLY | EXLOCK);
    await handle.close();
    return false;
  } catch (error) {
    // Held (EBUSY); anything else (a denied folder) tells nothing: the pid decides.
    return (error as NodeJS.ErrnoException).code === 'EBUSY' ? true : null;
  }
}

/**
 * The process holding the state folder's lock now (another process, alive, started since this boot), or null:
 *   await lockHolder('/state') → 4242 while `gpuz-cloud agent` runs there; null after it stopped or crashed
 */
export async function lockHolder(stateDir: string): Promise<number | null> {
  const holder = await readLock(join(stateDir, 'agent.lock'));
  if (!holder || holder.pid === process.pid || !isThisBoot(holder)) return null;
  const held = holder.held === true ? await runningElsewhere(stateDir) : null;
  return (held ?? isAlive(holder.pid)) ? holder.pid : null;
}

/**
 * Whether a lock names another agent that runs now: another live process of this boot. A lock written by an agent
 * that held agent.running (Windows) ended with it when this process holds that file (`holdingRunning`).
 */
function heldByAnother(holder: LockHolder, holdingRunning: boolean): boolean {
  return (
    holder.pid !== process.pid &&
    isThisBoot(holder) &&
    !(holder.held === true && holdingRunning) &&
    isAlive(holder.pid)
  );
}

function isThisBoot(holder: { bootedAt?: number }): boolean {
  return holder.bootedAt === undefined || Math.abs(holder.bootedAt - bootTime()) < 120_000;
}

/** What agent.lock says. `held`: its agent held agent.running (Windows; locks from before 2026-12-04 have none). */
interface LockHolder {
  pid: number;
  bootedAt?: number;
  held?: boolean;
}

/** agent.lock as written, or null (missing, unreadable, no pid). */
async function readLock(path: string): Promise<LockHolder | null> {
  try {
    const data = JSON.parse(await readFile(path, 'utf8')) as {
      pid?: unknown;
      bootedAt?: unknown;
      held?: unknown;
    };
    if (!Number.isSafeInteger(data.pid) || (data.pid as number) <= 0) return null;
    return {
      pid: data.pid as number,
      ...(typeof data.bootedAt === 'number' ? { bootedAt: data.bootedAt } : {}),
      ...(data.held === true ? { held: true } : {}),
    };
  } catch {
    return null;
  }
}

/** When the computer started (epoch ms, to the second): a pid from an earlier boot means nothing now. */
function bootTime(): number {
  return Math.round((Date.now() - uptime() * 1000) / 1000) * 1000;
}
