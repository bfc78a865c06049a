// One writer of the comparison (bench/parquet-writers.ts): writes makeData() to argv[2], prints ms and peak RSS.
import { writeFileSync } from 'node:fs';
import * as arrow from 'apache-arrow';
import * as pw from 'parquet-wasm/node';
import { COLS, makeData, ROWS } from './data.mjs';

const { time, cols } = makeData();
const t = performance.now();
const vectors = {
  host: arrow.vectorFromArray(new Array(ROWS).fill('gaming-pc'), new arrow.Utf8()),
  time: arrow.vectorFromArray(time, new arrow.TimestampMillisecond('UTC')),
  session: arrow.vectorFromArray(new Array(ROWS).fill(0), new arrow.Int32()),
};
for (let c = 0; c < COLS; c++) vectors[`c${c}`] = arrow.vectorFromArray(cols[c], new arrow.Float64());
const table = new arrow.Table(vectors);
const wasmTable = pw.Table.fromIPCStream(arrow.tableToIPC(table, 'stream'));
const props = new pw.WriterPropertiesBuilder()
  .setCompression(pw.Compression.SNAPPY)
  .setMaxRowGroupSize(100000)
  .build();
writeFileSync(process.argv[2], pw.writeParquet(wasmTable, props));
console.log(JSON.stringify({ ms: performance.now() - t, rss: process.resourceUsage().maxRSS }));
