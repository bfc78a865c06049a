import { slugify, unitKeySuffix } from './units';

/**
 * Stable machine keys for columns, so charts of logs from different GPU-Z eras, vendors and tools line up.
 *
 *   canonicalKey('GPU Core Clock', 'MHz') → 'gpu_clock_mhz'      canonicalKey('VDDC', 'V') → 'gpu_voltage_v'
 *   canonicalKey('Fan 2 Speed (%)', '%') → 'fan2_speed_pct'      canonicalKey('PerfCap Reason', '') → 'perfcap_reason'
 * The full table is documented in docs/column-keys.md.
 */
export function canonicalKey(name: string, unit: string, tool: KeyedTool = 'gpuz'): string {
  const suffix = unitKeySuffix(unit);
  const base = canonicalBase(name, unit, tool);
  if (suffix === '' || base.endsWith(`_${suffix}`) || base === suffix) return base || suffix || 'column';
  return base === '' ? suffix : `${base}_${suffix}`;
}

/** The keys a dashboard shows first, in display order. */
export const HEADLINE_KEYS = [
  'gpu_temperature_c',
  'hot_spot_c',
  'gpu_clock_mhz',
  'memory_clock_mhz',
  'gpu_load_pct',
  'board_power_draw_w',
  'fan_speed_pct',
  'fan_speed_rpm',
  'memory_used_mb',
] as const;

export type HeadlineKey = (typeof HEADLINE_KEYS)[number];

/**
 * The power a dashboard shows, best first: the whole card's (`Board Power Draw`; `GPU Power` of iGPUs and older
 * GPU-Z, nvidia-smi's `power.draw`), else the GPU chip's (`GPU Chip Power Draw`: AMD cards whose GPU-Z reports
 * no board power; it leaves out the memory and the voltage regulators, so it reads lower than the card draws).
 *
 *   POWER_KEYS.find((key) => has(key)) → the key a view takes its power from
 */
export const POWER_KEYS = ['board_power_draw_w', 'gpu_chip_power_draw_w'] as const;

export type PowerKey = (typeof POWER_KEYS)[number];

/**
 * Keys of the same sensors under the names HWiNFO gives them. Its English build writes a few GPU sensors with a
 * `GPU` in front (`GPU Memory Controller Load` → `gpu_memory_controller_load_pct`, GPU-Z's `Memory Controller Load`
 * is `memory_controller_load_pct`), and its translated builds in their language, so those keys are the translations
 * slugified (`GPU 温度` → `gpu_温度_c`, not `gpu_temperature_c`). The views look for these where they look for a
 * canonical key (shownKey, sameSensorKeys); the keys themselves stay as they are stored, since a key changed at an
 * update would split that sensor's charts at the update. From the real samples: the English builds' in
 * `hwinfo-ansi-nvidia-furmark-2017.CSV`, the Simplified Chinese build's in `hwinfo-zh-cn-utf8bom-rtx40-2025.CSV`;
 * other languages: none yet.
 */
const SAME_SENSOR_KEYS: Record<string, readonly string[]> = {
  gpu_temperature_c: ['gpu_温度_c'],
  hot_spot_c: ['gpu_热点温度_c'],
  memory_temperature_c: ['显存结温_c'],
  gpu_clock_mhz: ['gpu_频率_mhz'],
  memory_clock_mhz: ['显存频率_mhz'],
  gpu_load_pct: ['gpu_核心使用率_pct'],
  memory_controller_load_pct: ['gpu_memory_controller_load_pct', '显存控制器使用率_pct'],
  video_engine_load_pct: ['gpu_video_engine_load_pct', 'gpu_视频引擎使用率_pct'],
  bus_interface_load_pct: ['gpu_bus_load_pct', 'gpu_总线使用率_pct'],
  board_power_draw_w: ['gpu_功率_w'],
  gpu_voltage_v: ['gpu_核心电压_v'],
  fan_speed_pct: ['gpu_风扇1_pct'],
  fan_speed_rpm: ['gpu_风扇1_rpm'],
  fan2_speed_pct: ['gpu_风扇2_pct'],
  fan2_speed_rpm: ['gpu_风扇2_rpm'],
  memory_used_mb: ['分配显存_mb'],
};

/**
 * `key` and the keys HWiNFO writes the same sensor under, best first:
 *   sameSensorKeys('gpu_temperature_c') → ['gpu_temperature_c', 'gpu_温度_c']     sameSensorKeys('x') → ['x']
 */
export function sameSensorKeys(key: string): readonly string[] {
  const others = SAME_SENSOR_KEYS[key];
  return others ? [key, ...others] : [key];
}

/**
 * The canonical key an HWiNFO key stands for, else the key itself (the reverse of sameSensorKeys):
 *   canonicalOf('gpu_温度_c') → 'gpu_temperature_c'     canonicalOf('hot_spot_c') → 'hot_spot_c'
 */
export function canonicalOf(key: string): string {
  for (const [canonical, others] of Object.entries(SAME_SENSOR_KEYS))
    if (others.includes(key)) return canonical;
  return key;
}

/**
 * The key a view shows for `key` in a log (`has`): its own, else the same sensor's in an HWiNFO log
 * (`gpu_温度_c` for `gpu_temperature_c`, `gpu_memory_controller_load_pct` for `memory_controller_load_pct`); board power becomes the chip's where the log has no board power.
 *   shownKey('gpu_temperature_c', has) → 'gpu_温度_c' in the zh-CN HWiNFO log
 *   shownKey('board_power_draw_w', has) → 'gpu_chip_power_draw_w' in an AMD GPU-Z log
 */
export function shownKey(key: string, has: (key: string) => boolean): string {
  const same = sameSensorKeys(key);
  const candidates = key === POWER_KEYS[0] ? [...same, POWER_KEYS[1]] : same;
  return candidates.find(has) ?? key;
}

/** The words a view puts on a power figure from `key`. */
export const POWER_LABELS: Record<PowerKey, string> = {
  board_power_draw_w: 'Board power',
  gpu_chip_power_draw_w: 'Chip power',
};

/**
 * Gives every column of one header its key; repeated keys get `_2`, `_3`… in order of appearance, so
 * AMD's two `UVD Clock [MHz]` columns become `uvd_clock_mhz` and `uvd_clock_mhz_2` in every session.
 */
export function assignKeys(columns: { name: string; unit: string }[], tool: KeyedTool = 'gpuz'): string[] {
  const seen = new Map<string, number>();
  return columns.map(({ name, unit }) => {
    const key = canonicalKey(name, unit, tool);
    const count = (seen.get(key) ?? 0) + 1;
    seen.set(key, count);
    return count === 1 ? key : `${key}_${count}`;
  });
}

/** The tool whose header the names come from: a few names mean another sensor in HWiNFO than in GPU-Z. */
export type KeyedTool = 'gpuz' | 'hwinfo';

function canonicalBase(name: string, unit: string, tool: KeyedTool): string {
  const lower = name.trim().replace(/\s+/g, ' ').toLowerCase();
  // "Fan Speed (%) [%]", "Fan 1 Speed (RPM) [RPM]": the parenthesised unit repeats the bracketed one.
  const withoutUnit = stripRepeatedUnit(lower, unit.toLowerCase());
  const known = (tool === 'hwinfo' ? HWINFO_NAMES[withoutUnit] : undefined) ?? NAME_ALIASES[withoutUnit];
  if (known !== undefined) return known;
  const fan = /^fan (\d+) speed$/.exec(withoutUnit);
  if (fan) return fan[1] === '1' ? 'fan_speed' : `fan${fan[1]}_speed`;
  return slugify(withoutUnit);
}

function stripRepeatedUnit(name: string, unit: string): string {
  const match = /^(.*\S)\s*\(([^)]*)\)$/.exec(name);
  if (!match) return name;
  const inner = match[2] ?? '';
  return inner === unit || (inner === '%' && unit.startsWith('%')) ? (match[1] ?? name) : name;
}

/**
 * Names HWiNFO gives another sensor than GPU-Z does. Its `Memory Clock` is the system RAM's (the Memory Timings
 * group); the GPU's is `GPU Memory Clock`. Read as GPU-Z's, the DRAM clock took `memory_clock_mhz` (the Overview's
 * "Memory clock", the Memory preset) and the GPU's became `memory_clock_mhz_2`, in all three English samples.
 */
const HWINFO_NAMES: Record<string, string> = {
  'memory clock': 'dram_clock',
};

/** Lower-cased names (unit removed) from GPU-Z, HWiNFO and nvidia-smi → one base key. */
const NAME_ALIASES: Record<string, string> = {
  // GPU-Z, every era
  'gpu clock': 'gpu_clock',
  'gpu core clock': 'gpu_clock',
  'memory clock': 'memory_clock',
  'gpu memory clock': 'memory_clock',
  'gpu temperature': 'gpu_temperature',
  'hot spot': 'hot_spot',
  'gpu temperature (hot spot)': 'hot_spot',
  'gpu hot spot temperature': 'hot_spot',
  'fan speed': 'fan_speed',
  'gpu load': 'gpu_load',
  'memory used': 'memory_used',
  'memory usage': 'memory_used',
  'memory used (dedicated)': 'memory_used',
  'memory usage (dedicated)': 'memory_used',
  'memory used (dynamic)': 'memory_used_dynamic',
  'memory usage (dynamic)': 'memory_used_dynamic',
  'board power draw': 'board_power_draw',
  'gpu power': 'board_power_draw',
  vddc: 'gpu_voltage',
  'gpu voltage': 'gpu_voltage',
  'perfcap reason': 'perfcap_reason',
  'power consumption': 'power_consumption',
  // HWiNFO
  'gpu core load': 'gpu_load',
  'gpu temperature (hw)': 'gpu_temperature',
  'gpu fan': 'fan_speed',
  'gpu core voltage': 'gpu_voltage',
  'gpu memory allocated': 'memory_used',
  'total gpu power': 'board_power_draw',
  // nvidia-smi --query-gpu names
  'temperature.gpu': 'gpu_temperature',
  'temperature.memory': 'memory_temperature',
  'utilization.gpu': 'gpu_load',
  'utilization.memory': 'memory_controller_load',
  'memory.used': 'memory_used',
  'memory.total': 'memory_total',
  'memory.free': 'memory_free',
  'power.draw': 'board_power_draw',
  'power.draw.instant': 'board_power_draw',
  'power.limit': 'power_limit',
  'clocks.gr': 'gpu_clock',
  'clocks.current.graphics': 'gpu_clock',
  'clocks.mem': 'memory_clock',
  'clocks.current.memory': 'memory_clock',
  'clocks.sm': 'sm_clock',
  'clocks.current.sm': 'sm_clock',
  'fan.speed': 'fan_speed',
};
