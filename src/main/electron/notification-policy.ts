/**
 * When the tray app speaks up (pure; notifications.ts shows what this returns):
 *   const policy = createNotificationPolicy({ clock: () => Date.now() })
 *   policy.onUpload({ status: 'failed', error: { message, advice } }) ×3 → { kind: 'upload-failing', title, body }
 *   policy.onUpload({ status: 'uploaded' }) after that                   → { kind: 'recovered', … }
 *   policy.onStatus({ spool: { bytes: 92, capBytes: 100 } })              → { kind: 'spool-near-cap', … }
 * Each kind is rate-limited, so a flapping network cannot turn into a stream of toasts during a game.
 */
import type { AgentStatus, UploadRecord } from '../../shared/agent-status';
import type { CloudHealth } from '../../shared/contract';

export type NoteKind = 'upload-failing' | 'spool-near-cap' | 'recovered' | 'cloud-failing' | 'alert';

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
  /** Failed uploads in a row before telling the user (one failure is usually a blip the agent retries). */
  failuresBeforeNotice?: number;
  /** Spool fill ratio that warns; it warns again only after dropping below `spoolResetRatio`. */
  spoolWarnRatio?: number;
  spoolResetRatio?: number;
  /** At most one note of each kind per this interval. */
  minIntervalMs?: number;
}

export interface NotificationPolicy {
  onUpload(record: UploadRecord): Note | null;
  onStatus(status: AgentStatus): Note | null;
  /** The stack's alarm fired, or more batches failed or were quarantined in AWS than at the last check. */
  onCloudHealth(health: CloudHealth): Note | null;
}

export function createNotificationPolicy(options: NotificationPolicyOptions): NotificationPolicy {
  const threshold = options.failuresBeforeNotice ?? 3;
  const warnRatio = options.spoolWarnRatio ?? 0.9;
  const resetRatio = options.spoolResetRatio ?? 0.75;
  const limiter = createRateLimiter({
    intervalMs: options.minIntervalMs ?? 30 * 60_000,
    clock: options.clock,
  });
  let failuresInRow = 0;
  let toldFailing = false;
  let spoolWarned = false;
  let cloudSeen: CloudHealth | null = null;

  const limited = (note: Note): Note | null => (limiter.allow(note.kind) ? note : null);

  return {
    onUpload(record) {
      if (record.status === 'uploaded') {
        failuresInRow = 0;
        if (!toldFailing) return null;
        toldFailing = false;
        // Not rate-limited: it answers a warning the user already saw.
        return {
          kind: 'recovered',
          title: 'Uploads work again',
          body: 'GPU-Z Cloud uploaded the waiting logs.',
        };
      }
      if (record.status !== 'failed') return null;
      failuresInRow += 1;
      if (failuresInRow < threshold) return null;
      const note = limited({
        kind: 'upload-failing',
        title: `Uploads keep failing (${failuresInRow} in a row)`,
        body:
          [record.error?.message, record.error?.advice].filter(Boolean).join(' ') ||
          'Open the dashboard for details.',
      });
      if (note) toldFailing = true;
      return note;
    },
    onStatus(status) {
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
    },
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
