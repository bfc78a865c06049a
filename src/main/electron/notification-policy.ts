/**
 * When the tray app speaks up (pure; notifications.ts shows what this returns). It follows the agent's state, as
 * the tray icon does:
 *   const policy = createNotificationPolicy({ clock: () => Date.now() })
 *   policy.onStatus({ state: 'offline', lastError }) for 5 min → { kind: 'upload-failing', title, body }, once an outage
 *   policy.onStatus({ state: 'error', lastError })             → { kind: 'upload-stopped', … } at once: a sign-in, access,
 *                                                                 the bucket, the log — uploads wait for the person
 *   policy.onStatus({ state: 'watching' }) after either        → { kind: 'recovered', … }
 *   policy.onStatus({ spool: { bytes: 92, capBytes: 100 } })   → { kind: 'spool-near-cap', … }
 *   policy.onUpload({ status: 'failed', error: BATCH_REJECTED }) → { kind: 'batch-refused', … } (the agent goes on)
 * Until 2026-12-05 it counted 'failed' upload records (3 in a row): a watching agent retries an outage without end
 * ('retrying' records), stops at once on a refusal (one 'failed' record) and, when the store cannot be reached or is
 * refused at start, has no upload at all — so the tray said nothing through a whole outage or an expired sign-in.
 * Each kind is rate-limited too, so a flapping network cannot turn into a stream of toasts during a game.
 */
import type { AgentState, AgentStatus, UploadRecord } from '../../shared/agent-status';
import type { CloudHealth } from '../../shared/contract';
import type { ErrorData } from '../../shared/errors';
import { plural } from '../../shared/plural';
import { formatDuration } from '../../shared/time-format';

export type NoteKind =
  | 'upload-failing'
  | 'upload-stopped'
  | 'batch-refused'
  | 'spool-near-cap'
  | 'recovered'
  | 'cloud-failing'
  | 'alert';

export interface Note {
  kind: NoteKind;
  title: string;
  body: string;
}

export interface RateLimiter {
  /** True (and remembered) when `key` was not allowed within the last interval. */
  allow(key: string): boolean;
}

/** allow('a') at t=0 → true; at t=interval-1 → false; at t=interval → true. Per key. */
export function createRateLimiter(options: { intervalMs: number; clock: () => number }): RateLimiter {
  const last = new Map<string, number>();
  return {
    allow(key) {
      const now = options.clock();
      const previous = last.get(key);
      if (previous !== undefined && now - previous < options.intervalMs) return false;
      last.set(key, now);
      return true;
    },
  };
}

export interface NotificationPolicyOptions {
  clock: () => number;
  /** How long the agent is offline (retrying by itself) before the user is told: a short outage is a blip. */
  offlineForMs?: number;
  /** Spool fill ratio that warns; it warns again only after dropping below `spoolResetRatio`. */
  spoolWarnRatio?: number;
  spoolResetRatio?: number;
  /** At most one note of each kind per this interval. */
  minIntervalMs?: number;
}

export interface NotificationPolicy {
  onUpload(record: UploadRecord): Note | null;
  /** Each status the agent emits (at every change; while offline, at each failed attempt). */
  onStatus(status: AgentStatus): Note | null;
  /** The stack's alarm fired, or more batches failed or were quarantined in AWS than at the last check. */
  onCloudHealth(health: CloudHealth): Note | null;
}

/** States in which uploads work (or have nothing to do); 'paused', 'starting' and 'stopped' say nothing either way. */
const WORKING: ReadonlySet<AgentState> = new Set(['watching', 'uploading', 'waiting']);

/** What an error says to a person at the desktop: its message and the advice for the dashboard (over a command). */
function errorText(error: ErrorData | null | undefined): string {
  return (
    [error?.message, error?.guiAdvice ?? error?.advice].filter(Boolean).join(' ') ||
    'Open the dashboard for details.'
  );
}

export function createNotificationPolicy(options: NotificationPolicyOptions): NotificationPolicy {
  const offlineForMs = options.offlineForMs ?? 5 * 60_000;
  const warnRatio = options.spoolWarnRatio ?? 0.9;
  const resetRatio = options.spoolResetRatio ?? 0.75;
  const limiter = createRateLimiter({
    intervalMs: options.minIntervalMs ?? 30 * 60_000,
    clock: options.clock,
  });
  /** Since when the agent has been offline (null: not offline since it last worked). */
  let offlineSince: number | null = null;
  let toldOffline = false;
  let toldStopped = false;
  let spoolWarned = false;
  let cloudSeen: CloudHealth | null = null;

  const limited = (note: Note): Note | null => (limiter.allow(note.kind) ? note : null);

  /** The note the agent's state calls for, if any. */
  function stateNote(status: AgentStatus): Note | null {
    const now = options.clock();
    if (WORKING.has(status.state)) {
      offlineSince = null;
      if (!toldOffline && !toldStopped) return null;
      toldOffline = toldStopped = false;
      // Not rate-limited: it answers a warning the user already saw.
      const waiting = status.spool.batches;
      return {
        kind: 'recovered',
        title: 'Uploads work again',
        body: `GPU-Z Cloud reaches the store again${waiting > 0 ? `; ${plural(waiting, 'waiting batch is', 'waiting batches are')} sent now` : ''}.`,
      };
    }
    if (status.state === 'error') {
      if (toldStopped) return null;
      const note = limited({
        kind: 'upload-stopped',
        title: 'Uploads stopped',
        body: errorText(status.lastError),
      });
      if (note) toldStopped = true;
      return note;
    }
    if (status.state !== 'offline') return null;
    offlineSince ??= now;
    if (toldOffline || toldStopped || now - offlineSince < offlineForMs) return null;
    const note = limited({
      kind: 'upload-failing',
      title: `Uploads failing for ${formatDuration(now - offlineSince)}`,
      body: errorText(status.lastError),
    });
    if (note) toldOffline = true;
    return note;
  }

  function spoolNote(status: AgentStatus): Note | null {
    const { bytes, capBytes } = status.spool;
    if (capBytes <= 0) return null;
    const ratio = bytes / capBytes;
    if (ratio < resetRatio) spoolWarned = false;
    if (ratio < warnRatio || spoolWarned) return null;
    const note = limited({
      kind: 'spool-near-cap',
      title: `Upload queue ${Math.floor(ratio * 100)}% full`,
      body: 'Logs are waiting to be uploaded; when the queue is full the oldest batches are dropped. Check the connection and the bucket in the dashboard.',
    });
    if (note) spoolWarned = true;
    return note;
  }

  return {
    onUpload(record) {
      // A batch the store refused (the agent goes on with the next): any other failure shows in the state.
      if (record.status !== 'failed' || record.error?.code !== 'BATCH_REJECTED') return null;
      return limited({ kind: 'batch-refused', title: 'A batch was refused', body: errorText(record.error) });
    },
    // One note per status: the state's first; a spool warning not shown now comes with the next status.
    onStatus: (status) => stateNote(status) ?? spoolNote(status),
    onCloudHealth(health) {
      const before = cloudSeen;
      cloudSeen = health;
      const fired = health.alarm.state === 'ALARM' && before?.alarm.state !== 'ALARM';
      const newlyFailed = health.failed.count - (before?.failed.count ?? 0);
      const newlyQuarantined = health.quarantined.count - (before?.quarantined.count ?? 0);
      // The first check only tells about what is wrong now, not about what was already there and seen before.
      if (!fired && newlyFailed <= 0 && (before === null || newlyQuarantined <= 0)) return null;
      const parts = [
        health.failed.count > 0
          ? `${health.failed.count} batch${health.failed.count === 1 ? '' : 'es'} failed every attempt in AWS: Overview → Reprocess runs them again.`
          : 'The processor in AWS reports errors.',
        health.quarantined.count > 0
          ? `${health.quarantined.count} batch${health.quarantined.count === 1 ? ' was' : 'es were'} quarantined as unreadable.`
          : '',
      ];
      return limited({
        kind: 'cloud-failing',
        title: 'Processing in AWS failed',
        body: parts.filter(Boolean).join(' '),
      });
    },
  };
}
