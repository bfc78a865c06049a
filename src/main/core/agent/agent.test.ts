import {
  appendFileSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  truncateSync,
  unlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gunzipSync } from 'node:zlib';
import type { UploadProgress, UploadRecord } from '../../../shared/agent-status';
import { SAMPLES_DIR } from '../../../test-support/services';
import { createLocalStore } from '../store/local';
import type { Store } from '../store/types';
import { adaLog, dataLinesOf, rawLines, sorted } from './agent.test-support';
import { type AgentConfig, createAgent } from './index';

const sample = (name: string) => readFileSync(join(SAMPLES_DIR, 'gpuz', name));
const SESSIONS = sample('amd-radeon-hbm2-gpuz-2020-12-sessions.txt');
const ADA = sample('nvidia-ada-pwrsrc-gpuz-2024.txt');
const NUL = sample('igpu-gpuz-2024-nul-gap-after-header.txt');
const LF3 = sample('nvidia-gpuz-2016-old-names-lf-3-sessions.txt');

function lines(bytes: Buffer, from: number, to?: number): Buffer {
  const all = bytes.toString('latin1').split(/(?<=\n)/);
  return Buffer.from(all.slice(from, to).join(''), 'latin1');
}

function setup(overrides: Partial<AgentConfig> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'gpuz-agent-'));
  const logPath = join(dir, 'GPU-Z Sensor Log.txt');
  const store = createLocalStore({ root: join(dir, 'store') });
  const config: AgentConfig = {
    logPath,
    host: 'test-pc',
    timeZone: 'UTC',
    stateDir: join(dir, 'state'),
    intervalMs: 60 * 60_000,
    compress: true,
    store,
    watch: false,
    ...overrides,
  };
  const once = async (extra: Partial<AgentConfig> = {}, deps = {}) => {
    const agent = createAgent({ ...config, ...extra }, deps);
    await agent.start();
    await agent.uploadNow();
    await agent.stop();
    return agent;
  };
  return { dir, logPath, store, config, once, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

describe('upload agent (local store, one-shot)', () => {
  it('uploads each logging session as its own batch, and nothing again on a second run', async () => {
    const t = setup();
    writeFileSync(t.logPath, SESSIONS);
    const first = await t.once();
    const got = await rawLines(t.store);
    expect(got.objects).toBe(12);
    expect(sorted(got.data)).toEqual(sorted(dataLinesOf(SESSIONS)));
    expect(first.status().counters).toMatchObject({
      rowsRead: 1673,
      batchesUploaded: 12,
      bytesRead: SESSIONS.length,
    });
    const second = await t.once();
    expect(second.status().counters.requests.put).toBe(12);
    expect((await rawLines(t.store)).objects).toBe(12);
    // The second run sent nothing: its last upload is the first run's newest one, from the kept history, not "—".
    const last = second.status().lastUploadAt;
    expect(last).toBe(first.history().find((r) => r.status === 'uploaded')!.at);
    expect(Math.abs(Date.parse(last!) - Date.parse(first.status().lastUploadAt!))).toBeLessThan(1000);
    t.cleanup();
  });

  it('holds a partial last line until its line feed arrives', async () => {
    const t = setup();
    const head = lines(ADA, 0, 11);
    const line11 = lines(ADA, 11, 12);
    writeFileSync(t.logPath, Buffer.concat([head, line11.subarray(0, 20)]));
    await t.once();
    expect((await rawLines(t.store)).data).toHaveLength(10);
    appendFileSync(t.logPath, Buffer.concat([line11.subarray(20), lines(ADA, 12, 40)]));
    await t.once();
    const got = await rawLines(t.store);
    expect(sorted(got.data)).toEqual(sorted(dataLinesOf(lines(ADA, 0, 40))));
    expect(got.objects).toBe(2);
    t.cleanup();
  });

  it('prepends the session header to a batch that starts mid-session', async () => {
    const t = setup();
    writeFileSync(t.logPath, lines(ADA, 0, 20));
    await t.once();
    appendFileSync(t.logPath, lines(ADA, 20, 30));
    await t.once();
    const objects = await t.store.list('raw/');
    const second = objects.find((o) => !o.key.includes('-0-'));
    const body = await import('node:zlib').then(async (z) =>
      z.gunzipSync((await t.store.get(second!.key))!.body),
    );
    expect(body.subarray(0, 40).toString('latin1')).toBe(lines(ADA, 0, 1).subarray(0, 40).toString('latin1'));
    expect((await t.store.get(second!.key))!.metadata).toMatchObject({ rows: '10', timezone: 'UTC' });
    t.cleanup();
  });

  it('starts over on truncation, keeping what was read before', async () => {
    const t = setup();
    writeFileSync(t.logPath, ADA);
    await t.once();
    truncateSync(t.logPath, 0);
    writeFileSync(t.logPath, lines(LF3, 0, 50));
    await t.once();
    const got = await rawLines(t.store);
    expect(sorted(got.data)).toEqual(sorted([...dataLinesOf(ADA), ...dataLinesOf(lines(LF3, 0, 50))]));
    t.cleanup();
  });

  it('detects a replacement by a new, longer file under the same name', async () => {
    const t = setup();
    writeFileSync(t.logPath, lines(ADA, 0, 30));
    await t.once();
    unlinkSync(t.logPath);
    writeFileSync(t.logPath, LF3);
    const agent = await t.once();
    const got = await rawLines(t.store);
    expect(sorted(got.data)).toEqual(sorted([...dataLinesOf(lines(ADA, 0, 30)), ...dataLinesOf(LF3)]));
    expect(agent.status().counters.bytesRead).toBe(lines(ADA, 0, 30).length + LF3.length);
    t.cleanup();
  });

  it('seals at a GPU-Z restart with a different header, so no batch mixes two sensor sets', async () => {
    const t = setup();
    writeFileSync(t.logPath, lines(ADA, 0, 30));
    appendFileSync(t.logPath, lines(LF3, 0, 30));
    await t.once();
    const objects = await t.store.list('raw/');
    expect(objects).toHaveLength(2);
    const got = await rawLines(t.store);
    expect(sorted(got.headers)).toEqual(
      sorted([lines(ADA, 0, 1), lines(LF3, 0, 1)].map((b) => b.toString('latin1'))),
    );
    t.cleanup();
  });

  it('waits for a deleted log and continues with the re-created one', async () => {
    const t = setup();
    writeFileSync(t.logPath, lines(ADA, 0, 30));
    await t.once();
    unlinkSync(t.logPath);
    const missing = await t.once();
    expect(missing.status().lastError?.code).toBe('LOG_MISSING');
    writeFileSync(t.logPath, lines(LF3, 0, 40));
    await t.once();
    const got = await rawLines(t.store);
    expect(sorted(got.data)).toEqual(
      sorted([...dataLinesOf(lines(ADA, 0, 30)), ...dataLinesOf(lines(LF3, 0, 40))]),
    );
    t.cleanup();
  });

  it('ships the real NUL-gap log: the glued row once, later batches get the header without the NUL run', async () => {
    const t = setup({ maxBatchBytes: 41_000 });
    writeFileSync(t.logPath, NUL);
    await t.once();
    const objects = await t.store.list('raw/');
    expect(objects.length).toBeGreaterThan(1);
    let rows = 0;
    for (const o of objects) {
      const stored = (await t.store.get(o.key))!;
      rows += Number(stored.metadata.rows);
      const { gunzipSync } = await import('node:zlib');
      const body = gunzipSync(stored.body);
      if (!o.key.includes('-0-')) expect(body.includes(0)).toBe(false);
    }
    expect(rows).toBe(47);
    expect(sorted((await rawLines(t.store)).data)).toEqual(sorted(dataLinesOf(NUL)));
    t.cleanup();
  });

  it('a NUL hole of megabytes (a power cut): skipped and said once, every row once, and a restart sends nothing again', async () => {
    // Before, the hole's bytes were dropped uncounted: the batches after it and the checkpoint named ranges 3 MiB
    // short of their place, and the next start, finding other bytes there, sent the rest of the log again (lived
    // with 30 MiB of garbage in a growing log: 160 rows stored twice after a restart).
    const t = setup();
    const hole = Buffer.alloc((3 << 20) + 1000);
    writeFileSync(t.logPath, Buffer.concat([lines(ADA, 0, 40), hole, lines(ADA, 40, 80)]));
    const first = await t.once();
    const second = await t.once();
    // The hole's last 1,000 NULs come with the row GPU-Z wrote after them, as a shorter hole does (processing reads
    // a NUL run as a line end).
    const got = await rawLines(t.store);
    expect(sorted(got.data.map((line) => line.replaceAll('\0', '')))).toEqual(
      sorted(dataLinesOf(lines(ADA, 0, 80))),
    );
    const skipped = (first.status().notices ?? []).filter((n) => n.code === 'LINE_DAMAGED');
    expect(skipped.map((n) => n.message)).toEqual([
      expect.stringContaining(
        `Skipped 3.0 MiB (3,145,728 bytes) at byte ${lines(ADA, 0, 40).length.toLocaleString('en-US')} of the log`,
      ),
    ]);
    expect(first.status().counters.bytesDamaged).toBe(3 << 20);
    // The counters are kept across starts: the second run added no row.
    expect(second.status().counters.rowsUploaded).toBe(first.status().counters.rowsUploaded);
    t.cleanup();
  });

  it('resumes from the spool after a crash between spooling and the checkpoint: no range cut twice', async () => {
    const t = setup({ maxBatchBytes: 4096 });
    writeFileSync(t.logPath, lines(ADA, 0, 100));
    const paused = createAgent(t.config);
    await paused.start();
    paused.pause();
    await paused.uploadNow();
    await paused.stop();
    const spooled = paused.status().spool.batches;
    expect(spooled).toBeGreaterThan(3);
    rmSync(join(t.config.stateDir, 'checkpoint.json'));
    appendFileSync(t.logPath, lines(ADA, 100, 150));
    await t.once();
    const got = await rawLines(t.store);
    expect(got.data).toHaveLength(149);
    expect(sorted(got.data)).toEqual(sorted(dataLinesOf(lines(ADA, 0, 150))));
    t.cleanup();
  });

  it('drops the oldest batches at the spool cap, counted and reported', async () => {
    const t = setup({ maxBatchBytes: 4096, spoolCapBytes: 3000, compress: false });
    writeFileSync(t.logPath, lines(ADA, 0, 100));
    const agent = createAgent(t.config);
    await agent.start();
    agent.pause();
    await agent.uploadNow();
    await agent.stop();
    const status = agent.status();
    expect(status.counters.batchesDropped).toBeGreaterThan(0);
    expect(status.spool.batches).toBe(1);
    expect(status.lastError?.code).toBe('SPOOL_FULL');
    expect(agent.history().filter((r) => r.status === 'dropped')).toHaveLength(
      status.counters.batchesDropped,
    );
    t.cleanup();
  });

  it('counts a failing processing hook without failing the upload, and processes that batch at the next start', async () => {
    const t = setup();
    writeFileSync(t.logPath, ADA);
    const seen: string[] = [];
    const agent = await t.once(
      {},
      {
        onRawStored: async (key: string) => {
          seen.push(key);
          throw new Error('processor broke');
        },
      },
    );
    expect(seen).toHaveLength(1);
    expect(agent.status().counters).toMatchObject({ batchesUploaded: 1, processingFailures: 1 });
    expect(agent.status().lastError?.code).toBe('PROCESSING_FAILED');
    // Not sent again by that run; kept in the spool for the next one.
    expect(agent.status().spool.batches).toBe(1);
    const processed: string[] = [];
    const next = await t.once(
      {},
      {
        onRawStored: async (key: string) => {
          processed.push(key);
        },
      },
    );
    expect(processed).toEqual(seen);
    expect(next.status().spool.batches).toBe(0);
    // Sent twice (two PUTs, both real requests), stored once: the batch, its rows and bytes count once.
    const first = agent.status().counters;
    expect(next.status().counters).toMatchObject({
      batchesUploaded: 1,
      rowsUploaded: 356,
      rawBytesUploaded: first.rawBytesUploaded,
      compressedBytesUploaded: first.compressedBytesUploaded,
      requests: { put: 2 },
    });
    t.cleanup();
  });

  it('counts a batch sent again once even when the crash came before its upload reached the upload history', async () => {
    // Prepare: a first run stores the batch and stops before its processing is done (the hook fails); then its
    // upload history is taken away — what a kill between the counters' write and the history's write leaves
    const t = setup();
    writeFileSync(t.logPath, ADA);
    const first = await t.once({}, { onRawStored: () => Promise.reject(new Error('killed')) });
    const firstCounters = first.status().counters;
    rmSync(join(t.config.stateDir, 'uploads.json'));

    // Act
    const next = await t.once({}, { onRawStored: async () => {} });

    // Assess: sent twice, stored once, counted once; the mark is gone once the batch left the spool
    expect(next.status().spool.batches).toBe(0);
    expect(next.status().counters).toMatchObject({
      batchesUploaded: 1,
      rowsUploaded: 356,
      rawBytesUploaded: firstCounters.rawBytesUploaded,
      requests: { put: 2 },
    });
    expect(JSON.parse(readFileSync(join(t.config.stateDir, 'stats.json'), 'utf8'))).not.toHaveProperty(
      'countedInSpool',
    );
    t.cleanup();
  });

  it('hands each stored batch to the processing hook with its log bytes, at most 2 at a time, and returns after the last', async () => {
    // Prepare: ADA in batches of 4 KiB, each hook held open for a while
    const t = setup({ maxBatchBytes: 4096 });
    writeFileSync(t.logPath, ADA);
    let inFlight = 0;
    let most = 0;
    const handed = new Map<string, Buffer>();
    const done: string[] = [];

    // Act
    const agent = await t.once(
      {},
      {
        onRawStored: async (key: string, _store: unknown, stored: { body: Uint8Array }) => {
          inFlight += 1;
          most = Math.max(most, inFlight);
          handed.set(key, Buffer.from(stored.body));
          await new Promise((resolve) => setTimeout(resolve, 20));
          inFlight -= 1;
          done.push(key);
        },
      },
    );

    // Assess
    const objects = await t.store.list('raw/');
    expect(objects.length).toBeGreaterThan(10);
    expect(done.sort()).toEqual(objects.map((o) => o.key).sort());
    expect(most).toBe(2);
    for (const { key } of objects) {
      expect(handed.get(key)!.equals(gunzipSync((await t.store.get(key))!.body))).toBe(true);
    }
    expect(agent.status().counters.processingFailures ?? 0).toBe(0);
    t.cleanup();
  });

  it('reads on while stored batches are processed: two wait to be sent while two are processed', async () => {
    // Prepare: ADA in batches of 4 KiB; the first two batches' processing holds until the spool shows what was read
    // ahead (two batches in processing is as many as the queue lets out before it waits)
    const t = setup({ maxBatchBytes: 4096 });
    writeFileSync(t.logPath, ADA);
    const spooled = () =>
      readdirSync(join(t.config.stateDir, 'spool')).filter((n) => n.endsWith('.json')).length;
    let processing = 0;
    let aheadWhileProcessing = 0;
    /** One watch of the spool for both held batches, from the first one's start: done once four are spooled. */
    let readAhead: Promise<void> | undefined;
    const watchSpool = async () => {
      for (let waited = 0; aheadWhileProcessing < 4 && waited < 10_000; waited += 5) {
        aheadWhileProcessing = Math.max(aheadWhileProcessing, spooled());
        await sleep(5);
      }
    };

    // Act
    const agent = await t.once(
      {},
      {
        onRawStored: async () => {
          processing += 1;
          if (processing > 2) return;
          // Each held batch polling on its own missed the moment now and then (the spool goes below four as soon as
          // the other's processing ends) and sat out its whole wait: the test took 1–10 s; the agent is not slow.
          readAhead ??= watchSpool();
          await readAhead;
        },
      },
    );

    // Assess: before, reading stopped at two spooled batches until both were processed (lockstep)
    expect(aheadWhileProcessing).toBeGreaterThanOrEqual(4);
    expect(agent.status().spool.batches).toBe(0);
    expect((await t.store.list('raw/')).length).toBeGreaterThan(10);
    t.cleanup();
  });

  it('sends plain text with --no-compress and keeps the live view', async () => {
    const t = setup({ compress: false });
    writeFileSync(t.logPath, ADA);
    const agent = await t.once();
    const [object] = await t.store.list('raw/');
    expect(object!.key).toMatch(/^raw\/test-pc\/2024\/04\/20\/[0-9a-f]{12}-0-\d+\.csv$/);
    expect(Buffer.from((await t.store.get(object!.key))!.body).equals(ADA)).toBe(true);
    const live = agent.live();
    expect(live.rows).toHaveLength(356);
    expect(live.columns.length).toBe(22);
    t.cleanup();
  });

  it('without a live view (upload without --watch): every row counted and sent, none kept for the Overview', async () => {
    const t = setup({ liveView: false });
    writeFileSync(t.logPath, ADA);
    const agent = await t.once();
    const [object] = await t.store.list('raw/');
    expect(gunzipSync((await t.store.get(object!.key))!.body).equals(ADA)).toBe(true);
    expect(agent.status().counters.rowsRead).toBe(356);
    expect(agent.live().rows).toEqual([]);
    t.cleanup();
  });
});

describe('upload agent: batches not stored yet (pending)', () => {
  it('lists the open batch as read so far, then the spooled batch while paused, then nothing once uploaded', async () => {
    const t = setup({ watch: true, pollMs: 20 });
    writeFileSync(t.logPath, lines(ADA, 0, 30));
    const expected = dataLinesOf(lines(ADA, 0, 30));
    const agent = createAgent(t.config);
    await agent.start();
    await vi.waitFor(() => expect(agent.pending().map((p) => p.rows)).toEqual([expected.length]));
    const [open] = agent.pending();
    expect(open!.rawKey).toMatch(/^raw\/test-pc\/\d{4}\/\d{2}\/\d{2}\/[0-9a-f]+-0-\d+\.csv$/);
    expect(dataLinesOf(await open!.body())).toEqual(expected);

    agent.pause();
    await agent.uploadNow(); // seals into the spool; paused, so nothing is sent
    const [spooled, ...rest] = agent.pending();
    expect(rest).toEqual([]);
    expect(spooled!.batchId).toBe(open!.batchId);
    expect(spooled!.rawKey).toBe(`${open!.rawKey}.gz`);
    expect(dataLinesOf(gunzipSync(await spooled!.body()))).toEqual(expected);

    agent.resume();
    await agent.stop();
    expect(agent.pending()).toEqual([]);
    expect((await rawLines(t.store)).data).toEqual(expected);
    t.cleanup();
  });
});

describe('upload agent: its lock file deleted while it runs', () => {
  it('writes it again at each look, and says so once a run', async () => {
    const t = setup({ watch: true, pollMs: 20 });
    writeFileSync(t.logPath, lines(ADA, 0, 10));
    const agent = createAgent(t.config);
    await agent.start();
    const lock = join(t.config.stateDir, 'agent.lock');
    for (let i = 0; i < 3; i++) {
      unlinkSync(lock);
      await vi.waitFor(() => expect(readFileSync(lock, 'utf8')).toContain(`"pid":${process.pid}`));
    }
    const said = (agent.status().notices ?? []).filter((n) => n.code === 'LOCK_RESTORED').length;
    await agent.stop();
    expect(said).toBe(1);
    t.cleanup();
  });
});

describe('upload agent: paused before its start (the app keeps the person’s pause for each agent it opens)', () => {
  it('sends nothing, not even a batch retried by hand, until resumed', async () => {
    const t = setup({ watch: true, pollMs: 20 });
    writeFileSync(t.logPath, lines(ADA, 0, 30));
    const agent = createAgent(t.config);
    agent.pause();
    await agent.start();
    await agent.uploadNow(); // seals into the spool
    const [spooled] = agent.pending();
    await agent.retry(spooled!.batchId);
    const whilePaused = { state: agent.status().state, stored: (await rawLines(t.store)).data.length };
    agent.resume();
    await agent.stop();
    // before, the queue had not heard of a pause given before it existed, and the retry sent the batch
    expect(whilePaused).toEqual({ state: 'paused', stored: 0 });
    expect((await rawLines(t.store)).data).toEqual(dataLinesOf(lines(ADA, 0, 30)));
    t.cleanup();
  });
});

describe('upload agent: behind on a long log (catch-up)', () => {
  /** The Ada sample's rows, one second apart from 2024-04-20 00:00:00 UTC, until the log holds `bytes`. */
  function longLog(bytes: number): Buffer {
    const [header, ...rows] = ADA.toString('latin1')
      .split('\r\n')
      .filter((line) => line !== '');
    const out = [`${header}\r\n`];
    let size = out[0]!.length;
    for (let i = 0; size < bytes; i++) {
      const stamp = new Date(Date.UTC(2024, 3, 20) + i * 1000).toISOString().slice(0, 19).replace('T', ' ');
      const line = `${stamp}${rows[i % rows.length]!.slice(19)}\r\n`;
      out.push(line);
      size += line.length;
    }
    return Buffer.from(out.join(''), 'latin1');
  }

  it('says how much of a 24 MB log waits while paused, counts the bytes stored once resumed, and is over when all is stored', async () => {
    // Prepare: the second raw batch's PUT waits until released, so the share between the two is seen on any machine
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    let rawPuts = 0;
    const t = setup({ watch: true, pollMs: 20 });
    const store: Store = {
      ...t.store,
      put: async (key, body, options) => {
        if (key.startsWith('raw/') && ++rawPuts === 2) await held;
        return t.store.put(key, body, options);
      },
    };
    const log = longLog(24_000_000);
    writeFileSync(t.logPath, log);
    const agent = createAgent({ ...t.config, store });
    agent.pause();
    await agent.start();
    // Paused: the log is read into sealed 8 MiB batches that wait in the spool (pending), and an open one that waits
    // for the interval (not pending: it goes at the next upload, catching up or not).
    await vi.waitFor(() =>
      expect(agent.status().catchUp?.pendingBytes).toBeGreaterThanOrEqual(16 * 1024 * 1024),
    );
    expect(agent.status().catchUp).toMatchObject({ doneBytes: 0, etaSeconds: null });
    // Act: resumed, the first batch is stored and the second waits
    agent.resume();
    await vi.waitFor(() => expect(agent.status().catchUp?.doneBytes).toBeGreaterThan(0));
    const now = agent.status();
    release();
    await vi.waitFor(() => expect(agent.status().catchUp ?? null).toBeNull(), { timeout: 20_000 });
    await agent.uploadNow();
    await agent.stop();
    // Assess: the first batch's bytes done (all stored since the catch-up began), the second's still pending; then
    // nothing left, and every row stored once
    expect(now.catchUp?.doneBytes).toBe(now.counters.rawBytesUploaded);
    expect(now.catchUp?.pendingBytes).toBeGreaterThan(1024 * 1024);
    expect((await rawLines(t.store)).data.length).toBe(dataLinesOf(log).length);
    t.cleanup();
  }, 30_000);

  it('a restart goes on with the catch-up under way: the bar stands where it stood, not at 0 % of what is left', async () => {
    // Prepare: the store refuses raw batches after the first (an outage), so the catch-up stops part way
    let refusing = true;
    let rawPuts = 0;
    const t = setup({ watch: true, pollMs: 20, retry: { baseMs: 20, maxMs: 100 }, stopFlushMs: 200 });
    const store: Store = {
      ...t.store,
      put: async (key, body, options) => {
        if (refusing && key.startsWith('raw/') && ++rawPuts >= 2)
          throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
        return t.store.put(key, body, options);
      },
    };
    const log = longLog(24_000_000);
    writeFileSync(t.logPath, log);
    const first = createAgent({ ...t.config, store });
    await first.start();
    await vi.waitFor(() => expect(first.status().catchUp?.doneBytes).toBeGreaterThan(0));
    const before = first.status().catchUp!;
    await first.stop();
    // Act: the app starts again (a reboot), the store answers again
    refusing = false;
    const second = createAgent({ ...t.config, store });
    await second.start();
    const after = second.status().catchUp;
    await vi.waitFor(() => expect(second.status().catchUp ?? null).toBeNull(), { timeout: 20_000 });
    await second.uploadNow();
    await second.stop();
    // Assess: the same catch-up, with what was done before the restart; then every row stored once
    expect(before.pendingBytes).toBeGreaterThan(1024 * 1024);
    expect(after).toMatchObject({ since: before.since });
    expect(after!.doneBytes).toBeGreaterThanOrEqual(before.doneBytes);
    expect((await rawLines(t.store)).data.length).toBe(dataLinesOf(log).length);
    t.cleanup();
  }, 30_000);
});

describe('upload agent: another target (a deploy moves it from the local folder to its bucket)', () => {
  const count = (data: string[]) => {
    const seen = new Map<string, number>();
    for (const line of data) seen.set(line, (seen.get(line) ?? 0) + 1);
    return seen;
  };

  it('sends the log again to the new store and says so; nothing twice to either store, also when it comes back', async () => {
    const t = setup();
    const first = lines(SESSIONS, 0, 600);
    writeFileSync(t.logPath, first);
    await t.once();
    const other = createLocalStore({ root: join(t.dir, 'store-b') });
    const onOther = await t.once({ store: other });
    // Before: only rows the log got after the change went to the new store (here: none of the 600).
    expect(sorted((await rawLines(other)).data)).toEqual(sorted(dataLinesOf(first)));
    expect(onOther.status().notices).toContainEqual(
      expect.objectContaining({
        code: 'TARGET_CHANGED',
        message: expect.stringMatching(
          /^The target changed from the local folder \/.+\/store to the local folder \/.+\/store-b: the log is read again from what .+ holds of it, so the rows sent before the change go there too\.$/,
        ),
      }),
    );
    const objects = (await rawLines(other)).objects;
    const again = await t.once({ store: other });
    expect((await rawLines(other)).objects).toBe(objects);
    expect((again.status().notices ?? []).map((n) => n.code)).not.toContain('TARGET_CHANGED');
    // Back to the first store, which holds the first 600 lines: only what the log got since goes there.
    appendFileSync(t.logPath, lines(SESSIONS, 600));
    await t.once();
    expect(sorted((await rawLines(t.store)).data)).toEqual(sorted(dataLinesOf(SESSIONS)));
    t.cleanup();
  });

  it('names the store in a checkpoint from before stores were named at the next start, so a later change is seen', async () => {
    const t = setup();
    writeFileSync(t.logPath, lines(SESSIONS, 0, 600));
    await t.once();
    const path = join(t.config.stateDir, 'checkpoint.json');
    const { store: _, ...older } = JSON.parse(readFileSync(path, 'utf8'));
    writeFileSync(path, JSON.stringify(older));
    await t.once(); // nothing new to seal: the checkpoint is written at the start
    expect(JSON.parse(readFileSync(path, 'utf8')).store).toBe(`local:${join(t.dir, 'store')}`);
    const other = createLocalStore({ root: join(t.dir, 'store-b') });
    await t.once({ store: other });
    expect(sorted((await rawLines(other)).data)).toEqual(sorted(dataLinesOf(lines(SESSIONS, 0, 600))));
    t.cleanup();
  });

  it('sends the batches the old store never took to the new one too, and reads the log again for it', async () => {
    const t = setup({ retry: { maxAttempts: 1, baseMs: 1, maxMs: 1 }, stopFlushMs: 100 });
    writeFileSync(t.logPath, lines(SESSIONS, 0, 600));
    const { store: unreachable } = behindNetwork(t.store);
    await t.once({ store: unreachable });
    const waiting = readdirSync(join(t.config.stateDir, 'spool')).filter((f) => f.endsWith('.json')).length;
    expect(waiting).toBeGreaterThan(0);
    // GPU-Z goes on in the same session: the range of the last waiting batch is cut longer this time.
    appendFileSync(t.logPath, lines(SESSIONS, 600, 700));
    const other = createLocalStore({ root: join(t.dir, 'store-b') });
    const onOther = await t.once({ store: other });
    expect(onOther.status().notices).toContainEqual(
      expect.objectContaining({
        code: 'TARGET_CHANGED',
        message: expect.stringContaining(
          `; ${waiting} batches the old target had not taken yet go there as well`,
        ),
      }),
    );
    // Every line in the new store. A waiting batch cut the same way again has the same key (one object); the last
    // one's rows, cut longer the second time, are in two objects (the charts count them once). None is lost.
    const stored = count((await rawLines(other)).data);
    expect([...stored.keys()].sort()).toEqual(sorted(dataLinesOf(lines(SESSIONS, 0, 700))));
    const twice = [...stored].filter(([, n]) => n === 2).map(([line]) => line);
    expect(sorted(twice)).toEqual(sorted(dataLinesOf(lines(SESSIONS, 576, 600))));
    expect(Math.max(...stored.values())).toBe(2);
    expect(readdirSync(join(t.config.stateDir, 'spool')).filter((f) => f.endsWith('.json'))).toEqual([]);
    // Settled: a run on the new store with nothing new sends nothing.
    const objects = (await rawLines(other)).objects;
    await t.once({ store: other });
    expect((await rawLines(other)).objects).toBe(objects);
    t.cleanup();
  });

  it('holds the batches cut for the old store until the log has its place in the new one (a stop in between loses nothing)', async () => {
    const t = setup({ retry: { maxAttempts: 1, baseMs: 1, maxMs: 1 }, stopFlushMs: 100 });
    // The old store took the first session; the next three waited in the spool when the target changed.
    writeFileSync(t.logPath, lines(SESSIONS, 0, 442));
    await t.once();
    appendFileSync(t.logPath, lines(SESSIONS, 442, 600));
    await t.once({ store: behindNetwork(t.store).store });
    const other = createLocalStore({ root: join(t.dir, 'store-b') });
    // The new store cannot be asked what it holds (its LIST fails): the log is not placed, so nothing may go there.
    const refusing: Store = {
      ...other,
      list: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' })),
    };
    await t.once({ store: refusing });
    expect((await rawLines(other)).objects).toBe(0);
    // Stopped there (as by a kill): the next start places the log in the new store and sends all of it. Had the
    // waiting batches gone first, it would have found them there and taken the first session for stored too.
    await t.once({ store: other });
    expect([...count((await rawLines(other)).data).keys()].sort()).toEqual(
      sorted(dataLinesOf(lines(SESSIONS, 0, 600))),
    );
    t.cleanup();
  });
});

/** The store behind a network that is down until `network.up = true` (each PUT refused as by a closed port). */
function behindNetwork(inner: Store): { store: Store; network: { up: boolean } } {
  const network = { up: false };
  const refused = () =>
    Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
  const store: Store = {
    ...inner,
    put: (key, body, options) => (network.up ? inner.put(key, body, options) : Promise.reject(refused())),
  };
  return { store, network };
}

describe('upload agent: upload now while the store is out of reach', () => {
  it('answers at the first failed attempt with state offline and advice; the queue sends the batch once the store is back', async () => {
    const t = setup({ watch: true, pollMs: 20, retry: { baseMs: 100, maxMs: 200 } });
    writeFileSync(t.logPath, lines(ADA, 0, 30));
    const { store, network } = behindNetwork(t.store);
    const agent = createAgent({ ...t.config, store });
    await agent.start();
    const started = Date.now();
    await agent.uploadNow();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(agent.status()).toMatchObject({
      state: 'offline',
      lastError: { advice: expect.stringMatching(/spool/) },
    });
    await agent.uploadNow(); // still out of reach, already retrying: answers at once
    expect(agent.status().state).toBe('offline');

    network.up = true;
    await vi.waitFor(() => expect(agent.status().state).toBe('watching'), { timeout: 5_000 });
    expect((await rawLines(t.store)).data).toEqual(dataLinesOf(lines(ADA, 0, 30)));
    await agent.stop();
    t.cleanup();
  });
});

describe('upload agent: the Uploads view through an outage', () => {
  it("says 'retrying' with the next try's time after each failed attempt, Retry answers instead of waiting for the network, and only the PUT that reached the store is counted", async () => {
    // Prepare: watching, the network down before the first batch
    const t = setup({ watch: true, pollMs: 20, retry: { baseMs: 400, maxMs: 400 } });
    writeFileSync(t.logPath, lines(ADA, 0, 30));
    const { store, network } = behindNetwork(t.store);
    // Full jitter may draw a wait of 0 ms (retryAt = at); a fixed draw keeps the wait asserted below
    const agent = createAgent({ ...t.config, store }, { random: () => 0.5 });
    const records: UploadRecord[] = [];
    const progress: UploadProgress[] = [];
    agent.onUpload((r) => records.push(r));
    agent.onProgress((p) => progress.push(p));
    await agent.start();
    await agent.uploadNow();
    const batchId = records[0]!.batchId;

    // Act: Retry while the network is still down, then once it is back
    const pressed = Date.now();
    const answered = await Promise.race([agent.retry(batchId).then(() => 'answered'), sleep(5_000)]);
    const whileDown = Date.now() - pressed;
    const putsWhileDown = agent.status().counters.requests.put;
    network.up = true;
    await agent.retry(batchId);
    await agent.stop();

    // Assess: the refused attempts never reached the store: no request counted for them (they ate a PUT budget)
    expect(putsWhileDown).toBe(0);
    expect(agent.status().counters.requests.put).toBe(1);
    expect(agent.status().counters.requestsThisMonth.put).toBe(1);
    // The batch's records in order — never 'uploading' through the waits between attempts
    const statuses = records.filter((r) => r.batchId === batchId).map((r) => r.status);
    expect(answered).toBe('answered');
    expect(whileDown).toBeLessThan(2_000);
    expect(statuses[0]).toBe('uploading');
    expect(statuses.at(-1)).toBe('uploaded');
    for (let i = 1; i < statuses.length - 1; i++) {
      expect(statuses[i]).toBe(i % 2 === 1 ? 'retrying' : 'uploading');
    }
    const retrying = records.find((r) => r.status === 'retrying')!;
    expect(retrying.error).toMatchObject({ code: expect.any(String), message: expect.any(String) });
    const wait = Date.parse(retrying.retryAt!) - Date.parse(retrying.at);
    expect(wait).toBeGreaterThanOrEqual(199); // 0.5 × 400 ms, ± the clock's millisecond
    expect(wait).toBeLessThanOrEqual(201);
    // A progress event starts each attempt (the view shows its bar only while the batch's newest record is 'uploading')
    expect(progress.filter((p) => p.batchId === batchId && p.sentBytes === 0).length).toBe(
      statuses.filter((s) => s === 'uploading').length,
    );
    t.cleanup();
  });
});

describe('upload agent: stop while the store is out of reach', () => {
  it('ends within the flush time also when reading was waiting for the uploader as the outage began', async () => {
    // Prepare: batches of 4 KiB; the first PUT hangs, so reading waits for the uploader (two batches ahead) while the
    // agent is not offline yet; then the network goes down and every attempt is refused (the outage)
    const t = setup({
      watch: true,
      pollMs: 20,
      maxBatchBytes: 4096,
      retry: { baseMs: 50, maxMs: 100 },
      stopFlushMs: 300,
    });
    writeFileSync(t.logPath, lines(ADA, 0, 200));
    const { store, network } = behindNetwork(t.store);
    let fail: (error: Error) => void = () => {};
    let hung = 0;
    store.put = (_key, _body, options) => {
      hung += 1;
      return new Promise((_resolve, reject) => {
        fail = reject;
        options.signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true });
      });
    };
    const agent = createAgent({ ...t.config, store });
    await agent.start();
    await vi.waitFor(() => expect(hung).toBe(1));
    await vi.waitFor(() => expect(agent.status().spool.batches).toBeGreaterThanOrEqual(2));
    store.put = behindNetwork(t.store).store.put; // refused from now on
    fail(Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET' }));
    await vi.waitFor(() => expect(agent.status().state).toBe('offline'));

    // Act: Ctrl+C, the tray's Quit, a shutdown
    const stopping = Date.now();
    await Promise.race([agent.stop(), sleep(10_000)]);

    // Assess: the stop waited for the look at the log, which waited for the uploader, which retried until the network
    // came back; now it ends after the flush time with the batches in the spool for the next start
    expect(Date.now() - stopping).toBeLessThan(5_000);
    expect(agent.status().state).toBe('stopped');
    expect(agent.pending().length).toBeGreaterThan(0);
    network.up = true;
    t.cleanup();
  });
});

describe('upload agent: reading while the uploader waits between attempts', () => {
  it('the store answering again ends the wait: a log GPU-Z replaced meanwhile keeps its rows', async () => {
    // Prepare: 4 KiB batches; the network is down, so the first PUT fails and the next attempt waits ≈ 60 s (an
    // outage of some minutes reaches that); several batches wait in the spool
    const t = setup({
      watch: true,
      pollMs: 20,
      maxBatchBytes: 4096,
      retry: { baseMs: 60_000, maxMs: 60_000 },
    });
    writeFileSync(t.logPath, adaLog(1, 200));
    const { store, network } = behindNetwork(t.store);
    const agent = createAgent({ ...t.config, store }, { random: () => 0.99 });
    await agent.start();
    await vi.waitFor(() => expect(agent.status().state).toBe('offline'));
    await vi.waitFor(() => expect(agent.status().counters.rowsRead).toBe(199));
    expect(agent.status().spool.batches).toBeGreaterThanOrEqual(3);

    // Act: the network is back. GPU-Z begins a new log (the look asks the store about it, which answers), writes on,
    // and a second later replaces it again (the soak: three restarts in 15 s after an outage)
    network.up = true;
    writeFileSync(t.logPath, adaLog(200, 230));
    await sleep(300);
    appendFileSync(t.logPath, lines(ADA, 230, 260));
    await sleep(1_000);
    writeFileSync(t.logPath, adaLog(300, 330));

    // Assess: sent within seconds of the store's answer, not after the 60 s wait, the replaced log's rows with them;
    // and after a stop and a run that sends what the spool kept, every row GPU-Z wrote is stored once (before: the
    // store's answer left the uploader in its wait, reading waited for it, and rows 230–259 went with the log)
    const early = dataLinesOf(Buffer.concat([adaLog(1, 200), adaLog(200, 260)]));
    await vi.waitFor(
      async () => expect((await rawLines(t.store)).data).toEqual(expect.arrayContaining(early)),
      {
        timeout: 5_000,
      },
    );
    await agent.stop();
    await t.once();
    const all = dataLinesOf(Buffer.concat([adaLog(1, 200), adaLog(200, 260), adaLog(300, 330)]));
    expect(sorted((await rawLines(t.store)).data)).toEqual(sorted(all));
    t.cleanup();
  });
});

describe('upload agent: start after a kill', () => {
  it("deletes the stale temp copies of the state folder's cut writes, not the state itself", async () => {
    const t = setup();
    writeFileSync(t.logPath, lines(ADA, 0, 30));
    await t.once();
    const state = t.config.stateDir;
    const before = readdirSync(state).sort();
    const hourAgo = (Date.now() - 60 * 60_000) / 1000;
    for (const name of ['.checkpoint.json.1a2b3c4d.tmp', '.stats.json.5e6f7a8b.tmp']) {
      writeFileSync(join(state, name), '{"torn":');
      utimesSync(join(state, name), hourAgo, hourAgo);
    }

    const agent = createAgent(t.config);
    await agent.start();
    await agent.stop();

    expect(readdirSync(state).sort()).toEqual(before);
    t.cleanup();
  });
});

describe('upload agent: upload now after an outage', () => {
  it('sends at once when the store is back, not after the backoff wait the outage had reached', async () => {
    // Prepare: every wait between attempts is ≈ 59 s (an outage of some minutes reaches the 5-minute cap)
    const t = setup({ watch: true, pollMs: 20, retry: { baseMs: 60_000, maxMs: 60_000 } });
    writeFileSync(t.logPath, lines(ADA, 0, 30));
    const { store, network } = behindNetwork(t.store);
    const agent = createAgent({ ...t.config, store }, { random: () => 0.99 });
    await agent.start();
    await agent.uploadNow();
    expect(agent.status().state).toBe('offline');

    // Act: the network is back; the person presses Upload now during the wait
    network.up = true;
    const pressed = Date.now();
    await agent.uploadNow();

    // Assess: sent by that press, not ≈ 59 s later
    expect(Date.now() - pressed).toBeLessThan(10_000);
    expect(agent.status()).toMatchObject({ state: 'watching', lastError: null });
    expect((await rawLines(t.store)).data).toEqual(dataLinesOf(lines(ADA, 0, 30)));
    await agent.stop();
    t.cleanup();
  });
});

describe('upload agent: upload now on a connection that hangs', () => {
  it('answers within answerWithinMs while offline, and stop still ends the hanging PUT', async () => {
    // Prepare: offline after a refused attempt; then every PUT hangs until its signal aborts (a captive portal)
    const t = setup({
      watch: true,
      pollMs: 20,
      retry: { baseMs: 60_000, maxMs: 60_000, answerWithinMs: 300 },
      stopFlushMs: 300,
    });
    writeFileSync(t.logPath, lines(ADA, 0, 30));
    const { store } = behindNetwork(t.store);
    const agent = createAgent({ ...t.config, store }, { random: () => 0.99 });
    await agent.start();
    await agent.uploadNow();
    expect(agent.status().state).toBe('offline');
    store.put = (_key, _body, options) =>
      new Promise((_resolve, reject) =>
        options.signal?.addEventListener('abort', () => reject(new Error('aborted')), { once: true }),
      );

    // Act
    const pressed = Date.now();
    await agent.uploadNow();

    // Assess
    expect(Date.now() - pressed).toBeLessThan(5_000);
    expect(agent.status().state).toBe('offline');
    const stopping = Date.now(); // flushes for stopFlushMs, then cuts the PUT off through its signal
    await agent.stop();
    expect(Date.now() - stopping).toBeLessThan(5_000);
    expect(agent.pending().length).toBeGreaterThan(0); // still in the spool for the next start
    t.cleanup();
  });
});

describe('upload agent (watch mode, real timers)', () => {
  it('sends a batch as soon as it is spooled, also while an earlier one leaves the spool at that moment', async () => {
    // Prepare: batches of 4 KiB, a one-hour interval; the first batch's processing ends when the second one's body
    // is in the spool, so the first leaves the spool while the second is spooled (the spool's count stayed the same
    // over that look at the log, and the second waited for the next batch, an hour here, to be sent)
    const t = setup({ watch: true, pollMs: 20, maxBatchBytes: 4096 });
    const spoolDir = join(t.config.stateDir, 'spool');
    const bodies = () => readdirSync(spoolDir).filter((n) => n.endsWith('.csv.gz') && !n.startsWith('.'));
    writeFileSync(t.logPath, lines(ADA, 0, 12));
    let processing = 0;
    const agent = createAgent(t.config, {
      onRawStored: async () => {
        processing += 1;
        if (processing > 1) return;
        for (let waited = 0; bodies().length < 2 && waited < 5000; waited += 5) await sleep(5);
      },
    });
    await agent.start();
    await vi.waitFor(() => expect(processing).toBe(1));

    // Act
    appendFileSync(t.logPath, lines(ADA, 12, 22));

    // Assess
    await vi.waitFor(() => expect(processing).toBe(2), { timeout: 3000 });
    expect((await t.store.list('raw/')).length).toBe(2);
    await agent.stop();
    t.cleanup();
  });

  it('tells the status when a batch leaves the spool after its processing, with the log standing still', async () => {
    // Prepare: one batch sealed on the interval; its processing is held until the queue has gone idle, and the log
    // does not grow afterwards (GPU-Z closed), so no look at the log reads a row and tells the status anything
    const t = setup({ watch: true, pollMs: 20, intervalMs: 100 });
    writeFileSync(t.logPath, lines(ADA, 0, 12));
    let release = () => {};
    const held = new Promise<void>((resolve) => {
      release = resolve;
    });
    const agent = createAgent(t.config, { onRawStored: () => held });
    const told: number[] = [];
    agent.onStatus((s) => told.push(s.spool.batches));
    await agent.start();
    await vi.waitFor(() => expect(agent.status().counters.batchesUploaded).toBe(1));
    await vi.waitFor(() => expect(told.at(-1)).toBe(1));

    // Act
    release();

    // Assess: the status the app shows (the tray, `gpuz-cloud status`) has the spool empty, without a new row
    await vi.waitFor(() => expect(told.at(-1)).toBe(0), { timeout: 3000 });
    expect(agent.status().spool.batches).toBe(0);
    await agent.stop();
    t.cleanup();
  });

  it('seals on the interval while the log grows and flushes on stop', async () => {
    const t = setup({ watch: true, pollMs: 30, intervalMs: 150 });
    writeFileSync(t.logPath, lines(ADA, 0, 5));
    const agent = createAgent(t.config);
    const uploads: string[] = [];
    agent.onUpload((r) => r.status === 'uploaded' && uploads.push(r.batchId));
    await agent.start();
    for (let i = 5; i < 60; i += 5) {
      appendFileSync(t.logPath, lines(ADA, i, i + 5));
      await new Promise((r) => setTimeout(r, 60));
    }
    await agent.stop();
    const got = await rawLines(t.store);
    expect(uploads.length).toBeGreaterThan(2);
    expect(sorted(got.data)).toEqual(sorted(dataLinesOf(lines(ADA, 0, 60))));
    t.cleanup();
  });

  it('a look under way as stop() begins schedules none after it: the stopped agent reads nothing more', async () => {
    // Prepare: the first look asks the store about the log and waits for its answer while stop() begins
    let answer: () => void = () => undefined;
    const answered = new Promise<void>((resolve) => {
      answer = resolve;
    });
    let asked = 0;
    const t = setup({ watch: true, pollMs: 300 });
    const store: Store = {
      ...t.store,
      list: async (prefix) => {
        asked += 1;
        await answered;
        return t.store.list(prefix);
      },
    };
    writeFileSync(t.logPath, lines(ADA, 0, 10));
    const agent = createAgent({ ...t.config, store });
    await agent.start();
    await vi.waitFor(() => expect(asked).toBe(1));
    // Act
    const stopped = agent.stop();
    answer();
    await stopped;
    const read = agent.status().counters.rowsRead;
    appendFileSync(t.logPath, lines(ADA, 10, 20));
    await sleep(700);
    // Assess: before, that look asked for the next one after stop's cancel, and it read (and sealed) for a stopped
    // agent — beside the next one, when the app replaced its agent
    expect(read).toBe(9);
    expect(agent.status().counters.rowsRead).toBe(read);
    expect(sorted((await rawLines(t.store)).data)).toEqual(sorted(dataLinesOf(lines(ADA, 0, 10))));
    t.cleanup();
  });

  it('says until when a used-up PUT budget holds uploads (config.budgetUsedUpUntil, read from its counters)', async () => {
    const asked: number[] = [];
    const t = setup({
      budgetUsedUpUntil: (counters) => {
        asked.push(counters.requestsThisMonth.put);
        return Date.parse('2027-01-01T00:00:00Z');
      },
    });
    writeFileSync(t.logPath, lines(ADA, 0, 20));
    const agent = createAgent(t.config);
    await agent.start();
    expect(agent.status().budgetUsedUpUntil).toBe('2027-01-01T00:00:00.000Z');
    expect(asked).toContain(0);
    await agent.stop();
    // A fixed interval has no such field
    const fixed = setup();
    expect(createAgent(fixed.config).status()).not.toHaveProperty('budgetUsedUpUntil');
    fixed.cleanup();
    t.cleanup();
  });

  it('a used-up PUT budget does not hold the open batch at stop: left in the log, it would be lost to a log GPU-Z overwrites before the next start', async () => {
    // Arrange: a watching agent whose budget is used up, with rows read into its open batch
    const t = setup({
      watch: true,
      pollMs: 20,
      budgetUsedUpUntil: () => Date.parse('2027-01-01T00:00:00Z'),
    });
    writeFileSync(t.logPath, lines(ADA, 0, 30));
    const first = createAgent(t.config);
    await first.start();
    await vi.waitFor(() => expect(first.pending().map((p) => p.rows)).toEqual([29]));
    // Act: a shutdown, then GPU-Z begins a new log over the old one before the next start
    await first.stop();
    writeFileSync(t.logPath, lines(SESSIONS, 0, 20));
    const next = createAgent({ ...t.config, budgetUsedUpUntil: () => null });
    await next.start();
    await next.uploadNow();
    await next.stop();
    // Assess: every row once (9b93fe4 held the open batch in the log at stop: its 29 rows were lost here)
    expect(sorted((await rawLines(t.store)).data)).toEqual(
      sorted([...dataLinesOf(lines(ADA, 0, 30)), ...dataLinesOf(lines(SESSIONS, 0, 20))]),
    );
    t.cleanup();
  });

  it('reads a counters-driven interval (the PUT budget) at every check', async () => {
    // Short until two PUTs were counted this month, then longer than the test: like a budget running low.
    const seen: number[] = [];
    const t = setup({
      watch: true,
      pollMs: 30,
      intervalMs: (counters) => {
        seen.push(counters.requestsThisMonth.put);
        return counters.requestsThisMonth.put >= 2 ? 3_600_000 : 150;
      },
    });
    writeFileSync(t.logPath, lines(ADA, 0, 5));
    const agent = createAgent(t.config);
    await agent.start();
    const append = async (from: number, to: number) => {
      for (let i = from; i < to; i += 5) {
        appendFileSync(t.logPath, lines(ADA, i, i + 5));
        await new Promise((r) => setTimeout(r, 60));
      }
    };
    await append(5, 60);
    // Two or three batches (one may be sealed while the second PUT is in flight), then the long interval.
    const puts = agent.status().counters.requests.put;
    expect(puts).toBeGreaterThanOrEqual(2);
    expect(agent.status().intervalMs).toBe(3_600_000);
    await append(60, 120); // 12 × 60 ms: four short intervals, but nothing is sealed now
    expect(agent.status().counters.requests.put).toBe(puts);
    await agent.stop();
    expect(agent.status().counters.requests.put).toBe(puts + 1); // stop seals and sends the rest
    expect(seen).toContain(0);
    expect(sorted((await rawLines(t.store)).data)).toEqual(sorted(dataLinesOf(lines(ADA, 0, 120))));
    t.cleanup();
  });
});
