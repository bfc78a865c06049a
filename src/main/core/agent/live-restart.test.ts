import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogParser } from '../../../shared/parse';
import { SAMPLES_DIR } from '../../../test-support/services';
import { createBatchBuilder } from '../batch';
import { createLocalStore } from '../store/local';
import type { Store } from '../store/types';
import { dataLinesOf, oneShotConfig, rawLines, sorted } from './agent.test-support';
import { type Agent, type AgentConfig, createAgent } from './index';

const ADA = readFileSync(join(SAMPLES_DIR, 'gpuz', 'nvidia-ada-pwrsrc-gpuz-2024.txt'));
const SESSIONS = readFileSync(join(SAMPLES_DIR, 'gpuz', 'amd-radeon-hbm2-gpuz-2020-12-sessions.txt'));

function lines(bytes: Buffer, from: number, to?: number): Buffer {
  const all = bytes.toString('latin1').split(/(?<=\n)/);
  return Buffer.from(all.slice(from, to).join(''), 'latin1');
}

/** The values of a data line as the parser reads them (the first cell is the time stamp). */
function cells(line: Buffer): (number | null)[] {
  return line
    .toString('latin1')
    .split(',')
    .slice(1, -1)
    .map((c) => (c.trim() === '-' ? null : Number(c)));
}

/** The rows an agent shows, as runs of their origin for the alert rules: ['earlier 200', 'backlog 20', 'new 10']. */
function originsOf(agent: Agent): string[] {
  const seen: string[] = [];
  agent.onLiveRows((rows, _columns, origin) => {
    const kind = origin?.earlier ? 'earlier' : origin?.backlog ? 'backlog' : 'new';
    if (seen.at(-1)?.startsWith(`${kind} `))
      seen[seen.length - 1] = `${kind} ${Number(seen.at(-1)!.split(' ')[1]) + rows.length}`;
    else seen.push(`${kind} ${rows.length}`);
  });
  return seen;
}

describe('live view after a restart (issue 14, item 1)', () => {
  let dir: string;
  let config: AgentConfig;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gpuz-live-'));
    config = oneShotConfig(dir);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  async function runOnce(): Promise<void> {
    const agent = createAgent(config);
    await agent.start();
    await agent.uploadNow();
    await agent.stop();
  }

  it('the checkpointed session header names the columns of rows read after a restart', () => {
    // Prepare: reading resumes at row 100 of a session whose header is line 0
    const rows: { columns: number; values: (number | null)[] }[] = [];
    const builder = createBatchBuilder({
      fileId: 'f',
      offset: lines(ADA, 0, 100).length,
      sessionHeader: lines(ADA, 0, 1),
      maxBatchBytes: 1 << 20,
      createParser: () => createLogParserUtc(),
      onRows: (events, columns) => {
        for (const e of events) rows.push({ columns: columns.length, values: e.values });
      },
      now: () => 0,
    });
    // Act
    builder.append(lines(ADA, 100, 101));
    // Assess: 22 sensor columns, the row's own values
    expect(rows).toEqual([{ columns: 22, values: cells(lines(ADA, 100, 101)) }]);
  });

  it('a restarted agent shows the log’s last rows at its first look, then new rows with their columns', async () => {
    // Prepare: 200 rows uploaded by a first run
    writeFileSync(config.logPath, lines(ADA, 0, 201));
    await runOnce();
    // Act: watching again, before GPU-Z writes another row
    const agent = createAgent({ ...config, watch: true, pollMs: 20 });
    await agent.start();
    await vi.waitFor(() => expect(agent.live().rows.length).toBeGreaterThan(0));
    const atStart = agent.live();
    appendFileSync(config.logPath, lines(ADA, 201, 211));
    await vi.waitFor(() => expect(agent.live().rows).toHaveLength(210));
    const after = agent.live();
    await agent.stop();
    // Assess
    expect(atStart.columns).toHaveLength(22);
    expect(atStart.rows).toHaveLength(200);
    expect(atStart.rows.at(-1)!.values).toEqual(cells(lines(ADA, 200, 201)));
    expect(after.rows).toHaveLength(210);
    expect(after.rows.at(-1)!.values).toEqual(cells(lines(ADA, 210, 211)));
  });

  it('tells the rows apart for the alert rules: shown again (earlier), the backlog of the first look, then new ones', async () => {
    // Prepare: 200 rows uploaded by a first run; 20 more logged while the agent was off
    writeFileSync(config.logPath, lines(ADA, 0, 201));
    await runOnce();
    appendFileSync(config.logPath, lines(ADA, 201, 221));
    const agent = createAgent({ ...config, watch: true, pollMs: 20 });
    const seen = originsOf(agent);
    // Act: started, then GPU-Z writes 10 rows
    await agent.start();
    await vi.waitFor(() => expect(agent.live().rows).toHaveLength(220));
    // The look that read them ends at the log's end (looks are 20 ms apart): rows written after it are new.
    await new Promise((resolve) => setTimeout(resolve, 300));
    appendFileSync(config.logPath, lines(ADA, 221, 231));
    await vi.waitFor(() => expect(agent.live().rows).toHaveLength(230));
    await agent.stop();
    // Assess
    expect(seen).toEqual(['earlier 200', 'backlog 20', 'new 10']);
  });

  it('a start refused for a damaged checkpoint shows the log’s last rows (as earlier ones), sends nothing and writes no checkpoint', async () => {
    // Prepare: 200 rows uploaded by a first run; 20 more logged; then a power cut zero-fills the checkpoint
    writeFileSync(config.logPath, lines(ADA, 0, 201));
    await runOnce();
    appendFileSync(config.logPath, lines(ADA, 201, 221));
    const checkpoint = join(config.stateDir, 'checkpoint.json');
    writeFileSync(checkpoint, Buffer.alloc(readFileSync(checkpoint).length));
    const agent = createAgent({ ...config, watch: true, pollMs: 20 });
    const origins: (string | undefined)[] = [];
    agent.onLiveRows((_rows, _columns, origin) => origins.push(origin?.earlier ? 'earlier' : undefined));
    // Act
    await agent.start();
    await vi.waitFor(() => expect(agent.live().rows).toHaveLength(220));
    const status = agent.status();
    await agent.stop();
    // Assess: before, an empty view ("Waiting for GPU-Z to write a row…") beside the error
    expect(status).toMatchObject({ state: 'error', lastError: { code: 'STATE_DAMAGED' } });
    expect(agent.live().rows.at(-1)!.values).toEqual(cells(lines(ADA, 220, 221)));
    expect(origins).toEqual(['earlier']); // the alert rules take them as shown before, not as new readings
    expect(readFileSync(checkpoint)).toEqual(Buffer.alloc(readFileSync(checkpoint).length));
    expect((await rawLines(config.store)).data).toHaveLength(200);
  });

  /**
   * 200 rows uploaded, then 100 more, their counters saved; the checkpoint a kill -9 leaves behind them (the last
   * batch read and counted, its own checkpoint not yet on disk) is the one of the 200.
   */
  async function killedBehindCounters(): Promise<void> {
    writeFileSync(config.logPath, lines(ADA, 0, 201));
    await runOnce();
    const checkpoint = join(config.stateDir, 'checkpoint.json');
    const at200 = readFileSync(checkpoint);
    appendFileSync(config.logPath, lines(ADA, 201, 301));
    await runOnce();
    writeFileSync(checkpoint, at200);
  }

  it('a run killed behind its counters: the rows read again from the checkpoint are shown, not counted again', async () => {
    // Prepare
    await killedBehindCounters();
    const agent = createAgent({ ...config, watch: true, pollMs: 20 });
    const seen = originsOf(agent);
    // Act: started again, then GPU-Z writes 10 rows
    await agent.start();
    await vi.waitFor(() => expect(agent.live().rows).toHaveLength(300));
    const read = agent.status().counters;
    appendFileSync(config.logPath, lines(ADA, 301, 311));
    await vi.waitFor(() => expect(agent.live().rows).toHaveLength(310));
    await vi.waitFor(() => expect(agent.status().counters.rowsRead).toBe(310));
    await agent.stop();
    // Assess: 300 rows read (before: 400), every byte once; the view shows all of them, the 100 read again as rows
    // the killed run read (its alerts on them are in the history; before: alerted on again, as the log's backlog)
    expect(read).toMatchObject({ rowsRead: 300, bytesRead: lines(ADA, 0, 301).length });
    expect(seen).toEqual(['earlier 300', 'new 10']);
    expect(agent.live().rows.at(-1)!.values).toEqual(cells(lines(ADA, 310, 311)));
  });

  it('no batch is spooled (claimed) before the counters are saved past its end: a kill leaves no claim ahead of them', async () => {
    // Prepare: 356 rows cut into batches of 16 KiB; each raw PUT (after its batch was spooled and claimed) looks at
    // the counters on disk.
    writeFileSync(config.logPath, lines(ADA, 0, 357));
    const local = config.store;
    const seen: { end: number; readTo: number }[] = [];
    const store: Store = {
      ...local,
      put: (key, body, options) => {
        const end = /-(\d+)\.csv(?:\.gz)?$/.exec(key);
        if (key.startsWith('raw/') && end) {
          const stats = JSON.parse(readFileSync(join(config.stateDir, 'stats.json'), 'utf8'));
          seen.push({ end: Number(end[1]), readTo: stats.readToOffset ?? 0 });
        }
        return local.put(key, body, options);
      },
    };
    // Act
    const agent = createAgent({ ...config, store, maxBatchBytes: 16 * 1024 });
    await agent.start();
    await agent.uploadNow();
    await agent.stop();
    // Assess: before, the counters were saved after the seal, which a kill in between left behind the claim (CI:
    // 30,932 rows read of 35,460 after five kills of local-kill.int.test)
    expect(seen.length).toBeGreaterThan(5);
    for (const { end, readTo } of seen) expect(readTo).toBeGreaterThanOrEqual(end);
  });

  it('a log cut behind the counted rows and written on (a power loss, GPU-Z again): its new rows are counted', async () => {
    // Prepare: 300 rows read and counted, the checkpoint at 200; then the log lost its last 50 rows and GPU-Z wrote
    // 60 others after them.
    await killedBehindCounters();
    writeFileSync(config.logPath, Buffer.concat([lines(ADA, 0, 251), lines(ADA, 101, 161)]));
    // Act
    await runOnce();
    // Assess: the 300 counted before, and the 110 after the checkpoint counted again (rows 201–250 are the same
    // bytes, but nothing tells them from new ones once the bytes the count ended at are gone)
    const stats = JSON.parse(readFileSync(join(config.stateDir, 'stats.json'), 'utf8'));
    expect(stats.rowsRead).toBe(410);
  });

  it('only the last logging session before the restart point fills the view', async () => {
    // Prepare: the AMD sample has 12 sessions; its 11th header is line 1569 (1-based), one row in that session
    writeFileSync(config.logPath, SESSIONS);
    await runOnce();
    // Act
    const agent = createAgent({ ...config, watch: true, pollMs: 20 });
    await agent.start();
    await vi.waitFor(() => expect(agent.live().rows.length).toBeGreaterThan(0));
    const live = agent.live();
    await agent.stop();
    // Assess: the last session (header at line 1628) and its rows, nothing of the earlier ones
    const all = SESSIONS.toString('latin1').split(/(?<=\n)/);
    const lastHeader = all.findLastIndex((l) => /^\s*Date\s*,/.test(l));
    const lastRows = all.slice(lastHeader + 1).filter((l) => l.trim() !== '');
    expect(live.rows).toHaveLength(lastRows.length);
    expect(live.rows.at(-1)!.values).toEqual(cells(Buffer.from(lastRows.at(-1)!, 'latin1')));
  });
});

describe('live view while the store cannot be asked (first run, no checkpoint)', () => {
  it('fills from the log at once and as it grows; the checkpoint does not move; once the store answers, every row once in the store and in the view', async () => {
    // Prepare: 200 rows, no state folder yet, the store refuses connections
    const dir = mkdtempSync(join(tmpdir(), 'gpuz-live-offline-'));
    const local = createLocalStore({ root: join(dir, 'store') });
    let reachable = false;
    const refused = () =>
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const store: Store = {
      ...local,
      list: (prefix) => (reachable ? local.list(prefix) : Promise.reject(refused())),
    };
    const logPath = join(dir, 'GPU-Z Sensor Log.txt');
    writeFileSync(logPath, lines(ADA, 0, 201));
    const agent = createAgent({
      logPath,
      host: 'pc',
      timeZone: 'UTC',
      stateDir: join(dir, 'state'),
      intervalMs: 200,
      compress: true,
      store,
      watch: true,
      pollMs: 20,
      retry: { baseMs: 50, maxMs: 100 },
    });

    // Act
    await agent.start();
    await vi.waitFor(() => expect(agent.live().rows).toHaveLength(200));
    appendFileSync(logPath, lines(ADA, 201, 211));
    await vi.waitFor(() => expect(agent.live().rows).toHaveLength(210));
    const offline = {
      state: agent.status().state,
      checkpoint: existsSync(join(dir, 'state', 'checkpoint.json')),
    };
    reachable = true;
    await vi.waitFor(async () => expect((await rawLines(local)).data).toHaveLength(210), { timeout: 10_000 });
    appendFileSync(logPath, lines(ADA, 211, 216));
    await vi.waitFor(() => expect(agent.live().rows).toHaveLength(215));
    await agent.stop();

    // Assess
    expect(offline).toEqual({ state: 'offline', checkpoint: false });
    expect(sorted((await rawLines(local)).data)).toEqual(sorted(dataLinesOf(lines(ADA, 0, 216))));
    const view = agent.live().rows;
    expect(view).toHaveLength(215);
    expect(view.map((row) => row.values)).toEqual(
      ADA.toString('latin1')
        .split(/(?<=\n)/)
        .slice(1, 216)
        .map((line) => cells(Buffer.from(line, 'latin1'))),
    );
    rmSync(dir, { recursive: true, force: true });
  });
});

function createLogParserUtc() {
  return createLogParser({ timeZone: 'UTC' });
}
