import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLES_DIR } from '../../test-support/services';
import {
  assignKeys,
  canonicalKey,
  canonicalOf,
  HEADLINE_KEYS,
  sameSensorKeys,
  shownKey,
} from './column-keys';
import { parseLog } from './parse-log';
import { normaliseUnit } from './units';

describe('canonicalKey', () => {
  it.each([
    ['GPU Core Clock', 'MHz', 'gpu_clock_mhz'],
    ['GPU Clock', 'MHz', 'gpu_clock_mhz'],
    ['GPU Memory Clock', 'MHz', 'memory_clock_mhz'],
    ['VDDC', 'V', 'gpu_voltage_v'],
    ['GPU Voltage', 'V', 'gpu_voltage_v'],
    ['Fan Speed (%)', '%', 'fan_speed_pct'],
    ['Fan Speed', '%', 'fan_speed_pct'],
    ['Fan 1 Speed (%)', '%', 'fan_speed_pct'],
    ['Fan 2 Speed (%)', '%', 'fan2_speed_pct'],
    ['Fan 1 Speed (RPM)', 'RPM', 'fan_speed_rpm'],
    ['Hot Spot', '°C', 'hot_spot_c'],
    ['GPU Temperature (Hot Spot)', '°C', 'hot_spot_c'],
    ['Memory Usage (Dedicated)', 'MB', 'memory_used_mb'],
    ['Memory Used (Dedicated)', 'MB', 'memory_used_mb'],
    ['Memory Used', 'MB', 'memory_used_mb'],
    ['Memory Usage', 'MB', 'memory_used_mb'],
    ['GPU Power', 'W', 'board_power_draw_w'],
    ['Board Power Draw', 'W', 'board_power_draw_w'],
    ['Power Consumption (%)', '% TDP', 'power_consumption_pct_tdp'],
    ['Power Consumption', '% TDP', 'power_consumption_pct_tdp'],
    ['PerfCap Reason', '', 'perfcap_reason'],
    ['8-Pin #1 Power', 'W', '8_pin_1_power_w'],
    ['utilization.gpu', '%', 'gpu_load_pct'],
    ['memory.used', 'MB', 'memory_used_mb'],
  ])('%s [%s] → %s', (name, unit, key) => {
    expect(canonicalKey(name, unit)).toBe(key);
  });

  it('numbers repeated keys in order', () => {
    const clock = { name: 'UVD Clock', unit: 'MHz' };
    expect(assignKeys([clock, clock, clock])).toEqual([
      'uvd_clock_mhz',
      'uvd_clock_mhz_2',
      'uvd_clock_mhz_3',
    ]);
  });

  it('lists the nine headline keys', () => {
    expect(HEADLINE_KEYS).toHaveLength(9);
  });
});

describe('normaliseUnit', () => {
  it.each([
    ['°C', '°C'],
    ['C', '°C'],
    ['\uFFFDC', '°C'],
    ['Â°C', '°C'],
    ['\u2103', '°C'],
    ['MiB', 'MB'],
    ['% TDP', '% TDP'],
    ['', ''],
  ])('%s → %s', (raw, unit) => {
    expect(normaliseUnit(raw)).toBe(unit);
  });
});

describe('shownKey: the sensor a view shows for a headline key', () => {
  const ZH_CN = join(SAMPLES_DIR, 'hwinfo', 'hwinfo-zh-cn-utf8bom-rtx40-2025.CSV');

  it('finds every headline sensor of the real zh-CN HWiNFO log under its Chinese key (none was found before)', () => {
    const log = parseLog(readFileSync(ZH_CN), { timeZone: 'UTC' });
    const keys = new Set(log.sessions[0]!.columns.map((c) => c.key));
    const has = (key: string) => keys.has(key);
    expect(HEADLINE_KEYS.map((key) => shownKey(key, has))).toEqual([
      'gpu_温度_c',
      'gpu_热点温度_c',
      'gpu_频率_mhz',
      '显存频率_mhz',
      'gpu_核心使用率_pct',
      'gpu_功率_w',
      'gpu_风扇1_pct',
      'gpu_风扇1_rpm',
      '分配显存_mb',
    ]);
    expect(HEADLINE_KEYS.filter(has)).toEqual([]);
  });

  it('finds the GPU load sensors of the real English HWiNFO logs under their GPU-prefixed keys (the Memory preset lacked its controller load)', () => {
    const keysOf = (file: string) =>
      new Set(
        parseLog(readFileSync(join(SAMPLES_DIR, 'hwinfo', file)), {
          timeZone: 'UTC',
        }).sessions[0]!.columns.map((c) => c.key),
      );
    const loads = ['memory_controller_load_pct', 'video_engine_load_pct', 'bus_interface_load_pct'];
    for (const file of [
      'hwinfo-ansi-nvidia-furmark-2017.CSV',
      'hwinfo-ansi-2017-trailing-header-unpadded-seconds.CSV',
    ]) {
      const keys = keysOf(file);
      expect(loads.map((key) => shownKey(key, (k) => keys.has(k)))).toEqual([
        'gpu_memory_controller_load_pct',
        'gpu_video_engine_load_pct',
        'gpu_bus_load_pct',
      ]);
    }
    const zh = keysOf('hwinfo-zh-cn-utf8bom-rtx40-2025.CSV');
    expect(
      [...loads, 'fan2_speed_pct', 'fan2_speed_rpm'].map((key) => shownKey(key, (k) => zh.has(k))),
    ).toEqual([
      '显存控制器使用率_pct',
      'gpu_视频引擎使用率_pct',
      'gpu_总线使用率_pct',
      'gpu_风扇2_pct',
      'gpu_风扇2_rpm',
    ]);
  });

  it('keeps a key the log has, takes board power before the chip’s, and a key nothing stands for as it is', () => {
    const has =
      (...keys: string[]) =>
      (key: string) =>
        keys.includes(key);
    expect(shownKey('gpu_temperature_c', has('gpu_temperature_c', 'gpu_温度_c'))).toBe('gpu_temperature_c');
    expect(shownKey('board_power_draw_w', has('gpu_功率_w', 'gpu_chip_power_draw_w'))).toBe('gpu_功率_w');
    expect(shownKey('board_power_draw_w', has('gpu_chip_power_draw_w'))).toBe('gpu_chip_power_draw_w');
    expect(shownKey('vddci_v', has())).toBe('vddci_v');
    expect(sameSensorKeys('gpu_temperature_c')).toEqual(['gpu_temperature_c', 'gpu_温度_c']);
    expect(sameSensorKeys('vddci_v')).toEqual(['vddci_v']);
  });

  it('canonicalOf leads every headline sensor of the real zh-CN HWiNFO log back to its canonical key', () => {
    const log = parseLog(readFileSync(ZH_CN), { timeZone: 'UTC' });
    const keys = new Set(log.sessions[0]!.columns.map((c) => c.key));
    const shown = HEADLINE_KEYS.map((key) => shownKey(key, (k) => keys.has(k)));
    expect(shown.map(canonicalOf)).toEqual([...HEADLINE_KEYS]);
    expect(canonicalOf('gpu_memory_controller_load_pct')).toBe('memory_controller_load_pct');
    expect(canonicalOf('cpu_package_c')).toBe('cpu_package_c');
  });
});
