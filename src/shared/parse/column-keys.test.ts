import { assignKeys, canonicalKey, HEADLINE_KEYS } from './column-keys';
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
