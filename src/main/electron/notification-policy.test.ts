import type { AgentStatus, UploadRecord } from '../../shared/agent-status';
import { createNotificationPolicy, createRateLimiter } from './notification-policy';

const MINUTE = 60_000;

function upload(status: UploadRecord['status']): UploadRecord {
  return {
    batchId: 'b',
    key: 'raw/b',
    at: '2026-11-03T12:00:00Z',
    rows: 60,
    rawBytes: 18_000,
    compressedBytes: 2_000,
    durationMs: 200,
    status,
    ...(status === 'failed'
      ? {
          error: {
            code: 'S3_DENIED',
            message: 'S3 refused the upload: access denied.',
            advice: 'Check the profile.',
          },
        }
      : {}),
  };
}

function spool(bytes: number): AgentStatus {
  return { spool: { batches: 1, bytes, capBytes: 1_000 } } as AgentStatus;
}

describe('rate limiter', () => {
  it('allows once per interval and key', () => {
    let now = 0;
    const limiter = createRateLimiter({ intervalMs: 10 * MINUTE, clock: () => now });
    expect(limiter.allow('a')).toBe(true);
    expect(limiter.allow('b')).toBe(true);
    now = 10 * MINUTE - 1;
    expect(limiter.allow('a')).toBe(false);
    now = 10 * MINUTE;
    expect(limiter.allow('a')).toBe(true);
    expect(limiter.allow('a')).toBe(false);
  });
});

describe('notification policy', () => {
  it('tells after the third failure in a row, with the advice, then once per 30 minutes, then recovery', () => {
    let now = 0;
    const policy = createNotificationPolicy({ clock: () => now });
    expect(policy.onUpload(upload('failed'))).toBeNull();
    expect(policy.onUpload(upload('failed'))).toBeNull();
    expect(policy.onUpload(upload('failed'))).toEqual({
      kind: 'upload-failing',
      title: 'Uploads keep failing (3 in a row)',
      body: 'S3 refused the upload: access denied. Check the profile.',
    });
    now = 29 * MINUTE;
    expect(policy.onUpload(upload('failed'))).toBeNull();
    now = 30 * MINUTE;
    expect(policy.onUpload(upload('failed'))?.title).toBe('Uploads keep failing (5 in a row)');
    expect(policy.onUpload(upload('uploaded'))).toMatchObject({ kind: 'recovered' });
    expect(policy.onUpload(upload('uploaded'))).toBeNull();
  });

  it('a success between failures resets the count; no recovery note for failures nobody was told about', () => {
    const policy = createNotificationPolicy({ clock: () => 0 });
    const notes = ['failed', 'failed', 'uploaded', 'failed', 'failed', 'pending', 'uploaded'].map((s) =>
      policy.onUpload(upload(s as UploadRecord['status'])),
    );
    expect(notes.every((n) => n === null)).toBe(true);
  });

  it('warns at 90% spool once, again only after it drained below 75% and the interval passed', () => {
    let now = 0;
    const policy = createNotificationPolicy({ clock: () => now });
    expect(policy.onStatus(spool(899))).toBeNull();
    expect(policy.onStatus(spool(900))).toMatchObject({
      kind: 'spool-near-cap',
      title: 'Upload queue 90% full',
    });
    expect(policy.onStatus(spool(990))).toBeNull();
    expect(policy.onStatus(spool(800))).toBeNull();
    expect(policy.onStatus(spool(950))).toBeNull(); // never drained below 75%
    expect(policy.onStatus(spool(700))).toBeNull();
    expect(policy.onStatus(spool(960))).toBeNull(); // drained, but within 30 minutes
    now = 31 * MINUTE;
    expect(policy.onStatus(spool(700))).toBeNull();
    expect(policy.onStatus(spool(970))?.title).toBe('Upload queue 97% full');
    expect(policy.onStatus({ spool: { batches: 0, bytes: 5, capBytes: 0 } } as AgentStatus)).toBeNull();
  });
});

describe('notification policy: the stack in AWS', () => {
  const health = (alarm: 'OK' | 'ALARM', failed: number, quarantined = 0) => ({
    checkedAt: 0,
    alarm: { state: alarm },
    failed: { count: failed, latest: [] },
    quarantined: { count: quarantined, latest: [] },
    problems: [],
  });

  it('tells when the alarm fires or batches failed for good, once per interval, pointing at Reprocess', () => {
    // Prepare
    let now = 0;
    const policy = createNotificationPolicy({ clock: () => now });
    // Act
    const calm = policy.onCloudHealth(health('OK', 0));
    const fired = policy.onCloudHealth(health('ALARM', 2, 1));
    const again = policy.onCloudHealth(health('ALARM', 3, 1));
    now += 30 * 60_000;
    const later = policy.onCloudHealth(health('ALARM', 4, 1));
    // Assess
    expect(calm).toBeNull();
    expect(fired).toEqual({
      kind: 'cloud-failing',
      title: 'Processing in AWS failed',
      body: '2 batches failed every attempt in AWS: Overview → Reprocess runs them again. 1 batch was quarantined as unreadable.',
    });
    expect(again).toBeNull();
    expect(later?.body).toContain('4 batches failed');
  });
});
