import type { ChildProcess } from 'node:child_process';
import {
  appendFileSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { useBundledCli } from '../../../test-support/bundled-cli';
import { type CliResult, collect, spawnCli, waitForOutput } from '../../../test-support/cli-process';
import { SAMPLES_DIR } from '../../../test-support/services';
import { createLocalStore } from '../store/local';
import { dataLinesOf, rawLines, sorted } from './agent.test-support';

/**
 * A state folder (or only its lock file) deleted while `upload --watch` runs — a person tidying up, a cleaner —
 * and a second agent started on it, through the real CLI into a local store (processed as the Lambda would).
 * Before, the running agent never noticed: the second found no lock and started, both cut the log on at different
 * places, and every row after the checkpoint was stored twice (lived: 253 of 385 rows twice in the charts' export).
 */
const BM1 = join(SAMPLES_DIR, 'gpuz', 'nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt');

describe('a state folder deleted under a running agent, and a second agent started on it', () => {
  const { dir, cli } = useBundledCli('gpuz-second-agent-');

  /** A run's log, store and state folder, and `upload --watch` (sealing every second) or a one-shot upload on them. */
  function setUp(name: string) {
    const run = mkdtempSync(join(dir, `${name}-`));
    const paths = {
      log: join(run, 'GPU-Z Sensor Log.txt'),
      store: join(run, 'store'),
      state: join(run, 'state'),
    };
    const upload = ['upload', '--file', paths.log, '--local', paths.store, '--state-dir', paths.state];
    const watch = () => spawnCli(cli, [...upload, '--watch', '--interval', '1s']);
    const once = () => spawnCli(cli, upload);
    return { ...paths, watch, once };
  }

  /** GPU-Z appending the real bm1 sample (1,183 lines) over ≈ 6 s, in pieces that often split a line. */
  function startWriting(log: string): Promise<void> {
    const bytes = readFileSync(BM1);
    const piece = Math.ceil(bytes.length / 600);
    writeFileSync(log, '');
    let offset = 0;
    return new Promise((resolve) => {
      const timer = setInterval(() => {
        appendFileSync(log, bytes.subarray(offset, offset + piece));
        offset += piece;
        if (offset < bytes.length) return;
        clearInterval(timer);
        resolve();
      }, 10);
    });
  }

  /** GPU-Z writing the log and the first agent watching it, once it has uploaded a batch. */
  async function firstWatching(run: ReturnType<typeof setUp>) {
    const writing = startWriting(run.log);
    const first = run.watch();
    const firstEnded = collect(first);
    await waitForOutput(first, /^uploaded /m);
    return { writing, first, firstEnded };
  }

  /** The first agent's result once it has ended by itself within 10 s, or null: it went on (then it is stopped). */
  async function endedByItself(first: ChildProcess, ended: Promise<CliResult>): Promise<CliResult | null> {
    const result = await Promise.race([
      ended,
      new Promise<null>((resolve) => setTimeout(() => resolve(null), 10_000)),
    ]);
    if (result === null) first.kill('SIGTERM');
    return result;
  }

  /** Every complete line of the log is in the raw objects once, and in the processed documents once. */
  async function expectEveryRowOnce(log: string, storeDir: string): Promise<void> {
    const written = dataLinesOf(readFileSync(log));
    const store = createLocalStore({ root: storeDir });
    const raw = await rawLines(store);
    expect(raw.data.length).toBe(written.length);
    expect(sorted(raw.data)).toEqual(sorted(written));
    let processed = 0;
    for (const listed of await store.list('processed/')) {
      const object = await store.get(listed.key);
      const document = JSON.parse(gunzipSync(object!.body).toString('utf8')) as { summary: { rows: number } };
      processed += document.summary.rows;
    }
    expect(processed).toBe(written.length);
  }

  it('the running agent writes its lock again, and the second agent is refused', async () => {
    // Arrange
    const run = setUp('restored');
    const { writing, first, firstEnded } = await firstWatching(run);
    // Act: the folder goes at once, as to the Recycle Bin (an rm -r raced the running agent's writes: ENOTEMPTY)
    renameSync(run.state, `${run.state}-deleted`);
    await vi.waitFor(() => expect(existsSync(join(run.state, 'agent.lock'))).toBe(true), {
      timeout: 10_000,
      interval: 50,
    });
    const second = await collect(run.watch(), 20_000);
    await writing;
    await new Promise((resolve) => setTimeout(resolve, 1500)); // the last rows' interval
    first.kill('SIGTERM');
    const firstResult = await firstEnded;
    // Assess
    expect(second.code, second.stderr).toBe(2);
    expect(second.stderr).toContain(`Another upload agent (process ${first.pid}) is using ${run.state}`);
    expect(firstResult.code, firstResult.stderr).toBe(0);
    expect(firstResult.stderr).toContain('agent.lock was deleted while this agent ran: written again');
    await expectEveryRowOnce(run.log, run.store);
  }, 60_000);

  it('a second agent that took the folder first: the running one stops at once, every row stored once', async () => {
    // Arrange
    const run = setUp('taken');
    const { writing, first, firstEnded } = await firstWatching(run);
    // Act: the folder deleted and the second agent started while the first cannot look (held: a busy machine)
    first.kill('SIGSTOP');
    rmSync(run.state, { recursive: true, force: true }); // held: nothing writes into it now
    const second = run.watch();
    const secondEnded = collect(second);
    await waitForOutput(second, /Watching/);
    first.kill('SIGCONT');
    const firstResult = await endedByItself(first, firstEnded); // before: it went on beside the second agent
    await writing;
    await new Promise((resolve) => setTimeout(resolve, 1500));
    second.kill('SIGTERM');
    const secondResult = await secondEnded;
    // Assess
    await expectEveryRowOnce(run.log, run.store);
    expect(firstResult?.code, firstResult?.stderr).toBe(2);
    expect(firstResult?.stderr).toContain(
      `Another upload agent (process ${second.pid}) took over ${run.state}`,
    );
    expect(secondResult.code, secondResult.stderr).toBe(0);
  }, 60_000);

  it('a second agent that ran to its end while the first was held: the first stops at its next look, every row once', async () => {
    // Arrange
    const run = setUp('ended');
    const { writing, first, firstEnded } = await firstWatching(run);
    // Act: the folder deleted while the first is held; a one-shot upload runs to its end there and lets go of its lock
    first.kill('SIGSTOP');
    rmSync(run.state, { recursive: true, force: true }); // held: nothing writes into it now
    const second = await collect(run.once());
    first.kill('SIGCONT');
    const firstResult = await endedByItself(first, firstEnded); // before: it went on from its own memory
    await writing;
    const last = await collect(run.once()); // the rest, as the next start sends it
    // Assess: before, the first found no lock, wrote it again and cut again what the second had sent
    await expectEveryRowOnce(run.log, run.store);
    expect(second.code, second.stderr).toBe(0);
    expect(last.code, last.stderr).toBe(0);
    expect(firstResult?.code, firstResult?.stderr).toBe(2);
    expect(firstResult?.stderr).toContain(`Another upload agent wrote ${join(run.state, 'checkpoint.json')}`);
  }, 60_000);
});
