import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { CreateBucketCommand, PutBucketPolicyCommand, S3Client } from '@aws-sdk/client-s3';
import { freePort, startMotoOn } from '../../../test-support/own-moto';
import { motoClientConfig, requireServices, SAMPLES_DIR } from '../../../test-support/services';
import { tcpGate } from '../../../test-support/tcp-gate';
import { runUpload } from '../../cli/commands/upload';
import { motoStore } from '../store/moto-store.test-support';
import type { Store } from '../store/types';
import { collectIo, dataLinesOf, rawLines, sorted } from './agent.test-support';
import { createAgent } from './index';

const ADA = readFileSync(join(SAMPLES_DIR, 'gpuz', 'nvidia-ada-pwrsrc-gpuz-2024.txt'));
const SESSIONS = readFileSync(join(SAMPLES_DIR, 'gpuz', 'amd-radeon-hbm2-gpuz-2020-12-sessions.txt'));

const lines = (bytes: Buffer, from: number, to?: number) =>
  Buffer.from(
    bytes
      .toString('latin1')
      .split(/(?<=\n)/)
      .slice(from, to)
      .join(''),
    'latin1',
  );

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'gpuz-agent-int-'));
}

describe('upload agent against moto', () => {
  const services = requireServices();
  const s3 = new S3Client(motoClientConfig(services));
  const newBucket = async (prefix: string) => {
    const bucket = `${prefix}-${Math.random().toString(36).slice(2, 10)}`;
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    return bucket;
  };
  const storeFor = (bucket: string, endpoint = services.motoEndpoint) =>
    motoStore(bucket, { endpoint, maxAttempts: 1 });

  it('uploads every session with metadata; a second run over a fresh state folder asks the store and sends nothing again', async () => {
    const dir = tempDir();
    const bucket = await newBucket('agent-up');
    const log = join(dir, 'log.txt');
    writeFileSync(log, SESSIONS);
    const options = {
      file: log,
      bucket,
      endpoint: services.motoEndpoint,
      region: services.region,
      watch: false,
      compress: true,
      estimate: false,
      host: 'Gaming PC',
      tz: 'UTC',
    };
    const io = collectIo();
    expect(await runUpload({ ...options, stateDir: join(dir, 'state-a') }, io)).toBe(0);
    expect(io.text()).toContain('Uploaded 12 batches, 1,673 rows read');
    const store = storeFor(bucket);
    const first = await store.list('raw/');
    expect(first).toHaveLength(12);
    expect(first[0]!.key).toMatch(/^raw\/gaming-pc\/2020\/03\/16\/[0-9a-f]{12}-0-\d+\.csv\.gz$/);
    const object = (await store.get(first[0]!.key))!;
    expect(object.metadata).toMatchObject({
      rows: '441',
      timezone: 'UTC',
      'first-local': '2020-03-16 17:13:05',
    });
    expect(gunzipSync(object.body).subarray(0, 30).toString('latin1')).toBe(
      SESSIONS.subarray(0, 30).toString('latin1'),
    );

    // A lost state folder (a new PC, a reinstall): the store's keys say what it holds of this log (one LIST, one GET).
    const again = collectIo();
    expect(await runUpload({ ...options, stateDir: join(dir, 'state-b') }, again)).toBe(0);
    expect(again.text()).toContain('PUT requests: 0;');
    expect(again.text()).toMatch(/note: No checkpoint knew this log; the store holds it up to byte \d+/);
    const second = await store.list('raw/');
    expect(second.map((o) => o.key)).toEqual(first.map((o) => o.key));
    expect(sorted((await rawLines(store)).data)).toEqual(sorted(dataLinesOf(SESSIONS)));
    rmSync(dir, { recursive: true, force: true });
  });

  it('stops at once with worded advice for a missing bucket and for a bucket policy that denies PutObject', async () => {
    const dir = tempDir();
    const log = join(dir, 'log.txt');
    writeFileSync(log, ADA);
    const base = {
      file: log,
      endpoint: services.motoEndpoint,
      region: services.region,
      watch: false,
      compress: true,
      estimate: false,
      tz: 'UTC',
    };
    const missing = collectIo();
    expect(
      await runUpload({ ...base, bucket: `absent-${Date.now()}`, stateDir: join(dir, 's1') }, missing),
    ).toBe(2);
    expect(missing.text()).toMatch(/the bucket "absent-\d+" does not exist — Run the wizard/);
    // A first run asks the store what it holds of the log (one LIST): the missing bucket stops it before any PUT.
    expect(missing.text()).toContain('PUT requests: 0;');

    const denied = await newBucket('agent-deny');
    await s3.send(
      new PutBucketPolicyCommand({
        Bucket: denied,
        Policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            { Effect: 'Deny', Principal: '*', Action: 's3:PutObject', Resource: `arn:aws:s3:::${denied}/*` },
          ],
        }),
      }),
    );
    const io = collectIo();
    expect(await runUpload({ ...base, bucket: denied, stateDir: join(dir, 's2') }, io)).toBe(2);
    expect(io.text()).toContain(
      `S3 refused the upload to "${denied}": access denied — The credentials lack s3:PutObject`,
    );
    expect(io.text()).toContain('PUT requests: 1;');
    rmSync(dir, { recursive: true, force: true });
  });

  it('Upload now pressed at a start without network is kept: the rows go as soon as the store answers, not an interval later', async () => {
    // Prepare: the bucket behind a shut gate before the agent starts (a PC booting offline), an hour's interval
    const dir = tempDir();
    const bucket = await newBucket('agent-press');
    const gate = await tcpGate(Number(new URL(services.motoEndpoint).port));
    gate.shut();
    const log = join(dir, 'log.txt');
    writeFileSync(log, lines(ADA, 0, 31));
    const store = storeFor(bucket, `http://127.0.0.1:${gate.port}`);
    const agent = createAgent({
      logPath: log,
      host: 'pc',
      timeZone: 'UTC',
      stateDir: join(dir, 'state'),
      intervalMs: 60 * 60_000,
      pollMs: 50,
      compress: true,
      store,
      retry: { baseMs: 100, maxMs: 400 },
    });
    await agent.start();

    // Act: the press cannot read the log (the store is not asked yet what it holds of it); then the network is back
    await agent.uploadNow();
    const pressed = agent.status();
    gate.open();
    const opened = Date.now();
    await vi.waitFor(async () => expect((await rawLines(store)).data).toHaveLength(30), {
      timeout: 10_000,
      interval: 100,
    });
    const sentAfter = Date.now() - opened;
    const stored = (await rawLines(store)).data;
    await agent.stop();
    await gate.close();

    // Assess: offline with nothing spooled at the press; every row sent once, seconds after the store answered
    expect(pressed).toMatchObject({ state: 'offline', spool: { batches: 0 }, counters: { rowsRead: 0 } });
    expect(sentAfter).toBeLessThan(5_000);
    expect(sorted(stored)).toEqual(sorted(dataLinesOf(lines(ADA, 0, 31))));
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps tailing through an S3 outage (own moto killed and restarted) and delivers every line once', async () => {
    const dir = tempDir();
    const port = await freePort();
    let moto = await startMotoOn(port);
    // The agent reaches moto through a gate: a restarted moto has no bucket until the test creates it again,
    // and an agent that got there first would (rightly) stop at BUCKET_MISSING. The gate stays shut until then.
    const gate = await tcpGate(port);
    const endpoint = `http://127.0.0.1:${gate.port}`;
    const ownS3 = new S3Client({ ...motoClientConfig(services), endpoint: `http://127.0.0.1:${port}` });
    await ownS3.send(new CreateBucketCommand({ Bucket: 'outage' }));
    // What the first server confirmed dies with it (moto keeps objects in memory): remember confirmed PUTs.
    const confirmed = new Map<string, Uint8Array>();
    const real = storeFor('outage', endpoint);
    const store: Store = {
      ...real,
      kind: real.kind,
      description: real.description,
      put: async (key, body, options) => {
        const result = await real.put(key, body, options);
        confirmed.set(key, body);
        return result;
      },
    };
    const log = join(dir, 'log.txt');
    writeFileSync(log, lines(ADA, 0, 20));
    const agent = createAgent(
      {
        logPath: log,
        host: 'pc',
        timeZone: 'UTC',
        stateDir: join(dir, 'state'),
        intervalMs: 200,
        pollMs: 50,
        compress: true,
        store,
        retry: { baseMs: 100, maxMs: 400 },
      },
      {},
    );
    await agent.start();
    const states: string[] = [];
    agent.onStatus((s) => states.push(s.state));
    let next = 20;
    const grow = async (until: number) => {
      for (; next < until; next += 10) {
        appendFileSync(log, lines(ADA, next, next + 10));
        await delay(80);
      }
    };
    await grow(100);
    // Under load a PUT to moto can take longer than the growth above: wait for two confirmed, not a fixed time.
    await vi.waitFor(() => expect(confirmed.size).toBeGreaterThan(1), { timeout: 20_000 });
    const beforeOutage = new Set(confirmed.keys());
    gate.shut();
    moto.kill('SIGKILL');
    await grow(200);
    expect(states).toContain('offline');
    expect(agent.status().spool.batches).toBeGreaterThan(0);
    moto = await startMotoOn(port);
    await ownS3.send(new CreateBucketCommand({ Bucket: 'outage' }));
    gate.open();
    await grow(357);
    await agent.stop();
    const afterRestart = await real.list('raw/');
    for (const listed of afterRestart) {
      expect(
        Buffer.from((await real.get(listed.key))!.body).equals(Buffer.from(confirmed.get(listed.key)!)),
      ).toBe(true);
    }
    expect(afterRestart.length + beforeOutage.size).toBeGreaterThanOrEqual(confirmed.size);
    moto.kill('SIGKILL');
    await gate.close();

    expect(agent.status().spool.batches).toBe(0);
    // S3 semantics: a key PUT again replaces the object; union by key of both servers' confirmed objects.
    const union = new Map(confirmed);
    const decoded = [...union.values()].flatMap((body) => dataLinesOf(gunzipSync(body)));
    expect(decoded).toHaveLength(356);
    expect(sorted(decoded)).toEqual(sorted(dataLinesOf(ADA)));
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);
});

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
