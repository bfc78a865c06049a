/**
 * The upload agent as the rest of the app sees it (headless server, Electron tray, CLI); createAgent
 * (create-agent.ts) wires tailer → spool → uploader → store. Its status types live in src/shared/agent-status.ts
 * because the UI contract carries them.
 */

import type { AgentStatus, LiveSnapshot, UploadProgress, UploadRecord } from '../../../shared/agent-status';
import type { ErrorData } from '../../../shared/errors';
import type { Column } from '../../../shared/parse/types';

export type {
  AgentCounters,
  AgentState,
  AgentStatus,
  LiveSnapshot,
  UploadProgress,
  UploadRecord,
} from '../../../shared/agent-status';

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

export type LiveRowsListener = (
  rows: LiveSnapshot['rows'],
  columns: Column[],
  origin?: LiveRowsOrigin,
) => void;

/**
 * earlier: the log's last rows shown again after a restart (an earlier run read them and alerted on them).
 * backlog: read before this run's first look reached the log's end (in the log before the agent could read it).
 */
export interface LiveRowsOrigin {
  earlier?: boolean;
  backlog?: boolean;
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
  /** Adds a notice to the status (what the app around the agent did that a person should know). */
  note(notice: ErrorData): void;
  status(): AgentStatus;
  history(): UploadRecord[];
  live(): LiveSnapshot;
  /** Batches not in the store yet (spooled, oldest first, then the open one), for charts up to now. */
  pending(): PendingBatch[];
  /** Subscriptions return an unsubscribe function. */
  onStatus(listener: (status: AgentStatus) => void): () => void;
  onUpload(listener: (record: UploadRecord) => void): () => void;
  onProgress(listener: (progress: UploadProgress) => void): () => void;
  /**
   * Rows added to the live view, with where they come from (LiveRowsOrigin): the alert rules raise nothing for
   * rows an earlier run read, and mark what the backlog raises as the log's past.
   */
  onLiveRows(listener: LiveRowsListener): () => void;
}
