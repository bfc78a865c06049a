/**
 * What the upload agent exposes to the rest of the app (headless server, Electron tray, CLI).
 * The agent itself (createAgent in agent.ts) wires tailer → spool → uploader → store.
 */
import type { ErrorData } from '../../shared/errors';
import type { Column } from '../../shared/parse/types';

export type AgentState = 'starting' | 'watching' | 'uploading' | 'paused' | 'offline' | 'error' | 'stopped';

export interface AgentCounters {
  bytesRead: number;
  rowsRead: number;
  rawBytesUploaded: number;
  compressedBytesUploaded: number;
  batchesUploaded: number;
  batchesFailed: number;
  batchesDropped: number;
  /** Errors of the in-process processing hook (local store) after a confirmed raw PUT; never fatal. */
  processingFailures?: number;
  /** Billed requests this agent made, by kind (PUT, GET, LIST), for the cost view. */
  requests: { put: number; get: number; list: number };
  /** The same, for the current calendar month (UTC), reset at month change. */
  requestsThisMonth: { month: string; put: number; get: number; list: number };
}

export interface AgentStatus {
  state: AgentState;
  logPath: string;
  target: string;
  host: string;
  /** ISO time of the last confirmed upload, or null. */
  lastUploadAt: string | null;
  /** ISO time when the current batch will be sealed and sent. */
  nextUploadAt: string | null;
  intervalMs: number;
  spool: { batches: number; bytes: number; capBytes: number };
  counters: AgentCounters;
  lastError: (ErrorData & { at: string }) | null;
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
  status: 'uploaded' | 'failed' | 'pending' | 'uploading' | 'dropped';
  error?: ErrorData;
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
}

/** Rows the store does not have yet: a spooled batch, or the open one as it would be sealed now. */
export interface PendingBatch {
  batchId: string;
  /** The raw object key it has (spooled) or would get (open batch, uncompressed). */
  rawKey: string;
  rows: number;
  rawBytes: number;
  firstLocal: string | null;
  lastLocal: string | null;
  timeZone: string;
  /** The bytes to process: gzip when the key ends in .gz. Rejects when the batch left the spool meanwhile. */
  body(): Promise<Buffer>;
}

export interface Agent {
  start(): Promise<void>;
  /** Seals what is complete, uploads it, then stops watching. */
  stop(): Promise<void>;
  pause(): void;
  resume(): void;
  /** Seals the current batch and uploads everything pending now. */
  uploadNow(): Promise<void>;
  retry(batchId: string): Promise<void>;
  status(): AgentStatus;
  history(): UploadRecord[];
  live(): LiveSnapshot;
  /** Batches not in the store yet (spooled, oldest first, then the open one), for charts up to now. */
  pending(): PendingBatch[];
  /** Subscriptions return an unsubscribe function. */
  onStatus(listener: (status: AgentStatus) => void): () => void;
  onUpload(listener: (record: UploadRecord) => void): () => void;
  onProgress(listener: (progress: UploadProgress) => void): () => void;
  onLiveRows(listener: (rows: LiveSnapshot['rows'], columns: Column[]) => void): () => void;
}
