import { createHash } from 'node:crypto';
import { open, readFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip as gunzipCallback } from 'node:zlib';
import type { ErrorData } from '../../shared/errors';
import { createLogParser } from '../../shared/parse';
import type { RowEvent } from '../../shared/parse/types';
import { endFacts, type SealedBatch } from './batch';
import { toSpoolEntry } from './batch-object';
import { readIdentity } from './file-identity';
import { isHeaderLine } from './log-lines';
import { lastHeaderBefore } from './resume-point';
import { BATCH_ID, type Spool, type SpoolManifest } from './spool';

const gunzip = promisify(gunzipCallback);

/**
 * What openSpool found that is not a whole batch (spool.findings) → whole batches again where the bytes can be
 * had, else a loss said by its byte range. Nothing is deleted: damaged files go to spool/damaged/.
 *
 *   await repairSpool(spool, { logPath, host: 'gaming-pc', timeZone: 'Europe/Berlin', now })
 *   → { notices: [{ code: 'SPOOL_REMANIFESTED', message: 'spool/ab12-0-4096.csv.gz had no manifest: …' }], lost: [] }
 *
 * - a body without its manifest (deleted, garbage, a key that leaves raw/) gets a manifest made from the body;
 * - a manifest whose body is missing, short or not its sha256 gets its body cut again from the log when the log
 *   still holds the range byte for byte (same file, same sha256), else it is lost: counted, with its range;
 * - anything else in the folder is left alone and named once.
 */
export interface RepairContext {
  logPath: string;
  host: string;
  timeZone: string;
  now: () => Date;
}

export interface RepairOutcome {
  notices: ErrorData[];
  lost: Pick<SpoolManifest, 'batchId' | 'start' | 'end' | 'rows'>[];
  setAside: number;
}

export async function repairSpool(spool: Spool, context: RepairContext): Promise<RepairOutcome> {
  const outcome: RepairOutcome = { notices: [], lost: [], setAside: 0 };
  for (const finding of spool.findings) {
    if (finding.kind === 'junk') {
      outcome.notices.push({
        code: 'SPOOL_JUNK',
        message: `${spool.dir}/${finding.name} is no part of any batch: left alone`,
      });
    } else if (finding.kind === 'damaged-manifest') {
      outcome.setAside += 1;
      outcome.notices.push({
        code: 'SPOOL_MANIFEST_DAMAGED',
        message: `${spool.dir}/${finding.name} was no manifest (${finding.problem}): set aside in ${finding.keptAs}`,
      });
    } else if (finding.kind === 'orphan-body') {
      await adoptOrphan(spool, finding, context, outcome);
    } else {
      await spool.setAside(finding.name);
      await spool.setAside(bodyName(finding.manifest));
      outcome.setAside += 1;
      await recover(spool, finding.manifest, finding.problem, context, outcome);
    }
  }
  return outcome;
}

/** A body that failed its check before sending: set aside, then cut again from the log or counted as lost. */
export async function recoverDamagedBatch(
  spool: Spool,
  manifest: SpoolManifest,
  problem: string,
  context: RepairContext,
): Promise<RepairOutcome> {
  const outcome: RepairOutcome = { notices: [], lost: [], setAside: 1 };
  await spool.setAside(manifest.batchId);
  await recover(spool, manifest, problem, context, outcome);
  return outcome;
}

async function recover(
  spool: Spool,
  manifest: SpoolManifest,
  problem: string,
  context: RepairContext,
  outcome: RepairOutcome,
): Promise<void> {
  const raw = await rangeFromLog(context.logPath, manifest, manifest.sha256, manifest.sessionHeader);
  const range = `bytes ${manifest.start}–${manifest.end} of ${manifest.fileId}`;
  if (raw) {
    const entry = await entryFrom(manifest.batchId, raw, manifest.compressed, context);
    // The same batch: it keeps its key (the store may hold it already; the PUT then overwrites it with itself).
    await spool.add({ ...entry.manifest, key: manifest.key }, entry.body);
    outcome.notices.push({
      code: 'SPOOL_REBUILT',
      message: `Batch ${manifest.batchId} (${range}) was damaged in the spool (${problem}): cut again from the log, byte for byte`,
    });
    return;
  }
  outcome.lost.push({
    batchId: manifest.batchId,
    start: manifest.start,
    end: manifest.end,
    rows: manifest.rows,
  });
  outcome.notices.push({
    code: 'SPOOL_LOST',
    message: `Batch ${manifest.batchId} was damaged in the spool (${problem}) and the log no longer holds it: ${manifest.rows} rows (${range}${manifest.firstLocal ? `, ${manifest.firstLocal} to ${manifest.lastLocal}` : ''}) are lost`,
    advice: `The damaged files are kept in ${spool.dir}/damaged/. Nothing else is affected.`,
  });
}

async function adoptOrphan(
  spool: Spool,
  finding: { name: string; batchId: string; compressed: boolean },
  context: RepairContext,
  outcome: RepairOutcome,
): Promise<void> {
  const body = await readFile(`${spool.dir}/${finding.name}`);
  let raw: Buffer | null = null;
  try {
    raw = finding.compressed ? await gunzip(body) : body;
  } catch {
    raw = null;
  }
  const id = BATCH_ID.exec(finding.batchId)!;
  const [start, end] = [Number(id[2]), Number(id[3])];
  if (raw && raw.length >= end - start && raw[raw.length - 1] === 0x0a) {
    const entry = await entryFrom(finding.batchId, raw, finding.compressed, context);
    await spool.add(entry.manifest, entry.body);
    outcome.notices.push({
      code: 'SPOOL_REMANIFESTED',
      message: `${spool.dir}/${finding.name} had no manifest: one was made from the body (${entry.manifest.rows} rows), it is sent as usual`,
    });
    return;
  }
  await spool.setAside(finding.name);
  outcome.setAside += 1;
  const stub = {
    batchId: finding.batchId,
    fileId: id[1]!,
    start,
    end,
    rows: 0,
    compressed: finding.compressed,
  };
  const again = await rangeFromLog(context.logPath, stub, null, null);
  if (again) {
    const entry = await entryFrom(finding.batchId, again, finding.compressed, context);
    await spool.add(entry.manifest, entry.body);
    outcome.notices.push({
      code: 'SPOOL_REBUILT',
      message: `${spool.dir}/${finding.name} had no manifest and no readable body: cut again from the log`,
    });
    return;
  }
  outcome.lost.push({ batchId: finding.batchId, start, end, rows: 0 });
  outcome.notices.push({
    code: 'SPOOL_LOST',
    message: `${spool.dir}/${finding.name} had no manifest, no readable body, and the log no longer holds bytes ${start}–${end}: lost`,
    advice: `The file is kept in ${spool.dir}/damaged/.`,
  });
}

/**
 * The batch's raw bytes cut again from the log: the same file (identity), the range intact, and — when known —
 * the same sha256 as before (with the header the batch had in front, if it did not start with one).
 */
async function rangeFromLog(
  logPath: string,
  batch: Pick<SpoolManifest, 'fileId' | 'start' | 'end'>,
  sha256: string | null,
  sessionHeader: string | null,
): Promise<Buffer | null> {
  let handle: Awaited<ReturnType<typeof open>>;
  try {
    handle = await open(logPath, 'r');
  } catch {
    return null;
  }
  try {
    const size = (await handle.stat()).size;
    if (size < batch.end) return null;
    const identity = await readIdentity(handle, size);
    if (identity?.fileId !== batch.fileId) return null;
    const range = Buffer.alloc(batch.end - batch.start);
    await handle.read(range, 0, range.length, batch.start);
    if (range[range.length - 1] !== 0x0a) return null;
    const firstLine = range.subarray(0, range.indexOf(0x0a) + 1);
    const prefixes: (Buffer | null)[] = isHeaderLine(firstLine)
      ? [null]
      : [
          await lastHeaderBefore(handle, batch.start),
          sessionHeader ? Buffer.from(sessionHeader, 'latin1') : null,
        ];
    for (const prefix of prefixes) {
      const raw = prefix ? Buffer.concat([prefix, range]) : range;
      if (sha256 === null || sha(raw) === sha256) return raw;
    }
    return null;
  } finally {
    await handle.close();
  }
}

/** A spool entry (manifest + body to PUT) for raw bytes of a known batch id, as the batch builder would seal it. */
async function entryFrom(batchId: string, raw: Buffer, compress: boolean, context: RepairContext) {
  const id = BATCH_ID.exec(batchId)!;
  const [start, end] = [Number(id[2]), Number(id[3])];
  const rows: RowEvent[] = [];
  let encoding: SealedBatch['encoding'] = null;
  try {
    const parser = createLogParser({ timeZone: context.timeZone });
    for (const event of [...parser.push(raw), ...parser.end()]) if (event.type === 'row') rows.push(event);
    encoding = parser.encoding ?? null;
  } catch {
    // Not parseable on its own: shipped as it is, dated by today (as toSpoolEntry does for a broken batch).
  }
  const last = rows[rows.length - 1];
  const sealed: SealedBatch = {
    batchId,
    fileId: id[1]!,
    start,
    end,
    prefixBytes: raw.length - (end - start),
    body: raw,
    rows: rows.length,
    firstLocal: rows[0]?.local ?? null,
    lastLocal: last?.local ?? null,
    encoding,
    ...endFacts(raw, { start, end }, last?.local ?? null),
    // Read alone, the body's first row may be placed in the wrong pass of a repeated hour: not said at all.
    firstT: null,
    generation: Number(id[4] ?? 0),
  };
  return toSpoolEntry(sealed, {
    host: context.host,
    compress,
    timeZone: context.timeZone,
    now: context.now(),
  });
}

function bodyName(m: Pick<SpoolManifest, 'batchId' | 'compressed'>): string {
  return `${m.batchId}.${m.compressed ? 'csv.gz' : 'csv'}`;
}

function sha(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}
