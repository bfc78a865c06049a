import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLES_DIR } from '../../test-support/services';
import { parseLog } from './parse-log';

/**
 * Expected figures were computed once, independently of this parser, by a throw-away Python script
 * (latin-1/UTF-16 decode, NUL runs → line breaks, count lines whose first cell is `Date`/`timestamp` and
 * lines starting with a timestamp), and agree with ../shared/samples/MANIFEST.md.
 */
const EXPECTED = [
  [
    'gpuz/amd-radeon-hbm2-gpuz-2020-12-sessions.txt',
    'gpuz',
    'windows-1252',
    12,
    1673,
    0,
    '2020-03-16 17:13:05',
    '2020-03-18 18:55:58',
  ],
  [
    'gpuz/igpu-gpuz-2024-lf-midfile-header-dashes.txt',
    'gpuz',
    'windows-1252',
    2,
    1006,
    0,
    '2024-03-26 14:11:45',
    '2024-03-28 23:17:21',
  ],
  [
    'gpuz/igpu-gpuz-2024-nul-gap-after-header.txt',
    'gpuz',
    'windows-1252',
    1,
    47,
    0,
    '2024-04-11 14:43:15',
    '2024-04-11 14:44:01',
  ],
  [
    'gpuz/intel-igpu-gpuz-2017-old-names-tiny-lf.txt',
    'gpuz',
    'windows-1252',
    1,
    3,
    0,
    '2017-06-17 15:37:57',
    '2017-06-17 15:37:59',
  ],
  [
    'gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt',
    'gpuz',
    'windows-1252',
    1,
    1182,
    0,
    '2026-08-06 18:54:53',
    '2026-08-06 19:14:36',
  ],
  [
    'gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt',
    'gpuz',
    'windows-1252',
    1,
    356,
    0,
    '2024-04-20 13:02:09',
    '2024-04-20 13:08:04',
  ],
  [
    'gpuz/nvidia-gpuz-2016-old-names-lf-3-sessions.txt',
    'gpuz',
    'windows-1252',
    3,
    4271,
    0,
    '2016-01-09 15:10:13',
    '2016-01-12 13:12:30',
  ],
  [
    'gpuz/nvidia-gpuz-2018-utf16be-bom-lf.txt',
    'gpuz',
    'utf-16be',
    1,
    1868,
    0,
    '2018-07-02 15:23:03',
    '2018-07-02 16:20:37',
  ],
  [
    'gpuz/nvidia-gpuz-2021-utf8-fffd-multisession-trunc2mb.txt',
    'gpuz',
    'utf-8',
    2,
    4015,
    0,
    '2021-01-31 18:55:13',
    '2021-01-31 20:05:29',
  ],
  [
    'gpuz/nvidia-turing-usbc-gpuz-2023-trunc2mb.txt',
    'gpuz',
    'windows-1252',
    1,
    3083,
    0,
    '2023-06-16 10:17:08',
    '2023-06-16 11:08:30',
  ],
  [
    'hwinfo/hwinfo-ansi-2017-trailing-header-unpadded-seconds.CSV',
    'hwinfo',
    'windows-1252',
    1,
    265,
    1,
    '2017-02-13 15:12:52',
    '2017-02-13 15:22:03',
  ],
  [
    'hwinfo/hwinfo-ansi-nvidia-furmark-2017.CSV',
    'hwinfo',
    'windows-1252',
    1,
    483,
    0,
    '2017-02-17 15:30:20',
    '2017-02-17 15:34:58',
  ],
  [
    'hwinfo/hwinfo-intel-igpu-laptop-2022-yesno.CSV',
    'hwinfo',
    'windows-1252',
    1,
    1748,
    0,
    '2022-09-06 16:14:58',
    '2022-09-06 17:14:40',
  ],
  [
    'hwinfo/hwinfo-zh-cn-utf8bom-rtx40-2025.CSV',
    'hwinfo',
    'utf-8-bom',
    1,
    62,
    0,
    '2025-03-22 21:36:49',
    '2025-03-22 21:38:57',
  ],
  [
    'nvidia-smi/nvidia-smi-gtx1650-pstate-units-2024.csv',
    'nvidia-smi',
    'utf-8',
    1,
    80,
    0,
    '2024-10-13 03:33:31',
    '2024-10-13 03:33:32',
  ],
  [
    'nvidia-smi/nvidia-smi-power-draw-only-2024.csv',
    'nvidia-smi',
    'utf-8',
    1,
    73,
    0,
    '2024-10-30 18:42:33',
    '2024-10-30 18:42:36',
  ],
  [
    'nvidia-smi/nvidia-smi-rtx2070-repeated-header-2023.csv',
    'nvidia-smi',
    'utf-8',
    1,
    224,
    0,
    '2023-06-22 18:56:56',
    '2023-06-22 19:00:45',
  ],
] as const;

function readSample(file: string): Buffer {
  return readFileSync(join(SAMPLES_DIR, file));
}

describe('every real sample', () => {
  it.each(EXPECTED)('%s', (file, format, encoding, sessions, rows, skipped, first, last) => {
    const log = parseLog(readSample(file), { timeZone: 'UTC' });
    expect(log.format).toBe(format);
    expect(log.encoding).toBe(encoding);
    expect(log.sessions).toHaveLength(sessions);
    expect(log.rows).toHaveLength(rows);
    expect(log.skipped).toHaveLength(skipped);
    expect(log.rows[0]!.local).toBe(first);
    expect(log.rows.at(-1)!.local).toBe(last);
    expect(log.rows[0]!.t).toBe(
      Date.parse(`${first.replace(' ', 'T')}Z`) + (format === 'gpuz' ? 0 : log.rows[0]!.t % 1000),
    );
    for (const row of log.rows) expect(row.values).toHaveLength(log.sessions[row.session]!.columns.length);
  });
});

describe('GPU-Z quirks in the samples', () => {
  it('splits the header glued to a data row behind the NUL run into the session and that row', () => {
    const log = parseLog(readSample('gpuz/igpu-gpuz-2024-nul-gap-after-header.txt'), { timeZone: 'UTC' });
    expect(log.sessions[0]).toMatchObject({ line: 1, columns: { length: 9 } });
    expect(log.rows[0]).toMatchObject({ line: 1, local: '2024-04-11 14:43:15' });
    expect(log.rows[0]!.values).toEqual([99.8, 2593.7, 47, 2, 698, 0, null, 47, expect.any(Number)]);
    expect(log.rows[1]!.line).toBe(2);
  });

  it('decodes the UTF-16 BE sample and maps its mid-era names', () => {
    const log = parseLog(readSample('gpuz/nvidia-gpuz-2018-utf16be-bom-lf.txt'), { timeZone: 'UTC' });
    expect(log.sessions[0]!.columns.map((c) => c.key)).toEqual([
      'gpu_clock_mhz',
      'memory_clock_mhz',
      'gpu_temperature_c',
      'fan_speed_pct',
      'fan_speed_rpm',
      'memory_used_mb',
      'gpu_load_pct',
      'memory_controller_load_pct',
      'video_engine_load_pct',
      'bus_interface_load_pct',
      'power_consumption_pct_tdp',
      'perfcap_reason',
      'gpu_voltage_v',
    ]);
    expect(log.rows[0]!.values).toEqual([139, 202.5, 30, 24, 936, 299, 22, 6, 0, 13, 6.9, 16, 0.625]);
  });

  it('reads [C] and [\\uFFFDC] as °C so both sessions of the re-saved file share their keys', () => {
    const log = parseLog(readSample('gpuz/nvidia-gpuz-2021-utf8-fffd-multisession-trunc2mb.txt'), {
      timeZone: 'UTC',
    });
    const [first, second] = log.sessions;
    expect(second!.line).toBe(119);
    expect(first!.columns[2]).toEqual({ name: 'GPU Temperature', unit: '°C', key: 'gpu_temperature_c' });
    expect(second!.columns).toEqual(first!.columns);
  });

  it('keeps the duplicate UVD Clock columns apart with stable keys in every session', () => {
    const log = parseLog(readSample('gpuz/amd-radeon-hbm2-gpuz-2020-12-sessions.txt'), { timeZone: 'UTC' });
    for (const session of log.sessions) {
      expect(session.columns.slice(0, 6).map((c) => c.key)).toEqual([
        'gpu_clock_mhz',
        'memory_clock_mhz',
        'uvd_clock_mhz',
        'uvd_clock_mhz_2',
        'gpu_temperature_c',
        'hot_spot_c',
      ]);
    }
    expect(log.sessions.map((s) => s.line)).toEqual([
      1, 443, 486, 577, 715, 901, 1210, 1367, 1380, 1568, 1570, 1628,
    ]);
    expect(log.rows[0]!.values.slice(2, 4)).toEqual([105, 102]);
  });

  it('reads - as null, not zero (line 7 of the Turing log)', () => {
    const log = parseLog(readSample('gpuz/nvidia-turing-usbc-gpuz-2023-trunc2mb.txt'), { timeZone: 'UTC' });
    const row = log.rows.find((r) => r.line === 7)!;
    expect(row.local).toBe('2023-06-16 10:17:13');
    expect(row.values.slice(0, 14)).toEqual(new Array(14).fill(null));
    expect(row.values.slice(14).every((v) => typeof v === 'number')).toBe(true);
  });

  it('maps the 2016 names onto the same keys as today', () => {
    const log = parseLog(readSample('gpuz/nvidia-gpuz-2016-old-names-lf-3-sessions.txt'), {
      timeZone: 'UTC',
    });
    expect(log.sessions.map((s) => s.line)).toEqual([1, 3876, 3961]);
    expect(log.sessions[0]!.columns.map((c) => c.key)).toEqual([
      'gpu_clock_mhz',
      'memory_clock_mhz',
      'gpu_temperature_c',
      'gpu_load_pct',
      'memory_controller_load_pct',
      'video_engine_load_pct',
      'bus_interface_load_pct',
      'memory_used_mb',
      'memory_used_dynamic_mb',
      'perfcap_reason',
      'gpu_voltage_v',
    ]);
  });
});

describe('HWiNFO and nvidia-smi samples', () => {
  it.each([
    ['hwinfo-ansi-2017-trailing-header-unpadded-seconds.CSV', 'GPU Memory Clock'],
    ['hwinfo-ansi-nvidia-furmark-2017.CSV', 'GPU Memory Clock'],
    ['hwinfo-intel-igpu-laptop-2022-yesno.CSV', undefined],
  ])(
    '%s: memory_clock_mhz is the GPU’s memory clock, HWiNFO’s “Memory Clock” (the system RAM’s) is dram_clock_mhz',
    (file, gpuMemory) => {
      // Until 2026-12-06 the DRAM clock took memory_clock_mhz (the Overview's "Memory clock") and the GPU's was _2.
      const columns = parseLog(readSample(`hwinfo/${file}`), { timeZone: 'UTC' }).sessions[0]!.columns;
      const named = (key: string) => columns.find((c) => c.key === key)?.name;
      expect(named('memory_clock_mhz')).toBe(gpuMemory);
      expect(named('memory_clock_mhz_2')).toBeUndefined();
      expect(named('dram_clock_mhz')).toBe('Memory Clock');
    },
  );

  it('skips the HWiNFO footer and reads unpadded seconds with milliseconds', () => {
    const log = parseLog(readSample('hwinfo/hwinfo-ansi-2017-trailing-header-unpadded-seconds.CSV'), {
      timeZone: 'UTC',
    });
    expect(log.skipped).toEqual([expect.objectContaining({ line: 267, reason: 'footer' })]);
    expect(log.rows.at(-1)!.t).toBe(Date.UTC(2017, 1, 13, 15, 22, 3, 757));
  });

  it('reads the Yes/No cells HWiNFO wrote in GBK under the UTF-8 header (否/是) as 0/1', () => {
    // Until 2026-12-06 all 868 were U+FFFD pairs read as no value ("1736 invalid UTF-8 sequence(s) were replaced").
    const log = parseLog(readSample('hwinfo/hwinfo-zh-cn-utf8bom-rtx40-2025.CSV'), { timeZone: 'UTC' });
    expect(log.warnings).toEqual([]);
    const columns = log.sessions[0]!.columns;
    expect(columns.some((c) => c.unit === '°C' && c.name === 'GPU 温度')).toBe(true);
    const yesNo = columns.flatMap((c, i) => (c.unit === 'Yes/No' ? [i] : []));
    const cells = log.rows.flatMap((r) => yesNo.map((i) => r.values[i]));
    expect(yesNo).toHaveLength(14);
    expect([cells.filter((v) => v === 0).length, cells.filter((v) => v === 1).length]).toEqual([744, 124]);
  });

  it('reads Yes/No as 1/0', () => {
    const log = parseLog(readSample('hwinfo/hwinfo-intel-igpu-laptop-2022-yesno.CSV'), { timeZone: 'UTC' });
    const values = log.rows.flatMap((r) => r.values);
    expect(values.filter((v) => v === 1).length).toBeGreaterThan(0);
    expect(log.rows[0]!.t).toBe(Date.UTC(2022, 8, 6, 16, 14, 58, 738));
  });

  it('strips units from nvidia-smi values and keeps the words as text', () => {
    const log = parseLog(readSample('nvidia-smi/nvidia-smi-gtx1650-pstate-units-2024.csv'), {
      timeZone: 'UTC',
    });
    expect(log.sessions[0]!.columns.map((c) => c.key)).toEqual([
      'memory_total_mb',
      'memory_used_mb',
      'memory_free_mb',
      'gpu_temperature_c',
      'memory_controller_load_pct',
      'gpu_load_pct',
      'board_power_draw_w',
    ]);
    expect(log.rows[0]!.values).toEqual([4096, 473, 3427, 50, 7, 25, 19.46]);
    expect(log.rows[0]!.text).toEqual({
      name: 'NVIDIA GeForce GTX 1650',
      uuid: 'GPU-eced1bd8-b3e7-abfc-0555-6f654cee60a5',
      pstate: 'P0',
      power_management: 'Enabled',
    });
  });
});
