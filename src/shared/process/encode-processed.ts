import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import type { BuiltSession } from './batch-builder';
import type { NumberColumn } from './number-column';
import type { ProcessedBatch } from './process-raw';

/**
 * A processed batch → the gzip-compressed JSON document (one PutObject body), written piece by piece.
 *
 *   await encodeProcessed(batch) → Uint8Array (1f 8b …) of
 *     '{"schema":"gpuz-cloud/processed/v1",…header…,"rollups":{…},"summary":{…},"sessions":[…]}'
 *
 * Why not JSON.stringify: for a 100 MB log the JSON text is ≈ 60 MB and a plain array copy of the values
 * another ≈ 100 MB; streaming 256 KB pieces into gzip keeps only the compressed output (≈ 10 %) in memory.
 * The output is deterministic (no time stamp inside), so reprocessing the same raw object gives the
 * same bytes and the same S3 ETag.
 */
export async function encodeProcessed(batch: ProcessedBatch): Promise<Uint8Array> {
  const gzip = createGzip({ level: 6 });
  const out: Buffer[] = [];
  gzip.on('data', (chunk: Buffer) => out.push(chunk));
  const finished = once(gzip, 'end');
  let pending = '';
  const write = async (text: string): Promise<void> => {
    pending += text;
    if (pending.length < 256 * 1024) return;
    const piece = pending;
    pending = '';
    if (!gzip.write(piece)) await once(gzip, 'drain');
  };

  // Header, rollups and summary first, the rows last: a reader that wants only the outline (a long-range
  // chart) stops after the first kilobytes instead of inflating the whole object.
  const head = JSON.stringify(batch.header);
  await write(
    `${head.slice(0, -1)},"rollups":${JSON.stringify(batch.rollups)},"summary":${JSON.stringify(batch.summary)},"sessions":[`,
  );
  for (const [i, session] of batch.sessions.entries()) {
    if (i > 0) await write(',');
    await writeSession(session, write);
  }
  await write(']}');
  gzip.end(pending);
  await finished;
  return Buffer.concat(out);
}

async function writeSession(session: BuiltSession, write: (text: string) => Promise<void>): Promise<void> {
  await write(`{${session.header ? '"header":true,' : ''}"columns":${JSON.stringify(session.columns)},"t":`);
  await writeNumbers(session.t, write);
  await write(',"values":{');
  let first = true;
  for (const [key, column] of session.values) {
    await write(`${first ? '' : ','}${JSON.stringify(key)}:`);
    first = false;
    await writeNumbers(column, write);
  }
  await write('}');
  if (session.text.size > 0) {
    const text = Object.fromEntries(session.text);
    await write(`,"text":${JSON.stringify(text)}`);
  }
  await write('}');
}

/** A numeric array, one chunk (16,384 values) per piece, so no single huge string or array is built. */
async function writeNumbers(column: NumberColumn, write: (text: string) => Promise<void>): Promise<void> {
  let separator = '';
  await write('[');
  for (const chunk of column.chunks()) {
    let text = separator;
    const n = chunk.length;
    for (let i = 0; i < n; i += 1) {
      const value = chunk[i]!;
      // NaN marks no reading; `value !== value` is the cheapest NaN test on this hot path.
      // biome-ignore lint/suspicious/noSelfCompare: deliberate NaN check
      text += value !== value ? 'null,' : `${value},`;
    }
    separator = ',';
    await write(text.slice(0, -1));
  }
  await write(']');
}
