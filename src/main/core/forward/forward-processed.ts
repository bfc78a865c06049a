import { AppError, formatErrorLine } from '../../../shared/errors';
import {
  documentRows,
  type ProcessedDocument,
  type Producer,
  readProcessedDocument,
  rowMessages,
  sendRows,
} from '../../../shared/process';
import type { ListedObject } from '../store/types';
import type { Checkpoint } from './checkpoint';
import type { ProcessedSource } from './sources';

/**
 * Processed objects (S3 or the local store) → one Kafka message per row, resuming from a checkpoint.
 *
 *   await forwardProcessed({ source, producer, checkpoint, since: '2024-04-20' })
 *     → { objects: 12, skipped: 30, rowsSent: 4312, rowsAlreadySent: 88000 }
 *
 * Rows go out in the Lambda's format and keys (`host:batch:row`). After every acknowledged object (and at
 * a broker failure, after the rows that did get through) the checkpoint records how far it got, so a
 * rerun sends nothing twice. A broker failure stops the run with FORWARD_KAFKA_FAILED.
 */
export interface ForwardProgress {
  total: number;
  done: number;
  key: string;
  rowsSent: number;
}

export interface ForwardReport {
  objects: number;
  skipped: number;
  /** Objects that are not readable processed documents (corrupt, other schema): left out, named in `problems`. */
  unreadable: number;
  problems: string[];
  rowsSent: number;
  rowsAlreadySent: number;
}

// processedKeyFor() always ends in .json.gz; anything else under processed/ (a store's side files) is not ours.
const KEY_DATE = /\/(\d{4})\/(\d{2})\/(\d{2})\/[^/]+\.json\.gz$/;

export async function forwardProcessed(options: {
  source: ProcessedSource;
  producer: Producer;
  checkpoint: Checkpoint;
  since?: string;
  batchSize?: number;
  timeoutMs?: number;
  onProgress?: (progress: ForwardProgress) => void;
}): Promise<ForwardReport> {
  const candidates = (await options.source.list('processed/')).filter((object) =>
    isWanted(object, options.since),
  );
  const report: ForwardReport = {
    objects: 0,
    skipped: 0,
    unreadable: 0,
    problems: [],
    rowsSent: 0,
    rowsAlreadySent: 0,
  };
  options.onProgress?.({ total: candidates.length, done: 0, key: '', rowsSent: 0 });
  for (const [index, object] of candidates.entries()) {
    await forwardObject(object, options, report);
    options.onProgress?.({
      total: candidates.length,
      done: index + 1,
      key: object.key,
      rowsSent: report.rowsSent,
    });
  }
  return report;
}

async function forwardObject(
  object: ListedObject,
  options: Parameters<typeof forwardProcessed>[0],
  report: ForwardReport,
): Promise<void> {
  const already = options.checkpoint.sentRows(object.key, object.etag);
  const stored = await options.source.get(object.key);
  if (!stored) return;
  let document: ProcessedDocument;
  try {
    document = readProcessedDocument(stored.body, object.key);
  } catch (error) {
    // One bad object must not block every later one; it is reported, and a rerun retries it.
    report.unreadable += 1;
    report.problems.push(formatErrorLine(error));
    return;
  }
  const total = document.summary.rows;
  if (already >= total) {
    report.skipped += 1;
    report.rowsAlreadySent += total;
    return;
  }
  const messages = skip(rowMessages(documentRows(document)), already);
  const sent = await sendRows(options.producer, messages, {
    total: total - already,
    batchSize: options.batchSize,
    timeoutMs: options.timeoutMs ?? 5000,
  });
  report.rowsAlreadySent += already;
  report.rowsSent += sent.sent;
  await options.checkpoint.record(object.key, object.etag, already + sent.sent);
  if (sent.error) {
    throw new AppError(
      'FORWARD_KAFKA_FAILED',
      `Kafka stopped accepting rows at ${object.key} (row ${already + sent.sent} of ${total}): ${sent.error.message}`,
      'Check --brokers and that the broker runs, then run the same command again: it resumes where it stopped.',
    );
  }
  report.objects += 1;
}

function isWanted(object: ListedObject, since: string | undefined): boolean {
  const date = KEY_DATE.exec(object.key);
  if (!date) return false; // latest.json.gz and anything else outside the dated layout
  return since === undefined || `${date[1]}-${date[2]}-${date[3]}` >= since;
}

function* skip<T>(items: Iterable<T>, count: number): Generator<T> {
  let index = 0;
  for (const item of items) {
    if (index >= count) yield item;
    index += 1;
  }
}
