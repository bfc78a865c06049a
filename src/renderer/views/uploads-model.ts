/**
 * What the Uploads view shows, as data (pure, no DOM; uploads.ts binds it): the agent's upload history (kept in
 * the state folder, so it lists the batches of earlier runs) merged with the records pushed since, one row per
 * batch with its newest status, newest first, a page at a time.
 *
 *   let list = emptyUploads()
 *   list = withRecords(list, await api.getHistory())        // history: never overrides a newer pushed record
 *   list = withRecord(list, pushedRecord)                  // pushed: the batch's newest state
 *   uploadsPage(list, 1) → { rows: [{ batchId, time, rows: 356, raw: '182.7 KB', ratio: '19.1×', … }], more: 0 }
 *   progressLabel({ batchId: 'ab-0-9', sentBytes: 1024, totalBytes: 4096 }, list) → 'Uploading ab-0-9: 1.0 KB of 4.0 KB'
 *   retryAnswer('ab-0-9', list, pressedAt) → 'Retry: ab-0-9 uploaded.'   (what the batch's row says since the press)
 */
import type { UploadProgress, UploadRecord } from '../../shared/contract';
import { formatBytes, formatCount, formatDuration, formatTime } from '../format';

/** Rows shown at first and added by "Show older". */
export const PAGE_SIZE = 50;

export type UploadList = ReadonlyMap<string, UploadRecord>;

export function emptyUploads(): UploadList {
  return new Map();
}

/** A record pushed now: the batch's newest state. */
export function withRecord(list: UploadList, record: UploadRecord): UploadList {
  return new Map(list).set(record.batchId, record);
}

/** The history read back (newest first): fills in what was not pushed meanwhile. */
export function withRecords(list: UploadList, history: readonly UploadRecord[]): UploadList {
  const next = new Map(list);
  for (const record of history) if (!next.has(record.batchId)) next.set(record.batchId, record);
  return next;
}

export interface UploadRow {
  batchId: string;
  status: UploadRecord['status'];
  time: string;
  rows: number;
  /** '12,337': as the summary writes counts. */
  rowsText: string;
  rawBytes: number;
  raw: string;
  compressedBytes: number;
  compressed: string;
  ratio: string;
  duration: string;
  /** The error's message (status cell) and message with advice (its tooltip). */
  error: string | null;
  errorDetail: string;
  /** The row's button: 'Retry' for a failed batch, 'Retry now' for one waiting for its next attempt, or none. */
  retry: 'Retry' | 'Retry now' | null;
}

export interface UploadsPage {
  rows: UploadRow[];
  /** Batches older than the shown ones. */
  more: number;
  total: number;
  summary: string;
}

/** What the agent uploaded since its state folder began (its counters). */
export interface UploadedInAll {
  batches: number;
  rows: number;
}

/**
 * The newest `pages × PAGE_SIZE` batches. `unread`: the agent is offline with nothing spooled — at a start without
 * network the store cannot be asked what it holds of the log, so none of it is read into a batch yet. `inAll`: the
 * agent's counters; the history keeps only its newest 500 batches, so past them the summary says both:
 *   '560 batches uploaded in all, 6,908,719 rows; listed: the newest 500 (500 uploaded, 6,168,500 rows).'
 */
export function uploadsPage(
  list: UploadList,
  pages: number,
  unread = false,
  inAll?: UploadedInAll,
): UploadsPage {
  const sorted = [...list.values()].sort((a, b) => b.at.localeCompare(a.at));
  const shown = sorted.slice(0, pages * PAGE_SIZE);
  const uploaded = sorted.filter((r) => r.status === 'uploaded');
  const rows = uploaded.reduce((sum, r) => sum + r.rows, 0);
  const listed = `${formatCount(uploaded.length)} of ${formatCount(sorted.length)} batches uploaded, ${formatCount(rows)} rows.`;
  return {
    rows: shown.map(rowOf),
    more: sorted.length - shown.length,
    total: sorted.length,
    summary:
      sorted.length === 0
        ? unread
          ? "No uploads by this agent yet: the store cannot be reached, and the log's rows are read into batches once it answers."
          : 'No uploads by this agent yet: its first batch goes at the next upload time (or press Upload now on the Overview).'
        : inAll && inAll.batches > uploaded.length
          ? `${formatCount(inAll.batches)} batches uploaded in all, ${formatCount(inAll.rows)} rows; listed: the newest ` +
            `${formatCount(sorted.length)} (${formatCount(uploaded.length)} uploaded, ${formatCount(rows)} rows).`
          : listed,
  };
}

/** Still being sent: no duration yet ('0 ms' read as a finished upload). */
const IN_FLIGHT: ReadonlySet<UploadRecord['status']> = new Set(['uploading', 'retrying']);

function rowOf(record: UploadRecord): UploadRow {
  const ratio = record.compressedBytes > 0 ? record.rawBytes / record.compressedBytes : null;
  const next =
    record.status === 'retrying' && record.retryAt ? `. Next try at ${formatTime(record.retryAt)}.` : '';
  return {
    batchId: record.batchId,
    status: record.status,
    time: formatTime(record.at),
    rows: record.rows,
    rowsText: formatCount(record.rows),
    rawBytes: record.rawBytes,
    raw: formatBytes(record.rawBytes),
    compressedBytes: record.compressedBytes,
    compressed: formatBytes(record.compressedBytes),
    ratio: ratio ? `${ratio.toFixed(1)}×` : '—',
    duration: IN_FLIGHT.has(record.status) ? '—' : formatDuration(record.durationMs),
    error: record.error ? `${withoutStop(record.error.message)}${next}` : null,
    errorDetail: record.error
      ? `${withoutStop(record.error.message)}${next} ${record.error.advice ?? ''}`.trim()
      : '',
    retry: record.status === 'failed' ? 'Retry' : record.status === 'retrying' ? 'Retry now' : null,
  };
}

/** 'S3 cannot be reached.' → 'S3 cannot be reached' (a sentence follows). */
const withoutStop = (text: string) => text.replace(/\.$/, '');

/**
 * The in-flight batch's label, or null when no attempt is under way (the progress bar goes away): it is sent, or its
 * attempt failed and it waits for the next one (a bar at '0 B of 722 B' stood through a whole outage).
 */
export function progressLabel(progress: UploadProgress, list: UploadList): string | null {
  if (progress.sentBytes >= progress.totalBytes) return null;
  const status = list.get(progress.batchId)?.status;
  if (status !== undefined && status !== 'uploading') return null;
  return `Uploading ${progress.batchId}: ${formatBytes(progress.sentBytes)} of ${formatBytes(progress.totalBytes)}`;
}

/**
 * The answer to a Retry press, from what the batch's row says since the press (so it never stands beside a row that
 * moved on):
 *   retryAnswer('ab-0-9', list, pressedAt) → 'Retry: ab-0-9 uploaded.' | 'Retry: sending ab-0-9…'
 *     | 'Retry: ab-0-9 still cannot be sent (S3 cannot be reached). It waits in the spool; next try at 11:05:12 AM.'
 */
export function retryAnswer(batchId: string, list: UploadList, pressedAt: string): string {
  const found = list.get(batchId);
  // A record from before the press is the question, not the answer.
  const record = found && found.at >= pressedAt ? found : undefined;
  const why = record?.error ? ` (${withoutStop(record.error.message)})` : '';
  switch (record?.status) {
    case 'uploaded':
      return `Retry: ${batchId} uploaded.`;
    case 'retrying':
      return `Retry: ${batchId} still cannot be sent${why}. It waits in the spool${record.retryAt ? `; next try at ${formatTime(record.retryAt)}` : ''}.`;
    case 'failed':
      return `Retry: ${batchId} failed again${why}. ${record.error?.advice ?? ''}`.trim();
    case 'dropped':
      return `Retry: ${batchId} was dropped${why}.`;
    default:
      return `Retry: sending ${batchId}…`;
  }
}
