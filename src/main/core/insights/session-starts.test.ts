import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createLogParser } from '../../../shared/parse';
import { encodeProcessed } from '../../../shared/process/encode-processed';
import { processRawObject } from '../../../shared/process/process-raw';
import { SAMPLES_DIR } from '../../../test-support/services';
import { createBatchBuilder } from '../batch';
import { decodeProcessed } from '../data/decode-processed';
import type { BatchRows } from '../data/types';
import { detectSessions } from './sessions';

/**
 * The agent cuts a log into batches (a new header seals one; a batch that starts mid-session gets the header
 * prepended). The processed documents say which sessions start at a real header, so the sessions of the
 * stored data are GPU-Z's own, however the batches fell.
 */
async function storedBatches(file: string, maxBatchBytes: number) {
  const log = readFileSync(join(SAMPLES_DIR, file));
  const builder = createBatchBuilder({
    fileId: 'f1',
    offset: 0,
    sessionHeader: null,
    maxBatchBytes,
    createParser: null,
    now: () => 0,
  });
  const sealed = [...builder.append(log)];
  const last = builder.seal();
  if (last) sealed.push(last);
  const decoded = [];
  for (const batch of sealed) {
    const sourceKey = `raw/pc/2020/03/16/${batch.batchId}.csv`;
    const outcome = await processRawObject(
      {
        sourceKey,
        body: (async function* () {
          yield batch.body;
        })(),
        timeZone: 'UTC',
      },
      { createParser: createLogParser },
    );
    if (outcome.kind !== 'processed') throw new Error(outcome.document.reason.message);
    decoded.push(decodeProcessed(await encodeProcessed(outcome.batch), sourceKey));
  }
  return { sealed, decoded };
}

function concat(batches: { rows: BatchRows }[]): BatchRows {
  const keys = [...new Set(batches.flatMap((b) => Object.keys(b.rows.values)))];
  const rows: BatchRows = { t: [], values: Object.fromEntries(keys.map((k) => [k, []])) };
  for (const { rows: part } of batches) {
    for (let i = 0; i < part.t.length; i++) {
      rows.t.push(part.t[i]!);
      for (const key of keys) rows.values[key]!.push(part.values[key]?.[i] ?? null);
    }
  }
  return rows;
}

describe('session starts through batches, processing and the dashboard decoder', () => {
  it.each([
    { maxBatchBytes: 8 << 20, label: 'one batch per session' },
    { maxBatchBytes: 16 << 10, label: '16 KiB batches (sessions cut into several)' },
  ])('the AMD log in $label → 12 sessions', async ({ maxBatchBytes }) => {
    const { sealed, decoded } = await storedBatches(
      'gpuz/amd-radeon-hbm2-gpuz-2020-12-sessions.txt',
      maxBatchBytes,
    );
    expect(sealed.length).toBeGreaterThanOrEqual(12);
    const starts = decoded.flatMap((d) => d.sessionStarts);
    expect(starts).toHaveLength(12);
    expect(sealed.filter((b) => b.prefixBytes === 0)).toHaveLength(12);
    const sessions = detectSessions(concat(decoded), { starts });
    expect(sessions).toHaveLength(12);
    expect(sessions.reduce((n, s) => n + s.rows, 0)).toBe(1673);
  });

  it('bm1 in 16 KiB batches is still one session', async () => {
    const { sealed, decoded } = await storedBatches('gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt', 16 << 10);
    expect(sealed.length).toBeGreaterThan(5);
    const starts = decoded.flatMap((d) => d.sessionStarts);
    expect(detectSessions(concat(decoded), { starts })).toHaveLength(1);
  });
});
