import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalStore } from '../store/local';
import type { Store } from '../store/types';
import { adaLog, adaRows, dataLinesOf, rawLines, sorted } from './agent.test-support';
import { type AgentConfig, createAgent } from './index';

/**
 * GPU-Z began a new log while the network was down, then began another before it came back (overwriting the first):
 * the store could not be asked what it holds of the first new log, so it was not read for delivery, and its rows
 * were lost with the overwrite (lived in `npm run soak`: 67–81 rows per 300 s run). Now its bytes are copied at each
 * look and sent from the copy once the store answers.
 */
describe('a log replaced twice while the store cannot be asked', () => {
  let dir: string;
  let local: Store;
  let reachable: boolean;
  let config: AgentConfig;
  const copiesDir = () => join(dir, 'state', 'log-copies');
  const copies = () => (existsSync(copiesDir()) ? readdirSync(copiesDir()) : []);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gpuz-copies-'));
    local = createLocalStore({ root: join(dir, 'store') });
    reachable = true;
    const refused = () =>
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' });
    const store: Store = {
      ...local,
      list: (prefix) => (reachable ? local.list(prefix) : Promise.reject(refused())),
      put: (...args) => (reachable ? local.put(...args) : Promise.reject(refused())),
    };
    config = {
      logPath: join(dir, 'GPU-Z Sensor Log.txt'),
      host: 'pc',
      timeZone: 'UTC',
      stateDir: join(dir, 'state'),
      intervalMs: 200,
      compress: true,
      store,
      watch: true,
      pollMs: 20,
      retry: { baseMs: 50, maxMs: 100 },
    };
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Log A online, then offline log B. Each step waits until the agent has looked at the log (its live view). */
  async function aOnlineThenBOffline(agent: ReturnType<typeof createAgent>): Promise<void> {
    writeFileSync(config.logPath, adaLog(1, 101));
    await agent.start();
    await vi.waitFor(async () => expect((await rawLines(local)).data).toHaveLength(100), { timeout: 10_000 });
    reachable = false;
    writeFileSync(config.logPath, adaLog(101, 151));
    await vi.waitFor(() => expect(agent.live().rows).toHaveLength(150), { timeout: 10_000 });
  }

  /** …then B grows, and log C is begun over it. */
  async function replaceTwiceOffline(agent: ReturnType<typeof createAgent>): Promise<void> {
    await aOnlineThenBOffline(agent);
    writeFileSync(config.logPath, adaLog(101, 171)); // GPU-Z appends to B
    await vi.waitFor(() => expect(agent.live().rows).toHaveLength(170), { timeout: 10_000 });
    writeFileSync(config.logPath, adaLog(171, 201)); // and begins C over it
    await vi.waitFor(() => expect(agent.live().rows).toHaveLength(200), { timeout: 10_000 });
  }

  it('every row of the three logs reaches the store once, the overwritten one from its copy', async () => {
    // Prepare
    const agent = createAgent(config);
    await replaceTwiceOffline(agent);

    // Act: the network comes back
    const offline = agent.status().state;
    const copied = copies().map((name) => statSync(join(copiesDir(), name)).size);
    reachable = true;
    await vi.waitFor(async () => expect((await rawLines(local)).data).toHaveLength(200), { timeout: 10_000 });
    await agent.stop();

    // Assess
    expect(offline).toBe('offline');
    expect(copied).toEqual([adaLog(101, 171).length, adaLog(171, 201).length]);
    expect(sorted((await rawLines(local)).data)).toEqual(sorted(dataLinesOf(adaLog(1, 201))));
    expect(copies()).toEqual([]);
    const notices = (agent.status().notices ?? []).map((n) => n.code);
    expect(notices.filter((c) => c === 'LOG_COPIED')).toHaveLength(2);
    expect((agent.status().notices ?? []).find((n) => n.code === 'LOG_COPY_SENT')?.message ?? '').toMatch(
      /^Sent 70 row\(s\) logged \S+ \S+ – \S+ \S+ in 1 batch\(es\) from the copy of a log GPU-Z replaced/,
    );
  });

  it('a copy holding a NUL hole of megabytes (a power cut while offline): read a MiB at a time, every row once', async () => {
    // Before, the copy's reader doubled its buffer until the hole fit in one read (a hole of 300 MB: a 512 MB
    // buffer); its pieces now go to the batch builder as the tailer's do, skipped as damage.
    const agent = createAgent(config);
    await aOnlineThenBOffline(agent);
    const hole = Buffer.alloc(3 << 20);
    const b = Buffer.concat([adaLog(101, 151), hole, adaRows(151, 171)]);
    writeFileSync(config.logPath, b);
    // Copied whole (the live view shows only the log's last 2 MiB while offline: not the row just after the hole)
    const copied = () => copies().map((name) => statSync(join(copiesDir(), name)).size);
    await vi.waitFor(() => expect(copied()).toContain(b.length), { timeout: 10_000 });
    writeFileSync(config.logPath, adaLog(171, 201)); // GPU-Z begins the next log over it

    // Act: the network comes back
    await vi.waitFor(() => expect(copied()).toHaveLength(2), { timeout: 10_000 });
    reachable = true;
    await vi.waitFor(async () => expect((await rawLines(local)).data).toHaveLength(200), { timeout: 10_000 });
    await agent.stop();

    // Assess
    expect(sorted((await rawLines(local)).data)).toEqual(sorted(dataLinesOf(adaLog(1, 201))));
    expect(copies()).toEqual([]);
    const skipped = (agent.status().notices ?? []).filter((n) => n.code === 'LINE_DAMAGED');
    expect(skipped.map((n) => n.message)).toContainEqual(
      expect.stringContaining(
        `Skipped 3.0 MiB (3,145,728 bytes) at byte ${adaLog(101, 151).length.toLocaleString('en-US')} of the log`,
      ),
    );
  });

  it('a copy left by a run that stopped offline is sent by the next run, before the log it finds', async () => {
    // Prepare: stopped while offline, with B overwritten by C
    const first = createAgent(config);
    await replaceTwiceOffline(first);
    await first.stop();

    // Act: the next start, online
    reachable = true;
    const next = createAgent(config);
    await next.start();
    await vi.waitFor(async () => expect((await rawLines(local)).data).toHaveLength(200), { timeout: 10_000 });
    await next.stop();

    // Assess
    expect(sorted((await rawLines(local)).data)).toEqual(sorted(dataLinesOf(adaLog(1, 201))));
    expect(copies()).toEqual([]);
  });

  it('a log placed once the store answers needs no copy: it is read from the log and its copy deleted', async () => {
    // Prepare: A online, then B offline (copied), not replaced
    const agent = createAgent(config);
    await aOnlineThenBOffline(agent);
    const copied = copies().length;

    // Act
    reachable = true;
    await vi.waitFor(async () => expect((await rawLines(local)).data).toHaveLength(150), { timeout: 10_000 });
    await agent.stop();

    // Assess
    expect(sorted((await rawLines(local)).data)).toEqual(sorted(dataLinesOf(adaLog(1, 151))));
    expect(copies()).toEqual([]);
    expect(copied).toBe(1);
    expect((agent.status().notices ?? []).map((n) => n.code)).not.toContain('LOG_COPY_SENT');
  });

  it('a file that is no sensor log, copied while offline, is deleted with a notice and the next log is read', async () => {
    // Prepare: A online, then offline a text file at the log's path, then log C
    const agent = createAgent(config);
    writeFileSync(config.logPath, adaLog(1, 101));
    await agent.start();
    await vi.waitFor(async () => expect((await rawLines(local)).data).toHaveLength(100), { timeout: 10_000 });
    reachable = false;
    writeFileSync(config.logPath, 'shopping list\r\nmilk, eggs\r\nbread\r\n');
    await vi.waitFor(() => expect(copies()).toHaveLength(1), { timeout: 10_000 });
    writeFileSync(config.logPath, adaLog(171, 201)); // longer than the text: the view shows it from its start
    await vi.waitFor(() => expect(agent.live().rows).toHaveLength(130), { timeout: 10_000 });

    // Act
    reachable = true;
    await vi.waitFor(async () => expect((await rawLines(local)).data).toHaveLength(130), { timeout: 10_000 });
    await agent.stop();

    // Assess
    expect(sorted((await rawLines(local)).data)).toEqual(
      sorted([...dataLinesOf(adaLog(1, 101)), ...dataLinesOf(adaLog(171, 201))]),
    );
    expect(copies()).toEqual([]);
    expect((agent.status().notices ?? []).map((n) => n.code)).toContain('LOG_COPY_NOT_A_LOG');
  });

  it('the log the checkpoint knows, back while a copy waits: the copy goes first, the checkpoint names the log again', async () => {
    // Prepare: A online; offline B (copied), then A again as it was (a restored log)
    const agent = createAgent(config);
    await aOnlineThenBOffline(agent);
    const a = adaLog(1, 101);
    writeFileSync(config.logPath, a);
    await vi.waitFor(() => expect(agent.live().rows).toHaveLength(150), { timeout: 10_000 });
    const checkpointNames = () =>
      JSON.parse(readFileSync(join(dir, 'state', 'checkpoint.json'), 'utf8')).identity?.fileId;
    const aId = checkpointNames();

    // Act: online; then A grows
    reachable = true;
    await vi.waitFor(async () => expect((await rawLines(local)).data).toHaveLength(150), { timeout: 10_000 });
    await vi.waitFor(() => expect(copies()).toEqual([]), { timeout: 10_000 });
    const afterCopy = {
      names: checkpointNames(),
      offset: JSON.parse(readFileSync(join(dir, 'state', 'checkpoint.json'), 'utf8')).offset,
    };
    appendFileSync(config.logPath, adaRows(151, 161));
    await vi.waitFor(async () => expect((await rawLines(local)).data).toHaveLength(160), { timeout: 10_000 });
    await agent.stop();

    // Assess: every row once; once B's copy was sent, the checkpoint named A at its end again (not B's copy)
    expect(sorted((await rawLines(local)).data)).toEqual(
      sorted([...dataLinesOf(adaLog(1, 151)), ...dataLinesOf(adaRows(151, 161))]),
    );
    expect(afterCopy).toEqual({ names: aId, offset: a.length });
  });

  it('a copy that cannot be read is said once and left, the log is read meanwhile, and the copy is sent at the next start', async () => {
    // Prepare: stopped offline with B overwritten by C; B's copy then unreadable (a folder in its place: EISDIR)
    const first = createAgent(config);
    await replaceTwiceOffline(first);
    await first.stop();
    const [bName] = copies();
    const bPath = join(copiesDir(), bName!);
    const bBytes = readFileSync(bPath);
    rmSync(bPath);
    mkdirSync(bPath);

    // Act: online, B's copy unreadable; then readable again and another start
    reachable = true;
    const second = createAgent(config);
    await second.start();
    await vi.waitFor(async () => expect((await rawLines(local)).data).toHaveLength(130), { timeout: 10_000 });
    await second.stop();
    const whileUnreadable = {
      rows: (await rawLines(local)).data.length,
      said: (second.status().notices ?? []).filter((n) => n.code === 'LOG_COPY_UNREADABLE').length,
      left: copies(),
    };
    rmSync(bPath, { recursive: true });
    writeFileSync(bPath, bBytes);
    const third = createAgent(config);
    await third.start();
    await vi.waitFor(async () => expect((await rawLines(local)).data).toHaveLength(200), { timeout: 10_000 });
    await third.stop();

    // Assess: A and C while B's copy could not be read (before: no row of C, the look failing on it each time)
    expect(whileUnreadable).toEqual({ rows: 130, said: 1, left: [bName] });
    expect(sorted((await rawLines(local)).data)).toEqual(sorted(dataLinesOf(adaLog(1, 201))));
    expect(copies()).toEqual([]);
  });

  it('a copy begun just before a kill, without a complete line, of a log that is gone is deleted once the store answers', async () => {
    // Prepare: the copy of a log GPU-Z replaced holds only its header (the kill came before its first row was copied)
    mkdirSync(copiesDir(), { recursive: true });
    writeFileSync(join(copiesDir(), '1764921600000-0123456789ab.log'), adaLog(1, 1));
    writeFileSync(config.logPath, adaLog(1, 101));

    // Act
    const agent = createAgent(config);
    await agent.start();
    await vi.waitFor(async () => expect((await rawLines(local)).data).toHaveLength(100), { timeout: 10_000 });
    await agent.stop();

    // Assess: it held no row to send; before, it stayed for good (and `gpuz-cloud status` counted it)
    expect(copies()).toEqual([]);
  });
});
