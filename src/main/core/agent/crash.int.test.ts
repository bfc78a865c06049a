import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { build } from 'esbuild';
import {
  bundleCli,
  type CliBundle,
  collect,
  spawnCli,
  waitForOutput,
} from '../../../test-support/cli-process';
import { motoClientConfig, requireServices, SAMPLES_DIR } from '../../../test-support/services';
import { createLocalStore } from '../store/local';
import { motoStore } from '../store/moto-store.test-support';
import type { Store } from '../store/types';
import { dataLinesOf, rawLines, sorted } from './agent.test-support';

/**
 * Delivery under a real writer, through the CLI (`gpuz-cloud upload --watch --interval 1s`, bundled, plain node):
 * - the watch loop at 1,000 lines/s keeps sealing and uploading (file-change notifications only hint);
 * - kill -9 during uploads to a real S3 server (moto): writers at 100 and 1,000 lines/s, at least 20 SIGKILLs a
 *   run, half at random moments and half right after a confirmed upload (while the next one starts); a last
 *   one-shot run sends the rest; every written line is in the bucket exactly as often as it was written.
 */
const TURING = join(SAMPLES_DIR, 'gpuz', 'nvidia-turing-usbc-gpuz-2023-trunc2mb.txt');
const BM1 = join(SAMPLES_DIR, 'gpuz', 'nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt');
const KILLS = 20;

describe('delivery under a writer (real processes)', () => {
  const services = requireServices();
  const dir = mkdtempSync(join(tmpdir(), 'gpuz-crash-'));
  const writerBundle = join(dir, 'writer.mjs');
  let cli: CliBundle;

  beforeAll(async () => {
    cli = await bundleCli();
    await build({
      entryPoints: [join(import.meta.dirname, 'crash-writer.test-support.ts')],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node22',
      outfile: writerBundle,
      logLevel: 'silent',
    });
  });
  afterAll(() => {
    cli.remove();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts the writer; `done` resolves when it wrote everything. */
  function startWriter(sample: string, log: string, rate: number, times: number) {
    const writer = spawn(process.execPath, [writerBundle, sample, log, String(rate), String(times)], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let finished = false;
    const done = new Promise<void>((resolve) => writer.on('exit', () => resolve())).then(() => {
      finished = true;
    });
    return { done, finished: () => finished };
  }

  function watchArgs(log: string, stateDir: string, target: string[]): string[] {
    return ['upload', '--watch', '--interval', '1s', '--file', log, ...target, '--state-dir', stateDir];
  }

  async function expectEveryLineOnce(store: Store, log: string, sample: string, copies: number) {
    const written = dataLinesOf(readFileSync(log));
    const got = await rawLines(store);
    expect(written.length).toBe(dataLinesOf(readFileSync(sample)).length * copies);
    expect(got.data.length).toBe(written.length);
    expect(sorted(got.data)).toEqual(sorted(written));
    return got;
  }

  it('keeps uploading on the interval while a writer appends 1,000 lines/s', async () => {
    // Prepare
    const run = mkdtempSync(join(dir, 'watch-'));
    const log = join(run, 'GPU-Z Sensor Log.txt');
    const store = join(run, 'store');
    const agent = spawnCli(cli, watchArgs(log, join(run, 'state'), ['--local', store]));
    const result = collect(agent);
    const uploadsAt: number[] = [];
    agent.stderr?.on('data', (chunk: Buffer) => {
      for (const _ of chunk.toString().matchAll(/^uploaded /gm)) uploadsAt.push(Date.now());
    });
    await waitForOutput(agent, /Watching/);
    // Act
    const writer = startWriter(TURING, log, 1000, 2);
    await writer.done;
    const writing = uploadsAt.length;
    agent.kill('SIGTERM');
    // Assess
    expect((await result).code).toBe(0);
    expect(writing).toBeGreaterThanOrEqual(3);
    await expectEveryLineOnce(createLocalStore({ root: store }), log, TURING, 2);
  }, 60_000);

  it.each([
    [100, BM1, 2],
    [1000, TURING, 8],
  ])(
    `loses and duplicates nothing across ${KILLS} SIGKILLs during uploads to S3 (writer at %i lines/s)`,
    async (rate, sample, copies) => {
      // Prepare
      const run = mkdtempSync(join(dir, `kill-${rate}-`));
      const log = join(run, 'GPU-Z Sensor Log.txt');
      const stateDir = join(run, 'state');
      const bucket = `crash-${rate}-${Math.random().toString(36).slice(2, 10)}`;
      await new S3Client(motoClientConfig(services)).send(new CreateBucketCommand({ Bucket: bucket }));
      const target = ['--bucket', bucket, '--endpoint', services.motoEndpoint, '--region', services.region];
      const writer = startWriter(sample, log, rate, copies);
      let seed = 11;
      const random = () => {
        seed = (seed * 69069 + 1) % 4294967296;
        return seed / 4294967296;
      };
      // Act
      let kills = 0;
      while (kills < KILLS || !writer.finished()) {
        const agent = spawnCli(cli, watchArgs(log, stateDir, target));
        const exited = new Promise((resolve) => agent.on('exit', resolve));
        await waitForOutput(agent, /Watching/);
        if (kills % 2 === 0) await delay(200 + random() * 800);
        else await Promise.race([waitForOutput(agent, /^uploaded /m), delay(2000)]);
        agent.kill('SIGKILL');
        await exited;
        kills++;
      }
      const final = await collect(
        spawnCli(cli, ['upload', '--file', log, ...target, '--state-dir', stateDir]),
      );
      // Assess
      expect(final.code).toBe(0);
      const store = motoStore(bucket);
      const got = await expectEveryLineOnce(store, log, sample, copies);
      expect(got.objects).toBeGreaterThan(3);
    },
    150_000,
  );
});

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
