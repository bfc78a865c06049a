/**
 * A local store folder that held the agent's rows and is then not there — a drive not mounted (Linux would write on
 * its empty mount point), unplugged, or the folder moved away — is an outage, not a new store: nothing is written
 * in its place, the rows wait in the spool, and once it is back every row is in it once. A real agent, real folders
 * (the unmount is a rename: to the agent both look the same, the path no longer there).
 */
import { appendFileSync, existsSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalStore } from '../store/local';
import { dataLinesOf, rawLines, sample, sorted } from './agent.test-support';
import { createAgent } from './index';

const BM1 = 'gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt';

describe('a local store folder that went away', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gpuz-store-gone-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const agentOn = (log: string, root: string) =>
    createAgent({
      logPath: log,
      host: 'pc',
      timeZone: 'UTC',
      stateDir: join(dir, 'state'),
      intervalMs: 300,
      pollMs: 20,
      compress: false,
      store: createLocalStore({ root }),
      watch: true,
      retry: { baseMs: 100, maxMs: 300 },
    });

  /** A watching agent on a real log (bm1) whose first 199 rows are in the store folder `root`. */
  async function rowsStored() {
    const { lines } = sample(BM1);
    const log = join(dir, 'log.txt');
    const root = join(dir, 'mnt', 'store');
    writeFileSync(log, lines(0, 200));
    const agent = agentOn(log, root);
    await agent.start();
    const store = createLocalStore({ root });
    await vi.waitFor(async () => expect((await rawLines(store)).data).toHaveLength(199), { timeout: 10_000 });
    return { lines, log, root, store, agent };
  }

  it('while the agent watches: it is not made again, and once it is back every row is in it once', async () => {
    // Prepare
    const { lines, log, root, store, agent } = await rowsStored();
    const puts = agent.status().counters.requests.put;
    // Act: the drive goes away while GPU-Z logs on, then comes back
    renameSync(root, join(dir, 'away'));
    appendFileSync(log, lines(200, 600));
    await vi.waitFor(() => expect(agent.status().lastError?.code).toBe('STORE_GONE'), { timeout: 10_000 });
    await new Promise((done) => setTimeout(done, 500)); // a few more attempts (every ≤ 300 ms here)
    const whileGone = {
      state: agent.status().state,
      made: existsSync(root),
      // attempts that touched nothing are no requests (the summary and `status` counted one per attempt)
      puts: agent.status().counters.requests.put - puts,
    };
    renameSync(join(dir, 'away'), root);
    await vi.waitFor(async () => expect((await rawLines(store)).data.length).toBeGreaterThanOrEqual(599), {
      timeout: 15_000,
    });
    await agent.stop();
    // Assess
    expect(whileGone).toEqual({ state: 'offline', made: false, puts: 0 });
    expect(sorted((await rawLines(store)).data)).toEqual(sorted(dataLinesOf(lines(0, 600))));
  });

  it('at a start (the drive not mounted at boot): nothing is written in its place, and all goes once it is mounted', async () => {
    // Prepare: a first run stores 199 rows and stops; the drive is not there at the next start
    const { lines, log, root, store, agent: first } = await rowsStored();
    await first.stop();
    renameSync(root, join(dir, 'away'));
    appendFileSync(log, lines(200, 600));
    // Act
    const second = agentOn(log, root);
    await second.start();
    await vi.waitFor(() => expect(second.status().lastError?.code).toBe('STORE_GONE'), { timeout: 10_000 });
    const whileGone = {
      state: second.status().state,
      made: existsSync(root),
      message: second.status().lastError?.message,
    };
    renameSync(join(dir, 'away'), root);
    await vi.waitFor(async () => expect((await rawLines(store)).data.length).toBeGreaterThanOrEqual(599), {
      timeout: 15_000,
    });
    await second.stop();
    // Assess
    expect(whileGone).toEqual({
      state: 'offline',
      made: false,
      message: expect.stringContaining(
        `The store folder ${root} is not there, though it held this PC's batches`,
      ),
    });
    expect(sorted((await rawLines(store)).data)).toEqual(sorted(dataLinesOf(lines(0, 600))));
  });
});
