/**
 * What the Charts view shows, without a DOM (unit-tested in charts-model.test.ts; views/charts.ts binds it):
 *
 *   presetKeys('thermals', sensors)              → ['gpu_temperature_c', 'hot_spot_c', 'fan_speed_pct'] (those present)
 *   sensorMatches(sensor, 'gpu temp')            → whether the picker's filter shows the sensor
 *   panelsFromChart(await api.queryChart(q), sensors)
 *                                                → one panel per sensor: { key, name, unit, t, values, min?, max?, stats }
 *   panelsFromLive(window.snapshot(), keys, shown) → the same from the live window
 *   visibleCsv(panels, shown)                    → 'time_utc,t_ms,gpu_temperature_c,…' rows in the visible range
 *   readChoice(localStorage) / writeChoice(…)     → the sensors and range picked last time
 *   hostPicker(await api.listHosts(), readHost(localStorage))
 *                                                → { shown: hosts > 1, selected, options: [this PC first, …] }
 *   liveNote(self, host)                         → what Live shows when another host is picked (this PC's rows)
 *   emptyRangeHint(shown, extent, now)           → a range with no readings: where the stored ones are, and a
 *                                                  window of the same length to jump to
 */
import type {
  ChartData,
  DataExtent,
  HostList,
  LiveSnapshot,
  SensorInfo,
  SeriesStats,
} from '../../shared/contract';
import type { ErrorData } from '../../shared/errors';
import { hostLabel } from '../../shared/host-name';
import { canonicalOf, shownKey } from '../../shared/parse/column-keys';
import { statsOf } from '../../shared/series-stats';
import { formatMoment } from '../../shared/time-format';
import { isRangeId, type RangeId, toLocalInput } from './ranges';

export type PresetId = 'thermals' | 'power' | 'memory';

/**
 * Sensor sets by canonical key (docs/column-keys.md); a key the log lacks is left out, but board power is the GPU
 * chip's where only that is logged (AMD: shownKey).
 */
export const PRESETS: { id: PresetId; label: string; keys: string[] }[] = [
  {
    id: 'thermals',
    label: 'Thermals',
    keys: ['gpu_temperature_c', 'hot_spot_c', 'memory_temperature_c', 'fan_speed_pct'],
  },
  {
    id: 'power',
    label: 'Power',
    keys: ['board_power_draw_w', 'gpu_clock_mhz', 'gpu_load_pct', 'gpu_voltage_v'],
  },
  {
    id: 'memory',
    label: 'Memory',
    keys: ['memory_clock_mhz', 'memory_used_mb', 'memory_controller_load_pct'],
  },
];

export function presetKeys(id: PresetId, sensors: SensorInfo[]): string[] {
  const preset = PRESETS.find((p) => p.id === id)!;
  const has = (key: string) => sensors.some((s) => s.key === key);
  return preset.keys.map((key) => shownKey(key, has)).filter(has);
}

/** One stacked chart: rows (values) or rollups (values = avg, with the min–max band). */
export interface Panel {
  key: string;
  name: string;
  unit: string;
  t: number[];
  values: (number | null)[];
  min?: (number | null)[];
  max?: (number | null)[];
  stats: SeriesStats;
}

/**
 * `sensors` (the picker's list) names a sensor the range has no readings of: the store describes only the
 * sensors of the objects it read, so an empty range would otherwise chart "gpu_temperature_c" with no unit.
 */
export function panelsFromChart(data: ChartData, sensors: SensorInfo[] = []): Panel[] {
  const named = <S extends { key: string; name: string; unit: string }>(s: S): S => {
    const known = s.name === s.key ? sensors.find((sensor) => sensor.key === s.key) : undefined;
    return known ? { ...s, name: known.name, unit: known.unit } : s;
  };
  if (data.resolution === 'rollups') {
    return data.series.map(named).map((s) => ({
      key: s.key,
      name: s.name,
      unit: s.unit,
      t: data.t,
      values: s.avg,
      min: s.min,
      max: s.max,
      stats: s.stats,
    }));
  }
  return data.series.map(named).map((s) => ({
    key: s.key,
    name: s.name,
    unit: s.unit,
    t: data.t,
    values: s.values,
    stats: s.stats,
  }));
}

/** Panels of the live window's rows inside `shown`; a key the current session lacks draws empty. */
export function panelsFromLive(
  live: LiveSnapshot,
  keys: string[],
  shown: { from: number; to: number },
  sensors: SensorInfo[] = [],
): Panel[] {
  const rows = live.rows.filter((r) => r.t >= shown.from && r.t < shown.to);
  const t = rows.map((r) => r.t);
  return keys.map((key) => {
    const index = live.columns.findIndex((c) => c.key === key);
    const column = live.columns[index] ?? sensors.find((s) => s.key === key);
    const values = rows.map((r) => (index >= 0 ? (r.values[index] ?? null) : null));
    return { key, name: column?.name ?? key, unit: column?.unit ?? '', t, values, stats: statsOf(values) };
  });
}

/**
 * The visible range as CSV, one line per time stamp, columns by canonical key; rollups add `{key}_min` and
 * `{key}_max` beside the average. Gap markers (a time stamp where every value is empty) are left out.
 */
export function visibleCsv(panels: Panel[], shown: { from: number; to: number }): string {
  const header = ['time_utc', 't_ms'];
  for (const p of panels) header.push(p.key, ...(p.min && p.max ? [`${p.key}_min`, `${p.key}_max`] : []));
  const lines = [header.join(',')];
  const t = panels[0]?.t ?? [];
  for (let i = 0; i < t.length; i++) {
    const time = t[i]!;
    if (time < shown.from || time >= shown.to) continue;
    const cells: (number | null | undefined)[] = [];
    for (const p of panels) cells.push(p.values[i], ...(p.min && p.max ? [p.min[i], p.max[i]] : []));
    if (cells.every((c) => c === null || c === undefined)) continue;
    lines.push([new Date(time).toISOString(), time, ...cells.map((c) => c ?? '')].join(','));
  }
  return `${lines.join('\n')}\n`;
}

/**
 * The name of an export of the charts: the PC they are of and the range's start in the zone they are drawn in, so two
 * PCs' exports of the same minutes, in one Downloads folder, keep apart.
 *   exportFileName('xn----ctbcthhyble', Date.UTC(2026, 11, 6, 15, 30), 'csv') → 'gpuz-игровой-пк-2026-12-06-16-30.csv'
 *                                                                                (in Europe/Berlin)
 *   exportFileName('', …, 'png') → 'gpuz-2026-12-06-16-30.png' (the store's hosts not listed yet)
 */
export function exportFileName(host: string, from: number, ext: 'csv' | 'png'): string {
  const stamp = toLocalInput(from || Date.now()).replace(/[:T]/g, '-');
  return `gpuz-${host ? `${hostLabel(host)}-` : ''}${stamp}.${ext}`;
}

/** What the view remembers between visits. */
export interface ChartChoice {
  keys: string[];
  range: RangeId;
}

const STORAGE_KEY = 'gpuz:charts:choice';

export function readChoice(storage: Pick<Storage, 'getItem'>): ChartChoice | null {
  try {
    const saved = JSON.parse(storage.getItem(STORAGE_KEY) ?? 'null') as Partial<ChartChoice> | null;
    if (!saved || !Array.isArray(saved.keys) || typeof saved.range !== 'string' || !isRangeId(saved.range))
      return null;
    return { keys: saved.keys.filter((k): k is string => typeof k === 'string'), range: saved.range };
  } catch {
    return null;
  }
}

export function writeChoice(storage: Pick<Storage, 'setItem'>, choice: ChartChoice): void {
  storage.setItem(STORAGE_KEY, JSON.stringify(choice));
}

/**
 * Whether the sensor picker's filter shows a sensor: every word typed, in any case, is in its name, its key, its
 * unit or the canonical key of the same sensor (an HWiNFO log has 150–450 columns; in its Chinese build "temp"
 * finds `GPU 温度`, which is `gpu_temperature_c`'s sensor):
 *   sensorMatches({ name: 'GPU Power', key: 'board_power_draw_w', unit: 'W' }, 'gpu w') → true
 *   sensorMatches({ name: 'GPU 温度', key: 'gpu_温度_c', unit: '°C' }, 'temp')     → true
 *   sensorMatches({ name: 'Hot Spot', key: 'hot_spot_c', unit: '°C' }, 'fan')      → false
 */
export function sensorMatches(sensor: SensorInfo, filter: string): boolean {
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const text = `${sensor.name} ${sensor.key} ${sensor.unit} ${canonicalOf(sensor.key)}`.toLowerCase();
  return words.every((word) => text.includes(word));
}

/** The sensors with this PC's live columns the list lacks added after them (the same array when none is new). */
export function withLiveColumns(sensors: SensorInfo[], columns: readonly SensorInfo[]): SensorInfo[] {
  const more = columns.filter((column) => !sensors.some((s) => s.key === column.key));
  return more.length === 0
    ? sensors
    : [...sensors, ...more.map(({ key, name, unit }) => ({ key, name, unit }))];
}

/**
 * The sensors to show first: the hash (#charts/30d/gpu_temperature_c,hot_spot_c), else the remembered
 * choice, else GPU temperature; only keys the store or the live session has.
 */
export function initialKeys(wanted: string[], sensors: SensorInfo[]): string[] {
  const has = (key: string) => sensors.some((s) => s.key === key);
  // A canonical key (a session's link) finds its sensor in a localised HWiNFO log too (shownKey: gpu_温度_c).
  const present = [...new Set(wanted.map((key) => shownKey(key, has)))].filter(has);
  if (present.length > 0) return present;
  const fallback = shownKey('gpu_temperature_c', has);
  return has(fallback) ? [fallback] : sensors[0] ? [sensors[0].key] : [];
}

/** The host picker of Charts and Sessions: shown only when the store holds more than one host. */
export interface HostPicker {
  shown: boolean;
  /** The host to read; this PC unless another listed host was picked last time. */
  selected: string;
  /** This PC first (labelled so), then the others by name. */
  options: { value: string; label: string }[];
}

export function hostPicker(list: HostList, remembered: string | null): HostPicker {
  const others = list.hosts.filter((host) => host !== list.self);
  const options = [
    { value: list.self, label: `${hostLabel(list.self)} (this PC)` },
    ...others.map((host) => ({ value: host, label: hostLabel(host) })),
  ];
  const selected = remembered !== null && others.includes(remembered) ? remembered : list.self;
  return { shown: options.length > 1, selected, options };
}

const HOST_KEY = 'gpuz:host';

/** The host picked last time (shared by Charts and Sessions), or null. */
export function readHost(storage: Pick<Storage, 'getItem'>): string | null {
  return storage.getItem(HOST_KEY);
}

export function writeHost(storage: Pick<Storage, 'setItem'>, host: string): void {
  storage.setItem(HOST_KEY, host);
}

/**
 * The note of a chart (or a session list) drawn from what this PC kept because the store could not be listed
 * (ChartData.keptOnly, SessionList.keptOnly):
 *   keptOnlyText({ code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' })
 *     → 'The stored copy could not be read (connect ECONNREFUSED 127.0.0.1:9): showing the readings this PC kept from
 *        earlier views; rows stored since then are missing until it answers.'
 *   keptOnlyText(error, 'sessions') → '… (…): listing the sessions of the readings this PC kept from earlier views;
 *        sessions stored since then are missing until it answers.'
 * The store's own advice follows when it has one (a sign-in to renew).
 */
export function keptOnlyText(error: ErrorData, of: 'rows' | 'sessions' = 'rows'): string {
  const advice = error.guiAdvice ?? error.advice;
  const why = error.message.replace(/\.$/, '');
  const what =
    of === 'rows'
      ? 'showing the readings this PC kept from earlier views; rows'
      : 'listing the sessions of the readings this PC kept from earlier views; sessions';
  return `The stored copy could not be read (${why}): ${what} stored since then are missing until it answers.${advice ? ` ${advice}` : ''}`;
}

/** The note above Live: it is always this PC's rows, said plainly when another host is picked. */
export function liveNote(self: string, host: string): string {
  return host === self
    ? 'Live: rows the agent is tailing now (not yet stored).'
    : `Live shows this PC (${hostLabel(self)}) only: ${hostLabel(host)}'s stored data is under 1 h … 30 d and custom ranges.`;
}

/** What a range without readings says, and the window of the same length where the stored readings are. */
export interface EmptyRangeHint {
  text: string;
  jump: { from: number; to: number; label: string } | null;
}

/**
 * A range with no readings (the last hour after a day away, a week before the first upload): when the stored
 * readings are, from `extent` (this PC's newest live row folded in by the caller), and a window as long as the
 * one shown that ends at the newest reading (or starts at the first, for a range before them).
 */
export function emptyRangeHint(
  shown: { from: number; to: number },
  extent: DataExtent,
  now: number = Date.now(),
): EmptyRangeHint {
  if (extent.first === null || extent.last === null)
    return { text: 'Nothing stored yet: readings show here once the first batch is uploaded.', jump: null };
  const span = shown.to - shown.from;
  const when = (t: number) => formatMoment(t, now, { seconds: false });
  const newest = {
    from: extent.last + 1000 - span,
    to: extent.last + 1000,
    label: 'Show the newest readings',
  };
  if (extent.first >= shown.to)
    return {
      text: `No readings in this range: the first stored reading is from ${when(extent.first)}.`,
      jump: { from: extent.first, to: extent.first + span, label: 'Show the first readings' },
    };
  if (extent.last < shown.from)
    return { text: `No readings in this range: the newest is from ${when(extent.last)}.`, jump: newest };
  // Readings around it, none inside for these sensors: a pause in logging, or sensors this log lacks.
  return {
    text: `No readings of these sensors in this range. Stored readings run from ${when(extent.first)} to ${when(extent.last)}.`,
    jump: extent.last < shown.to ? null : newest,
  };
}
