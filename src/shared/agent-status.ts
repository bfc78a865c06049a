/**
 * What the upload agent tells the UI, the tray and the CLI: its state, counters, uploads and live rows.
 * Declared here (not in src/main/core) because the UI contract (contract.ts) carries them.
 *
 *   agent.status() → { state: 'watching', lastUploadAt: '2026-08-06T19:14:36.000Z', spool: { batches: 0, … }, … }
 */
import type { LoggingSeen } from './cost/logging-share';
import type { ErrorData } from './errors';
import type { Column } from './parse/types';

/**
 * One state for the badge, the tray and the Overview, the most urgent first: `error` (uploads refused for good,
 * or the log is a folder, unreadable or no sensor log — lastError says what to do), `offline` (the store cannot
 * be reached; batches wait in the spool), `waiting` (for GPU-Z to create the log), `uploading`, `watching`.
 */
export type AgentState =
  | 'starting'
  | 'watching'
  | 'waiting'
  | 'uploading'
  | 'paused'
  | 'offline'
  | 'error'
  | 'stopped';

export interface AgentCounters {
  bytesRead: number;
  rowsRead: number;
  rawBytesUploaded: number;
  compressedBytesUploaded: number;
  batchesUploaded: number;
  /** Rows of the uploaded batches; absent when an earlier version (which did not count them) uploaded some. */
  rowsUploaded?: number;
  batchesFailed: number;
  batchesDropped: number;
  /** Errors of the in-process processing hook (local store) after a confirmed raw PUT; never fatal. */
  processingFailures?: number;
  /** Spooled batches damaged beyond repair (their body gone or wrong and the log no longer holds them). */
  batchesLost?: number;
  rowsLost?: number;
  /** Damaged spool files moved to spool/damaged/ (kept, never sent). */
  spoolFilesSetAside?: number;
  /** Bytes of damaged lines (a partial row cut by a power loss, before a NUL run or a header) in no batch. */
  bytesDamaged?: number;
  /** Times the log was found changed under the checkpoint and reading resumed by content. */
  resumesByContent?: number;
  /** Billed requests this agent made, by kind (PUT, GET, LIST), for the cost view. */
  requests: { put: number; get: number; list: number };
  /** The same, for the current calendar month (UTC), reset at month change. */
  requestsThisMonth: { month: string; put: number; get: number; list: number };
  /** The minutes with new rows, by UTC day, over the last 15 days: how much of the time this PC logs. */
  logging?: LoggingSeen;
}

/** Counters of an agent that has read and sent nothing yet, counting requests for `month` (YYYY-MM). */
export function emptyCounters(month: string): AgentCounters {
  return {
    bytesRead: 0,
    rowsRead: 0,
    rawBytesUploaded: 0,
    compressedBytesUploaded: 0,
    batchesUploaded: 0,
    rowsUploaded: 0,
    batchesFailed: 0,
    batchesDropped: 0,
    processingFailures: 0,
    requests: { put: 0, get: 0, list: 0 },
    requestsThisMonth: { month, put: 0, get: 0, list: 0 },
  };
}

export interface AgentStatus {
  state: AgentState;
  logPath: string;
  /** The store in words: the folder, or `s3://bucket`. */
  target: string;
  /** What the store is: its outages and refusals are worded for a folder or for the network. */
  targetKind: 'local' | 's3';
  host: string;
  /** ISO time of the last confirmed upload, or null. */
  lastUploadAt: string | null;
  /** ISO time when the current batch will be sealed and sent. */
  nextUploadAt: string | null;
  intervalMs: number;
  spool: { batches: number; bytes: number; capBytes: number };
  counters: AgentCounters;
  lastError: (ErrorData & { at: string }) | null;
  /** What a person should know that is no error, newest last: a resume by content, damaged state set aside. */
  notices?: (ErrorData & { at: string })[];
  /** Work the agent is behind on (a long log at the first start, days of backlog): absent or null when it is not. */
  catchUp?: CatchUpProgress | null;
  /** A monthly PUT budget used up: the next upload waits until this ISO time (the month's change); else absent/null. */
  budgetUsedUpUntil?: string | null;
}

/**
 * How far the agent is through the log's bytes it has not read and the spool's batches it has not stored
 * (core/agent/catch-up.ts).
 */
export interface CatchUpProgress {
  /** ISO time the catch-up began. */
  since: string;
  /** Bytes stored since then (the batches' uncompressed bytes, as the log holds them). */
  doneBytes: number;
  /** Bytes still to read or store: the log's after the reading position, plus the spool's batches. */
  pendingBytes: number;
  /** Stored bytes per second over the last 20 s; null for the first 2 s. */
  bytesPerSecond: number | null;
  /** pendingBytes at that rate; null while there is no rate (or nothing is being stored: offline, paused). */
  etaSeconds: number | null;
}

/** When a catch-up began (epoch ms) and the agent's stored-bytes counter then: kept across restarts (stats.json). */
export interface CatchUpStart {
  at: number;
  stored: number;
}

export interface UploadRecord {
  batchId: string;
  key: string;
  /** ISO time the upload finished (or failed). */
  at: string;
  rows: number;
  rawBytes: number;
  compressedBytes: number;
  durationMs: number;
  /**
   * `retrying`: an attempt failed in a way that heals (the network, a 5xx, throttling) and the batch waits in the spool
   * for its next attempt at `retryAt`; shown, never saved (the spool keeps the batch).
   */
  status: 'uploaded' | 'failed' | 'retrying' | 'uploading' | 'dropped';
  error?: ErrorData;
  /** `retrying`: when the next attempt starts (ISO time). */
  retryAt?: string;
}

export interface UploadProgress {
  batchId: string;
  sentBytes: number;
  totalBytes: number;
}

export interface LiveSnapshot {
  columns: Column[];
  /** Recent rows (last N minutes), oldest first: t = epoch ms, values aligned with columns. */
  rows: { t: number; values: (number | null)[] }[];
  /** Each sensor's figures since the GPU-Z session started and since the agent started (core/insights/reading-stats.ts). */
  stats?: ReadingStats | undefined;
}

/** One sensor's current, minimum, maximum and average over a span of rows, and when it first reached its maximum. */
export interface ReadingFigures {
  current: number | null;
  min: number | null;
  max: number | null;
  avg: number | null;
  count: number;
  /** Epoch ms of the first row at the maximum; null when the span has no reading. */
  maxAt: number | null;
}

/** HWiNFO's columns for every sensor, by canonical key: since the current GPU-Z session started, and since the agent started. */
export interface ReadingStats {
  session: { since: number | null; sensors: Record<string, ReadingFigures> };
  app: { since: number | null; sensors: Record<string, ReadingFigures> };
}
