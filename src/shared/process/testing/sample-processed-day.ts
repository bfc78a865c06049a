/**
 * Test and bench only: one host's full day of processed objects at 1 Hz, from a real GPU-Z log — what the day seal
 * reads (bench/day-rollups.ts; DAY_SEAL_CPU_SECONDS in lambda-budget.ts).
 *
 *   await sampleProcessedDay(24)  → 24 × { key: 'processed/pc/2023/06/16/h0-….json.gz', bytes } of 3,600 rows each
 *   await sampleProcessedDay(288) → 288 five-minute objects of 300 rows each
 *
 * The 3,083 rows of nvidia-turing-usbc-gpuz-2023 (29 sensors) are replayed in turn, each re-stamped to the next
 * second of 2023-06-16 (UTC), cut into `batches` equal batches and run through the real processor and encoder.
 */
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { SAMPLES_DIR } from '../../../test-support/services';
import { createLogParser } from '../../parse';
import { encodeProcessed } from '../encode-processed';
import { processRawObject } from '../process-raw';

const SAMPLE_LOG = 'gpuz/nvidia-turing-usbc-gpuz-2023-trunc2mb.txt';
const DAY = '2023/06/16';
const DAY_START = Date.UTC(2023, 5, 16);
const STAMP = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/;

export interface StoredObject {
  key: string;
  bytes: Uint8Array;
}

export async function sampleProcessedDay(batches: number): Promise<StoredObject[]> {
  const [header, ...lines] = readFileSync(`${SAMPLES_DIR}${SAMPLE_LOG}`, 'latin1').split(/\r?\n/);
  const data = lines.filter((line) => STAMP.test(line));
  const rowsPerBatch = 86_400 / batches;
  const objects: StoredObject[] = [];
  for (let b = 0; b < batches; b++) {
    const rows = Array.from({ length: rowsPerBatch }, (_, i) => {
      const second = b * rowsPerBatch + i;
      const stamp = new Date(DAY_START + second * 1000).toISOString().slice(0, 19).replace('T', ' ');
      return stamp + data[second % data.length]!.slice(19);
    });
    const id = `b${b}-0-${rowsPerBatch}`;
    const outcome = await processRawObject(
      {
        sourceKey: `raw/pc/${DAY}/${id}.csv.gz`,
        body: once(gzipSync(Buffer.from([header, ...rows].join('\r\n'), 'latin1'))),
        timeZone: 'UTC',
      },
      { createParser: createLogParser },
    );
    if (outcome.kind !== 'processed') throw new Error(`sample batch ${b} was quarantined`);
    objects.push({ key: `processed/pc/${DAY}/${id}.json.gz`, bytes: await encodeProcessed(outcome.batch) });
  }
  return objects;
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}
