import type { BuiltSession } from './batch-builder';
import { createGzipPieces, type GzipPieces } from './gzip-pieces';
import type { ProcessedBatch } from './process-raw';

/**
 * A processed batch → the gzip-compressed JSON document (one PutObject body), written piece by piece.
 *
 *   await encodeProcessed(batch) → Uint8Array (1f 8b …) of
 *     '{"schema":"gpuz-cloud/processed/v1",…header…,"rollups":{…},"summary":{…},"sessions":[…]}'
 *
 * Why not JSON.stringify: for a 100 MB log the JSON text is ≈ 60 MB and a plain array copy of the values
 * another ≈ 100 MB; streaming 256 KB pieces into gzip keeps only the compressed output (≈ 10 %) in memory. The
 * numbers are written as bytes straight into those pieces (gzip-pieces.ts), the same text String() gives.
 * The output is deterministic (no time stamp inside), so reprocessing the same raw object gives the
 * same bytes and the same S3 ETag.
 */
export async function encodeProcessed(batch: ProcessedBatch): Promise<Uint8Array> {
  const out = createGzipPieces(6);
  const write = (text: string) => out.text(text);

  // Header, rollups and summary first, the rows last: a reader that wants only the outline (a long-range
  // chart) stops after the first kilobytes instead of inflating the whole object.
  const head = JSON.stringify(batch.header);
  await write(
    `${head.slice(0, -1)},"rollups":${JSON.stringify(batch.rollups)},"summary":${JSON.stringify(batch.summary)},"sessions":[`,
  );
  for (const [i, session] of batch.sessions.entries()) {
    if (i > 0) await write(',');
    await writeSession(session, out);
  }
  await write(']}');
  return out.end();
}

async function writeSession(session: BuiltSession, out: GzipPieces): Promise<void> {
  const write = (text: string) => out.text(text);
  await write(`{${session.header ? '"header":true,' : ''}"columns":${JSON.stringify(session.columns)},"t":`);
  await out.numbers(session.t.chunks());
  await write(',"values":{');
  let first = true;
  for (const [key, column] of session.values) {
    await write(`${first ? '' : ','}${JSON.stringify(key)}:`);
    first = false;
    await out.numbers(column.chunks());
  }
  await write('}');
  if (session.text.size > 0) {
    const text = Object.fromEntries(session.text);
    await write(`,"text":${JSON.stringify(text)}`);
  }
  await write('}');
}
