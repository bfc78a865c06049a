import { watch as fsWatch } from 'node:fs';
import { basename, dirname } from 'node:path';
import type { AgentCounters } from '../../../shared/agent-status';
import type { ErrorData } from '../../../shared/errors';
import type { StoredRaw } from '../pipeline';
import type { LockCheck } from '../state-lock';
import type { Store } from '../store/types';

/** The agent's configuration, dependencies and defaults (agent.ts wires them). */
export interface AgentConfig {
  logPath: string;
  host: string;
  timeZone: string;
  stateDir: string;
  /**
   * A number, or a function of the agent's own counters and when the open batch got its first row (null: none open),
   * read at every check: the budget-aware interval, `budgetIntervalMs({ putBudget, clock })` from src/shared/cost.
   */
  intervalMs: number | ((counters: AgentCounters, openedAt: number | null) => number);
  /** With a budget schedule: when the budget is used up, the month's change (epoch ms) it waits for; else null. */
  budgetUsedUpUntil?: (counters: AgentCounters) => number | null;
  maxBatchBytes?: number;
  spoolCapBytes?: number;
  compress: boolean;
  store: Store;
  watch?: boolean;
  /**
   * false: no live view (rows are counted, not kept for the Overview): `gpuz-cloud upload` without --watch, whose
   * process ends with the upload and shows no dashboard (≈ 0.35 s of CPU per 100 MB of backfilled log).
   */
  liveView?: boolean;
  pollMs?: number;
  liveWindowMs?: number;
  agentVersion?: string;
  /**
   * Retry waits: full jitter over base × 2^attempt, capped at maxMs; maxAttempts per call (default ∞ when watching);
   * answerWithinMs: how long "upload now" waits for an attempt's answer while the store is offline (default 15 s).
   */
  retry?: { baseMs?: number; maxMs?: number; maxAttempts?: number; answerWithinMs?: number };
  /** How long stop() keeps trying to flush before leaving the rest in the spool (default 10 s). */
  stopFlushMs?: number;
  /**
   * Watching, after the store refused the credentials: how often the agent looks whether they changed (a new
   * sign-in, a fixed key) to try again by itself (default 60 s; credentials-watch.ts).
   */
  credentialsCheckMs?: number;
  /** What the caller found before the agent started (the app: a time zone that is not this PC's), said at start. */
  startNotices?: ErrorData[];
  /**
   * The other places GPU-Z may write its log (the app: detect-log.ts), looked at once a minute while watching: one
   * that grows while the watched log does not is said (`LOG_ELSEWHERE`, log-elsewhere.ts).
   */
  otherLogs?: () => Promise<string[]>;
  /** How often the other places are looked at (default log-elsewhere.ts LOOK_EVERY_MS, a minute). */
  otherLogsCheckMs?: number;
}

export interface Timers {
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface AgentDeps {
  clock?: { now(): number };
  timers?: Timers;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** Change notification hint (fs.watch on the log's folder by default); returns a closer. */
  watchLog?: (path: string, onChange: () => void) => () => void;
  /** After each batch is stored (the local processing); `stored` carries its log bytes as just checked. */
  onRawStored?: (key: string, store: Store, stored: StoredRaw) => Promise<unknown>;
  /**
   * Takes the state folder's one-agent lock (state-lock.ts by default). The app passes the lock it took before
   * writing any setting, so a refused start changes nothing (core/app/compose.ts).
   */
  lockStateDir?: (stateDir: string) => Promise<StateLock>;
}

/** A held state-folder lock, and what taking it found (a stale lock taken over). */
export interface StateLock {
  release(): Promise<void>;
  notice: ErrorData | null;
  /** Whether this process still holds it, asked before each look at the log (state-lock.ts); absent: not asked. */
  check?(): Promise<LockCheck>;
}

export const DEFAULTS = {
  maxBatchBytes: 8 * 1024 * 1024,
  spoolCapBytes: 512 * 1024 * 1024,
  pollMs: 1000,
  credentialsCheckMs: 60_000,
  liveWindowMs: 30 * 60_000,
  intervalMs: 60 * 60_000,
};

export function subscribe<T>(set: Set<T>, listener: T): () => void {
  set.add(listener);
  return () => set.delete(listener);
}

/** fs.watch on the folder (the file itself may be replaced); a hint only, the poll is the guarantee. */
export function defaultWatch(path: string, onChange: () => void): () => void {
  try {
    const name = basename(path);
    const watcher = fsWatch(dirname(path), { persistent: false }, (_event, file) => {
      if (file === null || file === name) onChange();
    });
    watcher.on('error', () => undefined);
    return () => watcher.close();
  } catch {
    return () => undefined;
  }
}
