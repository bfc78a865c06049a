import { resolve } from 'node:path';
import type { ErrorData } from '../../shared/errors';
import { writeFileAtomic } from '../../shared/fs/atomic-file';
import { plural } from '../../shared/plural';
import type { FileIdentity } from './file-identity';
import { isHeaderLine } from './log-lines';
import { type Anchor, isAnchorList } from './resume-anchors';
import { damagedStateFile, isHex, isOffset, isRecord, readStateJson, shown } from './state-file';

/**
 * Where reading resumes: the log's identity, the offset up to which every complete line is sealed (in the
 * spool or already in the store), the header in effect there, and what lets a restart recognise the bytes it
 * stands on (`tail`: the hash of the bytes just before `offset`; `anchors`: the last lines by place and hash, to
 * find by content how much of them a damaged log still holds; `lastRow`: the last sealed row).
 * Versions 1 and 2 (no tail, no anchors) are still read. Written
 * atomically (temp, fsync, rename, fsync folder) only after the batch that ends at `offset` is durably in the spool.
 *
 *   await saveCheckpoint(path, { version: 3, identity, offset: 4096, tail: { length: 4096, sha256 }, anchors, … })
 *   await loadCheckpoint(path) → the same; null when there is none (first run, or deleted)
 *   → throws AppError STATE_DAMAGED naming the file, what is wrong and `gpuz-cloud repair` when it is not a checkpoint
 */
export interface CheckpointData {
  version: 3;
  identity: FileIdentity | null;
  /** Sealed up to here (spool or store). */
  offset: number;
  /** Confirmed by the store up to here (every batch of this file before it is uploaded). */
  uploadedOffset: number;
  /** latin1 text of the header in effect at `offset`. */
  sessionHeader: string | null;
  /** sha256 of the `length` bytes before `offset` (null for checkpoints written before version 2). */
  tail: { length: number; sha256: string } | null;
  /** The last data row before `offset`: its time stamp as written (`YYYY-MM-DD HH:MM:SS`) and its line's sha256. */
  lastRow: { local: string; sha256: string; t?: number } | null;
  /** The last complete lines before `offset`, each as [at, length, sha256 prefix] (null before version 3). */
  anchors: Anchor[] | null;
  /**
   * Counts the times the log was found rewritten under the offset and reading resumed by content: batch ids after
   * the n-th such resume carry `-g<n>`, so a new range never gets the key of an older batch with other bytes.
   */
  generation: number;
  /** What the last resume by content found and did, in words (shown by `gpuz-cloud status`). */
  note: string | null;
  updatedAt: string;
  /**
   * The store these claims are about (storeIdOf: `local:/abs/folder`, `s3://bucket`). Absent in checkpoints written
   * before 2026-12-04: taken to be the store the agent runs on.
   */
  store?: string;
  /**
   * Batches in the spool that were cut while another store was the target: they are sent to this one, but their
   * ranges claim nothing here (the log is read again for this store). Absent: none.
   */
  foreign?: string[];
}

export function emptyCheckpoint(): CheckpointData {
  return {
    version: 3,
    identity: null,
    offset: 0,
    uploadedOffset: 0,
    sessionHeader: null,
    tail: null,
    lastRow: null,
    anchors: null,
    generation: 0,
    note: null,
    updatedAt: '',
  };
}

/** The store a checkpoint's claims are about, as the checkpoint names it. */
export function storeIdOf(store: { kind: 'local' | 's3'; description: string }): string {
  return store.kind === 'local' ? `local:${resolve(store.description)}` : store.description;
}

/**
 * The checkpoint as a claim about `store`. One written for another store (the target changed: a deploy moved the
 * agent from the local folder to its bucket) claims nothing here: the agent starts from an empty one, so the log
 * is placed by what this store holds of it (store-claim.ts; nothing, for a new bucket: the whole log is sent), and
 * the batches the spool still holds for the old store (`spooled`) are sent here too but claim no range.
 *
 *   checkpointForStore(saved, 's3://b', ['ab-0-9']) → { checkpoint: { …empty, store: 's3://b', foreign: ['ab-0-9'] },
 *                                                       changedFrom: 'local:/home/ann/store' }
 */
export function checkpointForStore(
  saved: CheckpointData | null,
  store: string,
  spooled: readonly string[],
): { checkpoint: CheckpointData; changedFrom: string | null } {
  const changedFrom = saved?.store !== undefined && saved.store !== store ? saved.store : null;
  const { foreign: kept, ...rest } = changedFrom === null ? (saved ?? emptyCheckpoint()) : emptyCheckpoint();
  // After a change every spooled batch is foreign; on the same store, those that have left the spool are forgotten.
  const foreign = changedFrom === null ? (kept ?? []).filter((id) => spooled.includes(id)) : [...spooled];
  return {
    checkpoint: foreign.length > 0 ? { ...rest, store, foreign } : { ...rest, store },
    changedFrom,
  };
}

/**
 * Whether the store holds some of the log by this checkpoint: bytes were sealed before the first batch the spool
 * still holds of it (a batch leaves the spool once stored). `uploadedOffset` cannot say it: it is written at seals,
 * so after the first batch is stored it still says 0.
 *
 *   logStored({ identity, offset: 9000, … }, [])                                 → true (all stored)
 *   logStored({ identity, offset: 9000, … }, [{ fileId, start: 0, batchId }])     → false (the first batch waits)
 */
export function logStored(
  checkpoint: CheckpointData,
  spooled: readonly { fileId: string; start: number; batchId: string }[],
): boolean {
  if (checkpoint.identity === null) return false;
  return (
    Math.min(checkpoint.offset, ...spooledStarts(spooled, checkpoint.identity.fileId, checkpoint.foreign)) > 0
  );
}

/**
 * Where the batches the spool still holds of the log `fileId` start, leaving out those cut for another store
 * (`foreign`: their ranges claim nothing here). What is sealed before the smallest of them is stored.
 */
export function spooledStarts(
  spooled: readonly { fileId: string; start: number; batchId: string }[],
  fileId: string,
  foreign: readonly string[] = [],
): number[] {
  return spooled.filter((m) => m.fileId === fileId && !foreign.includes(m.batchId)).map((m) => m.start);
}

/** A store as storeIdOf names it, in words: 'local:/x' → 'the local folder /x'; 's3://b' as it is. */
export function storeName(id: string): string {
  return id.startsWith('local:') ? `the local folder ${id.slice('local:'.length)}` : id;
}

/** What the agent tells a person when it starts on another store than its checkpoint's (checkpointForStore). */
export function storeChangeNotice(from: string, now: CheckpointData): ErrorData {
  const to = storeName(now.store ?? '');
  const waiting = now.foreign?.length ?? 0;
  return {
    code: 'TARGET_CHANGED',
    message:
      `The target changed from ${storeName(from)} to ${to}: the log is read again from what ${to} holds of it, so the rows ` +
      `sent before the change go there too` +
      (waiting > 0
        ? `; ${plural(waiting, 'batch', 'batches')} the old target had not taken yet go there as well (a row in both may be stored twice there; the charts count it once).`
        : '.'),
  };
}

export async function loadCheckpoint(path: string): Promise<CheckpointData | null> {
  const data = await readStateJson(path);
  if (data === undefined) return null;
  const problem = checkpointProblem(data);
  if (problem) throw damagedStateFile(path, problem);
  const saved = data as Omit<CheckpointData, 'version'> & { version: 1 | 2 | 3 };
  // Version 1 (before resume checks) had no tail and no last row: the offset is checked against the log alone.
  // Version 2 had no anchors: a damaged log is then searched by time stamp (resume-point.ts).
  return {
    ...emptyCheckpoint(),
    ...saved,
    version: 3,
    tail: saved.tail ?? null,
    lastRow: saved.lastRow ?? null,
    anchors: saved.anchors ?? null,
    generation: saved.generation ?? 0,
    note: saved.note ?? null,
  };
}

export async function saveCheckpoint(path: string, data: CheckpointData): Promise<void> {
  await writeFileAtomic(path, `${JSON.stringify(data)}\n`);
}

const LOCAL = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/;

/** What is wrong with a parsed checkpoint, in words, or null when it is one. */
export function checkpointProblem(data: unknown): string | null {
  if (!isRecord(data)) return `it holds ${shown(data)}, not a checkpoint object`;
  if (data.version !== 1 && data.version !== 2 && data.version !== 3)
    return `version is ${shown(data.version)} (this agent reads 1 to 3)`;
  const id = data.identity;
  if (id !== null) {
    if (!isRecord(id)) return `identity is ${shown(id)}`;
    if (
      !isHex(id.fingerprint, 64) ||
      id.fileId !== id.fingerprint.slice(0, 12) ||
      !isOffset(id.length) ||
      id.length === 0
    )
      return 'identity is not a file fingerprint ({ fileId, length, fingerprint })';
  }
  if (!isOffset(data.offset)) return `offset is ${shown(data.offset)}, not a byte position`;
  if (id === null && data.offset !== 0)
    return `offset is ${data.offset} but no log file is named (identity is null)`;
  if (!isOffset(data.uploadedOffset) || data.uploadedOffset > data.offset)
    return `uploadedOffset is ${shown(data.uploadedOffset)}, not a byte position up to offset`;
  const header = data.sessionHeader;
  if (header !== null && (typeof header !== 'string' || !isHeaderLine(Buffer.from(header, 'latin1'))))
    return `sessionHeader is ${shown(header)}, not a log header line`;
  const tail = data.tail;
  if (tail !== undefined && tail !== null) {
    if (!isRecord(tail) || !isOffset(tail.length) || !isHex(tail.sha256, 64)) return `tail is ${shown(tail)}`;
  }
  const row = data.lastRow;
  if (row !== undefined && row !== null) {
    if (!isRecord(row) || typeof row.local !== 'string' || !LOCAL.test(row.local) || !isHex(row.sha256, 64))
      return `lastRow is ${shown(row)}`;
    if (row.t !== undefined && !Number.isSafeInteger(row.t))
      return `lastRow.t is ${shown(row.t)}, not an instant`;
  }
  if (data.anchors !== undefined && data.anchors !== null && !isAnchorList(data.anchors))
    return `anchors is ${shown(data.anchors)}, not a list of [at, length, sha256] lines`;
  if (data.generation !== undefined && !isOffset(data.generation))
    return `generation is ${shown(data.generation)}`;
  if (data.note !== undefined && data.note !== null && typeof data.note !== 'string')
    return `note is ${shown(data.note)}`;
  if (data.store !== undefined && (typeof data.store !== 'string' || data.store === ''))
    return `store is ${shown(data.store)}, not a store's name`;
  if (
    data.foreign !== undefined &&
    !(Array.isArray(data.foreign) && data.foreign.every((id) => typeof id === 'string'))
  )
    return `foreign is ${shown(data.foreign)}, not a list of batch ids`;
  return null;
}
