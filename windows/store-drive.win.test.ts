/**
 * A local store on a drive that goes away — a USB drive pulled out, a mapped network drive not reconnected after a
 * reboot — on node.exe under Wine, with the real modules (bundled with esbuild for node.exe). The drive is Wine's
 * `R:` (a link in the prefix's dosdevices), removed while the program runs: to Windows programs the drive letter is
 * gone, as after unplugging. Nothing is made elsewhere, the store says STORE_GONE once it has seen the folder, and
 * making a folder on a drive that does not exist ends at once (make-folder.ts stops at the drive's root).
 */
import { existsSync, mkdirSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleForNodeExe } from './support/bundle';
import { skipNote, useWine, WINE_SKIP } from './support/suite';
import { until } from './support/user-paths';

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
process.stdout.write(JSON.stringify(out));
`;

describe.skipIf(WINE_SKIP !== null)(`a store drive that goes away, under Wine${skipNote()}`, () => {
  const wine = useWine();

  it('is not written elsewhere: STORE_GONE once seen, unreachable before, and a missing drive ends at once', async () => {
    // Prepare: R: is a folder of the test's own
    const dir = join(wine().root, `drive-${Math.random().toString(36).slice(2, 8)}`);
    const drive = join(dir, 'r');
    mkdirSync(drive, { recursive: true });
    const letter = join(wine().prefix, 'dosdevices', 'r:');
    rmSync(letter, { force: true });
    symlinkSync(drive, letter);
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
        /^STORE_UNREACHABLE: The store folder R:\\gpuz-store cannot be reached \(ENOENT\)$/,
      ),
    });
    expect(out.neverMs).toBeLessThan(5_000);
    expect(readdirSync(drive, { recursive: true })).toHaveLength(before);
  });
});
