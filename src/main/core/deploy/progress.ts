/**
 * Turns the UI message stream of one Terraform command into progress a person can follow.
 *
 *   const tracker = createProgressTracker('apply')
 *   tracker.push(parseUiLine(line))  → { phase: 'apply', done: 1, total: 14, current: 'creating aws_s3_bucket.raw', errors: [] }
 * `total` comes from the plan's change summary (or the count of planned changes); `done` counts resources
 * that finished, successfully or not, so the bar always reaches its end.
 */
import { adviceForDiagnostic } from './advice';
import type { ChangeAction, ChangeCounts, UiMessage } from './ui-messages';

export type DeployPhase = 'init' | 'plan' | 'apply' | 'destroy' | 'output' | 'download';

export interface ProgressError {
  message: string;
  address?: string;
  advice?: string;
}

export interface ProgressEvent {
  phase: DeployPhase;
  done: number;
  total: number;
  /** What Terraform is doing now: 'creating aws_s3_bucket.raw'. */
  current: string;
  errors: ProgressError[];
}

export interface PlannedChange {
  address: string;
  action: ChangeAction;
}

export interface ProgressTracker {
  push(message: UiMessage | null): ProgressEvent | null;
  readonly snapshot: ProgressEvent;
  readonly planned: PlannedChange[];
  readonly drift: PlannedChange[];
  readonly summary: ChangeCounts | null;
  readonly warnings: string[];
  readonly version: string | null;
}

const VERB: Record<ChangeAction, string> = {
  noop: 'checking',
  create: 'creating',
  read: 'reading',
  update: 'updating',
  replace: 'replacing',
  delete: 'destroying',
  move: 'moving',
  import: 'importing',
  forget: 'forgetting',
};

export function createProgressTracker(phase: DeployPhase): ProgressTracker {
  const state: ProgressEvent = { phase, done: 0, total: 0, current: '', errors: [] };
  const planned: PlannedChange[] = [];
  const drift: PlannedChange[] = [];
  const warnings: string[] = [];
  const finished = new Set<string>();
  let summary: ChangeCounts | null = null;
  let version: string | null = null;

  const emit = (): ProgressEvent => ({ ...state, errors: [...state.errors] });

  return {
    push(message) {
      if (!message) return null;
      switch (message.type) {
        case 'version':
          version = message.terraform;
          return null;
        case 'init_output':
          state.current = message.message;
          return emit();
        case 'planned_change':
          planned.push({ address: message.change.resource.addr, action: message.change.action });
          if (!summary)
            state.total = planned.filter((c) => c.action !== 'noop' && c.action !== 'read').length;
          return emit();
        case 'resource_drift':
          drift.push({ address: message.change.resource.addr, action: message.change.action });
          return null;
        case 'change_summary':
          summary = message.changes;
          if (message.changes.operation !== 'apply' && message.changes.operation !== 'destroy') {
            state.total = message.changes.add + message.changes.change + message.changes.remove;
          }
          return emit();
        case 'apply_start':
        case 'apply_progress': {
          const { resource, action, elapsed_seconds } = message.hook;
          const elapsed =
            message.type === 'apply_progress' && elapsed_seconds ? ` (${elapsed_seconds}s)` : '';
          state.current = `${VERB[action] ?? action} ${resource.addr}${elapsed}`;
          return emit();
        }
        case 'apply_complete':
        case 'apply_errored': {
          const address = message.hook.resource.addr;
          // A replacement finishes twice (delete, then create) and counts twice in the summary too.
          const key = `${address} ${message.hook.action}`;
          if (!finished.has(key)) {
            finished.add(key);
            state.done += 1;
            state.total = Math.max(state.total, state.done);
          }
          if (message.type === 'apply_errored') state.current = `failed ${address}`;
          return emit();
        }
        case 'diagnostic': {
          const d = message.diagnostic;
          if (d.severity === 'warning') {
            warnings.push(d.summary);
            return null;
          }
          const error: ProgressError = { message: d.detail ? `${d.summary}: ${d.detail.trim()}` : d.summary };
          if (d.address) error.address = d.address;
          const advice = adviceForDiagnostic(d);
          if (advice) error.advice = advice;
          state.errors.push(error);
          return emit();
        }
        default:
          return null;
      }
    },
    get snapshot() {
      return emit();
    },
    planned,
    drift,
    get summary() {
      return summary;
    },
    warnings,
    get version() {
      return version;
    },
  };
}
