/**
 * The upload queue's word to the agent about where a stored batch is: still in the spool while its processing runs
 * (onUploaded's `staysInSpool`, then onProcessed once it left), or gone at once when nothing processes it. Real spool
 * and local store in a temp folder; the processing is a promise the test releases.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSpool, type Spool } from './spool';
import { spoolEntry } from './spool.test-support';
import { createLocalStore } from './store/local';
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

function queueOver(spool: Spool, extra: Partial<UploadQueueOptions>) {
  const store = createLocalStore({ root: join(dir, 'store') });
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
