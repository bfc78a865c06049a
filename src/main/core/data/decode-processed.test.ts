import { gzipSync } from 'node:zlib';
import { PROCESSED_SCHEMA, type ProcessedDocument } from '../../../shared/process/types';
import { decodeProcessed } from './decode-processed';

const doc: ProcessedDocument = {
  schema: PROCESSED_SCHEMA,
  host: 'pc',
  batchId: 'f-0-100',
  sourceKey: 'raw/pc/2024/04/20/f-0-100.csv.gz',
  sourceBytes: 100,
  timeZone: 'UTC',
  format: 'gpuz',
  encoding: 'windows-1252',
  sessions: [
    {
      columns: [{ key: 'gpu_clock_mhz', name: 'GPU Clock', unit: 'MHz' }],
      t: [1000, 2000],
      values: { gpu_clock_mhz: [2490, 2520] },
    },
    {
      columns: [
        { key: 'gpu_clock_mhz', name: 'GPU Clock', unit: 'MHz' },
        { key: 'hot_spot_c', name: 'Hot Spot', unit: '°C' },
      ],
      t: [90_000],
      values: { gpu_clock_mhz: [null], hot_spot_c: [62.5] },
    },
  ],
  rollups: {
    intervalMs: 60_000,
    t: [0, 60_000],
    columns: {
      gpu_clock_mhz: { min: [2490, null], max: [2520, null], avg: [2505, null], count: [2, 0] },
      hot_spot_c: { min: [null, 62.5], max: [null, 62.5], avg: [null, 62.5], count: [0, 1] },
    },
  },
  summary: {
    rows: 3,
    sessions: 2,
    skippedLines: 0,
    skipReasons: {},
    firstT: 1000,
    lastT: 90_000,
    firstLocal: '1970-01-01 00:00:01',
    lastLocal: '1970-01-01 00:01:30',
    columns: {},
    warnings: [],
    warningsDropped: 0,
  },
};

describe('decodeProcessed', () => {
  it('concatenates sessions, filling keys a session lacks with nulls, and keeps the rollups', () => {
    const batch = decodeProcessed(gzipSync(JSON.stringify(doc)), 'processed/pc/2024/04/20/f-0-100.json.gz');
    expect(batch.sensors.map((s) => s.key)).toEqual(['gpu_clock_mhz', 'hot_spot_c']);
    expect(batch.rows).toEqual({
      t: [1000, 2000, 90_000],
      values: { gpu_clock_mhz: [2490, 2520, null], hot_spot_c: [null, null, 62.5] },
    });
    expect(batch.rollups.max.gpu_clock_mhz).toEqual([2520, null]);
    expect(batch.rollups.count.hot_spot_c).toEqual([0, 1]);
  });

  it('decodes a session of 500,000 rows (more than one call can take as arguments)', () => {
    const n = 500_000;
    const t = Array.from({ length: n }, (_, i) => i * 1000);
    const big: ProcessedDocument = {
      ...doc,
      sessions: [{ columns: doc.sessions[0]!.columns, t, values: { gpu_clock_mhz: t.map(() => 2500) } }],
    };
    const batch = decodeProcessed(new TextEncoder().encode(JSON.stringify(big)), 'k');
    expect(batch.rows.t).toHaveLength(n);
    expect(batch.rows.t.at(-1)).toBe((n - 1) * 1000);
  });

  it('refuses another schema with advice', () => {
    const other = new TextEncoder().encode(JSON.stringify({ ...doc, schema: 'gpuz-cloud/processed/v9' }));
    expect(() => decodeProcessed(other, 'k')).toThrow(expect.objectContaining({ code: 'PROCESSED_SCHEMA' }));
  });
});

describe('session starts (processed format revision 2)', () => {
  it('a document before revision 2 (no header marks): only a second session is known to start at a header', () => {
    expect(decodeProcessed(gzipSync(JSON.stringify(doc)), 'k').sessionStarts).toEqual([90_000]);
  });

  it('a first session marked header: true starts a logging session too', () => {
    const [first, second] = doc.sessions;
    const marked = {
      ...doc,
      sessions: [
        { ...first!, header: true as const },
        { ...second!, header: true as const },
      ],
    };
    expect(decodeProcessed(gzipSync(JSON.stringify(marked)), 'k').sessionStarts).toEqual([1000, 90_000]);
  });
});
