/**
 * The tray's notification policy fed by the real agent as tray-app.ts wires it (every status and upload record the
 * agent emits), uploading to moto: through a network cut (a TCP gate shut: connections refused) and to a bucket that
 * is gone. Until 2026-12-05 the policy counted 'failed' upload records only, and the tray said nothing in either case:
 * an outage is retried without end, and at start (the store asked what it holds of the log) neither makes a record.
 */
import { appendFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import type { AgentStatus, UploadRecord } from '../../shared/agent-status';
import { motoClientConfig, requireServices, SAMPLES_DIR } from '../../test-support/services';
import { type TcpGate, tcpGate } from '../../test-support/tcp-gate';
import { createAgent } from '../core/agent';
import { motoStore } from '../core/store/moto-store.test-support';
import type { Store } from '../core/store/types';
import { createNotificationPolicy, type Note } from './notification-policy';

const services = requireServices();
const ADA = readFileSync(join(SAMPLES_DIR, 'gpuz', 'nvidia-ada-pwrsrc-gpuz-2024.txt'));
const LINES = ADA.toString('latin1').split(/(?<=\n)/);
/** The header and the first 30 rows, then the next 30. */
const LOG = Buffer.from(LINES.slice(0, 31).join(''), 'latin1');
const MORE = Buffer.from(LINES.slice(31, 61).join(''), 'latin1');
const logPath = (dir: string) => join(dir, 'GPU-Z Sensor Log.txt');

/** A watching agent on `store` whose every status and upload record go through the tray's policy; its notes, in order. */
function trayAgent(dir: string, store: Store) {
  writeFileSync(logPath(dir), LOG);
  const agent = createAgent({
    logPath: logPath(dir),
    host: 'tray-pc',
    timeZone: 'UTC',
    stateDir: join(dir, 'state'),
    intervalMs: 60 * 60_000,
    compress: true,
    store,
    watch: true,
    pollMs: 20,
    retry: { baseMs: 100, maxMs: 200 },
  });
  // The tray waits 5 minutes of outage and tells each kind at most every 30 minutes; 1.5 s and 1 s here.
  const policy = createNotificationPolicy({ clock: Date.now, offlineForMs: 1_500, minIntervalMs: 1_000 });
  const notes: Note[] = [];
  const records: UploadRecord[] = [];
  const statuses: AgentStatus[] = [];
  const keep = (note: Note | null) => note && notes.push(note);
  agent.onUpload((record) => {
    records.push(record);
    keep(policy.onUpload(record));
  });
  agent.onStatus((status) => {
    statuses.push(status);
    keep(policy.onStatus(status));
  });
  return { agent, notes, records, statuses };
}

describe('tray notifications from the real agent (moto)', () => {
  let dir: string;
  let gate: TcpGate | undefined;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gpuz-tray-notes-'));
  });
  afterEach(async () => {
    await gate?.close();
    gate = undefined;
    rmSync(dir, { recursive: true, force: true });
  });

  it('an outage is told once it has lasted (not at each retry), then its end: at start and during an upload', async () => {
    // Prepare: a bucket behind a gate, shut before the agent starts (a PC booting without network)
    const bucket = `tray-${Math.random().toString(36).slice(2, 10)}`;
    await new S3Client(motoClientConfig(services)).send(new CreateBucketCommand({ Bucket: bucket }));
    gate = await tcpGate(Number(new URL(services.motoEndpoint).port));
    gate.shut();
    const store = motoStore(bucket, { endpoint: `http://127.0.0.1:${gate.port}`, maxAttempts: 1 });
    const { agent, notes, records, statuses } = trayAgent(dir, store);
    const outage = async (act: () => Promise<void>) => {
      const started = Date.now();
      const before = { notes: notes.length, statuses: statuses.length };
      await act();
      await vi.waitFor(() => expect(notes.length).toBe(before.notes + 1), { timeout: 10_000, interval: 50 });
      const offline = statuses.slice(before.statuses).filter((s) => s.state === 'offline').length;
      gate!.open();
      await vi.waitFor(() => expect(notes.length).toBe(before.notes + 2), { timeout: 10_000, interval: 50 });
      return { toldAfter: Date.now() - started, offline };
    };

    // Act: the outage at start (the store asked what it holds of the log), then one during Upload now
    const atStart = await outage(() => agent.start());
    await agent.uploadNow(); // sent: the network is back
    const stored = (await store.list('raw/')).length;
    const duringUpload = await outage(async () => {
      gate!.shut();
      appendFileSync(logPath(dir), MORE);
      await agent.uploadNow();
    });
    await agent.stop();

    // Assess: each outage told once, after it lasted, though the agent said 'offline' at every attempt meanwhile
    console.log(`outages told after ${atStart.toldAfter} and ${duringUpload.toldAfter} ms`);
    for (const told of [atStart, duringUpload]) {
      expect(told.toldAfter).toBeGreaterThanOrEqual(1_500);
      expect(told.offline).toBeGreaterThan(3);
    }
    const failing = {
      kind: 'upload-failing',
      title: expect.stringMatching(/^Uploads failing for [1-3] s$/),
      body: expect.stringMatching(/check the network connection/i),
    };
    expect(notes).toEqual([
      failing,
      // The rows waited for the store's answer, unread: no batch was waiting
      { kind: 'recovered', title: 'Uploads work again', body: 'GPU-Z Cloud reaches the store again.' },
      failing,
      { kind: 'recovered', title: 'Uploads work again', body: 'GPU-Z Cloud reaches the store again.' },
    ]);
    expect(records.filter((r) => r.status === 'retrying').length).toBeGreaterThan(3);
    expect(stored).toBe(1);
    expect(await store.list('raw/')).toHaveLength(2);
  });

  it('a bucket that is gone stops the uploads and is told at the first refusal, with what to do', async () => {
    // Prepare: a bucket name nobody created (torn down in the console)
    const store = motoStore(`tray-gone-${Math.random().toString(36).slice(2, 10)}`);
    const { agent, notes } = trayAgent(dir, store);

    // Act
    await agent.start();
    await agent.uploadNow();
    await agent.stop();

    // Assess: the agent in 'error' (nothing uploaded: the store refused), and the tray said so once, with the advice
    expect(agent.status().lastError?.code).toBe('BUCKET_MISSING');
    expect(notes).toEqual([
      {
        kind: 'upload-stopped',
        title: 'Uploads stopped',
        body: expect.stringMatching(
          /does not exist.* Run the wizard \(deploy\) or check the bucket name and region\.$/,
        ),
      },
    ]);
  });
});
