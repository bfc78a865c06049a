import type { AgentStatus, UploadRecord } from '../../shared/agent-status';
import { createNotificationPolicy, createRateLimiter } from './notification-policy';

const MINUTE = 60_000;

function upload(status: UploadRecord['status'], code = 'BATCH_REJECTED'): UploadRecord {
  return {
    batchId: 'b',
    key: 'raw/b',
    at: '2026-11-03T12:00:00Z',
    rows: 60,
    rawBytes: 18_000,
    compressedBytes: 2_000,
    durationMs: 200,
    status,
    ...(status === 'failed' || status === 'retrying'
      ? { error: { code, message: 'S3 refused the batch.', advice: 'Open the dashboard.' } }
      : {}),
  };
}

const OFFLINE_ERROR = {
  code: 'STORE_UNREACHABLE',
  message: 'Upload of b failed (connect ECONNREFUSED 127.0.0.1:9); retrying in 30 s',
  advice: 'Check the network connection; the batches wait in the spool and are sent when it is back.',
  at: '2026-11-03T12:00:00Z',
};
const EXPIRED = {
  code: 'CREDENTIALS_EXPIRED',
  message: 'The AWS session used for the upload has expired.',
  advice: 'aws sso login --profile home',
  guiAdvice: 'Sign in again in a terminal (aws sso login); uploads resume by themselves.',
  at: '2026-11-03T12:00:00Z',
};

/** A status in `state` with `lastError` and `batches` waiting in the spool. */
function state(
  name: AgentStatus['state'],
  lastError: AgentStatus['lastError'] = null,
  batches = 0,
): AgentStatus {
  return { state: name, lastError, spool: { batches, bytes: batches * 10, capBytes: 1_000 } } as AgentStatus;
}

function spool(bytes: number): AgentStatus {
  return { state: 'watching', lastError: null, spool: { batches: 1, bytes, capBytes: 1_000 } } as AgentStatus;
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
  it('tells of an outage once it has lasted 5 minutes (the agent offline, retrying every 30 s), once, then its end', () => {
    let now = 0;
    const policy = createNotificationPolicy({ clock: () => now });
    const notes = [];
    for (; now <= 2 * 60 * MINUTE; now += 30_000)
      notes.push(policy.onStatus(state('offline', OFFLINE_ERROR, 3)));
    const told = notes.filter((note) => note !== null);
    expect(told).toEqual([
      {
        kind: 'upload-failing',
        title: 'Uploads failing for 5 min',
        body: 'Upload of b failed (connect ECONNREFUSED 127.0.0.1:9); retrying in 30 s Check the network connection; the batches wait in the spool and are sent when it is back.',
      },
    ]);
    expect(notes.indexOf(told[0]!)).toBe(10);
    expect(policy.onStatus(state('uploading', null, 3))).toEqual({
      kind: 'recovered',
      title: 'Uploads work again',
      body: 'GPU-Z Cloud reaches the store again; 3 waiting batches are sent now.',
    });
    expect(policy.onStatus(state('watching'))).toBeNull();
  });

  it('says nothing of a blip shorter than 5 minutes, nor of its end; a new outage counts from its own start', () => {
    let now = 0;
    const policy = createNotificationPolicy({ clock: () => now });
    const notes = [];
    for (; now < 4 * MINUTE; now += 30_000) notes.push(policy.onStatus(state('offline', OFFLINE_ERROR)));
    notes.push(policy.onStatus(state('watching')));
    now = 10 * MINUTE;
    notes.push(policy.onStatus(state('offline', OFFLINE_ERROR)));
    now = 14 * MINUTE;
    notes.push(policy.onStatus(state('offline', OFFLINE_ERROR)));
    // Paused or stopped by the person says nothing, and does not end the outage
    notes.push(policy.onStatus(state('paused')));
    expect(notes.every((n) => n === null)).toBe(true);
    now = 15 * MINUTE;
    expect(policy.onStatus(state('offline', OFFLINE_ERROR))?.title).toBe('Uploads failing for 5 min');
  });

  it('tells at once when the uploads stop for the person (an expired sign-in), with the advice for the desktop, once', () => {
    let now = 0;
    const policy = createNotificationPolicy({ clock: () => now });
    expect(policy.onStatus(state('error', EXPIRED))).toEqual({
      kind: 'upload-stopped',
      title: 'Uploads stopped',
      body: 'The AWS session used for the upload has expired. Sign in again in a terminal (aws sso login); uploads resume by themselves.',
    });
    now = 10 * MINUTE;
    expect(policy.onStatus(state('error', EXPIRED))).toBeNull();
    // Signed in again, but no network yet: the outage is not told on top of the stop already told
    now = 20 * MINUTE;
    expect(policy.onStatus(state('offline', OFFLINE_ERROR))).toBeNull();
    now = 30 * MINUTE;
    expect(policy.onStatus(state('offline', OFFLINE_ERROR))).toBeNull();
    expect(policy.onStatus(state('watching'))).toMatchObject({ kind: 'recovered' });
  });

  it('a flapping network: at most one outage note per 30 minutes', () => {
    let now = 0;
    const policy = createNotificationPolicy({ clock: () => now });
    const told: number[] = [];
    // Down 6 minutes, up 1 minute, for 3 hours
    while (now < 180 * MINUTE) {
      const start = now;
      for (; now - start <= 6 * MINUTE; now += 30_000) {
        if (policy.onStatus(state('offline', OFFLINE_ERROR))?.kind === 'upload-failing') told.push(now);
      }
      policy.onStatus(state('watching'));
      now += MINUTE;
    }
    expect(told.length).toBeGreaterThan(1);
    for (let i = 1; i < told.length; i++) expect(told[i]! - told[i - 1]!).toBeGreaterThanOrEqual(30 * MINUTE);
  });

  it('a batch the store refused is told (the agent goes on with the next); other upload records say nothing', () => {
    const policy = createNotificationPolicy({ clock: () => 0 });
    for (const status of ['uploading', 'retrying', 'uploaded', 'dropped'] as const)
      expect(policy.onUpload(upload(status))).toBeNull();
    expect(policy.onUpload(upload('failed', 'ACCESS_DENIED'))).toBeNull(); // the state says it: 'error'
    expect(policy.onUpload(upload('failed'))).toEqual({
      kind: 'batch-refused',
      title: 'A batch was refused',
      body: 'S3 refused the batch. Open the dashboard.',
    });
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
