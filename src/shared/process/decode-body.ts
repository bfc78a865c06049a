import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip } from 'node:zlib';
import { AppError, toError } from '../errors';

/**
 * Raw object body (chunks) → log bytes (chunks), gunzipped when the first bytes are the gzip magic 1f 8b.
 * The file name is not trusted: an uploader may send `--no-compress` batches under any name.
 *
 *   for await (const bytes of decodeBody(s3Body, counter)) parser.push(bytes)
 *
 * A corrupt or truncated gzip stream throws AppError('BAD_GZIP') (bad input: quarantine it), while an
 * error of the source itself (a reset S3 socket) is rethrown unchanged, so the caller can retry it.
 */
export async function* decodeBody(
  source: AsyncIterable<Uint8Array>,
  counter: { bytes: number },
): AsyncGenerator<Uint8Array> {
  const iterator = source[Symbol.asyncIterator]();
  const head: Uint8Array[] = [];
  let headBytes = 0;
  let done = false;
  while (headBytes < 2 && !done) {
    const next = await iterator.next();
    if (next.done) done = true;
    else if (next.value.length > 0) {
      head.push(next.value);
      headBytes += next.value.length;
      counter.bytes += next.value.length;
    }
  }
  const first = head.length === 1 ? head[0]! : Buffer.concat(head);
  const rest = async function* (): AsyncGenerator<Uint8Array> {
    if (first.length > 0) yield first;
    if (done) return;
    for (;;) {
      const next = await iterator.next();
      if (next.done) return;
      counter.bytes += next.value.length;
      yield next.value;
    }
  };
  if (!isGzip(first)) {
    yield* rest();
    return;
  }
  yield* gunzip(rest());
}

/** gzip members start with 1f 8b (RFC 1952). */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

async function* gunzip(source: AsyncIterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  const sourceErrors = new WeakSet<object>();
  const tagged = async function* (): AsyncGenerator<Uint8Array> {
    try {
      yield* source;
    } catch (error) {
      if (typeof error === 'object' && error !== null) sourceErrors.add(error);
      throw error;
    }
  };
  const inflater = createGunzip({ chunkSize: 256 * 1024 });
  const pumping = pipeline(Readable.from(tagged()), inflater).catch((error: unknown) => error);
  try {
    for await (const chunk of inflater) yield chunk as Buffer;
  } catch (error) {
    throw classify(error, sourceErrors);
  }
  const failure = await pumping;
  if (failure) throw classify(failure, sourceErrors);
}

function classify(error: unknown, sourceErrors: WeakSet<object>): unknown {
  if (typeof error === 'object' && error !== null && sourceErrors.has(error)) return error;
  const message = toError(error).message;
  return new AppError(
    'BAD_GZIP',
    `The object is gzip-compressed but cannot be decompressed: ${message}`,
    'The upload was probably cut off; the agent re-sends batches that are not confirmed.',
    { cause: error },
  );
}
