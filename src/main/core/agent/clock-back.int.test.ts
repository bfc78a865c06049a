import type { ChildProcess } from 'node:child_process';
import { appendFileSync, mkdtempSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { useBundledCli } from '../../../test-support/bundled-cli';
import { collect, spawnCli } from '../../../test-support/cli-process';
import { motoClientConfig, requireServices } from '../../../test-support/services';
import { decodeProcessed } from '../data/decode-processed';
import { createBatchCache } from '../data/etag-cache';
import { createProcessedData } from '../data/processed-data';
import { createLocalProcessor } from '../pipeline/local-processor';
import { motoStore } from '../store/moto-store.test-support';
import { bm1Header, bm1Rows, dataLinesOf, rawLines, sorted, wallText } from './agent.test-support';

/**
 * GPU-Z logs local time, so its time stamps repeat: in the hour a DST fall-back repeats (Europe/Berlin, last Sunday
 * of October: 02:00–02:59 twice) and when the clock is set back (by the user, NTP, a wrong BIOS clock). Through the
 * real CLI against S3 (moto), on the real bm1 sample restamped to cross such a point: restarts, kill -9 during
 * uploads and power cuts (the tail cut, then a new GPU-Z session) inside the repeated time — every row written is
 * in exactly one raw object, and the charts' read side (processed by the Lambda's code, read back from the bucket)
 * counts every row once: rows of the repeated time are not taken for copies of the first pass.
 */

interface Scenario {
  name: string;
  stamp: (i: number) => string;
  /** Row index where the repeated time starts: a power cut falls right before it. */
  repeatAt: number;
  /** The real instant of row `i`, when the log's stamps determine it (a DST fall-back does; a clock set back not). */
  instant?: (i: number) => number;
}

const SCENARIOS: Scenario[] = [
  {
    // Every 5 s from 02:20:00 CEST: row 480 is 03:00:00 CEST = 02:00:00 CET, and rows 480–1181 repeat the
    // stamps of rows 240–479 (02:20–02:59) and go on to 02:58:25.
    name: 'DST fall-back, Europe/Berlin 2026-10-25 (5 s log interval)',
    stamp: (i) => {
      const local = Date.UTC(2026, 9, 25, 2, 20, 0) + i * 5000;
      return wallText(i < 480 ? local : local - 3_600_000);
    },
    repeatAt: 480,
    instant: (i) => Date.UTC(2026, 9, 25, 0, 20, 0) + i * 5000,
  },
  {
    // Every second from 12:00:00; at row 600 the clock is set back 10 minutes: rows 600–1181 repeat 12:00:00–12:09:41.
    name: 'clock set back 10 minutes mid-log (1 s log interval)',
    stamp: (i) => {
      const local = Date.UTC(2026, 2, 10, 12, 0, 0) + i * 1000;
      return wallText(i < 600 ? local : local - 600_000);
    },
    repeatAt: 600,
  },
];

describe('repeated local time stamps: every row once through restarts, kill -9 and power cuts (CLI → moto)', () => {
  const services = requireServices();
  const { dir, cli } = useBundledCli('gpuz-clock-back-');

  it.each(SCENARIOS)(
    '$name',
    async ({ stamp, repeatAt, instant }) => {
      // Prepare
      const run = mkdtempSync(join(dir, 'run-'));
      const log = join(run, 'GPU-Z Sensor Log.txt');
      const bucket = `clock-${Math.random().toString(36).slice(2, 10)}`;
      await new S3Client(motoClientConfig(services)).send(new CreateBucketCommand({ Bucket: bucket }));
      const args = (watch: boolean) => [
        'upload',
        ...(watch ? ['--watch', '--interval', '1s'] : []),
        '--file',
        log,
        '--bucket',
        bucket,
        '--endpoint',
        services.motoEndpoint,
        '--region',
        services.region,
        '--state-dir',
        join(run, 'state'),
        '--host',
        'pc',
        '--tz',
        'Europe/Berlin',
      ];
      const restart = async () => {
        const result = await collect(spawnCli(cli, args(false)));
        expect(result.code, result.stderr).toBe(0);
        return result.stderr + result.stdout;
      };
      /** Power cut: the log loses its last `k` bytes (sent already), GPU-Z starts a new session. */
      const powerCut = (k: number, from: number, to: number) => {
        truncateSync(log, statSync(log).size - k);
        appendFileSync(log, Buffer.concat([bm1Header(), bm1Rows(stamp, from, to)]));
      };
      const append = (from: number, to: number) => appendFileSync(log, bm1Rows(stamp, from, to));

      // Act
      appendFileSync(log, bm1Header());
      append(0, repeatAt - 180);
      await restart();
      append(repeatAt - 180, repeatAt);
      await restart();
      // The cut falls at the last row before the clock goes back; every row after it has an earlier stamp.
      powerCut(1000, repeatAt, repeatAt + 120);
      const said = await restart();
      // Inside the repeated time: three kill -9 of `upload --watch` while it uploads, then a restart.
      for (const [from, to] of [
        [repeatAt + 120, repeatAt + 160],
        [repeatAt + 160, repeatAt + 200],
        [repeatAt + 200, repeatAt + 240],
      ] as const) {
        append(from, to);
        await killDuringUpload(spawnCli(cli, args(true)));
      }
      await restart();
      powerCut(4000, repeatAt + 240, repeatAt + 400);
      await restart();
      append(repeatAt + 400, 1182);
      await restart();

      // Assess: raw objects hold every row written exactly once
      const store = motoStore(bucket);
      // Every row was sent before each power cut took the log's tail: all 1,182 must be there, each once.
      const written = dataLinesOf(bm1Rows(stamp, 0, 1182));
      expect(new Set(written).size).toBe(1182);
      const raw = await rawLines(store);
      expect(raw.data.length).toBe(1182);
      expect(sorted(raw.data)).toEqual(sorted(written));
      expect(said).toMatch(/reading resumes by content at byte \d+, after the last line already stored/);
      // … and the charts count each of them once, after the Lambda's processing of every object
      const processor = createLocalProcessor({ timeZone: 'Europe/Berlin' });
      for (const object of await store.list('raw/')) {
        expect((await processor.onRawStored(object.key, store)).outcome).toBe('processed');
      }
      await processor.close(); // its day documents written now, not into a folder the test deletes
      const cache = createBatchCache({ store, dir: join(run, 'cache'), decode: decodeProcessed });
      const data = createProcessedData({ store, cache });
      const extent = await data.extent('pc');
      const chart = await data.query('pc', {
        from: extent.first!,
        to: extent.last! + 1,
        keys: ['gpu_clock_mhz'],
      });
      expect(chart.series[0]!.stats.count).toBe(1182);
      // … each at its real instant: a batch that starts inside the repeated hour is read in the second pass (the
      // agent's instant of its first row rides along as `first-utc`), not an hour early
      if (instant) {
        const processed: number[] = [];
        for (const object of await store.list('processed/pc/')) {
          const body = (await store.get(object.key))!.body;
          processed.push(...decodeProcessed(body, object.key).rows.t);
        }
        expect(processed.sort((a, b) => a - b)).toEqual(Array.from({ length: 1182 }, (_, i) => instant(i)));
      }
    },
    240_000,
  );
});

/** Lets `upload --watch` start an upload, then kill -9 it (the rest goes out at the next start). */
async function killDuringUpload(agent: ChildProcess): Promise<void> {
  const exited = new Promise((resolve) => agent.on('exit', resolve));
  await Promise.race([
    stderrMatch(agent, /^uploaded /m),
    new Promise((resolve) => setTimeout(resolve, 5000)),
  ]);
  agent.kill('SIGKILL');
  await exited;
}

function stderrMatch(child: ChildProcess, pattern: RegExp): Promise<void> {
  return new Promise((resolve) => {
    let text = '';
    child.stderr?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (pattern.test(text)) resolve();
    });
  });
}
