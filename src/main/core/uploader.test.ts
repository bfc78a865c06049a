import { AppError } from '../../shared/errors';
import { backoffDelay } from './backoff';
import type { SpoolManifest } from './spool';
import { classifyS3Error } from './store/s3-errors';
import type { Store } from './store/types';
import { createUploader } from './uploader';

const manifest = {
  version: 1,
  batchId: 'abc-0-10',
  key: 'raw/pc/2024/04/20/abc-0-10.csv.gz',
  start: 0,
  end: 10,
  rows: 1,
  firstLocal: '2024-04-20 13:02:09',
  lastLocal: '2024-04-20 13:02:09',
  rawBytes: 10,
  storedBytes: 10,
  sha256: 'x',
  compressed: true,
  contentType: 'application/gzip',
  encoding: 'windows-1252',
  timeZone: 'UTC',
  sessionHeader: null,
  sealedAt: '',
  fileId: 'abc',
  seq: 1,
} satisfies SpoolManifest;

function failingStore(errors: unknown[]): Store & { puts: number } {
  const store = {
    kind: 's3' as const,
    description: 's3://b',
    puts: 0,
    async put() {
      store.puts++;
      const error = errors.shift();
      if (error) throw error;
      return { etag: '"e"' };
    },
    get: async () => null,
    list: async () => [],
    listFolders: async () => [],
  };
  return store;
}

const sdkError = (name: string, status?: number, code?: string) =>
  Object.assign(new Error(name), { name, ...(code ? { code } : {}), $metadata: { httpStatusCode: status } });

describe('classifyS3Error', () => {
  it.each([
    [sdkError('SlowDown', 503), 'retry'],
    [sdkError('InternalError', 500), 'retry'],
    [sdkError('Error', undefined, 'ECONNREFUSED'), 'retry'],
    [sdkError('InvalidArgument', 400), 'fail'],
  ])('%s → %s', (error, verdict) => {
    expect(classifyS3Error(error, 'b')).toBe(verdict);
  });

  it.each([
    [sdkError('NoSuchBucket', 404), 'BUCKET_MISSING'],
    [sdkError('AccessDenied', 403), 'ACCESS_DENIED'],
    [sdkError('Unknown', 403), 'ACCESS_DENIED'],
    [sdkError('InvalidAccessKeyId', 403), 'CREDENTIALS_INVALID'],
    [sdkError('CredentialsProviderError'), 'CREDENTIALS_MISSING'],
  ])('%s stops with %s and advice', (error, code) => {
    const verdict = classifyS3Error(error, 'b');
    expect(verdict).toBeInstanceOf(AppError);
    expect((verdict as AppError).code).toBe(code);
    expect((verdict as AppError).advice?.length).toBeGreaterThan(20);
  });
});

describe('uploader', () => {
  const deps = (store: Store, waits: number[]) => ({
    store,
    agentVersion: '1.2.3',
    backoff: { baseMs: 1000, maxMs: 8000 },
    maxAttempts: 6,
    random: () => 0.5,
    sleep: async (ms: number) => {
      waits.push(ms);
    },
  });

  it('retries throttling and network errors with growing, capped, jittered waits', async () => {
    const store = failingStore([
      sdkError('SlowDown', 503),
      sdkError('E', undefined, 'ECONNRESET'),
      sdkError('InternalError', 500),
      sdkError('SlowDown', 503),
      sdkError('SlowDown', 503),
    ]);
    const waits: number[] = [];
    const result = await createUploader(deps(store, waits)).upload(manifest, new Uint8Array(10));
    expect(result.attempts).toBe(6);
    expect(waits).toEqual([500, 1000, 2000, 4000, 4000]);
  });

  it('a wake ends the wait between attempts and starts the backoff over; stop ends the call', async () => {
    const store = failingStore(Array.from({ length: 5 }, () => sdkError('E', undefined, 'ECONNREFUSED')));
    const waits: number[] = [];
    const woken: boolean[] = [];
    const wake = new AbortController();
    const uploader = createUploader({
      ...deps(store, waits),
      sleep: async (ms: number, signal?: AbortSignal) => {
        waits.push(ms);
        if (waits.length === 3) wake.abort(); // "Upload now" during the third wait
        woken.push(signal?.aborted ?? false);
      },
    });
    let waitsStarted = 0;
    const result = await uploader.upload(manifest, new Uint8Array(10), {
      wake: () => (++waitsStarted === 3 ? wake.signal : new AbortController().signal),
    });
    expect(waits).toEqual([500, 1000, 2000, 500, 1000]);
    expect(woken).toEqual([false, false, true, false, false]);
    expect(result.attempts).toBe(6);

    const stop = new AbortController();
    stop.abort();
    const stopped = createUploader(deps(failingStore([sdkError('E', undefined, 'ECONNREFUSED')]), []));
    await expect(stopped.upload(manifest, new Uint8Array(10), { stop: stop.signal })).rejects.toMatchObject({
      code: 'STORE_UNREACHABLE',
    });
  });

  it('stops at the first AccessDenied without waiting', async () => {
    const store = failingStore([sdkError('AccessDenied', 403)]);
    const waits: number[] = [];
    await expect(
      createUploader(deps(store, waits)).upload(manifest, new Uint8Array(10)),
    ).rejects.toMatchObject({ code: 'ACCESS_DENIED' });
    expect(store.puts).toBe(1);
    expect(waits).toEqual([]);
  });

  it('gives up after maxAttempts with STORE_UNREACHABLE', async () => {
    const store = failingStore(Array.from({ length: 10 }, () => sdkError('E', undefined, 'ECONNREFUSED')));
    await expect(createUploader(deps(store, [])).upload(manifest, new Uint8Array(10))).rejects.toMatchObject({
      code: 'STORE_UNREACHABLE',
    });
    expect(store.puts).toBe(6);
  });

  it('counts the PUTs that reached the store, not the ones whose connection was never made (an outage)', async () => {
    // Prepare: refused connections and an unknown host (never sent), a 503 and a reset after sending (sent), then OK
    const store = failingStore([
      sdkError('Error', undefined, 'ECONNREFUSED'),
      sdkError('Error', undefined, 'ENOTFOUND'),
      sdkError('SlowDown', 503),
      sdkError('Error', undefined, 'ECONNRESET'),
      sdkError('Error', undefined, 'ECONNREFUSED'),
    ]);
    let sent = 0;
    // Act
    const result = await createUploader({ ...deps(store, []), onSent: () => sent++ }).upload(
      manifest,
      new Uint8Array(10),
    );
    // Assess
    expect(result.attempts).toBe(6);
    expect(sent).toBe(3);
    // A refusal from S3 is a billed request too; a missing credential never leaves this PC
    let refused = 0;
    const denied = createUploader({
      ...deps(failingStore([sdkError('AccessDenied', 403)]), []),
      onSent: () => refused++,
    });
    await expect(denied.upload(manifest, new Uint8Array(10))).rejects.toMatchObject({
      code: 'ACCESS_DENIED',
    });
    let unsigned = 0;
    const missing = new AppError(
      'CREDENTIALS_MISSING',
      'No AWS credentials were found for the upload',
      'Run aws configure.',
      {
        cause: Object.assign(new Error('Could not load credentials from any providers'), {
          name: 'CredentialsProviderError',
        }),
      },
    );
    const noKeys = createUploader({ ...deps(failingStore([missing]), []), onSent: () => unsigned++ });
    await expect(noKeys.upload(manifest, new Uint8Array(10))).rejects.toMatchObject({
      code: 'CREDENTIALS_MISSING',
    });
    expect([refused, unsigned]).toEqual([1, 0]);
  });

  it('backoffDelay is random × min(max, base × 2^attempt)', () => {
    expect(backoffDelay(0, { baseMs: 1000, maxMs: 300_000 }, () => 0.999)).toBe(999);
    expect(backoffDelay(20, { baseMs: 1000, maxMs: 300_000 }, () => 1)).toBe(300_000);
  });
});
