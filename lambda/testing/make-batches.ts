import { gzipSync } from 'node:zlib';
import { rawKey } from '../../src/shared/keys';

/**
 * Test-only: cuts a real log into raw batches the way the agent's spool does — a batch is a byte range of
 * whole lines plus the header line it needs, id `${fileId}-${start}-${end}` — and gzips each.
 *
 *   makeBatches(bytes, { host: 'test-pc', fileId: 'f1', parts: 3 })
 *     → [{ key: 'raw/test-pc/2026/08/06/f1-0-220499.csv.gz', body: <gzip>, start: 0, end: 220499 }, …]
 * GPU-Z logs only (a header line starts with `Date` in its first field).
 */
export interface RawBatch {
  key: string;
  body: Uint8Array;
  start: number;
  end: number;
}

export function makeBatches(
  log: Buffer,
  options: { host: string; fileId: string; parts: number },
): RawBatch[] {
  const lineStarts = [0];
  for (let i = log.indexOf(0x0a); i !== -1 && i + 1 < log.length; i = log.indexOf(0x0a, i + 1))
    lineStarts.push(i + 1);
  const cuts = [0];
  for (let p = 1; p < options.parts; p += 1) {
    const target = Math.floor((log.length * p) / options.parts);
    cuts.push(lineStarts.find((s) => s >= target) ?? log.length);
  }
  cuts.push(log.length);
  const batches: RawBatch[] = [];
  for (let i = 0; i + 1 < cuts.length; i += 1) {
    const [start, end] = [cuts[i]!, cuts[i + 1]!];
    const header = start === 0 ? Buffer.alloc(0) : lastHeaderBefore(log, lineStarts, start);
    const range = log.subarray(start, end);
    const firstData = firstDataLine(log.subarray(start, end));
    const key = rawKey({
      host: options.host,
      firstLocal: firstData,
      batchId: `${options.fileId}-${start}-${end}`,
      compressed: true,
    });
    batches.push({ key, body: gzipSync(Buffer.concat([header, range])), start, end });
  }
  return batches;
}

function isHeader(line: Buffer): boolean {
  return line.toString('latin1').split(',', 1)[0]!.trim() === 'Date';
}

function lastHeaderBefore(log: Buffer, lineStarts: number[], offset: number): Buffer {
  let header: Buffer = Buffer.alloc(0);
  for (let i = 0; i < lineStarts.length && lineStarts[i]! < offset; i += 1) {
    const line = log.subarray(lineStarts[i]!, lineStarts[i + 1] ?? log.length);
    if (isHeader(line)) header = line;
  }
  return header;
}

function firstDataLine(range: Buffer): string {
  for (const line of range.toString('latin1').split('\n')) {
    const first = line.split(',', 1)[0]!.trim();
    if (/^\d{4}-\d{2}-\d{2}/.test(first)) return first;
  }
  throw new Error('no data line in the range');
}
