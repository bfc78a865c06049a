import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { SAMPLES_DIR } from '../../../test-support/services';
import { collectIo } from '../../core/agent/agent.test-support';
import { decodeProcessed } from '../../core/data/decode-processed';
import { createLocalStore } from '../../core/store/local';
import { runEstimate } from './estimate.test-support';
import { runUpload, settingsFromOptions, type UploadOptions } from './upload';

const ADA = join(SAMPLES_DIR, 'gpuz', 'nvidia-ada-pwrsrc-gpuz-2024.txt');
const BM1 = join(SAMPLES_DIR, 'gpuz', 'nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt');

describe('gpuz-cloud upload', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gpuz-upload-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const options = (extra: Partial<UploadOptions> = {}): UploadOptions => ({
    file: ADA,
    local: join(dir, 'store'),
    watch: false,
    compress: true,
    estimate: false,
    host: 'pc',
    tz: 'UTC',
    stateDir: join(dir, 'state'),
    ...extra,
  });

  it('--local processes what it stores, as the app does: the dashboard has the rows (issue 14, item 3)', async () => {
    // Act
    const code = await runUpload(options(), collectIo());
    // Assess: one raw batch and its processed document with every row of the sample
    const store = createLocalStore({ root: join(dir, 'store') });
    const processed = await store.list('processed/pc/');
    expect(code).toBe(0);
    expect(processed).toHaveLength(1);
    const decoded = decodeProcessed((await store.get(processed[0]!.key))!.body, processed[0]!.key);
    expect(decoded.rows.t).toHaveLength(356);
  });

  it('--estimate with --budget: the projection at the interval the budget gives now, at the hours this state folder’s agent saw', async () => {
    // Prepare: the state folder's agent saw GPU-Z log 3 h a day over the last 14 days
    const dayMs = 86_400_000;
    const today = Math.floor(Date.now() / dayMs) * dayMs;
    const stats: Record<string, number> = { loggingSince: today - 14 * dayMs };
    for (let d = 1; d <= 14; d++)
      stats[`loggedMinutes:${new Date(today - d * dayMs).toISOString().slice(0, 10)}`] = 180;
    mkdirSync(join(dir, 'state'), { recursive: true });
    writeFileSync(join(dir, 'state', 'stats.json'), JSON.stringify(stats));
    const io = collectIo();
    const fixed = collectIo();
    // Act
    const code = await runUpload(options({ estimate: true, budget: 2000 }), io);
    // (another store: the first run stored the Ada log's day, which the store's measure would price instead)
    await runUpload(options({ estimate: true, interval: 3_600_000, local: join(dir, 'store2') }), fixed);
    // Assess: before, the budget's interval around the clock, as if nothing had been seen
    expect(code).toBe(0);
    expect(io.text()).toContain("Upload flags: every 10m (the budget's interval now)");
    expect(io.text()).toContain(
      'Upload schedule: a budget of 2,000 uploads and listings a month: every 10 min now',
    );
    expect(io.text()).toContain(
      "now, over 6.0 h a day — twice the 3.0 h a day this PC's agent saw GPU-Z log over the last 14 days.",
    );
    expect(io.text()).toContain("Hours of logging: 3.0 h a day per host, as this PC's agent saw GPU-Z log");
    // A fixed interval: priced at the same hours (it was around the clock)
    expect(fixed.text()).toContain('Upload flags: every 1h;');
    expect(fixed.text()).toContain(
      "Hours of logging: 3.0 h a day per host, as this PC's agent saw GPU-Z log",
    );
  });

  it('--estimate prints the table `gpuz-cloud estimate` prints for the same settings (it priced the model’s defaults: no store read, no measured row width or gzip ratio)', async () => {
    // Arrange: this state folder's agent uploaded the bm1 log into the local store; the same flags saved as settings
    expect(await runUpload(options({ file: BM1 }), collectIo())).toBe(0);
    writeFileSync(join(dir, 'state', 'settings.json'), JSON.stringify(settingsFromOptions(options())));
    const saved = await runEstimate(join(dir, 'state'), []);
    const io = collectIo();
    // Act
    await runUpload(options({ file: BM1, estimate: true }), io);
    // Assess: the same table and notes, but the line that says where the settings came from
    const table = (text: string) =>
      text
        .split('\n')
        .filter((line) => !/^(Settings|Upload flags): /.test(line))
        .slice(0, text.split('\n').findIndex((line) => line.startsWith('Prices (USD')) + 5);
    expect(io.text()).toContain('Upload flags: every 1h;');
    expect(saved).toContain('Store ');
    expect(table(io.text())).toEqual(table(saved));
  });

  it('--local after an update: the raw batches an earlier version stored without processing them are processed', async () => {
    // Arrange: the store as `upload --local` left it before 2026-12-02 — a raw batch of the bm1 log with its
    // metadata (no first-utc) and no processed document — written an hour ago
    const store = createLocalStore({ root: join(dir, 'store') });
    const earlier = 'raw/pc/2026/08/06/32b408e42067-0-380679.csv.gz';
    await store.put(earlier, gzipSync(readFileSync(BM1)), {
      contentType: 'application/gzip',
      metadata: { rows: '1182', timezone: 'UTC', 'agent-version': '0.1.0', encoding: 'windows-1252' },
    });
    const anHourAgo = new Date(Date.now() - 3_600_000);
    utimesSync(join(dir, 'store', earlier), anHourAgo, anHourAgo);
    const io = collectIo();

    // Act: today's upload of another log
    const code = await runUpload(options(), io);

    // Assess: both logs' rows are in processed documents, and the summary says what was done with the old batch
    expect(code).toBe(0);
    const processed = await store.list('processed/pc/');
    const rows = await Promise.all(
      processed.map(async (o) => decodeProcessed((await store.get(o.key))!.body, o.key).rows.t.length),
    );
    expect(processed.map((o) => o.key)).toContain('processed/pc/2026/08/06/32b408e42067-0-380679.json.gz');
    expect(rows.sort((a, b) => a - b)).toEqual([356, 1182]);
    expect(io.text()).toContain(
      "processed 1 raw batch(es) stored earlier without processed data (an earlier version's upload --local)",
    );
  });

  it('after an update, counters an earlier version wrote keep their rows uploaded unknown (it showed 0 rows)', async () => {
    // Arrange: stats.json as the version of 2026-11-30 wrote it (no rowsUploaded)
    mkdirSync(join(dir, 'state'));
    const earlier = {
      bytesRead: 727259,
      rowsRead: 1300,
      rawBytesUploaded: 727818,
      compressedBytesUploaded: 42808,
    };
    const requests = { put: 2, get: 0, list: 0 };
    const stats = {
      ...earlier,
      batchesUploaded: 2,
      batchesFailed: 0,
      batchesDropped: 0,
      processingFailures: 0,
    };
    const saved = { ...stats, requests, requestsThisMonth: { month: '2026-11', ...requests } };
    writeFileSync(join(dir, 'state', 'stats.json'), JSON.stringify(saved));

    // Act
    const code = await runUpload(options(), collectIo());

    // Assess: the batch is counted, its rows are not added to an unknown total
    const after = JSON.parse(readFileSync(join(dir, 'state', 'stats.json'), 'utf8'));
    expect(code).toBe(0);
    expect(after).toMatchObject({ batchesUploaded: 3, rowsRead: 1656 });
    expect(after.rowsUploaded).toBeUndefined();
  });

  it('--watch with a used-up budget says until when it waits (it said "every 24 d 9 h to stay within 2 …")', async () => {
    // Prepare: a budget of 2 a month, which the day seals alone use up
    const io = collectIo();
    const now = new Date();
    const monthEnd = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1)).toISOString();
    // Act
    const running = runUpload(options({ watch: true, budget: 2 }), io);
    await vi.waitFor(() => expect(io.text()).toContain('Watching'));
    io.stop();
    // Assess
    expect(await running).toBe(0);
    expect(io.text()).toContain(
      `(the budget of 2 PUT-class requests is used up this month: the next upload waits until ${monthEnd}; Ctrl+C to stop)`,
    );
  });

  it('--watch with a damaged checkpoint says so and exits 2, its lock released (it exited 0 without a word)', async () => {
    // Arrange: a checkpoint cut short, as a full disk or an editor leaves it
    mkdirSync(join(dir, 'state'));
    writeFileSync(join(dir, 'state', 'checkpoint.json'), '{"version":1,"garb');
    const io = collectIo();
    // Act: no stop signal is ever sent
    const code = await runUpload(options({ watch: true, interval: 30_000 }), io);
    // Assess
    expect(code).toBe(2);
    expect(io.text()).toMatch(/checkpoint\.json is damaged: it is not JSON .*gpuz-cloud repair/);
    expect(existsSync(join(dir, 'state', 'agent.lock'))).toBe(false);
    expect(readFileSync(join(dir, 'state', 'checkpoint.json'), 'utf8')).toBe('{"version":1,"garb');
  });

  it('a state folder that is a file is refused in words and nothing is sent (it said "ENOTDIR: not a directory, mkdir …")', async () => {
    // Arrange: a file where the state folder's parent should be
    writeFileSync(join(dir, 'state'), 'x');
    const io = collectIo();
    // Act
    const code = await runUpload(options({ stateDir: join(dir, 'state', 'sub') }), io);
    // Assess
    expect(code).toBe(2);
    expect(io.text()).toMatch(
      /The state folder .*state\/sub cannot be made: a file sits on its path \(ENOTDIR\) — Move that file away/,
    );
    expect(existsSync(join(dir, 'store'))).toBe(false);
  });

  it('its flags become the settings the app would save (one agent configuration for every mode)', () => {
    expect(settingsFromOptions(options({ interval: 30_000, compress: false }))).toEqual({
      logPath: ADA,
      target: { kind: 'local', dir: join(dir, 'store') },
      schedule: { kind: 'interval', minutes: 0.5 },
      compression: 'none',
      host: 'pc',
      timeZone: 'UTC',
    });
    expect(settingsFromOptions(options({ local: undefined, bucket: 'raw-b', budget: 2000 }))).toMatchObject({
      target: { kind: 's3', bucket: 'raw-b' },
      schedule: { kind: 'budget', monthlyPuts: 2000 },
    });
  });
});
