/**
 * A local store on a drive that goes away — a USB drive pulled out, a mapped network drive not reconnected after a
 * reboot — on node.exe under Wine, with the real modules (bundled with esbuild for node.exe). The drive is Wine's
 * `R:` (a link in the prefix's dosdevices), removed while the program runs: to Windows programs the drive letter is
 * gone, as after unplugging. Nothing is made elsewhere, the store says STORE_GONE once it has seen the folder, and
 * making a folder on a drive that does not exist ends at once (make-folder.ts stops at the drive's root).
 */
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { SAMPLES_DIR } from '../src/test-support/services';
import { lineStarts, logDataLines, storedLines } from '../src/test-support/store-lines';
import { bundleForNodeExe } from './support/bundle';
import { skipNote, useWine, WINE_SKIP } from './support/suite';
import { freshUserPaths, LOG, until } from './support/user-paths';

/** node.exe script: a folder on a drive that never was; a put on R:; `ready`; waits for `removed`; two puts. */
const PROGRAM = `
import { existsSync, writeFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
const [, , module, ready, removed] = process.argv;
const { createLocalStore, makeFolder } = await import(pathToFileURL(module).href);
const body = Buffer.from('x');
const put = async (store, key) =>
  store.put(key, body, { contentType: 'text/csv' }).then(() => 'ok', (error) => error.code + ': ' + error.message);
const started = Date.now();
const never = await makeFolder('Q:\\\\never\\\\raw').then(() => 'ok', (error) => error.code);
const out = { never, neverMs: Date.now() - started };
const store = createLocalStore({ root: 'R:\\\\gpuz-store' });
out.first = await put(store, 'raw/pc/2026/12/06/ab-0-9.csv');
writeFileSync(ready, '');
while (!existsSync(removed)) await new Promise((done) => setTimeout(done, 50));
out.seen = await put(store, 'raw/pc/2026/12/06/ab-9-19.csv');
out.unseen = await put(createLocalStore({ root: 'R:\\\\gpuz-store' }), 'raw/pc/2026/12/06/ab-9-19.csv');
out.unseenList = await createLocalStore({ root: 'R:\\\\gpuz-store' }).list('raw/').then(
  (listed) => 'listed ' + listed.length,
  (error) => error.code + ': ' + error.message,
);
process.stdout.write(JSON.stringify(out));
`;

describe.skipIf(WINE_SKIP !== null)(`a store drive that goes away, under Wine${skipNote()}`, () => {
  const wine = useWine();

  /** R: as a new folder of the test's own: `drive` is what R:\\ holds; removing `letter` pulls the drive out. */
  function plugInDriveR() {
    const dir = join(wine().root, `drive-${Math.random().toString(36).slice(2, 8)}`);
    const drive = join(dir, 'r');
    mkdirSync(drive, { recursive: true });
    const letter = join(wine().prefix, 'dosdevices', 'r:');
    rmSync(letter, { force: true });
    symlinkSync(drive, letter);
    return { dir, drive, letter };
  }

  it('is not written elsewhere: STORE_GONE once seen, unreachable before, and a missing drive ends at once', async () => {
    // Prepare
    const { dir, drive, letter } = plugInDriveR();
    const files = {
      module: join(dir, 'store.mjs'),
      program: join(dir, 'program.mjs'),
      ready: join(dir, 'ready'),
    };
    const removed = join(dir, 'removed');
    await bundleForNodeExe(
      {
        source:
          "export { createLocalStore } from './src/main/core/store/local';\n" +
          "export { makeFolder } from './src/shared/fs/make-folder';\n",
      },
      files.module,
    );
    writeFileSync(files.program, PROGRAM);
    const w = (path: string) => wine().toWindows(path);
    const program = wine().spawnNode(
      [w(files.program), w(files.module), w(files.ready), w(removed)],
      'store-drive',
    );
    await until('the first put', () => existsSync(files.ready), 60_000);
    const before = readdirSync(drive, { recursive: true }).length;
    // Act: the drive is pulled out
    rmSync(letter);
    writeFileSync(removed, '');
    const code = await program.exited;
    // Assess
    expect(code, program.stderr()).toBe(0);
    const out = JSON.parse(program.stdout()) as Record<string, string | number>;
    expect(out).toMatchObject({
      never: 'ENOENT',
      first: 'ok',
      seen: expect.stringMatching(
        /^STORE_GONE: The store folder R:\\gpuz-store is not there, though it held/,
      ),
      unseen: expect.stringMatching(
        /^STORE_UNREACHABLE: The store folder R:\\gpuz-store cannot be reached: its drive R:\\ is not there/,
      ),
      // Before: 'listed 0', "the store holds nothing of this log" to a start without its checkpoint.
      unseenList: expect.stringMatching(/^STORE_UNREACHABLE: .* its drive R:\\ is not there/),
    });
    expect(out.neverMs).toBeLessThan(5_000);
    expect(readdirSync(drive, { recursive: true })).toHaveLength(before);
  });

  it('a start without its checkpoint while the drive is out: nothing read until the drive is back, then every row once', async () => {
    // Prepare: 200 rows stored on R:, then the checkpoint lost (a power cut, a reset) and R: not plugged in at the
    // next start (a USB drive, or a mapped network drive Windows has not reconnected yet at login).
    const paths = freshUserPaths(wine());
    const { drive, letter } = plugInDriveR();
    const ada = readFileSync(join(SAMPLES_DIR, 'gpuz', 'nvidia-ada-pwrsrc-gpuz-2024.txt'));
    const starts = lineStarts(ada);
    writeFileSync(paths.log, ada.subarray(0, starts[201]));
    const args = ['bin/gpuz-cloud.mjs', 'upload', '--file', LOG, '--local', 'R:\\gpuz-store', '--tz', 'UTC'];
    const first = await wine().node(args, 'store-drive-first');
    expect(first.code, first.stderr).toBe(0);
    expect(storedLines(join(drive, 'gpuz-store')).data).toHaveLength(200);
    rmSync(join(paths.state, 'checkpoint.json'));
    rmSync(letter);
    appendFileSync(paths.log, ada.subarray(starts[201]));

    // Act: the agent starts with R: out; R: comes back a few seconds later.
    const agent = wine().spawnNode([...args, '--watch', '--interval', '1s'], 'store-drive-watch');
    try {
      await agent.waitFor(/^Watching /m, 60_000);
      // Long enough for a start to read the log and try to send it (the interval is 1 s).
      await new Promise((resolve) => setTimeout(resolve, 5000));
      symlinkSync(drive, letter);
      await until(
        'every row stored',
        () => storedLines(join(drive, 'gpuz-store')).data.length >= 356,
        90_000,
      );
      // A moment more: rows sent twice would come now.
      await new Promise((resolve) => setTimeout(resolve, 3000));
    } finally {
      await agent.ctrlC();
    }

    // Assess: each of the 356 rows once (before: the whole log read again at the start and sent once R: was back).
    const stored = storedLines(join(drive, 'gpuz-store')).data;
    expect(stored.sort()).toEqual(logDataLines(ada).sort());
    expect(agent.stdout() + agent.stderr()).toMatch(/its drive R:\\ is not there/);
  });
});
