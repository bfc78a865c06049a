import { once } from 'node:events';
import { createGzip } from 'node:zlib';
import type { BuiltSession } from './batch-builder';
import type { ProcessedBatch } from './process-raw';

/**
 * A processed batch → the gzip-compressed JSON document (one PutObject body), written piece by piece.
 *
 *   await encodeProcessed(batch) → Uint8Array (1f 8b …) of '{"schema":"gpuz-cloud/processed/v1",…}'
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

  const head = JSON.stringify(batch.header);
  await write(`${head.slice(0, -1)},"sessions":[`);
  for (const [i, session] of batch.sessions.entries()) {
    if (i > 0) await write(',');
    await writeSession(session, write);
  }
  await write(`],"rollups":${JSON.stringify(batch.rollups)},"summary":${JSON.stringify(batch.summary)}}`);
  gzip.end(pending);
  await finished;
  return Buffer.concat(out);
}

async function writeSession(session: BuiltSession, write: (text: string) => Promise<void>): Promise<void> {
  await write(`{"columns":${JSON.stringify(session.columns)},"t":`);
  await writeNumbers(session.length, (i) => session.t.get(i), write);
  await write(',"values":{');
  let first = true;
  for (const [key, column] of session.values) {
    await write(`${first ? '' : ','}${JSON.stringify(key)}:`);
    first = false;
    await writeNumbers(session.length, (i) => column.get(i), write);
  }
  await write('}');
  if (session.text.size > 0) {
    const text = Object.fromEntries(session.text);
    await write(`,"text":${JSON.stringify(text)}`);
  }
  await write('}');
}

/** A numeric array in slices of 4096 values, so no single huge string or array is built. */
async function writeNumbers(
  length: number,
  get: (index: number) => number | null,
  write: (text: string) => Promise<void>,
): Promise<void> {
  await write('[');
  for (let start = 0; start < length; start += 4096) {
    const end = Math.min(length, start + 4096);
    let text = start === 0 ? '' : ',';
    for (let i = start; i < end; i += 1) {
      const value = get(i);
      text += `${i === start ? '' : ','}${value === null ? 'null' : value}`;
    }
    await write(text);
  }
  await write(']');
}
