import { createReadStream } from 'node:fs';
import { parse } from 'csv-parse';
import { createLogParser } from '../src/shared/parse';
import { createLocalTimeConverter } from '../src/shared/parse/local-time';
import { parseCell } from '../src/shared/parse/numbers';
import { createStamper, readIsoLikeTimestamp } from '../src/shared/parse/timestamps';

/**
 * One contender of bench/parse.ts, in its own process: prints {"rows","seconds","rssKb"}.
 *
 *   tsx bench/parse-child.ts ours|csv-parse <file> <zone>
 */
const [mode, file, zone] = process.argv.slice(2) as [string, string, string];

async function runOurs(): Promise<number> {
  const parser = createLogParser({ timeZone: zone });
  let rows = 0;
  for await (const chunk of createReadStream(file, { highWaterMark: 256 * 1024 })) {
    for (const event of parser.push(chunk as Buffer)) if (event.type === 'row') rows++;
  }
  for (const event of parser.end()) if (event.type === 'row') rows++;
  return rows;
}

/** csv-parse does the splitting; the rest (header, timestamp in the zone, '-' → null) is what our parser does. */
async function runCsvParse(): Promise<number> {
  const stamp = createStamper(createLocalTimeConverter(zone));
  let width = -1;
  let rows = 0;
  const records = createReadStream(file, { highWaterMark: 256 * 1024 }).pipe(
    parse({ encoding: 'latin1', relax_column_count: true, relax_quotes: true, skip_empty_lines: true }),
  );
  for await (const record of records as AsyncIterable<string[]>) {
    const first = record[0]!;
    if (first.trim() === 'Date') {
      width = record.length;
      continue;
    }
    if (record.length !== width) continue;
    const p = readIsoLikeTimestamp(first, 0);
    const t = p ? stamp(p[0]!, p[1]!, p[2]!, p[3]!, p[4]!, p[5]!, 0) : undefined;
    if (t === undefined) continue;
    const values: (number | null)[] = new Array(record.length - 2);
    for (let i = 1; i < record.length - 1; i++) values[i - 1] = parseCell(record[i]!);
    rows++;
  }
  return rows;
}

const started = performance.now();
const rows = mode === 'ours' ? await runOurs() : await runCsvParse();
const seconds = (performance.now() - started) / 1000;
console.log(JSON.stringify({ rows, seconds, rssKb: process.resourceUsage().maxRSS }));
