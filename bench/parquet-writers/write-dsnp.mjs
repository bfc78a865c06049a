// One writer of the comparison (bench/parquet-writers.ts): writes makeData() to argv[2], prints ms and peak RSS.
import parquet from '@dsnp/parquetjs';
import { COLS, makeData, ROWS } from './data.mjs';

const { time, cols } = makeData();
const t = performance.now();
const fields = {
  host: { type: 'UTF8', compression: 'SNAPPY' },
  time: { type: 'TIMESTAMP_MILLIS', compression: 'SNAPPY' },
  session: { type: 'INT32', compression: 'SNAPPY' },
};
for (let c = 0; c < COLS; c++) fields[`c${c}`] = { type: 'DOUBLE', optional: true, compression: 'SNAPPY' };
const schema = new parquet.ParquetSchema(fields);
const writer = await parquet.ParquetWriter.openFile(schema, process.argv[2], { rowGroupSize: 100000 });
for (let i = 0; i < ROWS; i++) {
  const row = { host: 'gaming-pc', time: new Date(time[i]), session: 0 };
  for (let c = 0; c < COLS; c++) if (cols[c][i] !== null) row[`c${c}`] = cols[c][i];
  await writer.appendRow(row);
}
await writer.close();
console.log(JSON.stringify({ ms: performance.now() - t, rss: process.resourceUsage().maxRSS }));
