/**
 * Terraform's machine-readable UI (`-json`, UI format 1.x; OpenTofu writes the same), one JSON object a line.
 * Only the fields we use are typed; see https://developer.hashicorp.com/terraform/internals/machine-readable-ui
 *
 *   parseUiLine('{"type":"apply_start","hook":{"resource":{"addr":"aws_s3_bucket.raw"},"action":"create"},…}')
 *     → { type: 'apply_start', message: 'aws_s3_bucket.raw: Creating...', hook: { resource: { addr: … }, action: 'create' } }
 *   parseUiLine('not json') → null (Terraform prints some plain lines, e.g. when a crash log is written)
 */
export type ChangeAction =
  | 'noop'
  | 'create'
  | 'read'
  | 'update'
  | 'replace'
  | 'delete'
  | 'move'
  | 'import'
  | 'forget';

export interface ResourceAddress {
  addr: string;
  resource_type?: string;
  resource_name?: string;
}

export interface Diagnostic {
  severity: 'error' | 'warning';
  summary: string;
  detail?: string;
  address?: string;
}

export interface ChangeCounts {
  add: number;
  change: number;
  remove: number;
  import?: number;
  operation: 'plan' | 'apply' | 'destroy';
}

export type UiMessage =
  | { type: 'version'; message: string; terraform: string; ui: string }
  | { type: 'log' | 'init_output'; message: string; level: string }
  | { type: 'diagnostic'; message: string; diagnostic: Diagnostic }
  | {
      type: 'planned_change' | 'resource_drift';
      message: string;
      change: { resource: ResourceAddress; action: ChangeAction };
    }
  | { type: 'change_summary'; message: string; changes: ChangeCounts }
  | {
      type: 'apply_start' | 'apply_progress' | 'apply_complete' | 'apply_errored';
      message: string;
      hook: { resource: ResourceAddress; action: ChangeAction; elapsed_seconds?: number };
    }
  | {
      type: 'outputs';
      message: string;
      outputs: Record<string, { sensitive: boolean; type?: unknown; value?: unknown; action?: ChangeAction }>;
    }
  | { type: 'other'; message: string; rawType: string };

const KNOWN = new Set([
  'version',
  'log',
  'init_output',
  'diagnostic',
  'planned_change',
  'resource_drift',
  'change_summary',
  'apply_start',
  'apply_progress',
  'apply_complete',
  'apply_errored',
  'outputs',
]);

export function parseUiLine(line: string): UiMessage | null {
  const text = line.trim();
  if (!text.startsWith('{')) return null;
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch {
    return null;
  }
  const type = typeof raw.type === 'string' ? raw.type : '';
  const message = typeof raw['@message'] === 'string' ? raw['@message'] : '';
  if (!KNOWN.has(type)) return { type: 'other', message, rawType: type };
  if (type === 'log' || type === 'init_output') {
    return { type, message, level: typeof raw['@level'] === 'string' ? raw['@level'] : 'info' };
  }
  // The remaining types carry their payload under the documented key; trust the producer's shape.
  return { ...raw, type, message } as UiMessage;
}
