import type { AgentStatus, UploadRecord } from '../../shared/agent-status';
import { agentStatus } from '../../test-support/agent-status';
import { buildTrayView, iconStateFor, TOOLTIP_MAX, type TrayMenuItem, todaysRows } from './tray-menu';

const NOW = new Date('2026-11-03T15:30:00Z');
const ZONE = 'Europe/Berlin'; // UTC+1 in November: local time 16:30

/** A watching agent on S3 with three uploads today, as the tray sees it; override what a test is about. */
function status(overrides: Partial<AgentStatus> = {}): AgentStatus {
  return agentStatus({
    logPath: 'C:\\Users\\me\\Documents\\GPU-Z Sensor Log.txt',
    target: 's3://my-gpuz-bucket',
    targetKind: 's3',
    lastUploadAt: '2026-11-03T13:05:00Z',
    nextUploadAt: '2026-11-03T16:05:00Z',
    spool: { batches: 0, bytes: 0, capBytes: 100_000_000 },
    counters: {
      batchesUploaded: 3,
      requests: { put: 3, get: 0, list: 0 },
      requestsThisMonth: { month: '2026-11', put: 3, get: 0, list: 0 },
    },
    ...overrides,
  });
}

function record(at: string, rows: number, state: UploadRecord['status'] = 'uploaded'): UploadRecord {
  return {
    batchId: at,
    key: `raw/${at}`,
    at,
    rows,
    rawBytes: rows * 300,
    compressedBytes: rows * 30,
    durationMs: 120,
    status: state,
  };
}

const HISTORY = [
  record('2026-11-02T22:59:00Z', 500), // 23:59 Berlin on Nov 2: yesterday
  record('2026-11-02T23:01:00Z', 1_200), // 00:01 Berlin on Nov 3: today
  record('2026-11-03T13:05:00Z', 3_456),
  record('2026-11-03T14:05:00Z', 999, 'failed'),
];

function labelled(items: TrayMenuItem[]) {
  return items.map((item) => (item.type === 'separator' ? '—' : `${item.id}${item.enabled ? '' : ' (off)'}`));
}

describe('tray view from agent state', () => {
  it('shows the watching menu with pause, today’s uploaded rows in local time and the last upload', () => {
    const view = buildTrayView({
      status: status(),
      history: HISTORY,
      loginItemEnabled: false,
      now: NOW,
      timeZone: ZONE,
      locale: 'en-US',
    });
    expect(view.icon).toBe('watching');
    expect(view.tooltip).toBe('GPU-Z Cloud: watching the log\nLast upload 2:05 PM\nToday 4,656 rows');
    expect(labelled(view.items)).toEqual([
      'open-dashboard',
      '—',
      'pause',
      'upload-now',
      'open-log-folder',
      '—',
      'toggle-login-item',
      '—',
      'quit',
    ]);
    expect(view.items.find((i) => i.type === 'checkbox')).toMatchObject({
      label: 'Start at login',
      checked: false,
    });
  });

  it('offers resume when paused and reflects the start-at-login setting', () => {
    const view = buildTrayView({
      status: status({ state: 'paused' }),
      history: [],
      loginItemEnabled: true,
      now: NOW,
      timeZone: ZONE,
      locale: 'en-US',
    });
    expect(view.icon).toBe('paused');
    expect(labelled(view.items)).toContain('resume');
    expect(labelled(view.items)).not.toContain('pause');
    expect(view.items.find((i) => i.type === 'checkbox')).toMatchObject({ checked: true });
    expect(view.tooltip).toBe('GPU-Z Cloud: paused\nLast upload 2:05 PM\nToday 0 rows');
  });

  it('says in the tooltip that a used-up PUT budget holds uploads, and until when', () => {
    const view = buildTrayView({
      status: status({ budgetUsedUpUntil: '2027-01-01T00:00:00.000Z' }),
      history: [],
      loginItemEnabled: false,
      now: NOW,
      timeZone: 'UTC',
      locale: 'en-US',
    });
    expect(view.tooltip.split('\n').at(-1)).toBe('PUT budget used up: next upload Jan 1, 2027, 12:00 AM');
    expect(view.tooltip.length).toBeLessThanOrEqual(127);
  });

  it('says how far a catch-up on a long log is in the tooltip, with the busy icon', () => {
    const catchUp = {
      since: NOW.toISOString(),
      doneBytes: 49,
      pendingBytes: 51,
      bytesPerSecond: 1,
      etaSeconds: 51,
    };
    const view = buildTrayView({
      status: status({ state: 'watching', catchUp }),
      history: [],
      loginItemEnabled: false,
      now: NOW,
      timeZone: ZONE,
      locale: 'en-US',
    });
    expect(view.icon).toBe('uploading');
    expect(view.tooltip.split('\n')[0]).toBe('GPU-Z Cloud: catching up on the log, 49% stored');
  });

  it('disables upload now while an upload runs', () => {
    const view = buildTrayView({
      status: status({ state: 'uploading' }),
      history: [],
      loginItemEnabled: false,
      now: NOW,
      timeZone: ZONE,
      locale: 'en-US',
    });
    expect(view.icon).toBe('uploading');
    expect(labelled(view.items)).toContain('upload-now (off)');
  });

  it('names the last error in the tooltip when offline, dates an older upload and stays within 127 characters', () => {
    const message =
      'S3 did not answer: getaddrinfo ENOTFOUND my-gpuz-bucket.s3.eu-central-1.amazonaws.com after 5 retries';
    const view = buildTrayView({
      status: status({
        state: 'offline',
        lastUploadAt: '2026-11-01T09:00:00Z',
        lastError: { code: 'S3_OFFLINE', message, advice: 'Check the network.', at: '2026-11-03T15:00:00Z' },
      }),
      history: HISTORY,
      loginItemEnabled: false,
      now: NOW,
      timeZone: ZONE,
      locale: 'en-US',
    });
    expect(view.icon).toBe('error');
    expect(
      view.tooltip.startsWith('GPU-Z Cloud: offline\nLast upload Nov 1, 10:00 AM\nToday 4,656 rows\nS3'),
    ).toBe(true);
    expect(view.tooltip).toHaveLength(TOOLTIP_MAX);
    expect(view.tooltip.endsWith('…')).toBe(true);
  });

  it('offers Check and repair for the damage `gpuz-cloud repair` mends, and not for an outage', () => {
    const input = (code: string) => ({
      status: status({
        state: 'error' as const,
        lastError: { code, message: 'm', advice: 'a', at: '2026-11-03T15:00:00Z' },
      }),
      history: [],
      loginItemEnabled: false,
      now: NOW,
      timeZone: ZONE,
      locale: 'en-US',
    });
    for (const code of ['STATE_DAMAGED', 'SPOOL_BODY_DAMAGED', 'SPOOL_BODY_MISSING', 'BAD_KEY']) {
      const items = buildTrayView(input(code)).items;
      expect(labelled(items).slice(0, 2)).toEqual(['open-dashboard', 'repair-state']);
      expect(items[1]).toMatchObject({ label: 'Check and repair…', enabled: true });
    }
    expect(labelled(buildTrayView(input('S3_OFFLINE')).items)).not.toContain('repair-state');
  });

  it('before the agent runs: error icon, only dashboard, login item and quit enabled', () => {
    const view = buildTrayView({
      status: null,
      history: [],
      loginItemEnabled: false,
      now: NOW,
      timeZone: ZONE,
      locale: 'en-US',
    });
    expect(view.icon).toBe('error');
    expect(view.tooltip).toBe('GPU-Z Cloud: not running');
    expect(labelled(view.items)).toEqual([
      'open-dashboard',
      '—',
      'pause (off)',
      'upload-now (off)',
      'open-log-folder (off)',
      '—',
      'toggle-login-item',
      '—',
      'quit',
    ]);
  });

  it('maps every agent state to one of the four icons, never the green one over an error', () => {
    const states = [
      'starting',
      'watching',
      'waiting',
      'uploading',
      'paused',
      'offline',
      'error',
      'stopped',
    ] as const;
    const icon = (state: AgentStatus['state'], lastError: AgentStatus['lastError'] = null) =>
      buildTrayView({
        status: status({ state, lastError }),
        history: [],
        loginItemEnabled: false,
        now: NOW,
        timeZone: ZONE,
        locale: 'en-US',
      }).icon;
    expect(states.map((state) => icon(state))).toEqual([
      'paused',
      'watching',
      'paused',
      'uploading',
      'paused',
      'error',
      'error',
      'paused',
    ]);
    const spoolFull = { code: 'SPOOL_FULL', message: 'dropped 2 batches', at: '2026-11-03T15:00:00Z' };
    expect(icon('watching', spoolFull)).toBe('paused');
    expect(iconStateFor(null)).toBe('error');
  });

  it('counts today by the given zone: in Los Angeles the first two uploads were still on Nov 2', () => {
    expect(todaysRows(HISTORY, NOW, ZONE)).toBe(4_656);
    expect(todaysRows(HISTORY, NOW, 'America/Los_Angeles')).toBe(3_456);
    expect(todaysRows(HISTORY, new Date('2026-11-03T06:00:00Z'), 'America/Los_Angeles')).toBe(1_700);
  });
});

describe('the tray’s cost line', () => {
  it('shows the Costs view’s monthly figure, and says a local folder costs AWS nothing', () => {
    const base = { status: null, history: [], loginItemEnabled: false, now: new Date(0), timeZone: 'UTC' };
    const aws = buildTrayView({ ...base, cost: { monthlyUsd: 0.011, awsBilled: true } });
    expect(aws.items[1]).toMatchObject({ id: 'open-costs', label: 'Costs: about $0.0110 a month in AWS' });
    const local = buildTrayView({ ...base, cost: { monthlyUsd: 0.011, awsBilled: false } });
    expect(local.items[1]).toMatchObject({ label: 'Costs: nothing in AWS (uploads to a local folder)' });
    expect(buildTrayView(base).items[1]).toEqual({ type: 'separator' });
  });
});
