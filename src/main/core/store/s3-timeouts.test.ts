/**
 * A connection that goes dead without a reset (a Wi-Fi switch, a router dropping its NAT entry) must not hold an
 * upload forever: the S3 client fails a request that makes no progress, and the agent's stop cuts one off.
 * The "dead network" is a real TCP server on 127.0.0.1 that accepts and never answers.
 */
import { createServer, type Server, type Socket } from 'node:net';
import { createS3Client, createS3Store } from './s3';
import { classifyS3Error } from './s3-errors';

let server: Server;
let endpoint: string;
const sockets = new Set<Socket>();

beforeAll(async () => {
  server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('data', () => undefined); // read the request, never answer
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('no port');
  endpoint = `http://127.0.0.1:${address.port}`;
});

afterAll(async () => {
  for (const socket of sockets) socket.destroy();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const storeWith = (timeouts?: { connectMs: number; idleMs: number }) =>
  createS3Store({
    bucket: 'b',
    client: createS3Client({
      region: 'us-east-1',
      endpoint,
      maxAttempts: 1,
      credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
      ...(timeouts ? { timeouts } : {}),
    }),
  });

describe('S3 store on a connection that never answers', () => {
  it('fails a PUT after the idle timeout, as an error the uploader retries', async () => {
    const started = Date.now();
    const error = await storeWith({ connectMs: 1_000, idleMs: 400 })
      .put('raw/pc/x.csv.gz', new Uint8Array(1000), { contentType: 'application/gzip' })
      .catch((e: unknown) => e);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(classifyS3Error(error, 'b')).toBe('retry');
  });

  it('is cut off at once by its signal (the agent stops)', async () => {
    const stop = new AbortController();
    const started = Date.now();
    const put = storeWith()
      .put('raw/pc/x.csv.gz', new Uint8Array(1000), { contentType: 'application/gzip', signal: stop.signal })
      .catch((e: unknown) => e);
    setTimeout(() => stop.abort(), 200);
    expect(await put).toBeInstanceOf(Error);
    expect(Date.now() - started).toBeLessThan(5_000);
  });
});
