import { AppError } from '../errors';
import { detectFormat } from './detect';
import { isGpuzHeaderLine } from './gpuz';
import { parseLog } from './parse-log';

const bytes = (text: string) => new TextEncoder().encode(text);

describe('detectFormat', () => {
  it.each([
    ['        Date        , GPU Clock [MHz] ,\r\n', 'gpuz'],
    ['2024-04-11 14:43:15 ,  99.8 ,\r\n', 'gpuz'],
    ['Date,Time,"Core #0 VID [V]",\n', 'hwinfo'],
    ['13.2.2017,15:22:3.757,1.2,\n', 'hwinfo'],
    ['timestamp, power.draw [W]\n', 'nvidia-smi'],
    ['PK\u0003\u0004 zip', undefined],
  ])('%j → %s', (text, format) => {
    expect(detectFormat(bytes(text))).toBe(format);
  });

  it('refuses other files with advice naming the supported formats', () => {
    const error = (() => {
      try {
        parseLog(bytes('name,age\nbob,3\n'));
      } catch (e) {
        return e;
      }
    })();
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'UNKNOWN_FORMAT', advice: expect.stringContaining('nvidia-smi') });
  });
});

describe('GPU-Z rules', () => {
  it('recognises header lines', () => {
    expect(isGpuzHeaderLine('        Date        , GPU Clock [MHz] ,')).toBe(true);
    expect(isGpuzHeaderLine('Date,Time,"x [V]"')).toBe(false);
    expect(isGpuzHeaderLine('2024-04-11 14:43:15 , 1 ,')).toBe(false);
  });

  it('skips rows before any header with a warning, and rows with the wrong cell count', () => {
    const log = parseLog(
      bytes(
        '2024-01-01 00:00:00 , 1 ,\n2024-01-01 00:00:01 , 1 ,\n  Date  , A [V] , B [] ,\n' +
          '2024-01-01 00:00:02 , 1.5 , - ,\n2024-01-01 00:00:03 , 1 ,\n2024-02-30 00:00:04 , 1 , 2 ,\n2024-01-01 00:00:05 , 2 , 3',
      ),
      { timeZone: 'UTC' },
    );
    expect(log.warnings.map((w) => w.code)).toEqual(['NO_HEADER']);
    expect(log.skipped.map((s) => [s.line, s.reason])).toEqual([
      [1, 'before-header'],
      [2, 'before-header'],
      [5, 'field-count'],
      [6, 'bad-timestamp'],
    ]);
    expect(log.rows.map((r) => [r.line, r.values])).toEqual([
      [4, [1.5, null]],
      [7, [2, 3]],
    ]);
    expect(log.sessions[0]!.columns).toEqual([
      { name: 'A', unit: 'V', key: 'a_v' },
      { name: 'B', unit: '', key: 'b' },
    ]);
  });

  it('converts naive times in the given zone, keeping duplicate seconds', () => {
    const log = parseLog(bytes(' Date , X [] ,\n2024-07-01 12:00:00 , 1 ,\n2024-07-01 12:00:00 , 2 ,\n'), {
      timeZone: 'Europe/Berlin',
    });
    expect(log.rows.map((r) => r.t)).toEqual([Date.UTC(2024, 6, 1, 10), Date.UTC(2024, 6, 1, 10)]);
  });
});

describe('nvidia-smi with several GPUs', () => {
  it('gives each GPU its own series and keeps [N/A] as null', () => {
    const header = 'timestamp, index, name, temperature.gpu, utilization.gpu [%], power.draw [W]\n';
    const log = parseLog(
      bytes(
        `${header}2024/01/01 10:00:00.000, 0, RTX A, 50, 22 %, [N/A]\n` +
          `${header}2024/01/01 10:00:00.010, 1, RTX B, 60, 30 %, 100.5 W\n` +
          '2024/01/01 10:00:01.000, 0, RTX A, 51, [Not Supported], 20 W\n',
      ),
      { timeZone: 'UTC' },
    );
    expect(log.sessions.map((s) => s.columns.map((c) => `${c.key}@${c.gpu}`))).toEqual([
      ['gpu_temperature_c@0', 'gpu_load_pct@0', 'board_power_draw_w@0'],
      [
        'gpu_temperature_c@0',
        'gpu_load_pct@0',
        'board_power_draw_w@0',
        'gpu_temperature_c_gpu1@1',
        'gpu_load_pct_gpu1@1',
        'board_power_draw_w_gpu1@1',
      ],
    ]);
    expect(log.rows.map((r) => [r.session, r.values, r.text])).toEqual([
      [0, [50, 22, null], { index: '0', name: 'RTX A' }],
      [1, [null, null, null, 60, 30, 100.5], { index_gpu1: '1', name_gpu1: 'RTX B' }],
      [1, [51, null, 20, null, null, null], { index: '0', name: 'RTX A' }],
    ]);
    expect(log.rows[1]!.t).toBe(Date.UTC(2024, 0, 1, 10, 0, 0, 10));
  });
});
