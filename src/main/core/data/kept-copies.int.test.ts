/**
 * Charts on a laptop offline: a bucket in moto with a real sample uploaded by the CLI and processed as the Lambda
 * does; the dashboard's data reads it once through a gate, then the gate is closed (connections refused, as with no
 * network) and a new process opens the same cache folder. Before, every chart failed with the network error; now the
 * ranges viewed before are drawn from what this PC kept, the same series, and say so (`keptOnly`). So do the
 * Sessions view's reads: the data's extent (its "All stored data") and the rows sessions are found in (before, both
 * failed with the network error).
 */

import { join } from 'node:path';
import { useBundledCli } from '../../../test-support/bundled-cli';
import { requireServices, SAMPLES_DIR } from '../../../test-support/services';
import { type TcpGate, tcpGate } from '../../../test-support/tcp-gate';
import { motoStore } from '../store/moto-store.test-support';
import { decodeProcessed } from './decode-processed';
import { createBatchCache } from './etag-cache';
import { processedBucket } from './processed-bucket.test-support';
import type { ProcessedData } from './processed-data';
import { createProcessedData } from './processed-data';

const services = requireServices();
const BM1 = join(SAMPLES_DIR, 'gpuz', 'nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt');
const HOUR = 3_600_000;

/** What the Sessions view reads: the session starts and every row, as sessionRows gives them, and its note. */
async function sessionRead(data: ProcessedData, query: { from: number; to: number; keys: string[] }) {
  const { starts, pieces, keptOnly } = await data.sessionRows('gaming-pc', query);
  const t: number[] = [];
  for await (const piece of pieces()) t.push(...piece.t);
  return { starts, t, keptOnly };
}

describe('charts when the store cannot be listed (moto behind a gate)', () => {
  let gate: TcpGate;
  const { dir, cli } = useBundledCli('gpuz-kept-');

  it('draws the ranges this PC viewed before from its cache, the same series, and says why; a range never viewed is empty, and says why', async () => {
    // Prepare: the sample uploaded and processed in moto
    const { bucket } = await processedBucket(cli, dir, 'kept', [[BM1, 'gaming-pc']]);
    gate = await tcpGate(Number(new URL(services.motoEndpoint).port));
    const behindGate = motoStore(bucket, { endpoint: `http://127.0.0.1:${gate.port}`, maxAttempts: 1 });
    const open = () =>
      createProcessedData({
        store: behindGate,
        cache: createBatchCache({ store: behindGate, dir: join(dir, 'cache'), decode: decodeProcessed }),
      });
    // The dashboard open while online: a day around the sample (rollups) and its first hour (rows)
    const online = open();
    const sensors = await online.listSensors('gaming-pc');
    const keys = sensors.slice(0, 3).map((sensor) => sensor.key);
    const { first, last } = await online.extent('gaming-pc');
    const whole = { from: first! - 12 * HOUR, to: last! + 12 * HOUR, keys };
    const firstHour = { from: first!, to: first! + HOUR, keys };
    const before = {
      whole: await online.query('gaming-pc', whole),
      hour: await online.query('gaming-pc', firstHour),
      sessions: await sessionRead(online, whole),
    };
    await online.close?.();

    // Act: no network (connections refused), and the dashboard opened again (a new process, the same cache)
    await gate.close();
    const offline = open();
    const sensorsOffline = await offline.listSensors('gaming-pc');
    const extentOffline = await offline.extent('gaming-pc');
    const after = {
      whole: await offline.query('gaming-pc', whole),
      hour: await offline.query('gaming-pc', firstHour),
      sessions: await sessionRead(offline, whole),
    };
    const neverViewed = offline.query('gaming-pc', {
      from: first! - 30 * 24 * HOUR,
      to: first! - 29 * 24 * HOUR,
      keys,
    });

    // Assess
    expect(before.whole.resolution).toBe('rollups');
    expect(before.hour.resolution).toBe('rows');
    expect(before.whole.keptOnly).toBeUndefined();
    expect(sensorsOffline.map((s) => s.key)).toEqual(sensors.map((s) => s.key));
    for (const name of ['whole', 'hour'] as const) {
      const { keptOnly, ...chart } = after[name];
      expect(chart).toEqual(before[name]);
      expect(keptOnly).toMatchObject({
        code: 'ECONNREFUSED',
        message: expect.stringContaining('ECONNREFUSED'),
      });
    }
    // The Sessions view: the same extent ("All stored data"), the same rows and session starts, with the note
    expect(extentOffline).toEqual({ first, last });
    expect(before.sessions.keptOnly).toBeUndefined();
    expect(before.sessions.t.length).toBeGreaterThan(1000);
    expect(before.sessions.starts.length).toBeGreaterThan(0);
    expect(after.sessions).toEqual({
      ...before.sessions,
      keptOnly: expect.objectContaining({ code: 'ECONNREFUSED' }),
    });
    // A range never viewed here: nothing kept, and the note says why the chart is empty
    const empty = await neverViewed;
    expect(empty.t).toEqual([]);
    expect(empty.keptOnly).toMatchObject({ code: 'ECONNREFUSED' });
  });
});
