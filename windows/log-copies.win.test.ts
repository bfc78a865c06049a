/**
 * Log copies on Windows (core/log-copies.ts): GPU-Z began a new log while the network was down, then began another
 * over it before the network came back. The agent cannot ask S3 what it holds of a new log while offline, so it
 * copies the log's bytes into `%APPDATA%\GPU-Z Cloud\log-copies` at every look and sends them from the copy once S3
 * answers. Here `upload --watch` runs as a Windows program (node.exe under Wine) against the real moto server,
 * through a gate the test shuts and opens; GPU-Z's restarts delete the log and write it anew, as GPU-Z does.
 */
import { existsSync, readdirSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { adaLog, dataLinesOf, rawLines, sorted } from '../src/main/core/agent/agent.test-support';
import { createS3Store } from '../src/main/core/store/s3';
import { motoClientConfig, requireServices } from '../src/test-support/services';
import { type TcpGate, tcpGate } from '../src/test-support/tcp-gate';
import { skipNote, useWine, WINE_SKIP } from './support/suite';
import { freshUserPaths, LOG, until } from './support/user-paths';

const COPY_SENT =
  /Sent 40 row\(s\) logged \S+ \S+ – \S+ \S+ in 1 batch\(es\) from the copy of a log GPU-Z replaced/;

describe.skipIf(WINE_SKIP !== null)(`log copies under Wine${skipNote()}`, () => {
  const wine = useWine();
  let gate: TcpGate;
  let bucket: string;
  let paths: ReturnType<typeof freshUserPaths>;
  let stored: () => Promise<string[]>;
  const copies = () => {
    const dir = join(paths.state, 'log-copies');
    return existsSync(dir) ? readdirSync(dir).sort() : [];
  };
  const copySizes = () => copies().map((name) => statSync(join(paths.state, 'log-copies', name)).size);

  beforeEach(async () => {
    const services = requireServices();
    const s3 = new S3Client(motoClientConfig(services));
    bucket = `win-copies-${Date.now()}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    stored = async () => (await rawLines(createS3Store({ client: s3, bucket }))).data;
    gate = await tcpGate(Number(new URL(services.motoEndpoint).port));
    paths = freshUserPaths(wine());
  });
  afterEach(async () => {
    await gate.close();
  });

  /** `gpuz-cloud upload --watch` of the user's log into the bucket, through the gate. */
  function watch(name: string) {
    const services = requireServices();
    const args = ['bin/gpuz-cloud.mjs', 'upload', '--watch', '--interval', '1s', '--file', LOG];
    args.push('--bucket', bucket, '--endpoint', `http://127.0.0.1:${gate.port}`, '--region', services.region);
    args.push('--host', 'joerg-pc', '--tz', 'UTC');
    const { accessKeyId, secretAccessKey } = services.credentials;
    return wine().spawnNode(args, name, {
      env: { AWS_ACCESS_KEY_ID: accessKeyId, AWS_SECRET_ACCESS_KEY: secretAccessKey },
    });
  }

  async function rowsStored(n: number, what: string, timeoutMs = 60_000): Promise<void> {
    const end = performance.now() + timeoutMs;
    for (let rows = (await stored()).length; rows < n; rows = (await stored()).length) {
      if (performance.now() > end) throw new Error(`timed out waiting for ${what}: ${rows} of ${n} rows`);
      await new Promise((resolve) => setTimeout(resolve, 300));
    }
  }

  /** Log A (40 rows) sent; the network goes down; GPU-Z begins B, appends to it, and begins C over it. */
  async function replaceTwiceOffline(): Promise<{ whileDown: number; copied: number[] }> {
    await rowsStored(40, 'log A');
    gate.shut();
    const b = adaLog(41, 71);
    unlinkSync(paths.log);
    writeFileSync(paths.log, b);
    await until('the copy of log B', () => copySizes()[0] === b.length, 60_000);
    const bGrown = adaLog(41, 81);
    writeFileSync(paths.log, bGrown);
    await until('the copy of B to grow', () => copySizes()[0] === bGrown.length, 60_000);
    const c = adaLog(81, 101);
    unlinkSync(paths.log);
    writeFileSync(paths.log, c);
    await until('the copy of log C', () => copySizes().length === 2 && copySizes()[1] === c.length, 60_000);
    return { whileDown: (await stored()).length, copied: copySizes() };
  }

  it('a log GPU-Z replaced twice while S3 was out of reach: every row of the three logs once, the copies deleted', async () => {
    // Prepare
    writeFileSync(paths.log, adaLog(1, 41));
    const upload = watch('upload-copies');
    await upload.waitFor(/Watching/);
    const offline = await replaceTwiceOffline();

    // Act: the network comes back
    gate.open();
    await rowsStored(100, 'every row once the network is back', 120_000);
    const code = await upload.ctrlC();

    // Assess
    const rows = await stored();
    expect(code, upload.stderr()).toBe(0);
    expect(offline).toEqual({ whileDown: 40, copied: [adaLog(41, 81).length, adaLog(81, 101).length] });
    expect(rows).toHaveLength(100);
    expect(sorted(rows)).toEqual(sorted(dataLinesOf(adaLog(1, 101))));
    expect(copies()).toEqual([]);
    expect(upload.stderr()).toMatch(COPY_SENT);
  });

  it('stopped with Ctrl+C while offline: the next start sends the copy and the log it finds, every row once', async () => {
    // Prepare: the first run stops while the network is down, B overwritten by C
    writeFileSync(paths.log, adaLog(1, 41));
    const first = watch('upload-copies-offline');
    await first.waitFor(/Watching/);
    const offline = await replaceTwiceOffline();
    const stopCode = await first.ctrlC();
    const copiedAfterStop = copySizes();

    // Act: the network is back; the next start
    gate.open();
    const next = watch('upload-copies-next');
    await next.waitFor(/Watching/);
    await rowsStored(100, 'every row at the next start', 120_000);
    const code = await next.ctrlC();

    // Assess
    const rows = await stored();
    expect(stopCode, first.stderr()).toBe(0);
    expect(offline.whileDown).toBe(40);
    expect(copiedAfterStop).toEqual(offline.copied);
    expect(code, next.stderr()).toBe(0);
    expect(sorted(rows)).toEqual(sorted(dataLinesOf(adaLog(1, 101))));
    expect(copies()).toEqual([]);
    expect(next.stderr()).toMatch(COPY_SENT);
  });
});
