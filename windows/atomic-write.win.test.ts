/**
 * State files replaced while another program holds them, on node.exe under Wine. On Windows a rename over a file
 * that another process has open without FILE_SHARE_DELETE (an antivirus scanner, the search indexer, a backup tool)
 * fails with EPERM/EACCES/EBUSY; the agent writes stats.json and checkpoint.json that way many times an hour, and a
 * flaky EPERM on stats.json was seen in this suite under load. Here a second node.exe holds `stats.json` with share
 * mode 0 (libuv's UV_FS_O_EXLOCK): a plain rename over it fails (the control), and `writeFileAtomic` (the real
 * module, bundled with esbuild for node.exe) waits it out and replaces the file once the holder lets go.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { bundleForNodeExe } from './support/bundle';
import { skipNote, useWine, WINE_SKIP } from './support/suite';
import { until } from './support/user-paths';

/** node.exe -e: opens argv[1] with share mode 0, says so in argv[2], keeps the handle until argv[3] exists. */
const HOLD =
  "const fs = require('node:fs'); const fd = fs.openSync(process.argv[1], 'r+', 0o666, 0x10000000);" +
  "fs.writeFileSync(process.argv[2], 'open');" +
  'const timer = setInterval(() => { if (fs.existsSync(process.argv[3])) { fs.closeSync(fd); clearInterval(timer); } }, 50);';

/** node.exe script: a plain rename over argv[3] (the control), then `ready`, then writeFileAtomic; prints both. */
const WRITER = `
import { rename, writeFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';
const [, , module, target, ready] = process.argv;
const { writeFileAtomic } = await import(pathToFileURL(module).href);
const out = [];
try {
  await writeFile(target + '.new', '{"plain":true}\\n');
  await rename(target + '.new', target);
  out.push('plain ok');
} catch (error) {
  out.push('plain ' + error.code);
}
await writeFile(ready, '');
try {
  await writeFileAtomic(target, '{"written":"atomic"}\\n');
  out.push('atomic ok');
} catch (error) {
  out.push('atomic ' + error.code);
}
process.stdout.write(out.join(', '));
`;

describe.skipIf(WINE_SKIP !== null)(`atomic state-file writes under Wine${skipNote()}`, () => {
  const wine = useWine();

  it('stats.json held by another program: a plain rename fails, writeFileAtomic retries until it is let go', async () => {
    // Prepare
    const dir = join(wine().root, `atomic-${Math.random().toString(36).slice(2, 8)}`);
    mkdirSync(dir);
    const files = {
      module: join(dir, 'atomic-file.mjs'),
      writer: join(dir, 'writer.mjs'),
      target: join(dir, 'stats.json'),
      open: join(dir, 'open'),
      ready: join(dir, 'ready'),
      release: join(dir, 'release'),
    };
    await bundleForNodeExe({ entry: 'src/shared/fs/atomic-file.ts' }, files.module);
    writeFileSync(files.writer, WRITER);
    writeFileSync(files.target, '{"old":true}\n');
    const w = (path: string) => wine().toWindows(path);
    const holder = wine().spawnNode(['-e', HOLD, w(files.target), w(files.open), w(files.release)], 'holder');
    await until('the handle', () => existsSync(files.open), 30_000);

    // Act: the holder lets go a second after the writer starts its atomic write.
    const writer = wine().spawnNode(
      [w(files.writer), w(files.module), w(files.target), w(files.ready)],
      'writer',
    );
    await until('the writer', () => existsSync(files.ready), 60_000);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    writeFileSync(files.release, '');
    const code = await writer.exited;

    // Assess
    expect(await holder.exited).toBe(0);
    expect(code, writer.stderr()).toBe(0);
    expect(writer.stdout()).toMatch(/^plain (EPERM|EACCES|EBUSY), atomic ok$/);
    expect(readFileSync(files.target, 'utf8')).toBe('{"written":"atomic"}\n');
  });
});
