import type { AgentStatus, CloudHealth } from '../../shared/contract';
import { agentStatus } from '../../test-support/agent-status';
import { formatTime } from '../format';
import {
  actionDone,
  agentPanel,
  answerShown,
  cloudPanel,
  formatAge,
  nextArrivals,
  QUIET_AFTER_MS,
  readingsCaption,
  readingTiles,
  repairDone,
  repairPanel,
} from './overview-model';

const NOW = Date.parse('2026-12-02T12:00:00Z');

/** A watching agent that has read 356 rows and listed once, uploaded nothing yet (the shared test status). */
function status(overrides: Partial<AgentStatus> = {}): AgentStatus {
  return agentStatus({
    nextUploadAt: '2026-12-02T12:05:00Z',
    spool: { batches: 0, bytes: 0, capBytes: 1_000_000 },
    ...overrides,
    counters: {
      bytesRead: 187_068,
      rowsRead: 356,
      requests: { put: 0, get: 0, list: 1 },
      requestsThisMonth: { month: '2026-12', put: 0, get: 0, list: 1 },
      ...overrides.counters,
    },
  });
}

const factOf = (panel: ReturnType<typeof agentPanel>, testId: string) =>
  panel.facts.find((f) => f.testId === testId)?.value;

describe('agentPanel', () => {
  it('says rows read and batches uploaded apart (it read "0 batches, 20 rows read" under "Uploaded")', () => {
    const before = agentPanel(status(), NOW);
    expect(factOf(before, 'read')).toBe('356 rows (183 KB)');
    expect(factOf(before, 'uploaded')).toBe('0 batches, 0 rows (0 B stored)');
    const after = agentPanel(
      status({
        counters: {
          ...status().counters,
          batchesUploaded: 1,
          rowsUploaded: 356,
          compressedBytesUploaded: 9_800,
        },
      }),
      NOW,
    );
    expect(factOf(after, 'uploaded')).toBe('1 batch, 356 rows (9.6 KB stored)');
  });

  it('counts down to the next upload, and shows none while paused', () => {
    expect(factOf(agentPanel(status(), NOW), 'next-upload')).toMatch(/\(in 5:00\)$/);
    const paused = agentPanel(status({ state: 'paused' }), NOW);
    expect(factOf(paused, 'next-upload')).toBe('—');
    expect(paused.paused).toBe(true);
    // A start without network: the store not asked yet what it holds of the log, nothing read into a batch
    const offline = agentPanel(status({ state: 'offline', nextUploadAt: null }), NOW);
    expect(factOf(offline, 'next-upload')).toBe('once the store answers');
    // Watching with nothing read since the last upload: the next batch opens at GPU-Z's next row (it said "—")
    const idle = agentPanel(status({ state: 'watching', nextUploadAt: null, intervalMs: 60_000 }), NOW);
    expect(factOf(idle, 'next-upload')).toBe("1 min after GPU-Z's next row");
    expect(factOf(agentPanel(status({ state: 'error', nextUploadAt: null }), NOW), 'next-upload')).toBe('—');
  });

  it('a used-up PUT budget: the month’s change the next upload waits for, and why (it read "in 708:00:00")', () => {
    const usedUp = { budgetUsedUpUntil: '2027-01-01T00:00:00.000Z' };
    const open = agentPanel(status({ ...usedUp, nextUploadAt: '2027-01-01T00:00:00.000Z' }), NOW);
    expect(factOf(open, 'next-upload')).toMatch(
      /^(Jan 1|Dec 31), .* \(in 29 d 12 h\): this month's PUT budget is used up; raise it in Settings to upload sooner$/,
    );
    // Nothing read since: the same wait (it read "29 d 12 h after GPU-Z's next row")
    const idle = agentPanel(status({ ...usedUp, state: 'watching', nextUploadAt: null }), NOW);
    expect(factOf(idle, 'next-upload')).toBe(factOf(open, 'next-upload'));
    expect(factOf(agentPanel(status({ ...usedUp, state: 'paused' }), NOW), 'next-upload')).toBe('—');
  });

  it('carries the one state view: offline with batches waiting, worded for a folder', () => {
    const panel = agentPanel(
      status({ state: 'offline', spool: { batches: 2, bytes: 2048, capBytes: 1_000_000 } }),
      NOW,
    );
    expect(panel.view).toMatchObject({ tone: 'problem', label: 'offline · 2 batches waiting' });
    expect(panel.view.problem?.advice).toContain('drive');
    expect(factOf(panel, 'spool')).toBe('2 batches, 2.0 KB');
  });
});

describe('agentPanel catch-up', () => {
  const behind = {
    since: '2026-12-02T11:59:50Z',
    doneBytes: 230 * 1024 * 1024,
    pendingBytes: 70 * 1024 * 1024,
    bytesPerSecond: 14 * 1024 * 1024,
    etaSeconds: 5,
  };

  it('draws how far through the log it is, with the rate and the time left, and says the share in the badge', () => {
    const panel = agentPanel(status({ state: 'uploading', catchUp: behind }), NOW);
    expect(panel.catchUp).toEqual({
      value: 230 * 1024 * 1024,
      max: 300 * 1024 * 1024,
      text: 'Catching up on the log: 230 MB of 300 MB stored (76%) · 14 MB/s · about 5 s left',
    });
    expect(panel.view).toMatchObject({ tone: 'busy', label: 'catching up · 76%' });
    expect(panel.view.sentence).toBe('catching up on the log, 76% stored');
  });

  it('says why nothing moves: paused, offline, or the rate not measured yet; nothing when not behind', () => {
    const text = (state: AgentStatus['state'], extra = {}) =>
      agentPanel(status({ state, catchUp: { ...behind, ...extra } }), NOW).catchUp?.text;
    expect(text('paused')).toMatch(/\(76%\) · paused$/);
    expect(text('offline', { bytesPerSecond: 0, etaSeconds: null })).toMatch(/ · waits for the store$/);
    expect(text('watching', { bytesPerSecond: null, etaSeconds: null })).toMatch(/ · measuring the rate…$/);
    // The badge keeps its own words where they matter more than the share.
    expect(agentPanel(status({ state: 'offline', catchUp: behind }), NOW).view.label).toBe('offline');
    expect(agentPanel(status({ state: 'paused', catchUp: behind }), NOW).view.label).toBe('paused');
    expect(agentPanel(status(), NOW).catchUp).toBeNull();
  });

  it('reads 100% only when it is over', () => {
    const almost = { ...behind, doneBytes: 999_999_000, pendingBytes: 1_000 };
    expect(agentPanel(status({ state: 'uploading', catchUp: almost }), NOW).view.label).toBe(
      'catching up · 99%',
    );
  });
});

describe('agentPanel notes', () => {
  it('shows what a person should know that is no error, newest first, at most five', () => {
    const notices = Array.from({ length: 7 }, (_, i) => ({
      code: 'LINE_DAMAGED',
      message: `note ${i}`,
      at: `2026-12-02T11:0${i}:00Z`,
    }));
    notices.push({
      code: 'HISTORY_RESET',
      message: '/state/uploads.json was damaged (it is empty); the upload history starts again empty',
      advice: 'Uploads and the store are not affected.',
      at: '2026-12-02T11:59:00Z',
    } as (typeof notices)[number]);
    const { notes } = agentPanel(status({ notices }), NOW);
    expect(notes).toHaveLength(5);
    expect(notes[0]!.text).toBe(
      '/state/uploads.json was damaged (it is empty); the upload history starts again empty. Uploads and the store are not affected.',
    );
    expect(notes.slice(1).map((n) => n.text)).toEqual(['note 6', 'note 5', 'note 4', 'note 3']);
    expect(agentPanel(status(), NOW).notes).toEqual([]);
  });

  it("says a notice's advice in the dashboard's words when it has them (not the CLI's --file)", () => {
    // Prepare
    const notices = [
      {
        code: 'LOG_ELSEWHERE',
        message: 'GPU-Z is writing D:\\Logs\\GPU-Z Sensor Log.txt (it grew in the last minute), not …',
        advice: 'If that is the log you want uploaded, point the log file setting (--file) at it; …',
        guiAdvice: 'If that is the log you want uploaded, choose it in Settings → Log file; …',
        at: '2026-12-02T11:59:00Z',
      },
    ];

    // Act
    const { notes } = agentPanel(status({ notices }), NOW);

    // Assess
    expect(notes[0]!.text).toBe(
      'GPU-Z is writing D:\\Logs\\GPU-Z Sensor Log.txt (it grew in the last minute), not …. If that is the log you want uploaded, choose it in Settings → Log file; …',
    );
  });
});

describe('readingsCaption', () => {
  const newest = Date.UTC(2026, 11, 3, 14, 7, 49);

  it('current while the log grows; after five quiet minutes the last readings, how long ago, and what to check', () => {
    expect(readingsCaption(newest, newest + 2_000, null)).toMatchObject({
      heading: 'Current readings',
      quiet: false,
    });
    expect(readingsCaption(newest, newest + QUIET_AFTER_MS, null).quiet).toBe(false);
    const dayAway = readingsCaption(newest, newest + 26 * 3_600_000 + 20_000, null);
    expect(dayAway.heading).toBe('Last readings');
    expect(dayAway.quiet).toBe(true);
    expect(dayAway.time).toMatch(
      /^Newest row: .+, 26 h ago: nothing was logged since\. Is GPU-Z running, with “Log to file” on \(or HWiNFO, nvidia-smi logging\)\?$/,
    );
  });

  it('says an age as a person would: minutes, hours up to two days, then days, months, years', () => {
    const minute = 60_000;
    const hour = 60 * minute;
    const day = 24 * hour;
    expect([12 * minute, 26 * hour, 3 * day, 59 * day, 621 * day, 3 * 365 * day].map(formatAge)).toEqual([
      '12 min',
      '26 h',
      '3 days',
      '59 days',
      '20 months',
      '3 years',
    ]);
  });

  it('rows arriving at the pace of this PC’s clock but hours off it point at the time zone setting; a backlog burst does not', () => {
    const now = newest + 3 * 3_600_000;
    // GPU-Z logs in UTC+3 while the setting says UTC: each row is 3 h "old" as it arrives.
    const behind = readingsCaption(newest, now, null, {
      first: { at: now - 60_000, rowAt: newest - 60_000 },
      latest: { at: now - 1000, rowAt: newest },
    });
    expect(behind).toMatchObject({ heading: 'Current readings', quiet: false });
    expect(behind.time).toMatch(
      /: 3 h behind this PC's clock, though rows are arriving now\. Is the log's time zone right \(Settings → Time zone of the log\)\?$/,
    );
    const ahead = readingsCaption(now + 14 * 3_600_000, now, null, {
      first: { at: now - 40_000, rowAt: now + 14 * 3_600_000 - 40_000 },
      latest: { at: now, rowAt: now + 14 * 3_600_000 },
    });
    expect(ahead.time).toContain(': 14 h ahead of this PC');
    // A first start reads hours of an old log in seconds: the last readings, not a time zone.
    const burst = readingsCaption(newest, now, null, {
      first: { at: now - 2000, rowAt: newest - 7_200_000 },
      latest: { at: now - 1000, rowAt: newest },
    });
    expect(burst).toMatchObject({ heading: 'Last readings', quiet: true });
  });

  it('the pace is measured from the rows coming now: a restart’s shown rows or a backlog burst start it again', () => {
    const t0 = Date.UTC(2026, 11, 4, 12, 0, 0);
    // The restart shows yesterday's last rows, then GPU-Z writes one row a second, 9 h behind (a wrong zone).
    let arrivals = nextArrivals(null, t0, t0 - 86_400_000);
    for (let i = 1; i <= 40; i++)
      arrivals = nextArrivals(arrivals, t0 + i * 1000, t0 - 9 * 3_600_000 + i * 1000);
    expect(arrivals.first).toEqual({ at: t0 + 1000, rowAt: t0 - 9 * 3_600_000 + 1000 });
    expect(readingsCaption(arrivals.latest.rowAt, t0 + 40_000, null, arrivals).time).toContain(
      "9 h behind this PC's clock",
    );
  });

  it('a paused agent is named as the reason, not GPU-Z', () => {
    expect(readingsCaption(newest, newest + 12 * 60_000, 'paused').time).toMatch(
      /, 12 min ago: the agent is paused, so it reads no newer rows\.$/,
    );
  });

  it('an agent catching up on a long log has not reached its newest rows: it says so, not "nothing was logged since"', () => {
    const caption = readingsCaption(newest, newest + 2 * 365 * 86_400_000, 'catching-up');
    expect(caption).toMatchObject({ heading: 'Readings so far', quiet: true });
    expect(caption.time).toMatch(
      /^Newest row read so far: .*, 2 years ago: the agent is catching up on the log, and newer rows show as it reads on\.$/,
    );
    // Rows of the last minutes are current, catching up or not.
    expect(readingsCaption(newest, newest + 2_000, 'catching-up').heading).toBe('Current readings');
  });
});

describe('readingTiles', () => {
  const columns = [
    { key: 'gpu_clock_mhz', name: 'GPU Clock', unit: 'MHz' },
    { key: 'gpu_temperature_c', name: 'GPU Temperature', unit: '°C' },
    { key: 'some_other', name: 'Other', unit: '' },
    { key: 'board_power_draw_w', name: 'Board Power Draw', unit: 'W' },
  ];

  it('takes the headline sensors of the newest row, in headline order, a missing value as a dash', () => {
    const { tiles, newestAt } = readingTiles({
      columns,
      rows: [
        { t: 1, values: [210, 40, 1, 30] },
        { t: 2, values: [2490, 56.63, 7, null] },
      ],
    });
    expect(newestAt).toBe(2);
    expect(tiles.map((t) => [t.key, t.label, t.value, t.text])).toEqual([
      ['gpu_temperature_c', 'GPU temperature', 56.63, '56.6 °C'],
      ['gpu_clock_mhz', 'GPU clock', 2490, '2490 MHz'],
      ['board_power_draw_w', 'Board power', null, '—'],
    ]);
  });

  it('shows min, max, average and the time of the maximum since the session and since the start', () => {
    const figures = (min: number, max: number, avg: number, maxAt: number) => ({
      current: 56.63,
      min,
      max,
      avg,
      count: 2,
      maxAt,
    });
    const { tiles } = readingTiles({
      columns,
      rows: [{ t: 2, values: [2490, 56.63, 7, 200] }],
      stats: {
        session: { since: 1, sensors: { gpu_temperature_c: figures(40, 56.63, 48.315, NOW) } },
        app: {
          since: 0,
          sensors: {
            gpu_temperature_c: figures(31, 71.2, 50.5, NOW - 60_000),
            gpu_clock_mhz: figures(1, 2, 1.5, NOW),
          },
        },
      },
    });
    const temperature = tiles.find((t) => t.key === 'gpu_temperature_c')!;
    expect(temperature.spans.map(({ maxAt, figures, ...rest }) => rest)).toEqual([
      { scope: 'session', label: 'Session', min: '40', max: '56.6', avg: '48.3' },
      { scope: 'app', label: 'Since start', min: '31', max: '71.2', avg: '50.5' },
    ]);
    expect(temperature.spans[0]!.maxAt).toBe(formatTime(NOW));
    expect(temperature.spans[1]!.maxAt).toBe(formatTime(NOW - 60_000));
    // A sensor with figures in one span only; one with none (no stats from an older agent) has no spans.
    expect(tiles.find((t) => t.key === 'gpu_clock_mhz')!.spans.map((s) => s.scope)).toEqual(['app']);
    expect(tiles.find((t) => t.key === 'board_power_draw_w')!.spans).toEqual([]);
  });

  it('has no tiles before the first row', () => {
    expect(readingTiles({ columns, rows: [] })).toEqual({ tiles: [], newestAt: null });
  });

  it("shows the GPU chip's power, named so, when the log has no board power (AMD), and the board's when it has both", () => {
    // The AMD sample's power column (../shared/samples/gpuz/amd-radeon-hbm2-gpuz-2020-12-sessions.txt).
    const amd = [
      { key: 'gpu_temperature_c', name: 'GPU Temperature', unit: '°C' },
      { key: 'gpu_chip_power_draw_w', name: 'GPU Chip Power Draw', unit: 'W' },
    ];
    const chip = readingTiles({ columns: amd, rows: [{ t: 1, values: [50, 58.4] }] });
    expect(chip.tiles.map((t) => [t.key, t.label, t.text])).toEqual([
      ['gpu_temperature_c', 'GPU temperature', '50 °C'],
      ['gpu_chip_power_draw_w', 'Chip power', '58.4 W'],
    ]);
    const both = readingTiles({
      columns: [...amd, { key: 'board_power_draw_w', name: 'Board Power Draw', unit: 'W' }],
      rows: [{ t: 1, values: [50, 58.4, 120] }],
    });
    expect(both.tiles.map((t) => [t.key, t.label, t.text])).toEqual([
      ['gpu_temperature_c', 'GPU temperature', '50 °C'],
      ['board_power_draw_w', 'Board power', '120 W'],
    ]);
  });
});

describe('actionDone', () => {
  it.each([
    ['watching', null, 'Upload now: done.'],
    [
      'offline',
      null,
      'Upload now: the store cannot be reached; the batches wait in the spool and are sent when it is back.',
    ],
    [
      'error',
      { code: 'STORE_NOT_A_FOLDER', message: '/store is not a folder', at: '2026-12-02T12:00:00Z' },
      'Upload now: stopped — /store is not a folder',
    ],
    [
      'waiting',
      {
        code: 'LOG_MISSING',
        message: 'The log C:\\GPU-Z Sensor Log.txt is not there',
        at: '2026-12-02T12:00:00Z',
      },
      'Upload now: waiting — The log C:\\GPU-Z Sensor Log.txt is not there',
    ],
  ] as const)('%s', (state, lastError, text) => {
    const spool = { batches: 2, bytes: 2048, capBytes: 1_000_000 };
    expect(actionDone('Upload now', status({ state, lastError, spool }))).toEqual({ text, state });
  });

  it('offline with nothing spooled (the store not asked yet what it holds of the log): the rows go once it answers', () => {
    expect(actionDone('Upload now', status({ state: 'offline' })).text).toBe(
      "Upload now: the store cannot be reached; the log's new rows are read and sent as soon as it answers.",
    );
  });
});

describe('answerShown', () => {
  const refused = {
    code: 'CREDENTIALS_INVALID',
    message: 'S3 rejected the AWS credentials',
    at: '2026-12-05T09:39:43Z',
  };

  it('keeps an answer while the agent stays in its state, and drops it once the state moves on by itself', () => {
    // Arrange: "Upload now" answered while S3 refused the key
    const answer = actionDone('Upload now', status({ state: 'error', lastError: refused }));

    // Act: the same refusal pushed again; then the agent noticed new credentials and uploaded
    const stillRefused = answerShown(answer, status({ state: 'error', lastError: refused }));
    const recovered = answerShown(answer, status({ state: 'watching', lastError: null }));

    // Assess
    expect(stillRefused).toBe('Upload now: stopped — S3 rejected the AWS credentials');
    expect(recovered).toBe('');
    expect(answerShown(null, status())).toBe('');
  });
});

describe('cloudPanel', () => {
  const health: CloudHealth = {
    checkedAt: NOW,
    alarm: { state: 'OK' },
    failed: { count: 0, latest: [] },
    quarantined: { count: 0, latest: [] },
    problems: [],
  };

  it('offers Reprocess only for failed batches and explains what it shows', () => {
    expect(cloudPanel(health)).toMatchObject({ canReprocess: false, notes: [] });
    const failing = cloudPanel({
      ...health,
      alarm: { state: 'ALARM' },
      failed: { count: 2, latest: [] },
      problems: ['the failed bucket'],
    });
    expect(failing.canReprocess).toBe(true);
    expect(failing.facts[0]).toEqual({
      label: 'Error alarm',
      value: 'errors (alarm)',
      testId: 'cloud-alarm',
    });
    expect(failing.notes).toHaveLength(2);
    expect(failing.notes[1]).toBe('Could not read the failed bucket.');
  });

  it('says when the function runs an earlier deploy’s processor than the app ships, and how to update it', () => {
    const appliedAt = Date.parse('2026-11-30T09:15:00Z');
    const stale = cloudPanel({ ...health, processor: { current: false, appliedAt } });
    expect(stale.facts.find((f) => f.testId === 'cloud-processor')?.value).toMatch(
      /^an earlier build \(deployed .+\): deploy again$/,
    );
    expect(stale.notes).toEqual([
      expect.stringMatching(
        /^The processor function still runs the code of an earlier deploy.+Deploy again in the Cloud view/,
      ),
    ]);
    const current = cloudPanel({ ...health, processor: { current: true, appliedAt } });
    expect(current.facts.find((f) => f.testId === 'cloud-processor')?.value).toMatch(
      /^this app’s \(deployed /,
    );
    expect(current.notes).toEqual([]);
    // Deployed from another PC: this one holds no state, so nothing is claimed either way.
    expect(cloudPanel(health).facts.map((f) => f.testId)).not.toContain('cloud-processor');
  });
});

describe('repair on the Overview', () => {
  const damaged = status({
    state: 'error',
    lastError: {
      code: 'STATE_DAMAGED',
      message: '/state/checkpoint.json is damaged: it is not JSON',
      advice: 'Run `gpuz-cloud repair --state-dir "/state"` …',
      guiAdvice: 'Press “Check and repair” …',
      at: '2026-12-02T11:59:00Z',
    },
  });

  it('a damaged state folder is repairable and told in the dashboard’s words; other errors are not', () => {
    const panel = agentPanel(damaged, NOW);
    expect(panel.repairable).toBe(true);
    expect(panel.view.problem?.advice).toBe('Press “Check and repair” …');
    const offline = agentPanel(
      status({
        state: 'offline',
        lastError: { code: 'STORE_UNREACHABLE', message: 'x', at: '2026-12-02T11:59:00Z' },
      }),
      NOW,
    );
    expect(offline.repairable).toBe(false);
    expect(agentPanel(status(), NOW).repairable).toBe(false);
  });

  it('lists the check, offers Repair only when it would change something, and says what was done', () => {
    const check = repairPanel({
      items: [
        {
          file: 'checkpoint.json',
          finding: 'damaged: it is empty',
          action: 'set aside; rebuilt from /store',
        },
        { file: 'stats.json', finding: 'ok', action: null },
      ],
      needed: true,
    });
    expect(check.canRepair).toBe(true);
    expect(check.rows[1]).toEqual({ file: 'stats.json', finding: 'ok', action: '—' });
    expect(check.summary).toBe('1 thing to repair. Nothing is changed until you press Repair.');
    const whole = repairPanel({
      items: [{ file: 'stats.json', finding: 'ok', action: null }],
      needed: false,
    });
    expect(whole).toMatchObject({
      canRepair: false,
      summary: 'Nothing to repair: the state folder is whole.',
    });
    expect(
      repairDone({ done: ['checkpoint.json: rebuilt at byte 4096', 'spool: a\nspool: b'], status: status() }),
    ).toEqual([
      'Done: checkpoint.json: rebuilt at byte 4096',
      'Done: spool: a',
      'Done: spool: b',
      'The agent is watching the log again.',
    ]);
    expect(repairDone({ done: [], status: damaged })).toEqual([
      'The agent still needs attention: /state/checkpoint.json is damaged: it is not JSON',
    ]);
  });
});
