import type { AgentState } from '../../../shared/agent-status';
import type { ErrorData } from '../../../shared/errors';

/**
 * The agent's rules as data: what happened → the agent's model, and the one state a person sees. Pure (no
 * clock, no I/O): create-agent.ts reports what happened and performs the effects (read, spool, PUT, save).
 *
 *   let m = initialModel()                                       stateOf(m) → 'starting'
 *   m = transition(m, { type: 'started' })                       → 'watching'
 *   m = transition(m, { type: 'attempt-failed', error })         → 'offline' (lastError says when it retries)
 *   m = transition(m, { type: 'uploaded', at })                  → 'watching', lastError cleared
 *   m = transition(m, { type: 'upload-failed', error, stopping: true }) → 'error' until resume / upload now
 */
export type TimedError = ErrorData & { at: string };

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
  lastError: TimedError | null;
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
  /** Something a person must know that does not stop the agent (spool cap, missing log, processing failed). */
  | { type: 'problem'; error: TimedError };

/** Codes a later successful upload does not clear: they report a loss, which stays true. */
const STICKY_CODES = new Set(['SPOOL_FULL']);

export function initialModel(): AgentModel {
  return {
    phase: 'starting',
    paused: false,
    uploading: false,
    offline: false,
    blocked: false,
    lastError: null,
    lastUploadAt: null,
  };
}

export function transition(model: AgentModel, event: AgentEvent): AgentModel {
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
        offline: model.offline || event.error.code === 'STORE_UNREACHABLE',
        lastError: event.error,
      };
    case 'uploaded': {
      const sticky = model.lastError !== null && STICKY_CODES.has(model.lastError.code);
      return { ...model, offline: false, lastUploadAt: event.at, lastError: sticky ? model.lastError : null };
    }
    case 'problem':
      return { ...model, lastError: event.error };
  }
}

/** The state shown on the badge, the tray and the Overview: the most urgent thing first. */
export function stateOf(model: AgentModel): AgentState {
  if (model.phase === 'starting') return 'starting';
  if (model.phase === 'stopped') return 'stopped';
  if (model.paused) return 'paused';
  if (model.blocked) return 'error';
  if (model.offline) return 'offline';
  if (model.uploading) return 'uploading';
  return 'watching';
}

/** True when new work may start on its own (polls, a kick of the queue): running, not paused, not refused. */
export function mayKick(model: AgentModel): boolean {
  return model.phase === 'running' && !model.paused && !model.blocked;
}
