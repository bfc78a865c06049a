import type { LoggingSession } from '../../shared/contract';
import { isOwnProgress, readingText } from './read-progress';
import {
  chartsHash,
  compareRows,
  keptNote,
  listed,
  listNote,
  overlayKey,
  overlayQuery,
  powerNote,
} from './sessions-model';

const run = (start: number, hotSpot: number | null, plays: LoggingSession['plays'] = []): LoggingSession => ({
  kind: 'logging',
  start,
  end: start + 600_000,
  durationMs: 600_000,
  rows: 601,
  maxGpuTemperatureC: 80,
  maxHotSpotC: hotSpot,
  avgGpuClockMhz: 1600,
  avgPowerW: 150.5,
  maxPowerW: 290,
  powerKey: 'board_power_draw_w',
  energyWh: 25,
  plays,
});

describe('sessions model', () => {
  it('compares runs against the first: deltas, durations in minutes, missing figures as null', () => {
    const rows = compareRows([run(0, 105.5), run(1_000_000, 101.2), run(2_000_000, null)]);
    expect(rows.find((r) => r.label === 'Max hot spot')).toEqual({
      label: 'Max hot spot',
      unit: '°C',
      values: [105.5, 101.2, null],
      deltas: [0, -4.3, null],
    });
    expect(rows.find((r) => r.label === 'Duration')!.values).toEqual([10, 10, 10]);
  });

  it('lists the newest session first with its play sessions under it, and links to its charts', () => {
    const play = { ...run(100, 99), kind: 'play' as const };
    const list = listed([run(0, 90, [play]), run(5_000_000, 95)]);
    expect(list.map((s) => s.start)).toEqual([5_000_000, 0, 100]);
    expect(chartsHash(run(0, 1))).toBe(
      '#charts/custom/gpu_temperature_c,hot_spot_c,gpu_clock_mhz,board_power_draw_w/0-601000',
    );
  });

  it("says which power a run's figures are, and compares no power across a board and a chip (AMD) run", () => {
    const board = run(0, 90);
    const chip = {
      ...run(1_000_000, 90),
      avgPowerW: 60.2,
      maxPowerW: 110,
      energyWh: 10,
      powerKey: 'gpu_chip_power_draw_w' as const,
    };
    const label = (rows: ReturnType<typeof compareRows>, start: string) =>
      rows.find((r) => r.label.startsWith(start))!;
    const boards = compareRows([board, { ...board, avgPowerW: 160.5 }]);
    expect(label(boards, 'Avg b')).toMatchObject({ label: 'Avg board power', deltas: [0, 10] });
    expect(label(boards, 'Energy').label).toBe('Energy');
    const chips = compareRows([chip, { ...chip, energyWh: 12 }]);
    expect(label(chips, 'Max c').label).toBe('Max chip power');
    expect(label(chips, 'Energy')).toMatchObject({ label: 'Energy (chip power)', deltas: [0, 2] });
    const mixed = compareRows([board, chip]);
    expect(label(mixed, 'Avg p')).toEqual({
      label: 'Avg power (board / chip)',
      unit: 'W',
      values: [150.5, 60.2],
      deltas: [null, null],
    });
    expect(label(mixed, 'Energy').deltas).toEqual([null, null]);
    // Figures that are no power still compare.
    expect(label(mixed, 'Max hot spot').deltas).toEqual([0, 0]);
    // The row says "(chip)" and why; the charts link draws the chip's power.
    expect(powerNote(board)).toBeNull();
    expect(powerNote(chip)).toMatchObject({ suffix: ' (chip)' });
    expect(chartsHash(chip)).toBe(
      '#charts/custom/gpu_temperature_c,hot_spot_c,gpu_clock_mhz,gpu_chip_power_draw_w/1000000-1601000',
    );
  });

  it("follows its own call's reading progress only, as a percentage, until it is done", () => {
    const query = { from: 0, to: 86_400_000 };
    const progress = (done: number, q: { from: number; to: number; host?: string } = query) => ({
      query: q,
      done,
      total: 2880,
    });
    expect(isOwnProgress(progress(700), query)).toBe(true);
    expect(readingText(progress(700))).toBe('Reading the stored data… 24 %');
    // Another page's call (another range, another PC), or the end of the reading: not shown.
    expect(isOwnProgress(progress(700, { from: 0, to: 1 }), query)).toBe(false);
    expect(isOwnProgress(progress(700, { ...query, host: 'laptop' }), query)).toBe(false);
    expect(isOwnProgress(progress(2880), query)).toBe(false);
  });

  it("overlays a run from its own host's data: the query names that host", () => {
    expect(overlayQuery(run(1_000, 90), 'gpu_temperature_c', 'laptop')).toEqual({
      from: 1_000,
      to: 602_000,
      keys: ['gpu_temperature_c'],
      host: 'laptop',
    });
  });

  it('overlays the GPU temperature, or the hot spot when no run has one', () => {
    const withTemp = run(0, 90);
    const without = { ...run(0, 90), maxGpuTemperatureC: null };
    expect(overlayKey([withTemp, without])).toBe('gpu_temperature_c');
    expect(overlayKey([without, without])).toBe('hot_spot_c');
  });
});

describe('keptNote: a session list drawn from what this PC kept, the store out of reach', () => {
  const keptOnly = { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' };
  it('says nothing when the store was listed', () => {
    expect(keptNote({})).toBe('');
  });
  it('says why, what is listed, what is missing, and the batches it leaves out (charted in outline only)', () => {
    const said =
      'The stored copy could not be read (connect ECONNREFUSED 127.0.0.1:9): listing the sessions of the readings this PC kept from earlier views; sessions stored since then are missing until it answers.';
    expect(keptNote({ keptOnly, outlinedOnly: 0 })).toBe(said);
    expect(keptNote({ keptOnly, outlinedOnly: 1 })).toBe(
      `${said} 1 stored batch of this range is left out: this PC charted it but never read its rows.`,
    );
    expect(keptNote({ keptOnly, outlinedOnly: 12 })).toBe(
      `${said} 12 stored batches of this range are left out: this PC charted them but never read their rows.`,
    );
  });
});

describe('listNote: the line under the range buttons', () => {
  const keptOnly = { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' };
  it('counts the sessions; says why there are none; without the store, none is of what is kept, not of the range', () => {
    expect(listNote({ sessions: [run(0, 90, [{ ...run(1, 90), kind: 'play' }])] }, '')).toBe(
      '1 logging session, 1 play session.',
    );
    // A year of hourly logging, with the dashboard's separators.
    const year = Array.from({ length: 8761 }, (_, i) => run(i, 90));
    expect(listNote({ sessions: year }, '')).toBe('8,761 logging sessions, 0 play sessions.');
    expect(listNote({ sessions: [] }, 'No sessions stored yet.')).toBe('No sessions stored yet.');
    expect(listNote({ sessions: [], keptOnly, outlinedOnly: 0 }, '')).toBe(
      `No sessions in the readings this PC kept. ${keptNote({ keptOnly, outlinedOnly: 0 })}`,
    );
    expect(listNote({ sessions: [run(0, 90)], keptOnly }, '')).toMatch(
      /^1 logging session, 0 play sessions\. The stored copy could not be read/,
    );
  });
});
