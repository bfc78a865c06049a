import type { ChartData, LiveSnapshot, SensorInfo } from '../../shared/contract';
import { createLiveWindow } from '../../shared/live-window';
import {
  emptyRangeHint,
  exportFileName,
  hostPicker,
  initialKeys,
  keptOnlyText,
  liveNote,
  panelsFromChart,
  panelsFromLive,
  presetKeys,
  readChoice,
  readHost,
  sensorMatches,
  visibleCsv,
  withLiveColumns,
  writeChoice,
  writeHost,
} from './charts-model';

const sensors: SensorInfo[] = [
  { key: 'gpu_temperature_c', name: 'GPU Temperature', unit: '°C' },
  { key: 'hot_spot_c', name: 'Hot Spot', unit: '°C' },
  { key: 'fan_speed_pct', name: 'Fan Speed', unit: '%' },
  { key: 'board_power_draw_w', name: 'Board Power Draw', unit: 'W' },
];

function memoryStorage(): Storage {
  const items = new Map<string, string>();
  return {
    getItem: (k) => items.get(k) ?? null,
    setItem: (k, v) => void items.set(k, v),
    removeItem: (k) => void items.delete(k),
    clear: () => items.clear(),
    key: () => null,
    get length() {
      return items.size;
    },
  };
}

describe('charts model', () => {
  it.each([
    { preset: 'thermals' as const, keys: ['gpu_temperature_c', 'hot_spot_c', 'fan_speed_pct'] },
    { preset: 'power' as const, keys: ['board_power_draw_w'] },
    { preset: 'memory' as const, keys: [] },
  ])('preset $preset keeps the sensors the log has', ({ preset, keys }) => {
    expect(presetKeys(preset, sensors)).toEqual(keys);
  });

  it("preset power draws the GPU chip's power where the log has no board power (AMD), the board's where it has both", () => {
    const chip = { key: 'gpu_chip_power_draw_w', name: 'GPU Chip Power Draw', unit: 'W' };
    const clock = { key: 'gpu_clock_mhz', name: 'GPU Clock', unit: 'MHz' };
    expect(presetKeys('power', [clock, chip])).toEqual(['gpu_chip_power_draw_w', 'gpu_clock_mhz']);
    expect(presetKeys('power', [...sensors, chip])).toEqual(['board_power_draw_w']);
  });

  it('remembers the choice, and ignores a damaged one', () => {
    const storage = memoryStorage();
    expect(readChoice(storage)).toBeNull();
    writeChoice(storage, { keys: ['hot_spot_c', 'fan_speed_pct'], range: '24h' });
    expect(readChoice(storage)).toEqual({ keys: ['hot_spot_c', 'fan_speed_pct'], range: '24h' });
    storage.setItem('gpuz:charts:choice', '{"keys":"abc","range":"24h"}');
    expect(readChoice(storage)).toBeNull();
    storage.setItem('gpuz:charts:choice', '{not json');
    expect(readChoice(storage)).toBeNull();
  });

  it('first sensors: the wanted ones present, else GPU temperature', () => {
    expect(initialKeys(['hot_spot_c', 'nope'], sensors)).toEqual(['hot_spot_c']);
    expect(initialKeys(['nope'], sensors)).toEqual(['gpu_temperature_c']);
    expect(initialKeys([], [])).toEqual([]);
  });

  it('live columns the list lacks join it after the listed ones; none new: the same list', () => {
    const live = [
      { key: 'gpu_temperature_c', name: 'GPU Temperature', unit: '°C', gpu: 0 },
      { key: 'vddc_v', name: 'VDDC', unit: 'V' },
    ];
    expect(withLiveColumns([], live)).toEqual([
      { key: 'gpu_temperature_c', name: 'GPU Temperature', unit: '°C' },
      { key: 'vddc_v', name: 'VDDC', unit: 'V' },
    ]);
    expect(withLiveColumns(sensors, live).slice(0, sensors.length)).toEqual(sensors);
    expect(withLiveColumns(sensors, live).at(-1)).toEqual({ key: 'vddc_v', name: 'VDDC', unit: 'V' });
    expect(withLiveColumns(sensors, live.slice(0, 1))).toBe(sensors);
  });

  it('first sensors in a zh-CN HWiNFO log: a session’s link (canonical keys) finds them under their Chinese keys', () => {
    const zh = ['gpu_温度_c', 'gpu_热点温度_c', 'gpu_频率_mhz', 'gpu_功率_w', '核心频率_avg_mhz'].map(
      (key) => ({
        key,
        name: key,
        unit: '',
      }),
    );
    expect(
      initialKeys(['gpu_temperature_c', 'hot_spot_c', 'gpu_clock_mhz', 'board_power_draw_w'], zh),
    ).toEqual(['gpu_温度_c', 'gpu_热点温度_c', 'gpu_频率_mhz', 'gpu_功率_w']);
    expect(initialKeys(['nope'], zh)).toEqual(['gpu_温度_c']);
  });

  it('live panels read each key from the current columns; a new session with other columns starts over', () => {
    const live = createLiveWindow({ windowMs: 10 * 60_000 });
    live.add(
      [{ t: 1000, values: [60, 70] }],
      [
        { key: 'gpu_temperature_c', name: 'GPU Temperature', unit: '°C' },
        { key: 'hot_spot_c', name: 'Hot Spot', unit: '°C' },
      ],
    );
    // GPU-Z restarted with another sensor set: hot spot is now the first column.
    live.add([{ t: 2000, values: [75] }], [{ key: 'hot_spot_c', name: 'Hot Spot', unit: '°C' }]);
    const snapshot: LiveSnapshot = live.snapshot();
    const [temperature, hotSpot] = panelsFromLive(
      snapshot,
      ['gpu_temperature_c', 'hot_spot_c'],
      {
        from: 0,
        to: 10_000,
      },
      sensors,
    );
    expect(hotSpot).toMatchObject({ t: [2000], values: [75], stats: { max: 75, count: 1 } });
    expect(temperature).toMatchObject({
      name: 'GPU Temperature',
      unit: '°C',
      values: [null],
      stats: { count: 0 },
    });
  });

  it('CSV of the visible range: canonical keys, gap markers and rows outside left out, rollups with min/max', () => {
    const rows: ChartData = {
      resolution: 'rows',
      t: [1000, 2000, 2001, 9000, 20_000],
      series: [
        {
          key: 'gpu_temperature_c',
          name: 'GPU Temperature',
          unit: '°C',
          values: [50, 51, null, 52.5, 60],
          stats: { min: 50, max: 60, avg: 53.375, count: 4 },
        },
        {
          key: 'hot_spot_c',
          name: 'Hot Spot',
          unit: '°C',
          values: [60, null, null, 62, 70],
          stats: { min: 60, max: 70, avg: 64, count: 3 },
        },
      ],
    };
    expect(visibleCsv(panelsFromChart(rows), { from: 0, to: 10_000 })).toBe(
      'time_utc,t_ms,gpu_temperature_c,hot_spot_c\n' +
        '1970-01-01T00:00:01.000Z,1000,50,60\n' +
        '1970-01-01T00:00:02.000Z,2000,51,\n' +
        '1970-01-01T00:00:09.000Z,9000,52.5,62\n',
    );
    const rollups: ChartData = {
      resolution: 'rollups',
      t: [0, 60_000],
      series: [
        {
          key: 'board_power_draw_w',
          name: 'Board Power Draw',
          unit: 'W',
          min: [10, 100],
          max: [20, 290],
          avg: [15.5, 200],
          stats: { min: 10, max: 290, avg: 107.75, count: 120 },
        },
      ],
    };
    expect(visibleCsv(panelsFromChart(rollups), { from: 0, to: 120_000 })).toBe(
      'time_utc,t_ms,board_power_draw_w,board_power_draw_w_min,board_power_draw_w_max\n' +
        '1970-01-01T00:00:00.000Z,0,15.5,10,20\n' +
        '1970-01-01T00:01:00.000Z,60000,200,100,290\n',
    );
  });

  it('the host picker shows only with two or more hosts, this PC first and picked by default', () => {
    expect(hostPicker({ self: 'gaming-pc', hosts: ['gaming-pc'] }, null)).toEqual({
      shown: false,
      selected: 'gaming-pc',
      options: [{ value: 'gaming-pc', label: 'gaming-pc (this PC)' }],
    });
    const two = { self: 'gaming-pc', hosts: ['alpha', 'gaming-pc', 'laptop'] };
    expect(hostPicker(two, null)).toEqual({
      shown: true,
      selected: 'gaming-pc',
      options: [
        { value: 'gaming-pc', label: 'gaming-pc (this PC)' },
        { value: 'alpha', label: 'alpha' },
        { value: 'laptop', label: 'laptop' },
      ],
    });
  });

  it('names a PC named in another script as it is named, not by its stored xn-- form', () => {
    const list = { self: 'xn----ctbcthhyble', hosts: ['xn----7sbd2afhylc7e', 'xn----ctbcthhyble'] };
    expect(hostPicker(list, null).options).toEqual([
      { value: 'xn----ctbcthhyble', label: 'игровой-пк (this PC)' },
      { value: 'xn----7sbd2afhylc7e', label: 'рабочий-пк' },
    ]);
    expect(liveNote('xn----ctbcthhyble', 'xn----7sbd2afhylc7e')).toBe(
      "Live shows this PC (игровой-пк) only: рабочий-пк's stored data is under 1 h … 30 d and custom ranges.",
    );
  });

  it('remembers the picked host, and falls back to this PC when that host is gone from the store', () => {
    const storage = memoryStorage();
    const list = { self: 'gaming-pc', hosts: ['gaming-pc', 'laptop'] };
    expect(hostPicker(list, readHost(storage)).selected).toBe('gaming-pc');
    writeHost(storage, 'laptop');
    expect(hostPicker(list, readHost(storage)).selected).toBe('laptop');
    expect(hostPicker({ self: 'gaming-pc', hosts: ['gaming-pc'] }, readHost(storage)).selected).toBe(
      'gaming-pc',
    );
  });

  it('Live says it is this PC only when another host is picked', () => {
    expect(liveNote('gaming-pc', 'gaming-pc')).toMatch(/^Live: rows the agent is tailing/);
    expect(liveNote('gaming-pc', 'laptop')).toBe(
      "Live shows this PC (gaming-pc) only: laptop's stored data is under 1 h … 30 d and custom ranges.",
    );
  });

  it('an empty range after a day away says when the newest reading is and offers the same span up to it', () => {
    const newest = Date.UTC(2026, 11, 3, 14, 7, 30);
    const now = newest + 26 * 3_600_000;
    const lastHour = { from: now - 3_600_000, to: now };
    const hint = emptyRangeHint(lastHour, { first: newest - 356_000, last: newest }, now);
    expect(hint.text).toMatch(/^No readings in this range: the newest is from Dec 3, .+\.$/);
    expect(hint.jump).toEqual({
      from: newest + 1000 - 3_600_000,
      to: newest + 1000,
      label: 'Show the newest readings',
    });
  });

  it('an empty range before the first reading offers the first ones; a gap names the stored span; nothing stored, no jump', () => {
    const first = Date.UTC(2026, 11, 3, 12, 0, 0);
    const last = Date.UTC(2026, 11, 4, 12, 0, 0);
    const now = last + 60_000;
    const week = 7 * 86_400_000;
    expect(emptyRangeHint({ from: first - week, to: first - 1 }, { first, last }, now).jump).toEqual({
      from: first,
      to: first + week - 1,
      label: 'Show the first readings',
    });
    const gap = emptyRangeHint({ from: first + 3_600_000, to: first + 7_200_000 }, { first, last }, now);
    expect(gap.text).toMatch(
      /^No readings of these sensors in this range\. Stored readings run from Dec 3, .+ to .+\.$/,
    );
    expect(gap.jump?.to).toBe(last + 1000);
    // The newest reading inside the range (a sensor the latest rows lack): no jump to where the view already is.
    expect(emptyRangeHint({ from: last - 3_600_000, to: last + 1000 }, { first, last }, now).jump).toBeNull();
    expect(emptyRangeHint({ from: 0, to: 1 }, { first: null, last: null }, now)).toEqual({
      text: 'Nothing stored yet: readings show here once the first batch is uploaded.',
      jump: null,
    });
  });

  it('a sensor the range has no readings of is named from the picker, not by its key', () => {
    const empty: ChartData = {
      resolution: 'rows',
      t: [],
      series: [
        {
          key: 'gpu_temperature_c',
          name: 'gpu_temperature_c',
          unit: '',
          values: [],
          stats: { min: null, max: null, avg: null, count: 0 },
        },
      ],
    };
    expect(panelsFromChart(empty, sensors)[0]).toMatchObject({ name: 'GPU Temperature', unit: '°C' });
    expect(panelsFromChart(empty)[0]).toMatchObject({ name: 'gpu_temperature_c', unit: '' });
  });
});

describe('keptOnlyText: a chart drawn from what this PC kept, the store out of reach', () => {
  it("says why, what is shown and what is missing, with the store's advice when it has one", () => {
    expect(keptOnlyText({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' })).toBe(
      'The stored copy could not be read (connect ECONNREFUSED 127.0.0.1:9): showing the readings this PC kept from earlier views; rows stored since then are missing until it answers.',
    );
    expect(
      keptOnlyText({
        code: 'CREDENTIALS_EXPIRED',
        message: 'The AWS session used for the upload has expired.',
        advice: 'aws sso login',
        guiAdvice: 'Sign in again in a terminal.',
      }),
    ).toMatch(
      /^The stored copy could not be read \(The AWS session used for the upload has expired\): .+ Sign in again in a terminal\.$/,
    );
  });
});

describe('exportFileName: an export names its PC and the range start in the charts’ zone', () => {
  const halfPastFour = new Date(2026, 11, 6, 16, 30).getTime(); // local time, as the charts draw it

  it('two PCs’ exports of the same minutes get different names; a name beyond a–z is shown as typed', () => {
    expect(exportFileName('gaming-pc', halfPastFour, 'csv')).toBe('gpuz-gaming-pc-2026-12-06-16-30.csv');
    expect(exportFileName('xn----ctbcthhyble', halfPastFour, 'png')).toBe(
      'gpuz-игровой-пк-2026-12-06-16-30.png',
    );
  });

  it('before the store’s hosts are listed: the time only', () => {
    expect(exportFileName('', halfPastFour, 'csv')).toBe('gpuz-2026-12-06-16-30.csv');
  });
});

describe('sensorMatches: the sensor picker’s filter', () => {
  // Names and keys as the real HWiNFO samples have them (furmark 2017 in English, the zh-CN RTX 40 log).
  const hwinfo: SensorInfo[] = [
    { key: 'gpu_temperature_c', name: 'GPU Temperature', unit: '°C' },
    { key: 'board_power_draw_w', name: 'GPU Power', unit: 'W' },
    { key: 'gpu_memory_controller_load_pct', name: 'GPU Memory Controller Load', unit: '%' },
    { key: 'cpu_package_c', name: 'CPU Package', unit: '°C' },
    { key: 'gpu_温度_c', name: 'GPU 温度', unit: '°C' },
    { key: 'gpu_风扇1_rpm', name: 'GPU 风扇1', unit: 'RPM' },
  ];
  const shown = (filter: string) => hwinfo.filter((s) => sensorMatches(s, filter)).map((s) => s.key);

  it('shows every sensor for an empty filter or blanks', () => {
    expect(shown('')).toHaveLength(hwinfo.length);
    expect(shown('   ')).toHaveLength(hwinfo.length);
  });

  it('needs every word, in any case, in the name, the key or the unit', () => {
    expect(shown('GPU temp')).toEqual(['gpu_temperature_c', 'gpu_温度_c']);
    expect(shown('gpu w')).toEqual(['board_power_draw_w']);
    expect(shown('board')).toEqual(['board_power_draw_w']);
    expect(shown('°c')).toEqual(['gpu_temperature_c', 'cpu_package_c', 'gpu_温度_c']);
    expect(shown('controller')).toEqual(['gpu_memory_controller_load_pct']);
    expect(shown('风扇')).toEqual(['gpu_风扇1_rpm']);
    expect(shown('vram')).toEqual([]);
  });

  it('finds a translated HWiNFO sensor by the canonical key of the same sensor', () => {
    expect(shown('temperature')).toEqual(['gpu_temperature_c', 'gpu_温度_c']);
    expect(shown('fan rpm')).toEqual(['gpu_风扇1_rpm']);
  });
});
