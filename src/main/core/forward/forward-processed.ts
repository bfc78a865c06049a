import { AppError, formatErrorLine } from '../../../shared/errors';
import {
  documentRows,
  type ProcessedDocument,
  type Producer,
  readProcessedDocument,
  rowMessages,
  sendRows,
} from '../../../shared/process';
import { rowIdentity } from '../../../shared/row-identity';
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
 * rerun sends again only the one call that got no answer — whose rows may have reached the broker anyway (a
 * broker frozen mid-call took them when it came back: 500 rows twice, same keys; the message says so). A broker
 * failure stops the run with FORWARD_KAFKA_FAILED. A row of one host and
 * time stamp that an earlier object carried already (a range cut again after a checkpoint restored from a backup)
 * is not sent again: counted in `rowsRepeated`.
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
  /** Rows left out because an earlier object carried the same host and time stamp. */
  rowsRepeated: number;
}

// processedKeyFor() always ends in .json.gz; anything else under processed/ (a store's side files) is not ours.
const KEY_DATE = /\/(\d{4})\/(\d{2})\/(\d{2})\/[^/]+\.json\.gz$/;

export async function forwardProcessed(options: {
  source: ProcessedSource;
  producer: Producer;
  checkpoint: Checkpoint;
  since?: string | undefined;
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
    rowsRepeated: 0,
  };
  const seen = createSeenRows();
  options.onProgress?.({ total: candidates.length, done: 0, key: '', rowsSent: 0 });
  for (const [index, object] of candidates.entries()) {
    await forwardObject(object, options, report, seen);
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
  seen: SeenRows,
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
  const table = documentRows(document);
  // Every row of this object is seen (sent now, before, or carried by an earlier object) before the next one.
  const own = [...rowsOf(table)].map((row) => seen.claim(document.host, object.key, row));
  if (already >= total) {
    report.skipped += 1;
    report.rowsAlreadySent += total;
    return;
  }
  const positions: number[] = [];
  const messages = (function* () {
    let row = 0;
    for (const message of rowMessages(table)) {
      if (row >= already && own[row]) {
        positions.push(row);
        yield message;
      }
      row += 1;
    }
  })();
  const toSend = own.slice(already).filter(Boolean).length;
  const sent = await sendRows(options.producer, messages, {
    total: toSend,
    batchSize: options.batchSize,
    timeoutMs: options.timeoutMs ?? 5000,
  });
  report.rowsAlreadySent += already;
  report.rowsSent += sent.sent;
  // Done up to the first row not acknowledged (repeated rows before it count as done).
  const done = !sent.error ? total : (positions[sent.sent] ?? (positions.at(-1) ?? already - 1) + 1);
  report.rowsRepeated += own.slice(already, done).filter((mine) => !mine).length;
  await options.checkpoint.record(object.key, object.etag, done);
  if (sent.error) {
    throw new AppError(
      'FORWARD_KAFKA_FAILED',
      `Kafka stopped accepting rows at ${object.key} (row ${done} of ${total}): ${sent.error.message}`,
      `Check --brokers and that the broker runs, then run the same command again: it resumes where it stopped. The ${sent.unanswered ?? 0} rows sent without an answer may have reached Kafka; the rerun sends them again with the same keys (a consumer that keeps one message per key sees them once).`,
    );
  }
  report.objects += 1;
}

function isWanted(object: ListedObject, since: string | undefined): boolean {
  const date = KEY_DATE.exec(object.key);
  if (!date) return false; // latest.json.gz and anything else outside the dated layout
  return since === undefined || `${date[1]}-${date[2]}-${date[3]}` >= since;
}

/** Each row's time stamp and identity (its instant and readings: shared/row-identity.ts). */
function* rowsOf(table: ReturnType<typeof documentRows>): Generator<{ t: number; identity: string }> {
  for (const session of table.sessions) {
    for (let i = 0; i < session.length; i++) {
      const t = session.time(i);
      const readings = session.columns.map((column) => [column.key, session.value(column.key, i)] as const);
      yield { t, identity: rowIdentity(t, readings) };
    }
  }
}

type SeenRows = ReturnType<typeof createSeenRows>;

/**
 * Which object first carried a row of a host (its time stamp and readings: rows of a repeated DST hour share a
 * time stamp, not readings). Objects come in key order (host, then the date of their first row), so only the last
 * few days of one host are kept.
 *   seen.claim('pc', 'processed/pc/…/a.json.gz', row) → true (first carrier, or the same object again: GPU-Z's own
 *   duplicate seconds stay); then seen.claim('pc', 'processed/pc/…/b.json.gz', row) → false
 */
function createSeenRows() {
  const DAY = 86_400_000;
  let host = '';
  const byDay = new Map<number, Map<string, string>>();
  return {
    claim(rowHost: string, key: string, { t, identity }: { t: number; identity: string }): boolean {
      if (rowHost !== host) {
        host = rowHost;
        byDay.clear();
      }
      const day = Math.floor(t / DAY);
      for (const old of byDay.keys()) if (old < day - 3) byDay.delete(old);
      let times = byDay.get(day);
      if (!times) {
        times = new Map();
        byDay.set(day, times);
      }
      const first = times.get(identity);
      if (first === undefined) times.set(identity, key);
      return first === undefined || first === key;
    },
  };
}
