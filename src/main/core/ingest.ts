import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { AppError } from '../../shared/errors';
import { createLogParser } from '../../shared/parse';
import type { Column, RowEvent } from '../../shared/parse/types';
import { type BatchBuilder, createBatchBuilder, type SealedBatch } from './batch';
import { toSpoolEntry } from './batch-object';
import { type CheckpointData, saveCheckpoint, spooledStarts } from './checkpoint';
import type { FileIdentity } from './file-identity';
import type { KeepResult, LogCopies, LogCopy } from './log-copies';
import { completeLinesEnd } from './log-lines';
import { joinAnchors } from './resume-anchors';
import { findEditedResumePoint, findResumePoint, type ResumeClaim, type ResumePoint } from './resume-point';
import type { Spool, SpoolManifest } from './spool';
import { stateWriteError } from './state-file';
import { createTailer, LOG_READ_BYTES, type TailEvent } from './tailer';

/**
 * Log → spool: reads complete lines, cuts them into batches and spools each sealed batch before the
 * checkpoint moves past it.
 *
 *   const ingest = createIngest({ logPath, checkpoint, spool, claimFromStore, … })
 *   await ingest.readSome()  → { caughtUp: true, sealed: [manifest…] }  (batches sealed by size or session)
 *   await ingest.sealOpen()  → [manifest] (interval, upload now, stop)
 *
 * Where reading starts in a log (at start, for a new log, and when the log changed under the position) is
 * decided here, from what is claimed sealed of it — the checkpoint, the spool (a crash between spooling and the
 * checkpoint), or for a log neither knows the store itself (a lost or deleted checkpoint) — and verified against
 * the log's bytes (resume-point.ts): a claim that no longer holds is replaced by the resume point found by
 * content, said in a `resumed` event and saved at once. Crash windows: see docs/delivery.md. `holding` marks
 * batches whose checkpoint is not yet on disk: the uploader leaves them alone until it is.
 */
export interface IngestOptions {
  logPath: string;
  checkpointPath: string;
  checkpoint: CheckpointData;
  /** updatedAt of checkpoint.json on disk as this ingest starts (absent: none there): wroteCheckpoint counts it. */
  checkpointOnDiskAt?: string | undefined;
  spool: Spool;
  host: string;
  timeZone: string;
  compress: boolean;
  /** zlib level of the raw batches (batch-object.ts GZIP_LEVEL). */
  gzipLevel?: number;
  maxBatchBytes: number;
  now: () => number;
  onEvent?: (event: IngestEvent) => void;
  /**
   * Every row read, with its values (the live view); without it rows are only counted (onRowCount, cheaper).
   * `counted` false: rows an earlier run read and counted (before `countedUpTo`), shown again but not new.
   */
  onRows?: (rows: RowEvent[], columns: Column[], counted: boolean) => void;
  /**
   * Rows to count, without their values: every row without onRows, and a log copy's rows (shown while unplaced);
   * never those before `countedUpTo`.
   */
  onRowCount?: (rows: number) => void;
  /** Bytes of the log read for the first time (not those before `countedUpTo`, nor read again after a rewind). */
  onBytesRead?: (bytes: number) => void;
  /**
   * Where an earlier run had read this log to when its counters were saved (stats.json): the lines before it are
   * cut into batches again after a crash, but their rows and bytes are not counted again. Taken only while the log
   * holds the same bytes just before it (a log cut by a power loss, then written on, is counted anew).
   */
  countedUpTo?: ReadPosition | null;
  /**
   * Awaited before each batch goes into the spool (its claim, and then the checkpoint, move past its end): the agent
   * saves its counters with how far the log was read (`readTo`, past that end), so no crash leaves a claim ahead of
   * the rows counted — a restart after it would read on behind rows it never counted. Its failure does not stop
   * the batch.
   */
  beforeSpool?: () => Promise<void>;
  /** A batch is in the spool and its checkpoint on disk: it may be sent now. */
  onSpooled?: (manifest: Omit<SpoolManifest, 'seq'>) => void;
  onDropped?: (dropped: SpoolManifest[]) => void;
  /**
   * Reading will start at `offset` of this log, in the session `header` names (null: the range starts with its own
   * header): the agent fills its live view from the rows before it (recent-rows.ts). Awaited, so those rows come
   * before any row read after them.
   */
  onPlaced?: (at: { offset: number; header: Buffer | null }) => Promise<void>;
  /** What the store holds of a log the checkpoint and the spool know nothing of (null: nothing); may throw. */
  claimFromStore?: (identity: FileIdentity) => Promise<StoredClaim | null>;
  /**
   * The claim of the newest batch in the store, whatever its log: asked for a log no claim knows when nothing here
   * remembers the log read before (a lost or repaired checkpoint), to find it edited (`editedFrom`). Throws like
   * claimFromStore.
   */
  newestFromStore?: () => Promise<StoredClaim | null>;
  /**
   * The store could not be asked (claimFromStore threw): nothing of this log is read for delivery yet. The agent
   * may show the log's rows meanwhile (reading for display only; the checkpoint does not move). Awaited.
   */
  onUnplaced?: (identity: FileIdentity) => Promise<void>;
  /**
   * Where a log that could not be placed is copied at each look (log-copies.ts), so that GPU-Z overwriting it before
   * the store answers loses none of its rows: the copies are read, oldest first, before any other log is placed.
   */
  copies?: LogCopies;
  /**
   * The checkpoint was written for another store (checkpoint.ts checkpointForStore): the log's place in this store
   * is saved at the first placement, and the batches cut for the other store (`foreign`) are held until then — sent
   * before it, a kill would leave this store holding their ranges alone, and a restart, asking the store, would
   * take them for all of the log before them.
   */
  storeChanged?: boolean;
}

/** A resume claim with its generation (see checkpoint.ts). */
export type StoredClaim = ResumeClaim & { generation: number };

export type ClaimSource = 'checkpoint' | 'spool' | 'store';

/** What the tailer saw, plus what ingest decided. */
export type IngestEvent =
  | TailEvent
  /** The file is no sensor log: nothing of it is sent until another file takes its place. */
  | { type: 'refused'; error: AppError }
  /** A claim did not hold (or came from the store): reading resumes at `point.offset`. */
  | { type: 'resumed'; source: ClaimSource; claimed: number; point: ResumePoint; note: string }
  /**
   * A damaged line's broken start (a partial row before a NUL run or a header) is in no batch; `overlong`: a line
   * longer than a whole read (a NUL hole of megabytes, bytes that are no log line).
   */
  | { type: 'damaged'; offset: number; bytes: number; overlong?: true }
  /** The log could not be placed (the store out of reach): its bytes are kept in a copy until it can be. */
  | { type: 'copy-begun'; fileId: string; path: string }
  /** The copies reached their cap: the log holds more than its copy (those rows wait in the log only). */
  | { type: 'copy-capped'; fileId: string; bytes: number }
  /** A copy is of no sensor log (a file that took the log's place): deleted, nothing of it sent. */
  | { type: 'copy-refused'; fileId: string; reason: string }
  /** A copy was read for delivery (its batches are in the spool) and deleted; `rows` were not in the store. */
  | {
      type: 'copy-sent';
      fileId: string;
      rows: number;
      batches: number;
      /** The time stamps of the first and last row sent, as the log wrote them (null: no row was sent). */
      firstLocal: string | null;
      lastLocal: string | null;
      from: number;
      bytes: number;
    }
  /** A copy that cannot be read now (no access, locked): left in place, tried again at the next log or start. */
  | { type: 'copy-unreadable'; fileId: string; path: string; code: string };

/** How far a log was read: `check` tells the bytes just before `offset` (readCheck) from other ones. */
export interface ReadPosition {
  fileId: string;
  offset: number;
  check: number;
}

/** Bytes before a read position that its `check` covers. */
const CHECK_BYTES = 256;

/** A 48-bit number of the last CHECK_BYTES bytes up to a read position (a JSON number, exact). */
function readCheck(before: Uint8Array): number {
  return Number.parseInt(sha256(before.subarray(-CHECK_BYTES)).slice(0, 12), 16);
}

/** Whether the log at `path` holds the bytes `position.check` tells just before `position.offset`. */
async function stillHolds(path: string, position: ReadPosition): Promise<boolean> {
  const length = Math.min(CHECK_BYTES, position.offset);
  const handle = await open(path, 'r').catch(() => null);
  if (!handle) return false;
  try {
    const bytes = Buffer.alloc(length);
    const { bytesRead } = await handle.read(bytes, 0, length, position.offset - length);
    return bytesRead === length && readCheck(bytes) === position.check;
  } finally {
    await handle.close();
  }
}

export function createIngest(options: IngestOptions) {
  const { spool } = options;
  let checkpoint: CheckpointData = { ...options.checkpoint };
  const holding = new Set<string>();
  /** The store changed and the log has not been placed in the new one yet (storeChanged). */
  let switching = options.storeChanged === true;
  let tailer = createTailer({ path: options.logPath });
  /** The checkpoint in memory is ahead of the one on disk (its save failed): saved before anything else is. */
  let unsaved = false;
  /**
   * updatedAt of the checkpoint on disk as this ingest left it (or found it) and of the one it is writing now: the
   * file is one of them (a look at it between the rename and the end of the write finds the new one).
   */
  const written = { saved: options.checkpointOnDiskAt, writing: undefined as string | undefined };
  /**
   * How far this log was read (and its rows counted, shown, said damaged) before a rewind: lines up to there are cut
   * into batches again but not reported again. `rereading` is true while such lines go through the builder.
   */
  let readUpTo: { fileId: string; offset: number } | null = null;
  let rereading = false;
  /**
   * How far an earlier run read this log and counted its rows (options.countedUpTo, until the log is found not to
   * hold it): lines up to there are reported to the live view again, but not counted. `recounting` is true while
   * such lines go through the builder.
   */
  let countedBefore = options.countedUpTo ?? null;
  let recounting = false;
  /** Where this log is read to now, for the counters (stats.json): the earlier run's until reading goes past it. */
  let readTo = options.countedUpTo ?? null;
  /** The last CHECK_BYTES bytes before the reading position (readTo.check). */
  let tail: Buffer = Buffer.alloc(0);
  /**
   * Batches cut from lines read, in order, not in the spool yet. Normally each leaves as its spool write ends; after
   * a failed look (a full disk) they stay in memory and are spooled first at the next look, before the log is read
   * again: if GPU-Z replaced the log meanwhile, the lines already read are not lost with the old file.
   */
  let unspooled: { sealed: SealedBatch; id: FileIdentity }[] = [];
  let identity: FileIdentity | null = null;
  let builder: BatchBuilder | null = null;
  /** Log copies may be waiting (null: not looked yet; a run that ended before sending one leaves it). */
  let copiesLeft: boolean | null = null;
  /** Copies said to be unreadable in this run (each said once). */
  const saidUnreadable = new Set<string>();
  /** Copies whose cap was said (once each). */
  const cappedCopies = new Set<string>();

  /** `after`: the instant of the last row sealed before `offset` (a repeated DST hour is read in the right pass). */
  function newBuilder(
    id: FileIdentity,
    offset: number,
    header: Buffer | null,
    generation: number,
    after: number | undefined,
    /** A log's copy: its rows are counted, not shown (the view showed them while the log was unplaced). */
    counted = false,
  ) {
    return createBatchBuilder({
      fileId: id.fileId,
      offset,
      sessionHeader: header,
      generation,
      maxBatchBytes: options.maxBatchBytes,
      createParser: (extra) => createLogParser({ timeZone: options.timeZone, after, ...extra }),
      ...(options.onRows && !counted
        ? {
            onRows: (rows: RowEvent[], columns: Column[]) =>
              rereading || options.onRows?.(rows, columns, !recounting),
          }
        : {}),
      ...(options.onRowCount
        ? { onRowCount: (rows: number) => rereading || recounting || options.onRowCount?.(rows) }
        : {}),
      onDamaged: (at, bytes, overlong) =>
        rereading ||
        recounting ||
        options.onEvent?.({ type: 'damaged', offset: at, bytes, ...(overlong ? { overlong } : {}) }),
      now: options.now,
    });
  }

  /** The furthest claim the checkpoint or the spool makes for this log (highest generation, then offset). */
  function localClaim(id: FileIdentity): { claim: StoredClaim; source: ClaimSource } | null {
    const claims: { claim: StoredClaim; source: ClaimSource }[] = [];
    if (checkpoint.identity?.fileId === id.fileId) {
      const { offset, tail, lastRow, anchors, sessionHeader, generation } = checkpoint;
      claims.push({
        source: 'checkpoint',
        claim: { offset, tail, lastRow, anchors, sessionHeader, generation },
      });
    }
    for (const m of spool.list()) {
      if (m.fileId !== id.fileId || isForeign(m.batchId)) continue;
      claims.push({
        source: 'spool',
        claim: {
          offset: m.end,
          tail: m.tail ?? null,
          lastRow: m.lastRow ?? null,
          anchors: m.anchors ?? null,
          sessionHeader: m.sessionHeader,
          generation: m.generation ?? 0,
        },
      });
    }
    const later = (a: StoredClaim, b: StoredClaim) =>
      a.generation !== b.generation ? a.generation > b.generation : a.offset > b.offset;
    return claims.reduce<(typeof claims)[number] | null>(
      (best, c) => (best === null || later(c.claim, best.claim) ? c : best),
      null,
    );
  }

  /** What the store holds of a log (null: nothing, or no store to ask); throws when it cannot be asked. */
  async function storeClaim(id: FileIdentity): Promise<{ claim: StoredClaim; source: ClaimSource } | null> {
    const stored = (await options.claimFromStore?.(id)) ?? null;
    return stored && { claim: stored, source: 'store' };
  }

  /**
   * Decides where reading starts in this log and tells the tailer. The copies of logs that could not be placed go
   * first (their rows came before this log's). When the store cannot be asked, a log no claim here knows is copied
   * (log-copies.ts) and nothing of it is read for delivery yet.
   */
  async function place(id: FileIdentity): Promise<void> {
    let found = localClaim(id);
    let unreadableLeft = false;
    /** The store's newest batch, asked when nothing here remembers the log read before (an edited log's basis). */
    let newest: StoredClaim | null = null;
    try {
      unreadableLeft = await sendCopies(id.fileId);
      found ??= await storeClaim(id);
      if (!found && !checkpoint.identity) newest = (await options.newestFromStore?.()) ?? null;
    } catch (error) {
      if (!found) await keepCopy(id);
      await options.onUnplaced?.(id);
      throw error;
    }
    // A log no claim knows may still be the one read before, edited: its rows up to the claim's last lines are stored.
    const edited = found ? null : await editedFrom(id, newest);
    const point = edited?.point ?? (await findResumePoint(options.logPath, found?.claim ?? null));
    /** The claim reading resumes from, and where it was found: this log's own, or the edited log's. */
    const basis = found ?? edited;
    // New keys for what follows a resume by content: never the key of an older batch with other bytes.
    const generation = (found?.claim.generation ?? 0) + (point.verified ? 0 : 1);
    identity = id;
    builder = newBuilder(id, point.offset, point.header, generation, basis?.claim.lastRow?.t);
    tailer.seek(point.offset, point.before);
    tail = Buffer.from(point.before.subarray(-CHECK_BYTES));
    if (
      countedBefore &&
      (countedBefore.fileId !== id.fileId || !(await stillHolds(options.logPath, countedBefore)))
    )
      countedBefore = null;
    const resumed = found !== null && (!point.verified || found.source === 'store');
    // Copies sent just now moved the checkpoint to their logs: this log's own claim (read before them) is saved again.
    const moved = found?.source === 'checkpoint' && checkpoint.identity?.fileId !== id.fileId;
    // Batches in the spool reach past the checkpoint (one rebuilt from the store by repair while they waited out an
    // outage): saved now, or once they are sent and gone the checkpoint is the furthest claim, and the next start
    // reads their bytes again into batches of other keys (a soak stored 421 rows twice so).
    const behind = found?.source === 'spool';
    if (resumed || switching || moved || behind || edited) {
      const note = edited
        ? describeEdited(edited.claim, point)
        : found && (resumed || switching)
          ? describeResume(found.source, found.claim, point)
          : null;
      checkpoint = {
        ...checkpoint,
        identity: id,
        offset: point.offset,
        uploadedOffset: Math.min(point.offset, ...startsOf(id)),
        sessionHeader: point.header?.toString('latin1') ?? null,
        tail: { length: point.before.length, sha256: sha256(point.before) },
        lastRow: basis?.claim.lastRow ?? null,
        anchors: point.anchors,
        generation,
        note: point.verified || note === null ? checkpoint.note : note,
        updatedAt: new Date(options.now()).toISOString(),
      };
      await writeCheckpoint();
      switching = false;
      if (basis && note !== null) {
        options.onEvent?.({
          type: 'resumed',
          source: basis.source,
          claimed: basis.claim.offset,
          point,
          note,
        });
      }
    }
    if (copiesLeft !== false) {
      // The log is placed: a copy of it (begun while it could not be) is not needed any more. A copy that could not
      // be read is tried again when the next log is placed (or at the next start).
      await options.copies?.remove(id.fileId);
      copiesLeft = unreadableLeft ? null : false;
    }
    await options.onPlaced?.({ offset: point.offset, header: point.header });
  }

  /**
   * The claim of the log read before this one (the checkpoint's, another identity; without one, the store's newest
   * batch) and where this one resumes, when it holds that claim's last lines at other places (an edited log); null
   * otherwise (a new log: read from its start).
   */
  async function editedFrom(
    id: FileIdentity,
    newest: StoredClaim | null,
  ): Promise<{ claim: StoredClaim; source: ClaimSource; point: ResumePoint } | null> {
    const before = checkpoint.identity;
    if (before?.fileId === id.fileId) return null;
    const found = before ? localClaim(before) : newest && { claim: newest, source: 'store' as const };
    if (!found?.claim.anchors?.length) return null;
    const point = await findEditedResumePoint(options.logPath, found.claim.anchors);
    return point && { ...found, point };
  }

  async function keepCopy(id: FileIdentity): Promise<void> {
    if (!options.copies) return;
    let kept: KeepResult;
    try {
      kept = await options.copies.keep(options.logPath, id);
    } catch (error) {
      throw stateWriteError(error, options.copies.dir);
    }
    copiesLeft = true;
    if (kept.began) options.onEvent?.({ type: 'copy-begun', fileId: id.fileId, path: kept.path });
    if (kept.capped && !cappedCopies.has(id.fileId)) {
      cappedCopies.add(id.fileId);
      options.onEvent?.({ type: 'copy-capped', fileId: id.fileId, bytes: kept.bytes });
    }
  }

  /** Reads every copy but `except`'s (the log being placed) for delivery, oldest first; throws if the store cannot be asked. */
  async function sendCopies(except: string): Promise<boolean> {
    if (!options.copies || copiesLeft === false) return false;
    const found = await options.copies.list();
    for (const copy of found.copies) {
      if (copy.identity.fileId !== except) await sendCopy(copy);
    }
    // Another log's copy without a complete line is never extended (only the log being read is): nothing to send.
    for (const lineless of found.lineless) {
      if (lineless.fileId !== except) await options.copies.remove(lineless.fileId);
    }
    for (const { fileId, path, code } of found.unreadable) {
      if (saidUnreadable.has(fileId)) continue;
      saidUnreadable.add(fileId);
      options.onEvent?.({ type: 'copy-unreadable', fileId, path, code });
    }
    return found.unreadable.length > 0;
  }

  /** A copy's lines after what is claimed of its log, cut and spooled like the log's own; then the copy goes. */
  async function sendCopy(copy: LogCopy): Promise<void> {
    const id = copy.identity;
    const found = localClaim(id) ?? (await storeClaim(id));
    const point = await findResumePoint(copy.path, found?.claim ?? null);
    const generation = (found?.claim.generation ?? 0) + (point.verified ? 0 : 1);
    const from = newBuilder(id, point.offset, point.header, generation, found?.claim.lastRow?.t, true);
    let rows = 0;
    let batches = 0;
    let firstLocal: string | null = null;
    let lastLocal: string | null = null;
    const spoolAll = async (sealed: SealedBatch[]) => {
      for (const batch of sealed) {
        unspooled.push({ sealed: batch, id });
        await spoolSealed(batch, id);
        rows += batch.rows;
        batches += 1;
        firstLocal ??= batch.firstLocal;
        lastLocal = batch.lastLocal ?? lastLocal;
      }
    };
    const handle = await open(copy.path, 'r');
    try {
      const buffer = Buffer.allocUnsafe(LOG_READ_BYTES);
      for (let at = point.offset; ; ) {
        const { bytesRead } = await handle.read(buffer, 0, buffer.length, at);
        let whole = completeLinesEnd(buffer.subarray(0, bytesRead));
        // A line longer than the buffer (a NUL hole): passed on in pieces, as the tailer does; the builder skips them.
        if (whole === 0 && bytesRead === buffer.length) whole = bytesRead;
        if (whole === 0) break; // the copy's end (a partial line: GPU-Z was writing it as the log was replaced)
        let sealed: SealedBatch[];
        try {
          sealed = from.append(Buffer.from(buffer.subarray(0, whole)));
        } catch (error) {
          if (!(error instanceof AppError && error.code === 'UNKNOWN_FORMAT')) throw error;
          // Not a sensor log (a file that took the log's place): nothing of it is sent, as when read in place.
          await options.copies?.remove(id.fileId);
          options.onEvent?.({ type: 'copy-refused', fileId: id.fileId, reason: error.message });
          return;
        }
        await spoolAll(sealed);
        at += whole;
      }
    } finally {
      await handle.close();
    }
    const last = from.seal();
    await spoolAll(last ? [last] : []);
    await options.copies?.remove(id.fileId);
    options.onEvent?.({
      type: 'copy-sent',
      fileId: id.fileId,
      rows,
      batches,
      firstLocal,
      lastLocal,
      from: point.offset,
      bytes: copy.bytes,
    });
  }

  function startsOf(id: FileIdentity): number[] {
    return spooledStarts(spool.list(), id.fileId, checkpoint.foreign);
  }

  /** A batch cut for another store (checkpoint.ts `foreign`): sent here, but its range is no claim here. */
  function isForeign(batchId: string): boolean {
    return checkpoint.foreign?.includes(batchId) ?? false;
  }

  /** The batch's spool entry (its gzip runs on libuv's pool: reading may go on meanwhile). */
  function entryOf(sealed: SealedBatch): ReturnType<typeof toSpoolEntry> {
    return toSpoolEntry(sealed, {
      host: options.host,
      compress: options.compress,
      ...(options.gzipLevel !== undefined ? { gzipLevel: options.gzipLevel } : {}),
      timeZone: options.timeZone,
      now: new Date(options.now()),
    });
  }

  async function spoolSealed(
    sealed: SealedBatch,
    id: FileIdentity,
    entry: ReturnType<typeof toSpoolEntry> = entryOf(sealed),
  ): Promise<SpoolManifest> {
    const { manifest, body } = await entry;
    await options.beforeSpool?.().catch(() => undefined);
    holding.add(manifest.batchId);
    let dropped: SpoolManifest[];
    try {
      dropped = await spool.add(manifest, body, sealed.body);
    } catch (error) {
      holding.delete(manifest.batchId);
      throw stateWriteError(error, spool.dir);
    }
    unspooled = unspooled.filter((waiting) => waiting.sealed !== sealed);
    if (dropped.length > 0) options.onDropped?.(dropped);
    checkpoint = {
      ...checkpoint,
      identity: id,
      offset: sealed.end,
      sessionHeader: manifest.sessionHeader,
      uploadedOffset: Math.min(sealed.start, ...startsOf(id)),
      tail: sealed.tail,
      lastRow: sealed.lastRow ?? (checkpoint.identity?.fileId === id.fileId ? checkpoint.lastRow : null),
      anchors: joinAnchors(
        checkpoint.identity?.fileId === id.fileId ? checkpoint.anchors : null,
        sealed.anchors,
      ),
      generation: sealed.generation,
      updatedAt: new Date(options.now()).toISOString(),
    };
    unsaved = true; // until saved: the batch is in the spool, and stays held (not sent) until its checkpoint is on disk
    await saveCheckpointNow();
    options.onSpooled?.(manifest);
    return spool.get(manifest.batchId) ?? { ...manifest, seq: 0 };
  }

  /**
   * builder.append, with the first `seen` bytes (read before a rewind) cut again but not reported again, and those
   * up to `known` (an earlier run counted them) reported as not counted.
   */
  function appendOnce(into: BatchBuilder, bytes: Buffer, seen: number, known: number): SealedBatch[] {
    if (known === 0) return into.append(bytes);
    const batches: SealedBatch[] = [];
    try {
      rereading = true;
      if (seen > 0) batches.push(...into.append(bytes.subarray(0, seen)));
      rereading = false;
      recounting = true;
      if (known > seen) batches.push(...into.append(bytes.subarray(seen, known)));
    } finally {
      rereading = false;
      recounting = false;
    }
    return known < bytes.length ? [...batches, ...into.append(bytes.subarray(known))] : batches;
  }

  async function writeCheckpoint(): Promise<void> {
    written.writing = checkpoint.updatedAt;
    try {
      await saveCheckpoint(options.checkpointPath, checkpoint);
      written.saved = written.writing;
    } finally {
      written.writing = undefined;
    }
  }

  /** Saves the checkpoint in memory; then every batch spooled before it may be sent. */
  async function saveCheckpointNow(): Promise<void> {
    try {
      await writeCheckpoint();
    } catch (error) {
      throw stateWriteError(error, options.checkpointPath);
    }
    unsaved = false;
    holding.clear();
  }

  /**
   * A sealed batch could not be spooled, or its checkpoint not saved (a full disk): its lines, and those of any batch
   * behind it, are only in this process's memory. They stay there (`unspooled`, the open batch sealed with them) and
   * the next look spools them before it places the log afresh, as a restart does, after them; nothing is skipped,
   * and a log replaced meanwhile loses none of them. (Reading went on after such a batch until 2026-12-04: its rows
   * were lost; until 2026-12-05 the next look cut them again from the log, which a GPU-Z restart had emptied.)
   */
  function rewind(): void {
    // The complete lines read into the open batch are kept too (sealed now), spooled at the next look with the rest.
    const open = builder?.seal();
    if (open && identity) unspooled.push({ sealed: open, id: identity });
    tailer = createTailer({ path: options.logPath });
    builder = null;
    identity = null;
  }

  /**
   * Runs a look's work; when it fails (a batch not spooled, its checkpoint not saved, the log or the store not
   * answering mid-way), reading rewinds to what is safely stored (see rewind): the way a restart goes on.
   */
  async function rewindingOnFailure<T>(work: () => Promise<T>): Promise<T> {
    try {
      if (unsaved) await saveCheckpointNow();
      return await work();
    } catch (error) {
      rewind();
      throw error;
    }
  }

  /** What an earlier look read but could not spool, spooled first (in order): the log is placed after it. */
  async function spoolLeftBehind(): Promise<SpoolManifest[]> {
    const manifests: SpoolManifest[] = [];
    while (unspooled.length > 0) manifests.push(await spoolSealed(unspooled[0]!.sealed, unspooled[0]!.id));
    return manifests;
  }

  async function sealOpenNow(): Promise<SpoolManifest[]> {
    const behind = await spoolLeftBehind();
    const sealed = builder?.seal();
    if (!sealed || !identity) return behind;
    unspooled.push({ sealed, id: identity });
    return [...behind, await spoolSealed(sealed, identity)];
  }

  function sealOpen(): Promise<SpoolManifest[]> {
    return rewindingOnFailure(sealOpenNow);
  }

  function readSome(maxBytes: number): Promise<{ caughtUp: boolean; sealed: SpoolManifest[] }> {
    return rewindingOnFailure(() => readFromLog(maxBytes));
  }

  async function readFromLog(maxBytes: number): Promise<{ caughtUp: boolean; sealed: SpoolManifest[] }> {
    const sealed: SpoolManifest[] = await spoolLeftBehind();
    let read = 0;
    // Batches sealed by size are spooled in order on a chain, each one's gzip started at once: the next lines are
    // read and cut while the last batch compresses (at most one waits to be spooled while reading goes on).
    let spooling: Promise<void> = Promise.resolve();
    /** The chain before its last batch: awaited when two wait, so one compresses while the next is read. */
    let behind: Promise<void> = spooling;
    let waiting = 0;
    const spoolInTurn = (batch: SealedBatch, id: FileIdentity) => {
      unspooled.push({ sealed: batch, id });
      const entry = entryOf(batch);
      waiting += 1;
      behind = spooling;
      const next = spooling.then(async () => {
        sealed.push(await spoolSealed(batch, id, entry));
        waiting -= 1;
      });
      // Awaited below (or after a failure of the loop); never an unhandled rejection meanwhile.
      next.catch(() => undefined);
      spooling = next;
    };
    try {
      await readLoop(); // below: the tailer's events → batches, each spooled in turn
    } catch (error) {
      await spooling.catch(() => undefined);
      throw error;
    }
    await spooling;
    return { caughtUp: tailer.caughtUp, sealed };

    async function readLoop(): Promise<void> {
      do {
        const events = await tailer.poll(Math.min(LOG_READ_BYTES, maxBytes));
        for (const event of events) {
          options.onEvent?.(event);
          if (event.type === 'data') {
            if (!builder || !identity) continue;
            read += event.bytes.length;
            const before = readUpTo?.fileId === identity.fileId ? readUpTo.offset : 0;
            const seen = Math.min(event.bytes.length, Math.max(0, before - event.offset));
            const counted = countedBefore?.fileId === identity.fileId ? countedBefore.offset : 0;
            const known = Math.min(event.bytes.length, Math.max(seen, counted - event.offset));
            if (event.bytes.length > known) options.onBytesRead?.(event.bytes.length - known);
            let batches: SealedBatch[];
            try {
              batches = appendOnce(builder, event.bytes, seen, known);
              const end = event.offset + event.bytes.length;
              readUpTo = { fileId: identity.fileId, offset: Math.max(before, end) };
              tail = Buffer.concat([tail, event.bytes.subarray(-CHECK_BYTES)]).subarray(-CHECK_BYTES);
              if (end >= Math.max(before, counted))
                readTo = { fileId: identity.fileId, offset: end, check: readCheck(tail) };
            } catch (error) {
              if (!(error instanceof AppError && error.code === 'UNKNOWN_FORMAT')) throw error;
              // Nothing of it was sealed: refuse the whole file until another one takes its place.
              builder = null;
              options.onEvent?.({ type: 'refused', error: notALog(options.logPath, error) });
              continue;
            }
            for (const batch of batches) spoolInTurn(batch, identity);
            if (waiting > 1) await behind;
          } else if (event.type === 'lost') {
            // The old file's complete lines still in memory go out; its unread tail is gone with it.
            readUpTo = null;
            countedBefore = null;
            await spooling;
            sealed.push(...(await sealOpenNow()));
            builder = null;
            identity = null;
          } else if (event.type === 'file') {
            // 'start': this process's first look, or after a rewind
            if (event.reason === 'replaced') {
              readUpTo = null;
              countedBefore = null;
            }
            await spooling;
            await place(event.identity);
          } else if (event.type === 'changed') {
            // What was read before the change is real data: it goes out, then reading resumes by content.
            readUpTo = null;
            countedBefore = null;
            await spooling;
            sealed.push(...(await sealOpenNow()));
            await place(event.identity);
          }
        }
      } while (!tailer.caughtUp && read < maxBytes);
    }
  }

  return {
    readSome,
    sealOpen,
    isHeld: (batchId: string) => holding.has(batchId) || (switching && isForeign(batchId)),
    /** The open batch as it would be sealed now (null when it has no data line). */
    peekOpen: () => builder?.peek() ?? null,
    get openedAt() {
      return builder?.openedAt ?? null;
    },
    /**
     * Whether a checkpoint made at `updatedAt` is the one this ingest found at its start, wrote last or is writing now.
     * Another writer's is not.
     */
    wroteCheckpoint(updatedAt: string): boolean {
      return updatedAt === written.saved || updatedAt === written.writing;
    },
    get openBytes() {
      return builder?.openBytes ?? 0;
    },
    /** Bytes of the log not read yet (tailer.ts `unread`); null while reading has no place in it. */
    get unreadBytes(): number | null {
      return tailer.unread;
    },
    get checkpoint(): Readonly<CheckpointData> {
      return checkpoint;
    },
    /** How far the log is read (its rows counted), to save with the counters; null: no log read yet. */
    get readTo(): ReadPosition | null {
      return readTo;
    },
  };
}

export type Ingest = ReturnType<typeof createIngest>;

/** One sentence for status and events: what was claimed, what the log holds now, where reading goes on. */
function describeResume(source: ClaimSource, claim: StoredClaim, point: ResumePoint): string {
  const after =
    point.foundBy === 'anchors'
      ? ', after the last line already stored that the log still holds at its place'
      : claim.lastRow
        ? ` after the last row already stored (${claim.lastRow.local}, by time stamp: the stored lines it recorded are gone)`
        : '';
  if (point.verified) {
    return `No checkpoint knew this log; the store holds it up to byte ${claim.offset}: reading resumes there.`;
  }
  const what =
    point.reason === 'shrunk'
      ? `the log is shorter than the ${source} says (byte ${claim.offset}): a power loss or a truncation cut its end`
      : `the log's bytes before byte ${claim.offset} are not the ones the ${source} recorded (rewritten, NUL-filled or replaced)`;
  return `${capitalise(what)}; reading resumes by content at byte ${point.offset}${after}.`;
}

function describeEdited(claim: StoredClaim, point: ResumePoint): string {
  const row = claim.lastRow ? ` (${claim.lastRow.local})` : '';
  return `The log has another start than the log read before (edited: first rows cut away, line ends rewritten), but it holds the last rows already stored${row} at other places: reading resumes by content at byte ${point.offset}, after them, so they are not stored twice.`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function notALog(path: string, error: AppError): AppError {
  return new AppError(
    'NOT_A_LOG',
    `${path} is not a sensor log: ${error.message.replace(/^This is not a log format GPU-Z Cloud can read: /, '')}`,
    `Point the log file setting (--file) at GPU-Z's "GPU-Z Sensor Log.txt" (GPU-Z: Sensors tab → "Log to file"), an HWiNFO CSV or nvidia-smi CSV. ${error.advice ?? ''}`.trim(),
    {
      cause: error,
      gui: 'In Settings, choose GPU-Z\'s "GPU-Z Sensor Log.txt" as the sensor log (GPU-Z: Sensors tab → "Log to file"), or an HWiNFO or nvidia-smi CSV.',
    },
  );
}
