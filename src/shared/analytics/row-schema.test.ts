import { addDays, partitionFile, processedKeyParts, rowColumnsFor, utcDate } from './row-schema';

describe('rowColumnsFor', () => {
  it('puts the fixed columns first, then sensors sorted by key, readings DOUBLE and text STRING', () => {
    const columns = rowColumnsFor([
      { key: 'gpu_temperature_c', name: 'GPU Temperature', unit: '°C', type: 'number' },
      { key: 'pstate', name: 'pstate', unit: '', type: 'text' },
      { key: 'board_power_draw_w', name: 'Board Power Draw', unit: 'W', type: 'number' },
    ]);
    expect(columns.map((c) => `${c.name}:${c.type}`)).toEqual([
      'time:timestamp',
      'session:int32',
      'batch_id:string',
      'time_zone:string',
      'board_power_draw_w:double',
      'gpu_temperature_c:double',
      'pstate:string',
    ]);
  });

  it('renames a sensor that collides with a fixed or partition column, and text sharing a numeric key', () => {
    const columns = rowColumnsFor([
      { key: 'date', name: 'Date', unit: '', type: 'number' },
      { key: 'fan', name: 'fan', unit: '', type: 'number' },
      { key: 'fan', name: 'fan', unit: '', type: 'text' },
    ]);
    expect(columns.slice(4).map((c) => c.name)).toEqual(['date_value', 'fan', 'fan_text']);
  });
});

describe('layout helpers', () => {
  it('names partition files and reads processed keys', () => {
    expect(partitionFile('pc', '2026-08-06', 'parquet')).toBe(
      'host=pc/date=2026-08-06/pc-2026-08-06.parquet',
    );
    expect(() => partitionFile('../x', '2026-08-06', 'parquet')).toThrow();
    expect(processedKeyParts('processed/pc/2026/08/06/b-0-1.json.gz')).toEqual({
      host: 'pc',
      date: '2026-08-06',
    });
    expect(processedKeyParts('processed/pc/notes.txt')).toBeNull();
    expect(utcDate(Date.UTC(2026, 7, 6, 23, 59, 59, 999))).toBe('2026-08-06');
    expect(addDays('2026-03-01', -1)).toBe('2026-02-28');
  });
});
