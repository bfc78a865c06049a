import { sampleRows } from './sample-rows.test-support';
import { detectSessions, SESSION_KEYS } from './sessions';

const BM1 = 'gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt';
const AMD = 'gpuz/amd-radeon-hbm2-gpuz-2020-12-sessions.txt';
/** NVIDIA of 2016: GPU-Z logged no power in watts (`PerfCap`, `VDDC`, no `Power Draw` of any kind). */
const NO_POWER = 'gpuz/nvidia-gpuz-2016-old-names-lf-3-sessions.txt';
/** HWiNFO's Simplified Chinese build: its sensors are named in Chinese (`GPU 温度`), so are their keys. */
const ZH_CN = 'hwinfo/hwinfo-zh-cn-utf8bom-rtx40-2025.CSV';

/**
 * Row counts per session from ../shared/samples/MANIFEST.md alone: the AMD file's headers are on lines
 * 1, 443, 486, 577, 715, 901, 1210, 1367, 1380, 1568, 1570, 1628 of 1,685 lines (1,673 rows + 12 headers).
 */
const AMD_HEADER_LINES = [1, 443, 486, 577, 715, 901, 1210, 1367, 1380, 1568, 1570, 1628, 1686];
const AMD_ROWS = AMD_HEADER_LINES.slice(1).map((line, i) => line - AMD_HEADER_LINES[i]! - 1);

describe('detectSessions on real logs', () => {
  it('zh-CN HWiNFO: the figures come from its Chinese keys (they were all empty)', () => {
    const { rows } = sampleRows(ZH_CN);
    // As the data layer reads them: every key asked for, nulls for those the log lacks.
    for (const key of Object.values(SESSION_KEYS)) rows.values[key] = rows.t.map(() => null);
    const [session] = detectSessions(rows);
    const max = (key: string) => Math.max(...rows.values[key]!.filter((v) => v !== null));
    expect(session).toMatchObject({
      rows: 62,
      maxGpuTemperatureC: max('gpu_温度_c'),
      maxHotSpotC: max('gpu_热点温度_c'),
      maxPowerW: max('gpu_功率_w'),
      powerKey: 'board_power_draw_w',
    });
    expect(session!.avgGpuClockMhz).toBeGreaterThan(0);
  });

  it.each([
    { file: AMD, useHeaders: true, sessions: 12, rows: AMD_ROWS },
    // Without the headers only the pauses of more than 5 min separate sessions: six of the twelve headers
    // came seconds after the previous row (GPU-Z restarted at once), so they merge.
    { file: AMD, useHeaders: false, sessions: 6 },
    { file: BM1, useHeaders: true, sessions: 1, rows: [1182] },
  ])('$file (headers: $useHeaders) → $sessions sessions', ({ file, useHeaders, sessions, rows }) => {
    const sample = sampleRows(file);
    const found = detectSessions(sample.rows, useHeaders ? { starts: sample.starts } : {});
    expect(found).toHaveLength(sessions);
    if (rows) expect(found.map((s) => s.rows)).toEqual(rows);
    expect(found.reduce((sum, s) => sum + s.rows, 0)).toBe(sample.rows.t.length);
  });

  it('bm1: one benchmark run with one play session, its peaks and energy', () => {
    const { rows, starts } = sampleRows(BM1);
    const [session] = detectSessions(rows, { starts });
    const power = rows.values.board_power_draw_w!.filter((v) => v !== null);
    expect(session).toMatchObject({
      start: rows.t[0],
      end: rows.t.at(-1),
      maxHotSpotC: 105.5,
      maxGpuTemperatureC: Math.max(...rows.values.gpu_temperature_c!.filter((v) => v !== null)),
      maxPowerW: Math.max(...power),
      // The log has both board and chip power: the figures are the board's, the whole card.
      powerKey: 'board_power_draw_w',
    });
    // Energy ≈ average power × duration (1 s steps, a few duplicate seconds): within 1 %.
    const roughWh = ((power.reduce((a, b) => a + b, 0) / power.length) * session!.durationMs) / 3_600_000;
    expect(Math.abs(session!.energyWh! - roughWh) / roughWh).toBeLessThan(0.01);
    // The load is ≥ 50 % from the benchmark's start to its end (≈ 10 min), with short dips below.
    expect(session!.plays).toHaveLength(1);
    const play = session!.plays[0]!;
    expect(play.durationMs).toBeGreaterThan(9 * 60_000);
    expect(play.maxHotSpotC).toBe(105.5);
    expect(play.avgGpuClockMhz!).toBeGreaterThan(session!.avgGpuClockMhz!);
    expect(play.energyWh!).toBeLessThan(session!.energyWh!);
  });

  it.each([
    { playLoadPct: 50, playMinMs: 2 * 60_000, playBridgeMs: 30_000, plays: 1 },
    // Shorter than the run: still one. Longer than the whole benchmark: none.
    { playLoadPct: 50, playMinMs: 60_000, playBridgeMs: 30_000, plays: 1 },
    { playLoadPct: 50, playMinMs: 20 * 60_000, playBridgeMs: 30_000, plays: 0 },
    // Above every reading: no play.
    { playLoadPct: 101, playMinMs: 2 * 60_000, playBridgeMs: 30_000, plays: 0 },
  ])('bm1 with load ≥ $playLoadPct % for $playMinMs ms → $plays play sessions', (options) => {
    const { rows, starts } = sampleRows(BM1);
    expect(detectSessions(rows, { starts, ...options })[0]!.plays).toHaveLength(options.plays);
  });

  it("AMD: a log with only the GPU chip's power gives power and energy from it, and says so", () => {
    const { rows, starts } = sampleRows(AMD);
    expect(rows.values.board_power_draw_w).toBeUndefined();
    const found = detectSessions(rows, { starts });
    expect(found).toHaveLength(12);
    for (const [i, session] of found.entries()) {
      const from = rows.t.indexOf(session.start);
      const chip = rows.values
        .gpu_chip_power_draw_w!.slice(from, from + session.rows)
        .filter((v) => v !== null);
      expect(session.powerKey).toBe('gpu_chip_power_draw_w');
      expect(session.maxPowerW, `session ${i}`).toBe(Math.max(...chip));
      expect(session.avgPowerW!).toBeCloseTo(chip.reduce((a, b) => a + b, 0) / chip.length, 1);
      // Steps of about a second: energy ≈ average × duration (a one-row session has no step, so no energy).
      if (session.rows > 1) expect(session.energyWh!).toBeGreaterThan(0);
      else expect(session.energyWh).toBeNull();
    }
  });

  it('a log without power columns gives null power figures, not zeros', () => {
    const { rows, starts } = sampleRows(NO_POWER);
    const found = detectSessions(rows, { starts });
    expect(found.length).toBeGreaterThan(0);
    for (const session of found) {
      expect(session).toMatchObject({ avgPowerW: null, maxPowerW: null, powerKey: null, energyWh: null });
      expect(session.maxGpuTemperatureC).not.toBeNull();
    }
  });

  it('no rows → no sessions', () => {
    expect(detectSessions({ t: [], values: {} })).toEqual([]);
  });
});
