import { mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { useBundledCli } from '../../../test-support/bundled-cli';
import { collect, spawnCli } from '../../../test-support/cli-process';
import { decodeProcessed } from '../data/decode-processed';
import { createBatchCache } from '../data/etag-cache';
import { createProcessedData } from '../data/processed-data';
import { createLocalStore } from '../store/local';
import { bm1Header, bm1Rows, wallText } from './agent.test-support';

/**
 * A PC that slept for days with GPU-Z logging (or whose clock was set right after a dead CMOS battery) writes one
 * logging session across the gap: rows from before it, then today's rows with no header between. Through the real
 * CLI into a local store (processed as the Lambda would), the charts' read side must find today's rows in today's
 * ranges. Objects are keyed by their first row's date and a range is read from the key dates around it, so a batch
 * holding both sides of the gap hid today's rows from the last hour and the last day (lived: "No readings of these
 * sensors in this range" under "Stored readings run from … to 4:43 PM").
 */
describe('a log with a gap of days inside one GPU-Z session (CLI → local store → charts)', () => {
  const { dir, cli } = useBundledCli('gpuz-time-gap-');

  it.each([
    { gap: 'asleep 3 days', firstAt: (now: number) => now - 3 * 24 * 60 * 60_000 },
    { gap: 'the clock set right from 1 Jan 2000', firstAt: () => Date.UTC(2000, 0, 1) },
  ])(
    '$gap: the rows after it are in the last hour and the last day, every row once',
    async ({ gap, firstAt }) => {
      // Arrange: 600 rows from `firstAt`, then 582 rows ending now, one second apart (UTC, as the CLI is told)
      const run = mkdtempSync(join(dir, 'run-'));
      const now = Math.floor(Date.now() / 1000) * 1000;
      const stamp = (i: number) => (i < 600 ? firstAt(now) + i * 1000 : now - (1181 - i) * 1000);
      const log = join(run, 'GPU-Z Sensor Log.txt');
      writeFileSync(log, Buffer.concat([bm1Header(), bm1Rows((i) => wallText(stamp(i)), 0, 1182)]));
      // Act: a one-shot upload (the agent after the PC woke), then the charts' reads
      const args = [
        'upload',
        '--file',
        log,
        '--local',
        join(run, 'store'),
        '--state-dir',
        join(run, 'state'),
      ];
      const result = await collect(spawnCli(cli, [...args, '--host', 'pc', '--tz', 'UTC']));
      expect(result.code, result.stderr).toBe(0);
      const store = createLocalStore({ root: join(run, 'store') });
      const cache = createBatchCache({ store, dir: join(run, 'cache'), decode: decodeProcessed });
      const data = createProcessedData({ store, cache });
      const count = async (from: number, to: number) =>
        (await data.query('pc', { from, to, keys: ['gpu_clock_mhz'] })).series[0]!.stats.count;
      // Assess
      expect(await count(now - 60 * 60_000, now + 60_000), gap).toBe(582);
      expect(await count(now - 24 * 60 * 60_000, now + 60_000), gap).toBe(582);
      const extent = await data.extent('pc');
      expect(extent).toEqual({ first: firstAt(now), last: now });
      expect(await count(extent.first!, extent.last! + 1)).toBe(1182);
      await cache.flush();
    },
    120_000,
  );
});
