import { AppError } from '../../shared/errors';
import { createLogParser } from '../../shared/parse';
import type { Column, RowEvent } from '../../shared/parse/types';
import { type BatchBuilder, createBatchBuilder, type SealedBatch } from './batch';
import { toSpoolEntry } from './batch-object';
import { type CheckpointData, saveCheckpoint } from './checkpoint';
import type { FileIdentity } from './file-identity';
import type { Spool, SpoolManifest } from './spool';
import { createTailer, type TailEvent } from './tailer';

/**
 * Log → spool: reads complete lines, cuts them into batches and spools each sealed batch before the
 * checkpoint moves past it.
 *
 *   const ingest = createIngest({ logPath, checkpoint, spool, … })
 *   await ingest.readSome()  → { caughtUp: true, sealed: [manifest…] }  (batches sealed by size or session)
 *   await ingest.sealOpen()  → [manifest] (interval, upload now, stop)
 *
 * Crash windows (docs/delivery.md): a batch's body and manifest are written atomically before the
 * checkpoint advances; after a crash between the two, the spool's furthest end for the file is where reading
 * resumes, so a range is never cut twice. `holding` marks batches whose checkpoint is not yet on disk: the
 * uploader leaves them alone until it is.
 */
export interface IngestOptions {
  logPath: string;
  checkpointPath: string;
  checkpoint: CheckpointData;
  spool: Spool;
  host: string;
  timeZone: string;
  compress: boolean;
  maxBatchBytes: number;
  now: () => number;
  onEvent?: (event: IngestEvent) => void;
  onRows?: (rows: RowEvent[], columns: Column[]) => void;
  onBytesRead?: (bytes: number) => void;
  onDropped?: (dropped: SpoolManifest[]) => void;
}

/** What the tailer saw, plus `refused`: the file is no sensor log (nothing of it is sent until it is replaced). */
export type IngestEvent = TailEvent | { type: 'refused'; error: AppError };

export function createIngest(options: IngestOptions) {
  const { spool } = options;
  const checkpoint: CheckpointData = { ...options.checkpoint };
  const holding = new Set<string>();
  const resumeFor = (identity: FileIdentity) => {
    const spooled = spool.maxEndFor(identity.fileId);
    const same = checkpoint.identity?.fileId === identity.fileId;
    let offset = same ? checkpoint.offset : 0;
    let header = same ? checkpoint.sessionHeader : null;
    if (spooled !== null && spooled > offset) {
      offset = spooled;
      header =
        spool.list().find((m) => m.fileId === identity.fileId && m.end === spooled)?.sessionHeader ?? null;
    }
    return { offset, header };
  };
  const start = checkpoint.identity ? resumeFor(checkpoint.identity) : { offset: 0, header: null };
  const tailer = createTailer({
    path: options.logPath,
    identity: checkpoint.identity,
    offset: start.offset,
    startOffsetFor: (identity) => resumeFor(identity).offset,
  });
  let identity = checkpoint.identity;
  let builder: BatchBuilder | null = identity ? newBuilder(identity, start.offset, start.header) : null;

  function newBuilder(id: FileIdentity, offset: number, header: string | null): BatchBuilder {
    return createBatchBuilder({
      fileId: id.fileId,
      offset,
      sessionHeader: header === null ? null : Buffer.from(header, 'latin1'),
      maxBatchBytes: options.maxBatchBytes,
      createParser: () => createLogParser({ timeZone: options.timeZone }),
      ...(options.onRows ? { onRows: options.onRows } : {}),
      now: options.now,
    });
  }

  async function spoolSealed(sealed: SealedBatch, id: FileIdentity): Promise<SpoolManifest> {
    const { manifest, body } = await toSpoolEntry(sealed, {
      host: options.host,
      compress: options.compress,
      timeZone: options.timeZone,
      now: new Date(options.now()),
    });
    holding.add(manifest.batchId);
    const dropped = await spool.add(manifest, body);
    if (dropped.length > 0) options.onDropped?.(dropped);
    checkpoint.identity = id;
    checkpoint.offset = sealed.end;
    checkpoint.sessionHeader = manifest.sessionHeader;
    checkpoint.uploadedOffset = Math.min(
      sealed.start,
      ...spool
        .list()
        .filter((m) => m.fileId === id.fileId)
        .map((m) => m.start),
    );
    checkpoint.updatedAt = new Date(options.now()).toISOString();
    await saveCheckpoint(options.checkpointPath, checkpoint);
    holding.delete(manifest.batchId);
    return spool.get(manifest.batchId) ?? { ...manifest, seq: 0 };
  }

  async function sealOpen(): Promise<SpoolManifest[]> {
    const sealed = builder?.seal();
    return sealed && identity ? [await spoolSealed(sealed, identity)] : [];
  }

  async function readSome(maxBytes: number): Promise<{ caughtUp: boolean; sealed: SpoolManifest[] }> {
    const sealed: SpoolManifest[] = [];
    let read = 0;
    do {
      const events = await tailer.poll(Math.min(1 << 20, maxBytes));
      for (const event of events) {
        options.onEvent?.(event);
        if (event.type === 'data' && builder && identity) {
          read += event.bytes.length;
          options.onBytesRead?.(event.bytes.length);
          let batches: SealedBatch[];
          try {
            batches = builder.append(event.bytes);
          } catch (error) {
            if (!(error instanceof AppError && error.code === 'UNKNOWN_FORMAT')) throw error;
            // Nothing of it was sealed: refuse the whole file until another one takes its place.
            builder = null;
            options.onEvent?.({ type: 'refused', error: notALog(options.logPath, error) });
            continue;
          }
          for (const batch of batches) sealed.push(await spoolSealed(batch, identity));
        } else if (event.type === 'lost') {
          // The old file's complete lines still in memory go out; its unread tail is gone with it.
          sealed.push(...(await sealOpen()));
          builder = null;
          identity = null;
        } else if (event.type === 'file') {
          identity = event.identity;
          builder = newBuilder(event.identity, event.offset, resumeFor(event.identity).header);
        }
      }
    } while (!tailer.caughtUp && read < maxBytes);
    return { caughtUp: tailer.caughtUp, sealed };
  }

  return {
    readSome,
    sealOpen,
    isHeld: (batchId: string) => holding.has(batchId),
    /** The open batch as it would be sealed now (null when it has no data line). */
    peekOpen: () => builder?.peek() ?? null,
    get openedAt() {
      return builder?.openedAt ?? null;
    },
    get openBytes() {
      return builder?.openBytes ?? 0;
    },
    get checkpoint(): Readonly<CheckpointData> {
      return checkpoint;
    },
  };
}

export type Ingest = ReturnType<typeof createIngest>;

function notALog(path: string, error: AppError): AppError {
  return new AppError(
    'NOT_A_LOG',
    `${path} is not a sensor log: ${error.message.replace(/^This is not a log format GPU-Z Cloud can read: /, '')}`,
    `Point the log file setting (--file) at GPU-Z's "GPU-Z Sensor Log.txt" (GPU-Z: Sensors tab → "Log to file"), an HWiNFO CSV or nvidia-smi CSV. ${error.advice ?? ''}`.trim(),
    { cause: error },
  );
}
