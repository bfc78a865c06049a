/**
 * The upload queue's word to the agent about where a stored batch is: still in the spool while its processing runs
 * (onUploaded's `staysInSpool`, then onProcessed once it left), or gone at once when nothing processes it. Real spool
 * and local store in a temp folder; the processing is a promise the test releases.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import { openSpool, type Spool } from './spool';
import { spoolEntry } from './spool.test-support';
import { createLocalStore } from './store/local';
import type { Store } from './store/types';
import { createUploadQueue, type UploadQueueOptions } from './upload-queue';
import { createUploader } from './uploader';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gpuz-queue-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

async function spoolWithOneBatch(): Promise<Spool> {
  const raw = Buffer.from('2026-01-01 00:00:00 , 41.0 ,\r\n', 'latin1');
  const { manifest, body } = spoolEntry(0, raw);
  const spool = await openSpool({ dir: join(dir, 'spool'), capBytes: 1 << 20 });
  await spool.add(manifest, body, raw);
  return spool;
}

function queueOver(
  spool: Spool,
  extra: Partial<UploadQueueOptions>,
  store: Store = createLocalStore({ root: join(dir, 'store') }),
) {
  const uploader = createUploader({
    store,
    agentVersion: 'test',
    backoff: { baseMs: 1, maxMs: 1 },
    maxAttempts: 1,
    random: () => 0,
    sleep: async () => undefined,
  });
  const told: string[] = [];
  const queue = createUploadQueue({
    spool,
    uploader,
    store,
    now: Date.now,
    isHeld: () => false,
    onRecord: () => undefined,
    onUploaded: async (m, _ms, staysInSpool) => {
      told.push(`uploaded ${m.batchId} staysInSpool=${staysInSpool} spool=${spool.count}`);
    },
    onError: (error) => told.push(`error ${error.code}`),
    onState: () => undefined,
    onHookError: (error) => told.push(`hook error ${String(error)}`),
    onDamaged: async () => undefined,
    ...extra,
  });
  return { queue, told };
}

describe('upload queue: where a stored batch is', () => {
  it('with processing: stays in the spool until it is done, then onProcessed with the spool already smaller', async () => {
    const spool = await spoolWithOneBatch();
    let finish: () => void = () => undefined;
    const processing = new Promise<void>((resolve) => {
      finish = resolve;
    });
    const { queue, told } = queueOver(spool, {
      onRawStored: () => processing,
      onProcessed: (m) => told.push(`processed ${m.batchId} spool=${spool.count}`),
    });
    const drained = queue.drain();
    await vi.waitFor(() => expect(told).toHaveLength(1));
    expect(told[0]).toBe('uploaded 0123456789ab-0-30 staysInSpool=true spool=1');
    expect(queue.isProcessing('0123456789ab-0-30')).toBe(true);
    finish();
    await drained;
    expect(told).toEqual([
      'uploaded 0123456789ab-0-30 staysInSpool=true spool=1',
      'processed 0123456789ab-0-30 spool=0',
    ]);
    expect(spool.count).toBe(0);
  });

  it('sends nothing once mayUpload says no (another agent took the state folder over): the batch stays', async () => {
    const spool = await spoolWithOneBatch();
    const store = createLocalStore({ root: join(dir, 'store') });
    const { queue, told } = queueOver(spool, { mayUpload: async () => false }, store);
    await queue.drain();
    expect(told).toEqual([]);
    expect(spool.count).toBe(1);
    expect(await store.list('raw/')).toEqual([]);
  });

  it('without processing (S3: the Lambda does it): out of the spool before onUploaded, never onProcessed', async () => {
    const spool = await spoolWithOneBatch();
    const { queue, told } = queueOver(spool, {
      onProcessed: (m) => told.push(`processed ${m.batchId}`),
    });
    await queue.drain();
    expect(told).toEqual(['uploaded 0123456789ab-0-30 staysInSpool=false spool=0']);
  });

  it('processing that fails keeps the batch in the spool, says so, and processes it again at the next interval', async () => {
    // Prepare: the drive is full for the first processing only
    const spool = await spoolWithOneBatch();
    let full = true;
    const { queue, told } = queueOver(spool, {
      onRawStored: async () => {
        if (full) throw new Error('disk full');
      },
      onProcessed: (m) => told.push(`processed ${m.batchId}`),
    });
    // Act
    await queue.drain();
    const afterFailure = { spool: spool.count, processing: queue.isProcessing('0123456789ab-0-30') };
    await queue.drain(); // a look before the interval: not sent again
    full = false;
    queue.retryProcessing(); // the interval's upload (it waited for the next start)
    await queue.drain();
    // Assess
    expect(afterFailure).toEqual({ spool: 1, processing: false });
    expect(told).toEqual([
      'uploaded 0123456789ab-0-30 staysInSpool=true spool=1',
      'hook error Error: disk full',
      'uploaded 0123456789ab-0-30 staysInSpool=true spool=1',
      'processed 0123456789ab-0-30',
    ]);
    expect(spool.count).toBe(0);
  });
});

describe("upload queue: the agent's reader waiting on step()", () => {
  it('goes on as soon as a batch is handed to processing, not only once a processing ends', async () => {
    // Prepare: three batches; every processing holds until the test lets go (two in flight is the queue's most)
    const raw = Buffer.from('2026-01-01 00:00:00 , 41.0 ,\r\n', 'latin1');
    const spool = await openSpool({ dir: join(dir, 'spool'), capBytes: 1 << 20 });
    const ids: string[] = [];
    for (const start of [0, 30, 60]) {
      const { manifest, body } = spoolEntry(start, raw);
      await spool.add(manifest, body, raw);
      ids.push(manifest.batchId);
    }
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    // The second batch's PUT waits for the test: the reader starts waiting while it is being sent.
    const local = createLocalStore({ root: join(dir, 'store') });
    let sending = false;
    let letPut: () => void = () => undefined;
    const putGate = new Promise<void>((resolve) => {
      letPut = resolve;
    });
    const store: Store = {
      ...local,
      put: async (key, body, meta) => {
        if (key.includes(ids[1]!)) {
          sending = true;
          await putGate;
        }
        return local.put(key, body, meta);
      },
    };
    const { queue } = queueOver(spool, { onRawStored: () => held }, store);

    // Act: the reader waits (backpressure) while the first batch is processed and the second is being sent
    const drained = queue.drain();
    await vi.waitFor(() => expect(sending).toBe(true));
    expect(queue.isProcessing(ids[0]!)).toBe(true);
    let woken = false;
    void queue.step().then(() => {
      woken = true;
    });
    letPut();
    await vi.waitFor(() => expect(queue.isProcessing(ids[1]!)).toBe(true));
    await new Promise((resolve) => setImmediate(resolve));

    // Assess: the second batch no longer waits to be sent, so the reader may read on — before, it slept until a
    // processing ended (agent.test.ts "reads on while stored batches are processed" failed 1 run in 8 on it)
    expect(woken).toBe(true);
    expect(queue.isProcessing(ids[2]!)).toBe(false);
    release();
    await drained;
    expect(spool.count).toBe(0);
  });
});

describe('upload queue: a refusal that answers an attempt begun before "Upload now"', () => {
  it('is tried once more, not taken as a stop (the bucket was made again meanwhile)', async () => {
    // Prepare: the first PUT is in flight while the bucket is missing; it answers NoSuchBucket after the press
    const spool = await spoolWithOneBatch();
    const local = createLocalStore({ root: join(dir, 'store') });
    let answer: (() => void) | null = null;
    let puts = 0;
    const store = {
      ...local,
      async put(...args: Parameters<typeof local.put>) {
        puts += 1;
        if (puts === 1) {
          await new Promise<void>((resolve) => {
            answer = resolve;
          });
          throw new AppError('BUCKET_MISSING', 'S3 refused the upload: the bucket does not exist');
        }
        return local.put(...args);
      },
    };
    const { queue, told } = queueOver(spool, {}, store);
    // Act
    const drained = queue.drain();
    await vi.waitFor(() => expect(answer).not.toBeNull());
    queue.clear(); // "Upload now", pressed once the bucket exists again
    answer!();
    await drained;
    // Assess
    expect(queue.blocked).toBeNull();
    expect(told).toEqual(['uploaded 0123456789ab-0-30 staysInSpool=false spool=0']);
    expect(puts).toBe(2);
  });
});
