import type { CostView, Settings } from '../../shared/contract';
import { view as costView, EVENINGS_BUDGET } from './cost-view.test-support';
import {
  budgetHint,
  formOf,
  intervalHint,
  logSuggestions,
  saveSummary,
  settingsOf,
  zoneSuggestion,
} from './settings-model';

const s3: Settings = {
  logPath: 'C:\\GPU-Z Sensor Log.txt',
  target: { kind: 's3', bucket: 'b', region: 'eu-west-1', profile: 'home', endpoint: '' },
  schedule: { kind: 'budget', monthlyPuts: 1500 },
  compression: 'gzip',
  host: 'pc',
  timeZone: 'Europe/Berlin',
};

describe('settings-model', () => {
  it('form ↔ settings round trip', () => {
    const form = formOf(s3);
    expect(form).toMatchObject({ targetKind: 's3', profile: 'home', minutes: '60', monthlyPuts: '1500' });
    expect(settingsOf(form)).toEqual(s3);
    const local = settingsOf({
      ...form,
      targetKind: 'local',
      localDir: 'D:\\store',
      scheduleKind: 'interval',
      minutes: '45',
    });
    expect(local.target).toEqual({ kind: 'local', dir: 'D:\\store' });
    expect(local.schedule).toEqual({ kind: 'interval', minutes: 45 });
  });

  it('a deployed target keeps what the form has no field for (the processed bucket the charts read, the stack’s raw expiry and copy) while its bucket stays; another bucket drops them', () => {
    // Arrange: settings as a deploy wrote them
    const deployed: Settings = {
      ...s3,
      target: {
        kind: 's3',
        bucket: 'gpuz-cloud-dev-raw-123456789012',
        region: 'eu-central-1',
        processedBucket: 'gpuz-cloud-dev-processed-123456789012',
        rawExpiryDays: 30,
        analyticsCopy: true,
      },
    };
    // Act: the form saved with another interval, then with another bucket typed in
    const form = formOf(deployed);
    const saved = settingsOf({ ...form, scheduleKind: 'interval', minutes: '30' });
    const moved = settingsOf({ ...form, bucket: 'my-own-bucket' });
    // Assess: before, the save dropped processedBucket: the charts read the raw bucket, which holds no documents
    expect(saved.target).toEqual({ ...deployed.target, profile: '', endpoint: '' });
    expect(moved.target).toEqual({
      kind: 's3',
      bucket: 'my-own-bucket',
      region: 'eu-central-1',
      profile: '',
      endpoint: '',
    });
  });

  it('shows a host named in another script as named; the form sends it so (the main process stores its xn-- form)', () => {
    const form = formOf({ ...s3, host: 'xn----ctbcthhyble' });
    expect(form.host).toBe('игровой-пк');
    expect(settingsOf(form).host).toBe('игровой-пк');
  });

  it('offers other logs found; lists places with no log only while none exists anywhere', () => {
    const found = [
      { path: 'A', exists: true, reason: 'Documents' },
      { path: 'B', exists: false, reason: 'Desktop' },
      { path: 'C', exists: true, reason: 'install folder' },
    ];
    expect(logSuggestions(found, 'A', true)).toEqual([
      { path: 'C', text: 'Also found: C (install folder)', usable: true },
    ]);
    expect(logSuggestions(found.slice(0, 1), 'A', true)).toEqual([]);
    const none = found.map((c) => ({ ...c, exists: false }));
    expect(logSuggestions(none, 'X', false).map((s) => s.text)).toEqual([
      'No log yet at A (Documents)',
      'No log yet at B (Desktop)',
      'No log yet at C (install folder)',
    ]);
    // The configured log elsewhere exists (the agent reads it): nothing to list.
    expect(logSuggestions(none, '/tmp/GPU-Z Sensor Log.txt', true)).toEqual([]);
  });

  it('the interval hint reads the cost answer (never a typed-in interval)', () => {
    const view = {
      intervalMinutes: 90,
      monthlyUsd: 0.0083,
      smallestSafeIntervalMinutes: 48,
      putBudget: 2000,
      awsBilled: true,
    } as CostView;
    expect(intervalHint(view)).toBe(
      'At 1 h 30 min between uploads: about $0.0083 a month in AWS. 48 min or more keeps S3 uploads and listings within 2,000 a month. See Costs for each line.',
    );
    expect(intervalHint({ ...view, awsBilled: false })).toContain('nothing on an AWS bill (a local folder)');
  });

  it('the budget hint says what the typed budget gives now, as the Costs view’s schedule line, and the month', () => {
    const view = costView({ intervalMinutes: 10, monthlyUsd: 0.0091, schedule: EVENINGS_BUDGET });
    expect(budgetHint(view)).toBe(
      "A budget of 2,000 uploads and listings a month: every 10 min now, over 6.0 h a day — twice the 3.0 h a day this PC's agent saw GPU-Z log over the last 14 days. About $0.0091 a month in AWS. See Costs for each line.",
    );
    expect(budgetHint({ ...view, awsBilled: false })).toContain('Nothing on an AWS bill (a local folder)');
    expect(budgetHint({ ...view, schedule: null })).toBe('');
  });

  it("offers this PC's time zone while the log is read in another (a laptop abroad)", () => {
    expect(zoneSuggestion('Europe/Berlin', 'America/New_York')).toBe(
      "This PC's time zone is America/New_York.",
    );
    expect(zoneSuggestion(' America/New_York ', 'America/New_York')).toBeNull();
  });

  it('save summary', () => {
    expect(saveSummary({ ok: true, settings: s3 })).toBe('Saved. The agent restarted with these settings.');
    expect(saveSummary({ ok: true, settings: s3, unchanged: true })).toBe(
      'Saved. They are the settings in use: the agent goes on as it was.',
    );
    expect(saveSummary({ ok: false, errors: [{ field: 'host', message: 'x' }] })).toBe(
      'Not saved: 1 field to fix.',
    );
  });
});
