import { sampleRows } from './sample-rows.test-support';
import { detectSessions } from './sessions';

const BM1 = 'gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt';
const AMD = 'gpuz/amd-radeon-hbm2-gpuz-2020-12-sessions.txt';

/**
 * Row counts per session from ../shared/samples/MANIFEST.md alone: the AMD file's headers are on lines
 * 1, 443, 486, 577, 715, 901, 1210, 1367, 1380, 1568, 1570, 1628 of 1,685 lines (1,673 rows + 12 headers).
 */
const AMD_HEADER_LINES = [1, 443, 486, 577, 715, 901, 1210, 1367, 1380, 1568, 1570, 1628, 1686];
const AMD_ROWS = AMD_HEADER_LINES.slice(1).map((line, i) => line - AMD_HEADER_LINES[i]! - 1);

describe('detectSessions on real logs', () => {
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
      maxBoardPowerW: Math.max(...power),
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

  it('a log without load or power columns gives null figures, not zeros', () => {
    const { rows, starts } = sampleRows(AMD);
    const [first] = detectSessions(rows, { starts });
    expect(first!.energyWh).toBeNull();
    expect(first!.avgBoardPowerW).toBeNull();
    expect(first!.maxHotSpotC).not.toBeNull();
  });

  it('no rows → no sessions', () => {
    expect(detectSessions({ t: [], values: {} })).toEqual([]);
  });
});
