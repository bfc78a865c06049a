import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultSettings } from '../../core/settings';
import { createLocalStore } from '../../core/store';
import { buildEstimate, type EstimateOptions, estimateContextOf, formatEstimateReport } from './estimate';
import { runEstimate } from './estimate.test-support';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
let stateDir: string;
beforeEach(async () => {
  stateDir = await mkdtemp(join(tmpdir(), 'gpuz-estimate-'));
});
afterEach(async () => {
  await rm(stateDir, { recursive: true, force: true });
});
const settings = () => defaultSettings('/state', '/log.txt');

const defaults: EstimateOptions = {
  interval: 300_000,
  sampleRate: 1000,
  hosts: 1,
  regime: 'none',
  region: 'us-east-1',
  arch: 'arm64',
  budget: 2000,
  dashboardOpens: 0,
  latestJson: false,
  kafkaSecret: false,
  json: false,
};

const run = (args: string[]) => runEstimate(stateDir, args);

/** Settings of this PC ('pc') that upload to a local store in the state folder; the store, to fill. */
async function localStoreSettings() {
  const dir = join(stateDir, 'store');
  const settings = { ...defaultSettings(stateDir, '/log.txt'), target: { kind: 'local', dir }, host: 'pc' };
  await writeFile(join(stateDir, 'settings.json'), JSON.stringify(settings));
  return { dir, store: createLocalStore({ root: dir }) };
}

describe('estimate command', () => {
  it('prints JSON with the estimate and the smallest safe interval for the month', async () => {
    const json = JSON.parse(
      await run([
        '--interval',
        '5m',
        '--month-days',
        '31',
        '--regime',
        'credits',
        '--dashboard-opens',
        '0',
        '--json',
      ]),
    );
    // 31 × 288 = 8,928 batches × 2 + 31 day seals × 2 = 17,918 PUT-class; (2,000 − 62) / 2 = 969 batches,
    // 44,640 min / 969 = 46.07 → 47 minutes.
    expect(json.estimate.putClassRequests).toBe(17_918);
    expect(json.smallestIntervalMinutes).toBe(47);
    expect(json.regime).toMatchObject({ regime: 'credits', source: 'user' });
    expect(json.estimate.creditsConsumed).toBeCloseTo(json.estimate.total, 12);
  });

  it('--stored-months: the month pays for the readings stored before it (storage grows)', async () => {
    const storage = async (args: string[]) =>
      (
        JSON.parse(await run(['--month-days', '31', '--json', ...args])).estimate.services as {
          service: string;
          usage: number;
        }[]
      ).find((s) => s.service === 'S3 Standard storage')!.usage;
    const first = await storage([]);
    expect(await storage(['--stored-months', '12'])).toBeCloseTo(first * 25, 9);
    expect(await run(['--stored-months', '12'])).toMatch(
      /batches per host, storage of 12 month\(s\) stored before it\n/,
    );
    expect(await run([])).not.toMatch(/stored before it/);
    await expect(run(['--stored-months', '-1'])).rejects.toThrow(/must be a whole number ≥ 0/);
  });

  it('--raw-expiry-days: raw batches the stack deletes are stored for those days (and 7 as old versions) only', async () => {
    const storage = async (args: string[]) =>
      (
        JSON.parse(await run(['--month-days', '30', '--stored-months', '12', '--json', ...args])).estimate
          .services as { service: string; usage: number }[]
      ).find((s) => s.service === 'S3 Standard storage')!.usage;
    const kept = await storage([]);
    // Raw and processed are the same size a row in the model (usage.test has the figure): about half of it goes.
    const deleted = await storage(['--raw-expiry-days', '30']);
    expect(deleted / kept).toBeGreaterThan(0.5);
    expect(deleted / kept).toBeLessThan(0.6);
    expect(await run(['--raw-expiry-days', '30'])).toContain(
      'Raw batches priced as deleted 30 day(s) after upload, then kept 7 more as old versions; the processed data stays.',
    );
    expect(await run([])).toContain('Raw batches priced as kept, as a stack is deployed by default');
    await expect(run(['--raw-expiry-days', '-1'])).rejects.toThrow(/must be a whole number ≥ 0/);
  });

  it('--history-views: each daily look at all stored data LISTs every key, a LIST per 1,000 (default one a day)', async () => {
    const lists = async (args: string[]) =>
      JSON.parse(
        await run(['--interval', '5m', '--month-days', '30', '--stored-months', '12', '--json', ...args]),
      ).estimate.usage.s3PutClass.lists as number;
    // A year and half a month of 5-minute batches by mid-month: 12.5 × 8,640 = 108,000 keys, 108 pages a look.
    const none = await lists(['--history-views', '0']);
    expect((await lists([])) - none).toBe(30 * 108);
    expect((await lists(['--history-views', '2'])) - none).toBe(2 * 30 * 108);
  });

  it('reads the store as the Costs view does: its hosts and the days each stored before this month', async () => {
    // Prepare: the settings' local store holds a year of days of 'gaming-pc' (hourly, 400 days: over 1,000 keys)
    // and the one day a 'laptop' uploaded long ago; this PC ('pc', the settings' host) has stored nothing yet.
    const { dir, store } = await localStoreSettings();
    const monthStart = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1);
    const put = (host: string, at: number) =>
      store.put(
        `processed/${host}/${new Date(at).toISOString().slice(0, 10).replaceAll('-', '/')}/b-${at}.json.gz`,
        new Uint8Array(1),
        { contentType: 'application/json' },
      );
    // 9,600 puts of two fsynced files each: 25 s one after another in a clean CI, over the 30 s limit on a busy
    // machine; 32 at a time keep the file system's queue full.
    for (let h = 0; h < 400 * 24; h += 32) {
      const hours = Array.from({ length: Math.min(32, 400 * 24 - h) }, (_, i) => h + i);
      await Promise.all(hours.map((hour) => put('gaming-pc', monthStart - 400 * DAY + hour * HOUR)));
    }
    await put('laptop', monthStart - 300 * DAY);
    const json = async (args: string[]) =>
      JSON.parse(await run(['--month-days', '30', '--json', ...args])) as {
        estimate: { usage: { hosts: number; historyMonths: number } };
        stored?: { hosts: string[]; storedDaysByHost: number[] };
      };
    // Act
    const read = await json([]);
    const asked = await json(['--hosts', '1', '--stored-months', '0']);
    const table = await run(['--month-days', '30']);
    // Assess: 3 hosts, (400 + 1 + 0) / 3 days per host = 4.39 months, as the Costs view counts them.
    expect(read.stored).toEqual({
      target: dir,
      hosts: ['gaming-pc', 'laptop', 'pc'],
      storedDaysByHost: [400, 1, 0],
      // Keys without a byte range measure nothing; the laptop's one day, long ago, is no whole day of logging;
      // this PC has no object.
      loggedByHost: [null, null, null],
    });
    expect(read.estimate.usage).toMatchObject({ hosts: 3, historyMonths: 4.39 });
    expect(asked.stored).toBeUndefined();
    expect(asked.estimate.usage).toMatchObject({ hosts: 1, historyMonths: 0 });
    expect(table).toContain(
      `Store ${dir}: 3 host(s) (gaming-pc, laptop, pc), 134 day(s) stored before this month per host on average`,
    );
  });

  it('prices the hours a day GPU-Z logged as the store shows them, or --hours-per-day', async () => {
    // Prepare: this PC stored 3 hourly batches of 2,016,000 log bytes (3,600 rows of 560) every evening for 20 days.
    const { store } = await localStoreSettings();
    const now = new Date();
    const today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
    let offset = 0;
    for (let d = 20; d >= 1; d--)
      for (let h = 18; h < 21; h++) {
        const at = today - d * DAY + h * HOUR;
        const key = `processed/pc/${new Date(at).toISOString().slice(0, 10).replaceAll('-', '/')}/0123456789ab-${offset}-${offset + 2_016_000}.json.gz`;
        await store.put(key, new Uint8Array(1), { contentType: 'application/json' });
        offset += 2_016_000;
      }
    const json = async (args: string[]) =>
      JSON.parse(await run(['--month-days', '30', '--interval', '1h', '--json', ...args])) as {
        estimate: { total: number; usage: { batchesPerHost: number } };
        logging: { hoursPerDay: number; measured: { days: number; bytesPerDay: number } | null } | null;
      };
    // Act
    const measured = await json([]);
    const asked = await json(['--hours-per-day', '24']);
    const table = await run(['--month-days', '30', '--interval', '1h']);
    // Assess: 3 h a day, 3 hourly batches a day; around the clock 24.
    expect(measured.logging).toEqual({
      hoursPerDay: 3,
      measured: {
        hoursPerDay: 3,
        bytesPerDay: 3 * 2_016_000,
        days: 12,
        bytesPerRow: 560,
        unmeasuredHosts: 0,
        idleHosts: 0,
        lastLoggedDay: null,
        resumedHosts: 0,
        resumedDay: null,
        seenByAgent: false,
      },
    });
    expect(measured.estimate.usage.batchesPerHost).toBe(90);
    expect(asked.logging?.hoursPerDay).toBe(24);
    expect(asked.estimate.usage.batchesPerHost).toBe(720);
    expect(measured.estimate.total).toBeLessThan(asked.estimate.total / 3);
    expect(table).toContain(
      'Hours of logging: 3.0 h a day per host, as stored over the last 12 whole day(s) (5.8 MB of log a day per host measured): priced so',
    );
    await expect(run(['--hours-per-day', '0'])).rejects.toThrow(/above 0 and at most 24/);
  });

  it('prices a PC logging again since today after weeks off at its days before the break, and says so', async () => {
    // Prepare: 3 hourly batches every evening from 40 to 21 days ago, then one batch this morning.
    const { store } = await localStoreSettings();
    const now = new Date();
    const today = Date.UTC(now.getFullYear(), now.getMonth(), now.getDate());
    const put = (at: number, offset: number) =>
      store.put(
        `processed/pc/${new Date(at).toISOString().slice(0, 10).replaceAll('-', '/')}/0123456789ab-${offset}-${offset + 2_016_000}.json.gz`,
        new Uint8Array(1),
        { contentType: 'application/json' },
      );
    let offset = 0;
    for (let d = 40; d >= 21; d--)
      for (let h = 18; h < 21; h++) {
        await put(today - d * DAY + h * HOUR, offset);
        offset += 2_016_000;
      }
    await put(today, offset);
    // Act
    const table = await run(['--month-days', '30', '--interval', '1h']);
    // Assess: 3 h a day over its last 12 days of logging (to 21 days ago), not around the clock until tomorrow.
    const day = (ms: number) => new Date(ms).toISOString().slice(0, 10);
    expect(table).toContain(
      `Hours of logging: 3.0 h a day per host, as stored over 12 whole day(s) (5.8 MB of log a day per host measured; 1 host(s) stored nothing lately (1 of them again since ${day(today)}, no whole day yet), measured on their last days of logging (the newest stored ${day(today - 21 * DAY)})): priced so`,
    );
  });

  it('prints the table with hosts, region and architecture', async () => {
    const text = await run([
      '--interval',
      '45m',
      '--hosts',
      '3',
      '--month-days',
      '31',
      '--region',
      'eu-west-1',
      '--arch',
      'x86_64',
    ]);
    expect(text).toContain(
      'eu-west-1, Lambda x86_64, regime "none", 31-day month, 3 host(s), 992 batches per host',
    );
    // 3 hosts: 4 opens × 31 days × (1 hosts LIST + 3 hosts × 2: the first page, the last 13 days) = 868 LISTs,
    // 3 × 31 day seals × 2 = 186; floor((2,000 − 868 − 186) / 6) = 157 batches; 44,640 / 157 = 284.3 → 285.
    expect(text).toContain('Smallest interval within 2,000 PUT-class requests this month: 285 minutes');
  });

  it("without flags: the saved settings' interval and region, regime none (the app's inputs)", async () => {
    const fresh = JSON.parse(await run(['--json']));
    expect(fresh.intervalMinutes).toBe(60); // a fresh install uploads hourly
    expect(fresh.estimate.regime).toBe('none');
    expect(fresh.estimate.total).toBeGreaterThan(0);
    const saved = {
      ...defaultSettings(stateDir, '/log.txt'),
      target: { kind: 's3', bucket: 'my-gpuz-raw', region: 'eu-west-1' },
      schedule: { kind: 'interval', minutes: 90 },
    };
    await writeFile(join(stateDir, 'settings.json'), JSON.stringify(saved));
    const json = JSON.parse(await run(['--json']));
    expect(json.intervalMinutes).toBe(90);
    expect(json.estimate.region).toBe('eu-west-1');
    expect(JSON.parse(await run(['--json', '--interval', '5m'])).intervalMinutes).toBe(5);
    expect(await run([])).toContain(
      `Settings: ${join(stateDir, 'settings.json')} (every 90 min, uploading to AWS S3)`,
    );
  });

  it('a budget schedule: priced at the interval its agent gives now, from the counters in stats.json, and said', async () => {
    // Prepare: a budget of 2,000 on 1 December; the agent's counters and a fortnight of 3 h evenings it saw
    const now = new Date('2026-12-01T00:00:00Z');
    const stats: Record<string, unknown> = {
      requestsThisMonth: { month: '2026-12', put: 0, get: 0, list: 0 },
      loggingSince: Date.parse('2026-11-17T00:00:00Z'),
    };
    for (let d = 17; d <= 30; d++) stats[`loggedMinutes:2026-11-${d}`] = 180;
    const saved = {
      ...defaultSettings(stateDir, '/log.txt'),
      schedule: { kind: 'budget', monthlyPuts: 2000 },
    };
    await writeFile(join(stateDir, 'settings.json'), JSON.stringify(saved));
    const options: EstimateOptions = { regime: 'none', json: false };
    const fresh = await buildEstimate(options, await estimateContextOf(stateDir, now));
    await writeFile(join(stateDir, 'stats.json'), JSON.stringify(stats));
    // Act
    const report = await buildEstimate(options, await estimateContextOf(stateDir, now));
    // Assess: 47 min around the clock; 12 min over the doubled 3 h (the Costs view's figure, cost-view.test)
    expect(fresh).toMatchObject({ intervalMinutes: 47, schedule: { loggedHoursPerDay: null } });
    expect(report.intervalMinutes).toBe(12);
    expect(report.schedule).toMatchObject({ intervalMinutes: 12, loggedHoursPerDay: 3, days: 14 });
    expect(formatEstimateReport(report)).toContain(
      "Upload schedule: a budget of 2,000 uploads and listings a month: every 12 min now, over 6.0 h a day — twice the 3.0 h a day this PC's agent saw GPU-Z log over the last 14 days.",
    );
    // --interval is a what-if of its own
    const asked = await buildEstimate(
      { ...options, interval: 1_800_000 },
      await estimateContextOf(stateDir, now),
    );
    expect(asked).toMatchObject({ intervalMinutes: 30, schedule: null });
  });

  it('rejects values that are not durations or counts', async () => {
    await expect(run(['--interval', 'soon'])).rejects.toThrow(/not a duration/);
    await expect(run(['--hosts', '0'])).rejects.toThrow(/whole number/);
    await expect(run(['--regime', 'free'])).rejects.toThrow(/Allowed choices/);
  });
});

describe('buildEstimate', () => {
  it('uses the regime and credits read from the Free Tier API and shows what was read', async () => {
    const report = await buildEstimate(defaults, {
      now: new Date('2026-11-28T00:00:00Z'),
      settings: settings(),
      planApi: {
        getAccountPlanState: async () => ({
          accountPlanType: 'FREE',
          accountPlanStatus: 'ACTIVE',
          accountPlanRemainingCredits: { amount: 0.05, unit: 'USD' },
        }),
      },
    });
    expect(report.estimate.regime).toBe('credits');
    expect(report.estimate.usage.monthDays).toBe(30); // November
    // 5-minute batches in 30 days cost $0.099360249 at list price: $0.05 from credits, the rest billed.
    expect(report.estimate.creditsConsumed).toBe(0.05);
    expect(report.estimate.billed).toBeCloseTo(0.049360249, 12);
    expect(formatEstimateReport(report)).toContain('Free Tier API: plan FREE, ACTIVE, 0.05 USD credits left');
  });

  it('warns about a legacy choice after the last 12-month offer ended', async () => {
    const report = await buildEstimate(
      { ...defaults, regime: 'legacy' },
      {
        now: new Date('2026-11-28Z'),
        settings: settings(),
      },
    );
    expect(formatEstimateReport(report)).toMatch(/Warning: The 12-month S3 allowance .* ended by 2026-07-15/);
  });
});
