// One writer of the comparison (bench/parquet-writers.ts): writes makeData() to argv[2], prints ms and peak RSS.
import { fileWriter, ParquetWriter } from 'hyparquet-writer';

import { COLS, makeData, ROWS } from './data.mjs';

const { time, cols } = makeData();
const t = performance.now();
const schema = [
  { name: 'root', num_children: 3 + COLS },
  { name: 'host', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
  {
    name: 'time',
    type: 'INT64',
    logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
    converted_type: 'TIMESTAMP_MILLIS',
    repetition_type: 'REQUIRED',
  },
  { name: 'session', type: 'INT32', repetition_type: 'REQUIRED' },
  ...cols.map((_, c) => ({ name: `c${c}`, type: 'DOUBLE', repetition_type: 'OPTIONAL' })),
];
const writer = new ParquetWriter({ writer: fileWriter(process.argv[2]), schema });
writer.write({
  rowGroupSize: 100000,
  columnData: [
    { name: 'host', data: new Array(ROWS).fill('gaming-pc') },
    { name: 'time', data: time.map((x) => BigInt(x)) },
    { name: 'session', data: new Int32Array(ROWS) },
    ...cols.map((d, c) => ({ name: `c${c}`, data: d })),
  ],
});
writer.finish();
console.log(JSON.stringify({ ms: performance.now() - t, rss: process.resourceUsage().maxRSS }));
