import { open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { RepairItem } from '../../shared/contract';
import { AppError, type ErrorData, formatErrorLine } from '../../shared/errors';
import {
  type CheckpointData,
  emptyCheckpoint,
  loadCheckpoint,
  saveCheckpoint,
  storeIdOf,
} from './checkpoint';
import { readIdentity } from './file-identity';
import { findResumePoint } from './resume-point';
import { openSpool, type Spool, type SpoolFinding } from './spool';
import { repairSpool } from './spool-repair';
import { readStateJson, setAside } from './state-file';
import { lockStateDir } from './state-lock';
import { countersProblem, loadStats } from './stats';
import type { Store } from './store/types';
import { claimFromStore, claimNotAsked } from './store-claim';

/**
 * `gpuz-cloud repair`: checks the agent's state folder and says what it would do; `apply()` does it.
 *
 *   const check = await checkStateFolder({ stateDir, logPath, store, host, timeZone })
 *   check.items → [{ file: 'checkpoint.json', finding: 'damaged: offset is -5, not a byte position',
 *                    action: 'set aside; rebuilt from s3://b (3 objects of this log): reading resumes at byte 335400' }, …]
 *   await check.apply() → what was done, one line each
 *
 * The checkpoint is rebuilt from the store itself (claimFromStore: object keys name their file and byte range), so
 * losing, deleting or damaging it does not send the log again. Damaged files are set aside, never deleted. Holds
 * the state folder's lock while it runs: it refuses while an agent works on the folder. The tray app and the
 * headless agent, which hold that lock already, pass it in (`lock`) and stop their agent first (app-service.ts).
 */
export type { RepairItem };

export interface StateCheck {
  items: RepairItem[];
  /** True when apply() would change something. */
  needed: boolean;
  apply(): Promise<string[]>;
  release(): Promise<void>;
}

export interface CheckOptions {
  stateDir: string;
  logPath: string;
  store: Store;
  host: string;
  timeZone: string;
  now?: () => Date;
  /** The state folder's lock, held by the caller (the app): used as it is, and not released by release(). */
  lock?: { release(): Promise<void>; notice: ErrorData | null };
}

export async function checkStateFolder(options: CheckOptions): Promise<StateCheck> {
  const { stateDir } = options;
  const now = options.now ?? (() => new Date());
  const lock = options.lock ?? (await lockStateDir(stateDir));
  const release = options.lock ? async () => undefined : lock.release;
  const items: RepairItem[] = [];
  const steps: (() => Promise<string>)[] = [];
  try {
    if (!options.lock && lock.notice)
      items.push({ file: 'agent.lock', finding: lock.notice.message, action: null });
    // Looked at only (nothing moved): the checkpoint's check reads its batches, the spool's check its findings.
    const spool = await openSpool({
      dir: join(stateDir, 'spool'),
      capBytes: Number.MAX_SAFE_INTEGER,
      inspect: true,
    });
    await checkCheckpoint(options, spool, items, steps);
    await checkStats(join(stateDir, 'stats.json'), now, items, steps);
    await checkSpool(options, spool, items, steps, now);
  } catch (error) {
    await release();
    throw error;
  }
  return {
    items,
    needed: steps.length > 0,
    async apply() {
      const done: string[] = [];
      for (const step of steps) done.push(await step());
      return done;
    },
    release,
  };
}

async function checkCheckpoint(
  options: CheckOptions,
  spool: Spool,
  items: RepairItem[],
  steps: (() => Promise<string>)[],
) {
  const path = join(options.stateDir, 'checkpoint.json');
  let saved: CheckpointData | null = null;
  let damage: string | null = null;
  try {
    saved = await loadCheckpoint(path);
  } catch (error) {
    damage = formatErrorLine(error)
      .replace(/^.* is damaged: /, '')
      .replace(/ — .*$/, '');
  }
  const identity = await logIdentity(options.logPath);
  if (saved && identity && saved.identity?.fileId === identity.fileId) {
    const point = await findResumePoint(options.logPath, saved);
    items.push({
      file: 'checkpoint.json',
      finding: point.verified
        ? `ok: byte ${saved.offset} of ${identity.fileId}, the log still holds the bytes before it`
        : `the log changed under it (${point.reason}): the agent resumes by content at byte ${point.offset}`,
      action: null,
    });
    return;
  }
  if (saved && !identity) {
    items.push({
      file: 'checkpoint.json',
      finding: `ok; the log ${options.logPath} is not there`,
      action: null,
    });
    return;
  }
  if (saved?.identity && identity) {
    items.push({
      file: 'checkpoint.json',
      finding: `names another log (${saved.identity.fileId}, now ${identity.fileId}): the agent asks the store what it holds of this one`,
      action: null,
    });
    return;
  }
  const finding = damage ? `damaged: ${damage}` : 'missing';
  if (!identity) {
    items.push({
      file: 'checkpoint.json',
      finding: `${finding}; the log ${options.logPath} is not there`,
      action: damage ? 'set aside; the agent asks the store what it holds of the log once it appears' : null,
    });
    if (damage) steps.push(async () => `checkpoint.json set aside as ${await setAside(path)}`);
    return;
  }
  // Without the store's answer the checkpoint cannot be rebuilt (a guess would send rows twice or skip them): the
  // repair stops before it changes anything.
  const claim = await claimFromStore(options.store, options.host, identity).catch((error: unknown) => {
    throw repairNotDone(
      claimNotAsked(error, options.store, options.logPath, {
        advice:
          'The checkpoint is rebuilt from what the store holds, so repair needs it: check the network connection and run repair again. Nothing was changed.',
        gui: 'The checkpoint is rebuilt from what the store holds, so the repair needs it: check the network connection, then press "Check and repair…" again. Nothing was changed.',
      }),
    );
  });
  // Batches of this log waiting in the spool (an outage) reach further: the agent sends them and reads on after them.
  const waiting = Math.max(-1, ...spool.list().flatMap((m) => (m.fileId === identity.fileId ? [m.end] : [])));
  const spoolFirst = `the batches waiting in the spool (to byte ${waiting}) are sent first, and reading goes on after them`;
  const after = waiting > (claim?.offset ?? 0) ? `; ${spoolFirst}` : '';
  const rebuilt = claim
    ? `rebuilt from ${options.store.description} (${claim.objects} object(s) of this log): reading resumes after byte ${claim.offset}${claim.lastRow ? ` (${claim.lastRow.local})` : ''}${after}`
    : `${options.store.description} holds nothing of this log: ${after ? spoolFirst : 'the agent reads it from its start, or after the rows of the newest batch stored when it holds them (an edited log)'}`;
  items.push({
    file: 'checkpoint.json',
    finding,
    action: damage ? `set aside; ${rebuilt}` : rebuilt,
  });
  steps.push(async () => {
    const kept = damage ? `set aside as ${await setAside(path)}; ` : '';
    if (!claim) {
      await rm(path, { force: true });
      return `checkpoint.json: ${kept}none written (the log is read from its start, or after the newest batch stored when it holds its rows)`;
    }
    const checkpoint: CheckpointData = {
      ...emptyCheckpoint(),
      identity,
      offset: claim.offset,
      uploadedOffset: claim.offset,
      sessionHeader: claim.sessionHeader,
      tail: claim.tail,
      lastRow: claim.lastRow,
      anchors: claim.anchors,
      generation: claim.generation,
      note: `Rebuilt by gpuz-cloud repair from ${options.store.description} (${claim.key}).`,
      updatedAt: new Date().toISOString(),
      store: storeIdOf(options.store),
    };
    await saveCheckpoint(path, checkpoint);
    return `checkpoint.json: ${kept}rebuilt at byte ${claim.offset} of ${identity.fileId}`;
  });
}

async function checkStats(
  path: string,
  now: () => Date,
  items: RepairItem[],
  steps: (() => Promise<string>)[],
) {
  let problem: string | null = null;
  try {
    const data = await readStateJson(path);
    problem = data === undefined ? null : countersProblem(data);
  } catch (error) {
    problem = formatErrorLine(error)
      .replace(/^.* is damaged: /, '')
      .replace(/ — .*$/, '');
  }
  if (!problem) {
    items.push({ file: 'stats.json', finding: 'ok', action: null });
    return;
  }
  items.push({
    file: 'stats.json',
    finding: `damaged: ${problem}`,
    action: 'set aside; counting starts from zero',
  });
  steps.push(async () => {
    const { notice } = await loadStats(path, now);
    return `stats.json: ${notice?.advice ?? 'set aside'}`;
  });
}

async function checkSpool(
  options: CheckOptions,
  spool: Spool,
  items: RepairItem[],
  steps: (() => Promise<string>)[],
  now: () => Date,
) {
  const dir = join(options.stateDir, 'spool');
  items.push({ file: 'spool/', finding: `${spool.count} whole batch(es) waiting`, action: null });
  for (const finding of spool.findings)
    items.push({ file: `spool/${finding.name}`, ...describeFinding(finding) });
  if (!spool.findings.some((f) => f.kind !== 'junk')) return;
  steps.push(async () => {
    const real = await openSpool({ dir, capBytes: Number.MAX_SAFE_INTEGER });
    const outcome = await repairSpool(real, { ...options, now });
    return outcome.notices.map((n) => n.message).join('\n') || 'spool: nothing to do';
  });
}

function describeFinding(finding: SpoolFinding): Omit<RepairItem, 'file'> {
  switch (finding.kind) {
    case 'junk':
      return { finding: 'no part of any batch', action: null };
    case 'orphan-body':
      return {
        finding: 'a body without its manifest',
        action: 'make its manifest from the body; it is sent',
      };
    case 'damaged-manifest':
      return {
        finding: `no manifest: ${finding.problem}`,
        action: 'set aside in spool/damaged/; its body (if any) gets a new manifest',
      };
    case 'damaged-body':
      return {
        finding: `a manifest whose ${finding.problem}`,
        action: `set aside; cut again from the log if it still holds bytes ${finding.manifest.start}–${finding.manifest.end}, else counted as lost`,
      };
  }
}

async function logIdentity(path: string) {
  try {
    const handle = await open(path, 'r');
    try {
      return await readIdentity(handle, (await handle.stat()).size);
    } finally {
      await handle.close();
    }
  } catch {
    return null;
  }
}

/**
 * The store's own refusal (its drive is out, its folder gone, no credentials) speaks of the agent waiting: in a
 * repair it also says to run the repair again, and that nothing was changed.
 */
function repairNotDone(refusal: AppError): AppError {
  if (refusal.advice?.endsWith('Nothing was changed.')) return refusal;
  return new AppError(
    refusal.code,
    refusal.message,
    `${refusal.advice ?? ''} Then run repair again. Nothing was changed.`.trim(),
    {
      cause: refusal.cause,
      gui: `${refusal.guiAdvice ?? refusal.advice ?? ''} Then press "Check and repair…" again. Nothing was changed.`.trim(),
    },
  );
}
