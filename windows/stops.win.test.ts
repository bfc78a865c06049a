/**
 * Windows ends programs without SIGTERM: Task Manager's End task, a forced shutdown or logoff, `taskkill /F` all
 * come down to TerminateProcess, and none of the program's code runs. Here `upload --watch` (node.exe under Wine)
 * is terminated that way at random moments while a node.exe GPU-Z stand-in keeps appending to the log it holds
 * open; after each stop it is started again, and a last one-shot upload sends the rest. Every complete line must
 * be stored exactly once. (The Linux counterpart, src/main/core/agent/crash.int.test.ts, uses kill -9.)
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLES_DIR } from '../src/test-support/services';
import { logDataLines, storedLines } from '../src/test-support/store-lines';
import { skipNote, useWine, WINE_SKIP } from './support/suite';
import { freshUserPaths, LOG, STORE, until } from './support/user-paths';

const STOPS = 10;
const SAMPLE = join(SAMPLES_DIR, 'gpuz', 'nvidia-turing-usbc-gpuz-2023-trunc2mb.txt');
const COMMON = ['--file', LOG, '--local', STORE, '--host', 'joerg-pc', '--tz', 'Europe/Berlin'];

describe.skipIf(WINE_SKIP !== null)(`abrupt stops under Wine${skipNote()}`, () => {
  const wine = useWine();

  it(`loses and duplicates nothing across ${STOPS} TerminateProcess stops (taskkill /F) at random moments`, async () => {
    // Prepare: 3,083 real rows at 70 rows/s (~44 s, about as long as the stops take), in uneven pieces, by a
    // writer that holds the log open.
    const paths = freshUserPaths(wine());
    const writer = wine().spawnNode(
      [
        'windows/support/gpuz-writer.mjs',
        wine().toWindows(SAMPLE),
        LOG,
        '70',
        wine().toWindows(paths.control),
      ],
      'writer',
    );
    await until('the log', () => existsSync(paths.log));
    let seed = 19;
    const random = () => {
      seed = (seed * 69069 + 1) % 4294967296;
      return seed / 4294967296;
    };
    const moments: { afterMs: number; watching: boolean; stored: number }[] = [];

    // Act: even stops hit the running agent (1–4 s after it printed "Watching": tailing, sealing every second,
    // uploading); odd ones hit its start (0–2.5 s after the process exists: loading, spool recovery, first reads).
    for (let stop = 0; stop < STOPS; stop++) {
      const upload = wine().spawnNode(
        ['bin/gpuz-cloud.mjs', 'upload', '--watch', '--interval', '1s', ...COMMON],
        'upload',
      );
      await upload.windowsPid();
      const running = stop % 2 === 0;
      if (running) await upload.waitFor(/Watching/);
      const afterMs = running ? 1000 + random() * 3000 : random() * 2500;
      await new Promise((resolve) => setTimeout(resolve, afterMs));
      await upload.terminate();
      expect(upload.stderr()).not.toContain('gpuz-cloud upload:');
      moments.push({
        afterMs: Math.round(afterMs),
        watching: upload.stderr().includes('Watching'),
        stored: storedLines(paths.store).data.length,
      });
    }
    await until('the writer to finish', () => existsSync(join(paths.control, 'done')), 120_000);
    const last = await wine().node(['bin/gpuz-cloud.mjs', 'upload', ...COMMON], 'upload-last');
    writeFileSync(join(paths.control, 'exit.go'), '');
    await writer.exited;

    // Assess
    console.log(
      `stops (ms after "Watching" or start, agent watching, rows stored): ${JSON.stringify(moments)}`,
    );
    expect(last.code, last.stderr).toBe(0);
    const written = logDataLines(readFileSync(paths.log));
    expect(written.length).toBe(3083);
    const stored = storedLines(paths.store);
    expect(stored.data.length).toBe(written.length);
    expect([...stored.data].sort()).toEqual([...written].sort());
    // The stopped agents had stored rows themselves: the stops hit uploading agents, not only the last run.
    expect(moments.at(-1)!.stored).toBeGreaterThan(0);
  }, 300_000);
});
