/**
 * Test only: a realistic full day document of one host, from a real GPU-Z log — what the cost model's day-document
 * size was measured on (DAY_ROLLUPS_BYTES in src/shared/cost/usage.ts; its test keeps the two within 5 %).
 *
 *   const { day, last } = await sampleDayRollups()
 *   day  → 287 five-minute batch entries (00:00 … 23:50 UTC), ≈ 30 columns, 5 one-minute buckets each
 *   last → the 288th entry (23:55): withBatch(day, last) is the full day, with 1,440 buckets in all
 *
 * Each five-minute batch is a window of 300 rows of nvidia-turing-usbc-gpuz-2023 (29 sensors, 1 Hz) starting on a
 * whole minute, processed by the real processor and outlined by batchOutline, then moved to its slot of the day.
 * The log holds 10 such windows, used in turn: a window repeats 10 entries (≈ 64 KB of JSON) later, beyond gzip's
 * 32 KB window, so the document does not compress better than a day of distinct readings would.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { SAMPLES_DIR } from '../../../test-support/services';
import { createLogParser } from '../../parse';
import { batchOutline, type DayBatchOutline, type DayRollupsDocument, withBatch } from '../day-rollups';
import { processRawObject } from '../process-raw';

export const SAMPLE_DAY_LOG = 'gpuz/nvidia-turing-usbc-gpuz-2023-trunc2mb.txt';
const BATCH_MS = 5 * 60_000;
const ROWS_PER_BATCH = 300;
const DAY = '2023/06/16';
const DAY_START = Date.UTC(2023, 5, 16);

/** The real log cut into 300-row windows that start on a whole minute, each processed as one batch. */
async function sampleBatches(): Promise<DayBatchOutline[]> {
  const [header, ...rows] = readFileSync(`${SAMPLES_DIR}${SAMPLE_DAY_LOG}`, 'latin1').split(/\r?\n/);
  const data = rows.filter((line) => /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d/.test(line));
  const outlines: DayBatchOutline[] = [];
  let i = data.findIndex((line) => line.slice(17, 19) === '00');
  while (i >= 0 && i + ROWS_PER_BATCH <= data.length) {
    const text = [header, ...data.slice(i, i + ROWS_PER_BATCH)].join('\r\n');
    const key = `raw/pc/${DAY}/w${outlines.length}.csv.gz`;
    const outcome = await processRawObject(
      { sourceKey: key, body: once(gzipSync(Buffer.from(text, 'latin1'))), timeZone: 'UTC' },
      { createParser: createLogParser },
    );
    if (outcome.kind !== 'processed') throw new Error(`sample window ${outlines.length} was quarantined`);
    outlines.push(batchOutline(outcome.batch, key, ''));
    i += ROWS_PER_BATCH;
    while (i < data.length && data[i]!.slice(17, 19) !== '00') i += 1;
  }
  return outlines;
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

/** A window's outline moved to start at `start`, under the processed key and ETag of slot `slot`. */
function placed(outline: DayBatchOutline, slot: number, start: number): DayBatchOutline {
  const delta = start - Math.floor(outline.firstT / 60_000) * 60_000;
  const id = `a1b2c3d4-${slot}-${slot * 187_000}`;
  return {
    key: `processed/pc/${DAY}/${id}.json.gz`,
    etag: `"${createHash('md5').update(id).digest('hex')}"`,
    sessions: outline.sessions.map((s) => ({ ...s, t0: s.t0 === null ? null : s.t0 + delta })),
    firstT: outline.firstT + delta,
    lastT: outline.lastT + delta,
    rollups: { ...outline.rollups, t: outline.rollups.t.map((t) => t + delta) },
  };
}

export async function sampleDayRollups(): Promise<{ day: DayRollupsDocument; last: DayBatchOutline }> {
  const windows = await sampleBatches();
  const slots = 86_400_000 / BATCH_MS;
  const entries = Array.from({ length: slots }, (_, slot) =>
    placed(windows[slot % windows.length]!, slot, DAY_START + slot * BATCH_MS),
  );
  let day: DayRollupsDocument | null = null;
  for (const entry of entries.slice(0, -1)) day = withBatch(day, entry);
  return { day: day!, last: entries.at(-1)! };
}
