import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createDayFile, type DayFile, type ExportFormat } from '../../../shared/analytics/day-file';
import { dayChunks } from '../../../shared/analytics/day-rows';
import {
  addDays,
  MAX_BATCH_DAYS,
  partitionFile,
  processedKeyParts,
} from '../../../shared/analytics/row-schema';
import { AppError, formatErrorLine } from '../../../shared/errors';
import { sweepStaleTempFiles } from '../../../shared/fs/atomic-file';
import { openOwnedTempDir } from '../../../shared/fs/owned-temp-dir';
import { hostsText, quotedHosts } from '../../../shared/host-name';
import { type ProcessedDocument, readProcessedDocument } from '../../../shared/process';
import type { ListedObject, Store } from '../store/types';
import { CHECKPOINT_FILE, type ExportCheckpoint, loadExportCheckpoint } from './export-checkpoint';
import { exportFolderError, readyExportFolder } from './export-folder';

/**
 * Processed documents (local store or S3) → one file per host and (log-clock) date, Hive-partitioned, resumable.
 *
 *   await exportRows({ source, outDir: '/data/gpuz', format: 'parquet', from: '2026-01-01', to: '2026-03-31',
 *                      hosts: ['gaming-pc'], checkpoint })
 *     → { days: 88, rows: 7603200, bytes: 339 MB, objectsRead: 2112, daysUpToDate: 0, … }
 *     /data/gpuz/host=gaming-pc/date=2026-01-01/gaming-pc-2026-01-01.parquet, …
 *
 * Streaming: one document is read at a time; its rows are spilled per day to a temp folder, and a day is
 * written as soon as no later document can add to it (documents come in key-date order, and a document
 * keyed on date L, its first row's, holds no row before L). A rerun skips the days already written whose
 * documents did not change since (etags), and reads only the documents feeding other days.
 */
export interface ExportProgress {
  /** Documents to read in this run and how many are read. */
  total: number;
  done: number;
  rows: number;
  days: number;
}

export interface ExportReport {
  objectsRead: number;
  /** Documents not read because every day they feed is already written and unchanged. */
  objectsSkipped: number;
  days: number;
  daysUpToDate: number;
  rows: number;
  bytes: number;
  unreadable: number;
  problems: string[];
  /** --host names the store holds no processed batch of (said; nothing is exported for them). */
  missingHosts: string[];
  /** The hosts the store holds, and the key dates (log clock) of its processed batches: null when it holds none. */
  stored: { hosts: string[]; first: string; last: string } | null;
}

export interface ExportOptions {
  source: Pick<Store, 'list' | 'get'>;
  outDir: string;
  format: ExportFormat;
  /** Dates (of the log's clock), inclusive. */
  from?: string | undefined;
  to?: string | undefined;
  hosts?: string[] | undefined;
  checkpoint: ExportCheckpoint;
  tempDir?: string;
  onProgress?: (progress: ExportProgress) => void;
  /** Stops the run between documents (Ctrl+C): the days written are kept, the spill folder is deleted. */
  signal?: AbortSignal;
}

/**
 * exportRows with the folder's own state file (`<outDir>/.gpuz-export.json`), as the CLI runs it:
 *   await exportToFolder({ source: store, sourceId: 's3://gpuz-processed', outDir: '/data/gpuz', format: 'parquet' })
 * `sourceId` names the source in the state file: another source (or format) starts over.
 */
export async function exportToFolder(
  options: Omit<ExportOptions, 'checkpoint'> & { sourceId: string },
): Promise<ExportReport> {
  const { sourceId, ...rest } = options;
  await readyExportFolder(options.outDir);
  // The temp copies of day files that killed exports were writing (each run writes a day under a new temp name).
  const files = await readdir(options.outDir, { recursive: true }).catch(() => [] as string[]);
  await sweepStaleTempFiles(files.map((file) => join(options.outDir, file)));
  const checkpoint = await loadExportCheckpoint(join(options.outDir, CHECKPOINT_FILE), {
    source: sourceId,
    format: options.format,
  });
  return exportRows({ ...rest, checkpoint }).catch((error: unknown) => {
    throw exportFolderError(error, options.outDir);
  });
}

interface Candidate {
  object: ListedObject;
  host: string;
  keyDate: string;
}

export async function exportRows(options: ExportOptions): Promise<ExportReport> {
  const report: ExportReport = {
    objectsRead: 0,
    objectsSkipped: 0,
    days: 0,
    daysUpToDate: 0,
    rows: 0,
    bytes: 0,
    unreadable: 0,
    problems: [],
    missingHosts: [],
    stored: null,
  };
  const inRange = (date: string) =>
    (options.from === undefined || date >= options.from) && (options.to === undefined || date <= options.to);
  const listed = await options.source.list('processed/');
  const byHost = new Map<string, Candidate[]>();
  const storedHosts = new Set<string>();
  const storedDates: string[] = [];
  for (const object of listed) {
    const parts = processedKeyParts(object.key);
    if (parts) {
      storedHosts.add(parts.host);
      storedDates.push(parts.date);
    }
    if (!parts || (options.hosts && !options.hosts.includes(parts.host))) continue;
    if (options.to !== undefined && parts.date > options.to) continue;
    if (options.from !== undefined && parts.date < addDays(options.from, -MAX_BATCH_DAYS)) continue;
    const list = byHost.get(parts.host) ?? [];
    list.push({ object, host: parts.host, keyDate: parts.date });
    byHost.set(parts.host, list);
  }

  storedDates.sort();
  if (storedDates.length > 0) {
    report.stored = { hosts: [...storedHosts].sort(), first: storedDates[0]!, last: storedDates.at(-1)! };
  }
  report.missingHosts = (options.hosts ?? []).filter((host) => !storedHosts.has(host));
  if (options.hosts?.length && report.missingHosts.length === options.hosts.length) {
    // A misspelt --host exported nothing and said "exported 0 rows" (exit 0), as if the PC had logged nothing.
    throw noSuchHosts(report.missingHosts, report.stored?.hosts ?? []);
  }

  const plans = [...byHost.entries()].map(([host, candidates]) =>
    planHost(host, candidates, listed, options.checkpoint, inRange),
  );
  const total = plans.reduce((sum, plan) => sum + plan.toRead.length, 0);
  report.objectsSkipped = plans.reduce((sum, plan) => sum + plan.skipped, 0);
  let done = 0;
  const progress = () => options.onProgress?.({ total, done, rows: report.rows, days: report.days });
  progress();

  const tempDir = options.tempDir ?? (await openOwnedTempDir('gpuz-export-'));
  try {
    for (const plan of plans) {
      report.daysUpToDate += plan.upToDate.size;
      const open = new Map<string, DayFile>();
      const finishBefore = async (date: string) => {
        for (const [day, file] of [...open.entries()].sort()) {
          if (day >= date) continue;
          open.delete(day);
          await writeDay(plan.host, day, file, options, report);
          progress();
        }
      };
      for (const candidate of plan.toRead) {
        options.signal?.throwIfAborted();
        await finishBefore(candidate.keyDate);
        const document = await readDocument(options.source, candidate.object, report);
        done += 1;
        if (document) {
          const days = new Set<string>();
          const chunks = dayChunks(document, (date) => {
            if (inRange(date)) days.add(date);
            return inRange(date) && !plan.upToDate.has(date);
          });
          for (const chunk of chunks) {
            let file = open.get(chunk.date);
            if (!file) {
              file = createDayFile({ tempDir });
              open.set(chunk.date, file);
            }
            await file.add(chunk);
          }
          options.checkpoint.recordDoc(candidate.object.key, {
            etag: candidate.object.etag,
            days: [...days].sort(),
          });
        }
        progress();
      }
      await finishBefore('9999-12-31');
    }
  } finally {
    if (!options.tempDir) await rm(tempDir, { recursive: true, force: true });
  }
  return report;
}

interface HostPlan {
  host: string;
  toRead: Candidate[];
  skipped: number;
  /** Days already written from documents that did not change: neither read for nor rewritten. */
  upToDate: Set<string>;
}

/**
 * Which documents this run reads. A document that is new, changed or gone since the checkpoint may add
 * rows from its key date on, so every written day from there is redone; earlier written
 * days stay, and a document feeding only those is not read again.
 */
function planHost(
  host: string,
  candidates: Candidate[],
  listed: ListedObject[],
  checkpoint: ExportCheckpoint,
  inRange: (date: string) => boolean,
): HostPlan {
  const current = new Map(listed.map((object) => [object.key, object.etag]));
  let redoFrom = '9999-12-31';
  for (const { object, keyDate } of candidates) {
    if (checkpoint.doc(object.key)?.etag !== object.etag) redoFrom = min(redoFrom, keyDate);
  }
  for (const [key, entry] of checkpoint.docs) {
    const parts = processedKeyParts(key);
    if (parts?.host === host && current.get(key) !== entry.etag) {
      redoFrom = min(redoFrom, entry.days[0] ?? parts.date);
    }
  }
  const upToDate = new Set<string>();
  const known = (date: string) => date < redoFrom && checkpoint.dayDone(host, date);
  const toRead: Candidate[] = [];
  for (const candidate of candidates) {
    const days = checkpoint.doc(candidate.object.key)?.days.filter(inRange);
    if (days && days.length > 0 && days.every(known)) {
      for (const day of days) upToDate.add(day);
      continue;
    }
    toRead.push(candidate);
  }
  return { host, toRead, skipped: candidates.length - toRead.length, upToDate };
}

async function readDocument(
  source: Pick<Store, 'get'>,
  object: ListedObject,
  report: ExportReport,
): Promise<ProcessedDocument | null> {
  const stored = await source.get(object.key);
  if (!stored) return null;
  report.objectsRead += 1;
  try {
    return readProcessedDocument(stored.body, object.key);
  } catch (error) {
    // One bad object must not block the others; it is reported, and its days are written without it.
    report.unreadable += 1;
    report.problems.push(formatErrorLine(error));
    return null;
  }
}

async function writeDay(
  host: string,
  date: string,
  file: DayFile,
  options: ExportOptions,
  report: ExportReport,
): Promise<void> {
  try {
    const path = join(options.outDir, partitionFile(host, date, options.format));
    const written = await file.write(path, { format: options.format, host });
    report.days += 1;
    report.rows += written.rows;
    report.bytes += written.bytes;
    options.checkpoint.recordDay(host, date, written.rows);
    await options.checkpoint.save();
  } finally {
    await file.discard();
  }
}

function min(a: string, b: string): string {
  return a < b ? a : b;
}

/**
 * --host named no host the store holds:
 *   noSuchHosts(['gamign-pc'], ['gaming-pc', 'xn----ctbcthhyble'])
 *     → EXPORT_USAGE 'No host “gamign-pc” in the store' — 'It holds gaming-pc and игровой-пк (xn----ctbcthhyble). …'
 *   noSuchHosts(['a', 'b'], []) → 'No host “a” or “b” in the store' — 'It holds no processed rows yet: …'
 */
function noSuchHosts(missing: string[], stored: string[]): AppError {
  return new AppError(
    'EXPORT_USAGE',
    `No host ${quotedHosts(missing, 'or')} in the store`,
    stored.length === 0
      ? 'It holds no processed rows yet: upload first, or check the bucket or folder.'
      : `It holds ${hostsText(stored)}. --host takes a PC's name as Charts' Host picker shows it.`,
  );
}
