import type { AgentState } from '../../../shared/agent-status';
import type { ErrorData } from '../../../shared/errors';
import { OUTAGE_CODES } from '../store/s3-errors';

/**
 * The agent's rules as data: what happened → the agent's model, and the one state a person sees. Pure (no
 * clock, no I/O): create-agent.ts reports what happened and performs the effects (read, spool, PUT, save).
 *
 *   let m = initialModel()                                       stateOf(m) → 'starting'
 *   m = transition(m, { type: 'started' })                       → 'watching'
 *   m = transition(m, { type: 'attempt-failed', error })         → 'offline' (lastError says when it retries)
 *   m = transition(m, { type: 'uploaded', at })                  → 'watching', lastError cleared
 *   m = transition(m, { type: 'upload-failed', error, stopping: true }) → 'error' until resume / upload now
 *   m = transition(m, { type: 'log', log: 'missing', error })   → 'waiting' (for GPU-Z to create the log)
 */
export type TimedError = ErrorData & { at: string };

/** What the agent knows of the log file: readable, or why not (a folder, no access, not a sensor log). */
export type LogCondition =
  | 'unknown'
  | 'ok'
  | 'missing'
  | 'locked'
  | 'not-a-file'
  | 'unreadable'
  | 'not-a-log';

export interface AgentModel {
  /** `stopping`: no more polling; the last batch is sealed and flushed (bounded). */
  phase: 'starting' | 'running' | 'stopping' | 'stopped';
  paused: boolean;
  /** The upload queue is sending. */
  uploading: boolean;
  /** The last PUT failed in a way that heals by waiting (network, 5xx, throttling); a confirmed upload ends it. */
  offline: boolean;
  /** The store refused in a way waiting cannot fix (credentials, access, bucket): nothing is sent until resume,
   * upload now or retry. */
  blocked: boolean;
  log: LogCondition;
  /** The state folder was refused (a damaged checkpoint): nothing is read or sent until `gpuz-cloud repair`. */
  refused: boolean;
  lastError: TimedError | null;
  /** What a person should know that is no error (a resume by content, a spool file set aside), newest last. */
  notices: TimedError[];
  lastUploadAt: string | null;
}

export type AgentEvent =
  | { type: 'started' }
  | { type: 'stopping' }
  | { type: 'stopped' }
  | { type: 'paused' }
  | { type: 'resumed' }
  /** Upload now or retry: try again after a refusal. */
  | { type: 'retry-requested' }
  | { type: 'queue'; busy: boolean }
  | { type: 'attempt-failed'; error: TimedError }
  | { type: 'upload-failed'; error: TimedError; stopping: boolean }
  | { type: 'uploaded'; at: string }
  /** The store answered a request that was no upload (what it holds of a log): the outage is over. */
  | { type: 'store-reached' }
  /** The log became readable (`ok`, error: null) or not (with what to do). */
  | { type: 'log'; log: LogCondition; error: TimedError | null }
  | { type: 'state-refused'; error: TimedError }
  | { type: 'notice'; notice: TimedError }
  /** Something a person must know that does not stop the agent (spool cap, missing log, processing failed). */
  | { type: 'problem'; error: TimedError };

const MAX_NOTICES = 20;

/** Codes a later successful upload does not clear: they report a loss, or a log that still cannot be read. */
const STICKY_CODES = new Set([
  'SPOOL_FULL',
  'LOG_MISSING',
  'LOG_LOCKED',
  'LOG_NOT_A_FILE',
  'LOG_UNREADABLE',
  'NOT_A_LOG',
]);
/** The log's own problems: cleared when the log is readable again. */
const LOG_CODES = new Set(['LOG_MISSING', 'LOG_LOCKED', 'LOG_NOT_A_FILE', 'LOG_UNREADABLE', 'NOT_A_LOG']);

export function initialModel(): AgentModel {
  return {
    phase: 'starting',
    paused: false,
    uploading: false,
    offline: false,
    blocked: false,
    log: 'unknown',
    refused: false,
    lastError: null,
    notices: [],
    lastUploadAt: null,
  };
}

export function transition(model: AgentModel, event: AgentEvent): AgentModel {
  const next = step(model, event);
  // Refused, the agent does nothing more: why (a damaged checkpoint, the folder taken over) stays what a person reads,
  // not an upload cut short after it.
  return model.refused && event.type !== 'state-refused' ? { ...next, lastError: model.lastError } : next;
}

function step(model: AgentModel, event: AgentEvent): AgentModel {
  switch (event.type) {
    case 'started':
      return { ...model, phase: 'running' };
    case 'stopping':
      return { ...model, phase: 'stopping' };
    case 'stopped':
      return { ...model, phase: 'stopped', uploading: false };
    case 'paused':
      return { ...model, paused: true };
    case 'resumed':
      return { ...model, paused: false, blocked: false };
    case 'retry-requested':
      return { ...model, blocked: false };
    case 'queue':
      return { ...model, uploading: event.busy };
    case 'attempt-failed':
      return { ...model, offline: true, lastError: event.error };
    case 'upload-failed':
      return {
        ...model,
        blocked: model.blocked || event.stopping,
        offline: model.offline || OUTAGE_CODES.has(event.error.code),
        lastError: event.error,
      };
    case 'uploaded': {
      const sticky = model.lastError !== null && STICKY_CODES.has(model.lastError.code);
      return { ...model, offline: false, lastUploadAt: event.at, lastError: sticky ? model.lastError : null };
    }
    case 'problem':
      return { ...model, lastError: event.error };
    case 'store-reached': {
      const outage = model.lastError !== null && OUTAGE_CODES.has(model.lastError.code);
      return { ...model, offline: false, lastError: outage ? null : model.lastError };
    }
    case 'state-refused':
      return { ...model, refused: true, lastError: event.error };
    case 'notice':
      return { ...model, notices: [...model.notices, event.notice].slice(-MAX_NOTICES) };
    case 'log': {
      const stale = model.lastError !== null && LOG_CODES.has(model.lastError.code);
      return { ...model, log: event.log, lastError: event.error ?? (stale ? null : model.lastError) };
    }
  }
}

/** The state shown on the badge, the tray and the Overview: the most urgent thing first. */
export function stateOf(model: AgentModel): AgentState {
  if (model.phase === 'starting') return 'starting';
  if (model.phase === 'stopped') return 'stopped';
  if (model.refused) return 'error';
  if (model.paused) return 'paused';
  if (model.blocked) return 'error';
  if (model.log === 'not-a-file' || model.log === 'unreadable' || model.log === 'not-a-log') return 'error';
  if (model.offline) return 'offline';
  if (model.log === 'missing' || model.log === 'locked') return 'waiting';
  if (model.uploading) return 'uploading';
  return 'watching';
}

/** True when new work may start on its own (polls, a kick of the queue): running, not paused, not refused. */
export function mayKick(model: AgentModel): boolean {
  return model.phase === 'running' && !model.refused && !model.paused && !model.blocked;
}
