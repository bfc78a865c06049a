import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentStatus } from '../../../shared/agent-status';
import { emptyCounters } from '../../../shared/agent-status';
import { agentStatus } from '../../../test-support/agent-status';
import { formatStatus, readStatus } from './status';

function status(rowsRead: number): AgentStatus {
  return agentStatus({ state: 'offline', counters: { rowsRead } });
}

describe('gpuz-cloud status', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gpuz-status-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('`gpuz-cloud status` takes the live figures of the agent holding the folder, else the saved ones', async () => {
    writeFileSync(join(dir, 'stats.json'), JSON.stringify({ ...emptyCounters('2026-12'), rowsRead: 7 }));
    const holder = process.ppid; // a live process that is not this one
    writeFileSync(
      join(dir, 'agent-status.json'),
      JSON.stringify({ pid: holder, writtenAt: '2026-12-02T12:00:00Z', status: status(356) }),
    );
    expect((await readStatus(dir)).running).toBeNull();
    expect((await readStatus(dir)).counters.rowsRead).toBe(7);

    writeFileSync(
      join(dir, 'agent.lock'),
      JSON.stringify({ pid: holder, startedAt: '2026-12-02T11:00:00Z' }),
    );
    const live = await readStatus(dir);
    expect(live.running?.pid).toBe(holder);
    expect(live.counters.rowsRead).toBe(356);
    expect(live.spool).toEqual({ batches: 1, bytes: 300 });

    // A status file another process left (its pid is not the lock's) is not taken for the live one.
    writeFileSync(
      join(dir, 'agent-status.json'),
      JSON.stringify({ pid: 1, writtenAt: '2026-12-02T12:00:00Z', status: status(356) }),
    );
    expect((await readStatus(dir)).counters.rowsRead).toBe(7);
    expect(readFileSync(join(dir, 'agent.lock'), 'utf8')).toContain(String(holder));
  });

  it('says whether an agent runs, its state and how old its figures are', async () => {
    const holder = process.ppid;
    writeFileSync(
      join(dir, 'agent.lock'),
      JSON.stringify({ pid: holder, startedAt: '2026-12-02T11:00:00Z' }),
    );
    writeFileSync(
      join(dir, 'agent-status.json'),
      JSON.stringify({ pid: holder, writtenAt: '2026-12-02T12:00:00Z', status: status(356) }),
    );
    const text = formatStatus(await readStatus(dir), new Date('2026-12-02T12:00:04Z'));
    expect(text).toMatch(
      new RegExp(
        `Agent: running \\(process ${holder}\\), offline, 1 batch waiting — live figures as of .* \\(4 s ago\\)`,
      ),
    );
    expect(text).toContain('Connect the drive or network share');
    expect(text).toContain('Read: 356 rows (0 B)');
    expect(text).toContain('Spool: 1 batch waiting (');
    expect(text).not.toContain('PUT budget');
    // A used-up budget: until when the next upload waits, and why
    writeFileSync(
      join(dir, 'agent-status.json'),
      JSON.stringify({
        pid: holder,
        writtenAt: '2026-12-02T12:00:00Z',
        status: { ...status(356), budgetUsedUpUntil: '2027-01-01T00:00:00.000Z' },
      }),
    );
    expect(formatStatus(await readStatus(dir), new Date('2026-12-02T12:00:04Z'))).toContain(
      "This month's PUT budget is used up: the next upload waits until 2027-01-01T00:00:00.000Z",
    );
    rmSync(join(dir, 'agent.lock'));
    expect(formatStatus(await readStatus(dir))).toContain('Agent: not running');
  });

  it('counts one uploaded batch and row in the singular (it said "1 batches")', async () => {
    writeFileSync(
      join(dir, 'stats.json'),
      JSON.stringify({ ...emptyCounters('2026-12'), batchesUploaded: 1, rowsUploaded: 1 }),
    );
    expect(formatStatus(await readStatus(dir))).toContain('Uploaded: 1 batch, 1 row (0 B raw, 0 B sent)');
  });

  it('says counts and sizes as the Overview does (it said "391797.5 KB, 590000 rows")', async () => {
    const counters = {
      bytesRead: 401_200_680,
      rowsRead: 590_000,
      batchesUploaded: 48,
      rowsUploaded: 590_000,
    };
    const sent = { rawBytesUploaded: 401_232_680, compressedBytesUploaded: 17_281_741 };
    writeFileSync(
      join(dir, 'stats.json'),
      JSON.stringify({ ...emptyCounters('2026-12'), ...counters, ...sent }),
    );
    const text = formatStatus(await readStatus(dir));
    expect(text).toContain('Read: 590,000 rows (383 MB)');
    expect(text).toContain('Uploaded: 48 batches, 590,000 rows (383 MB raw, 16 MB sent)');
  });

  it('names the store the checkpoint is about (a deploy moves the agent to another)', async () => {
    const identity = { fileId: 'a'.repeat(12), length: 64, fingerprint: 'a'.repeat(64) };
    const checkpoint = {
      version: 3,
      identity,
      offset: 4096,
      uploadedOffset: 4096,
      sessionHeader: null,
      store: 's3://gpuz-raw',
    };
    writeFileSync(
      join(dir, 'checkpoint.json'),
      JSON.stringify({ ...checkpoint, updatedAt: '2026-12-04T21:00:00.000Z' }),
    );
    expect(formatStatus(await readStatus(dir))).toContain(
      'Checkpoint: aaaaaaaaaaaa at byte 4096 of s3://gpuz-raw (2026-12-04T21:00:00.000Z)',
    );
    writeFileSync(
      join(dir, 'checkpoint.json'),
      JSON.stringify({ ...checkpoint, store: 'local:/home/ann/store' }),
    );
    expect(formatStatus(await readStatus(dir))).toContain('at byte 4096 of the local folder /home/ann/store');
  });

  it('says how many log copies wait for the store (logs GPU-Z replaced while it could not be asked)', async () => {
    // Prepare
    const before = formatStatus(await readStatus(dir));
    mkdirSync(join(dir, 'log-copies'));
    writeFileSync(join(dir, 'log-copies', '1764921600000-3f9a0c2e7b11.log'), Buffer.alloc(2048));

    // Act
    const report = await readStatus(dir);

    // Assess
    expect(report.logCopies).toEqual({ logs: 1, bytes: 2048 });
    expect(formatStatus(report)).toContain(
      'Log copies: 1 log (2.0 KB) — GPU-Z replaced them while the store could not be asked',
    );
    expect(before).not.toContain('Log copies');
  });
});
