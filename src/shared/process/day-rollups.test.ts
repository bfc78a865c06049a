import {
  dayRollupsKeyFor,
  decodeDayRollups,
  encodeDayRollups,
  previousDay,
  sameEtag,
  withBatch,
} from './day-rollups';

const entry = (key: string, etag: string) => ({
  key,
  etag,
  sessions: [
    { header: true as const, columns: [{ key: 'gpu_clock_mhz', name: 'GPU Clock', unit: 'MHz' }], t0: 1 },
  ],
  firstT: 1,
  lastT: 2,
  rollups: {
    intervalMs: 60_000,
    t: [0],
    columns: { gpu_clock_mhz: { min: [1], max: [2], avg: [1.5], count: [2] } },
  },
});

describe('day documents', () => {
  it('one per host and date folder of the processed key; none for keys outside that layout', () => {
    expect(dayRollupsKeyFor('processed/gaming-pc/2024/04/20/ab12-0-4096.json.gz')).toBe(
      'rollups/gaming-pc/2024/04/20.json.gz',
    );
    expect(dayRollupsKeyFor('processed/latest.json.gz')).toBeNull();
    expect(dayRollupsKeyFor('raw/gaming-pc/2024/04/20/ab12-0-4096.csv.gz')).toBeNull();
  });

  it('the day before a processed key, across month and leap-year ends', () => {
    expect(previousDay('processed/pc/2024/03/01/b.json.gz')).toEqual({
      host: 'pc',
      day: '2024/02/29',
      key: 'rollups/pc/2024/02/29.json.gz',
      prefix: 'processed/pc/2024/02/29/',
    });
    expect(previousDay('processed/pc/2025/01/01/b.json.gz')?.day).toBe('2024/12/31');
    expect(previousDay('processed/latest.json.gz')).toBeNull();
  });

  it('keeps one entry per key, sorted, the newest replacing an older one; round-trips through gzip', () => {
    let doc = withBatch(null, entry('processed/pc/2024/04/20/b.json.gz', '"1"'));
    doc = withBatch(doc, entry('processed/pc/2024/04/20/a.json.gz', '"2"'));
    doc = withBatch(doc, entry('processed/pc/2024/04/20/b.json.gz', '"3"'));
    expect(doc).toMatchObject({ host: 'pc', day: '2024/04/20' });
    expect(doc.batches.map((b) => [b.key, b.etag])).toEqual([
      ['processed/pc/2024/04/20/a.json.gz', '"2"'],
      ['processed/pc/2024/04/20/b.json.gz', '"3"'],
    ]);
    expect(decodeDayRollups(encodeDayRollups(doc))).toEqual(doc);
    expect(() => withBatch(doc, entry('processed/latest.json.gz', '"4"'))).toThrow(/not a dated/);
  });

  it('refuses what is not a day document; ETags compare without quotes', () => {
    expect(() => decodeDayRollups(Buffer.from('{"schema":"gpuz-cloud/processed/v1"}'))).toThrow(
      /day-rollups/,
    );
    expect(() => decodeDayRollups(Buffer.from('garbage'))).toThrow();
    expect(sameEtag('"abc"', 'abc')).toBe(true);
    expect(sameEtag('"abc"', '"abd"')).toBe(false);
  });
});
