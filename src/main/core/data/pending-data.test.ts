import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { rawKey } from '../../../shared/keys';
import { parseLog } from '../../../shared/parse';
import { SAMPLES_DIR } from '../../../test-support/services';
import type { PendingBatch } from '../agent/types';
import { createPendingData } from './pending-data';

const ZONE = 'Europe/Berlin';
const text = readFileSync(join(SAMPLES_DIR, 'gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt'));
const parsed = parseLog(text, { timeZone: ZONE });
const firstLocal = parsed.rows[0]!.local;
const lastLocal = parsed.rows.at(-1)!.local;
const first = parsed.rows[0]!.t;
const last = parsed.rows.at(-1)!.t;
const everything = { from: first, to: last + 1 };

/** A real GPU-Z log as the agent hands it over: spooled (gzip) or the open batch (text). */
function batch(batchId: string, options: { gzip?: boolean; reads?: { count: number } } = {}): PendingBatch {
  const body = options.gzip ? gzipSync(text) : text;
  return {
    batchId,
    rawKey: rawKey({ host: 'gaming-pc', firstLocal, batchId, compressed: options.gzip ?? false }),
    rows: parsed.rows.length,
    rawBytes: text.length,
    firstLocal,
    lastLocal,
    timeZone: ZONE,
    body: async () => {
      if (options.reads) options.reads.count += 1;
      return body;
    },
  };
}

describe('pending data (rows read, not stored yet)', () => {
  it('decodes a spooled gzip batch and the open text batch as the processor would store them', async () => {
    const pending = createPendingData();
    const { batches, notShown } = await pending.decode(
      [batch('f1-0-100', { gzip: true }), batch('f1-100-200')],
      everything,
    );
    expect(notShown).toBe(0);
    expect(batches.map((b) => b.processedKey)).toEqual([
      expect.stringMatching(/^processed\/gaming-pc\/\d{4}\/\d{2}\/\d{2}\/f1-0-100\.json\.gz$/),
      expect.stringMatching(/\/f1-100-200\.json\.gz$/),
    ]);
    for (const { batch: decoded } of batches) {
      expect(decoded.rows.t).toEqual(parsed.rows.map((r) => r.t));
      const temperature = parsed.sessions[0]!.columns.findIndex((c) => c.key === 'gpu_temperature_c');
      expect(decoded.rows.values.gpu_temperature_c).toEqual(parsed.rows.map((r) => r.values[temperature]));
      expect(decoded.rollups.t.length).toBeGreaterThan(0);
    }
  });

  it('reads a spooled batch once (cached by id), skips batches whose dates cannot touch the range', async () => {
    const pending = createPendingData();
    const reads = { count: 0 };
    const spooled = batch('f1-0-100', { gzip: true, reads });
    await pending.decode([spooled], everything);
    await pending.decode([spooled], everything);
    expect(reads.count).toBe(1);

    const far = { from: last + 10 * 86_400_000, to: last + 11 * 86_400_000 };
    const unread = { count: 0 };
    await expect(pending.decode([batch('f1-9-10', { reads: unread })], far)).resolves.toEqual({
      batches: [],
      notShown: 0,
    });
    expect(unread.count).toBe(0);
  });

  it('bounds the work: newest batches first up to maxRawBytes, the rest counted as not shown', async () => {
    const pending = createPendingData({ maxRawBytes: text.length * 2 });
    const { batches, notShown } = await pending.decode(
      [batch('f1-0-1', { gzip: true }), batch('f1-1-2', { gzip: true }), batch('f1-2-3')],
      everything,
    );
    expect(batches.map((b) => b.processedKey.split('/').at(-1))).toEqual([
      'f1-1-2.json.gz',
      'f1-2-3.json.gz',
    ]);
    expect(notShown).toBe(parsed.rows.length);
  });

  it('a batch that left the spool meanwhile (uploaded) or that the processor would quarantine is skipped', async () => {
    const pending = createPendingData();
    const gone: PendingBatch = {
      ...batch('f1-0-1'),
      body: () => Promise.reject(new Error('ENOENT')),
    };
    const broken: PendingBatch = {
      ...batch('f1-1-2', { gzip: true }),
      body: async () => Buffer.from('not gzip at all'),
    };
    await expect(pending.decode([gone, broken], everything)).resolves.toEqual({ batches: [], notShown: 0 });
  });
});
