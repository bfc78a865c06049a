/**
 * Windows share modes, where Wine enforces them (between Wine processes): while one node.exe holds the log open the
 * way the tailer opens it (`open(path, 'r')`: CreateFileW with FILE_SHARE_READ | WRITE | DELETE), another can
 * append to it, delete it and create it anew, as GPU-Z does when logging restarts. The control case shows the
 * check has teeth: a handle opened with libuv's UV_FS_O_EXLOCK (0x10000000 on Windows, share mode 0; Node does not
 * export it in fs.constants) makes the same append and delete fail with EBUSY. A logger that locks its file that way
 * keeps the agent out until it lets go: the agent waits, then sends every row.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SAMPLES_DIR } from '../src/test-support/services';
import { storedLines } from '../src/test-support/store-lines';
import { skipNote, useWine, WINE_SKIP } from './support/suite';
import { freshUserPaths, LOG, until, watchArgs } from './support/user-paths';

/** node.exe -e: opens argv[1] with `flags`, says so in argv[2], keeps the handle until argv[3] exists. */
const HOLD = (flags: string) =>
  `const fs = require('node:fs'); const fd = fs.openSync(process.argv[1], ${flags});` +
  "fs.writeFileSync(process.argv[2], 'open');" +
  'const timer = setInterval(() => { if (fs.existsSync(process.argv[3])) { fs.closeSync(fd); clearInterval(timer); } }, 50);';

/** node.exe -e: appends, deletes, re-creates argv[1]; prints what each step did. */
const GPUZ_RESTART =
  "const fs = require('node:fs'); const out = [];" +
  "for (const [step, run] of [['append', () => fs.appendFileSync(process.argv[1], 'row\\r\\n')], ['delete', () => fs.unlinkSync(process.argv[1])], ['create', () => fs.writeFileSync(process.argv[1], 'header\\r\\n')]])" +
  '{ try { run(); out.push(step + " ok"); } catch (e) { out.push(step + " " + e.code); } }' +
  "process.stdout.write(out.join(', '));";

describe.skipIf(WINE_SKIP !== null)(`share modes under Wine${skipNote()}`, () => {
  const wine = useWine();

  it.each([
    ["open(path, 'r') as the tailer does", "'r'", 'append ok, delete ok, create ok'],
    ['UV_FS_O_EXLOCK (share mode 0), the control', '0x10000000', 'append EBUSY, delete EBUSY, create EBUSY'],
  ])(
    'a log held with %s: another process appends, deletes and re-creates it?',
    async (_name, flags, expected) => {
      // Prepare
      const dir = join(wine().root, `share-${Math.random().toString(36).slice(2, 8)}`);
      const files = { log: join(dir, 'log.txt'), open: join(dir, 'open'), release: join(dir, 'release') };
      mkdirSync(dir);
      writeFileSync(files.log, 'header\r\n');
      const w = (path: string) => wine().toWindows(path);
      const holder = wine().spawnNode(
        ['-e', HOLD(flags), w(files.log), w(files.open), w(files.release)],
        'holder',
      );
      await until('the handle', () => existsSync(files.open), 30_000);

      // Act
      const other = await wine().node(['-e', GPUZ_RESTART, w(files.log)], 'gpuz-restart');
      writeFileSync(files.release, '');

      // Assess
      expect(await holder.exited).toBe(0);
      expect(other.stdout.toString()).toBe(expected);
    },
  );

  it('a log another program holds exclusively: upload --watch keeps running and sends every row once it is released', async () => {
    // Prepare: 50 rows, held with share mode 0 before the agent starts.
    const paths = freshUserPaths(wine());
    const lines = readFileSync(join(SAMPLES_DIR, 'gpuz', 'nvidia-ada-pwrsrc-gpuz-2024.txt'), 'latin1').match(
      /[^\n]*\n/g,
    )!;
    writeFileSync(paths.log, Buffer.from(lines.slice(0, 51).join(''), 'latin1'));
    const files = { open: join(paths.control, 'open'), release: join(paths.control, 'release') };
    const w = (path: string) => wine().toWindows(path);
    const holder = wine().spawnNode(
      ['-e', HOLD('0x10000000'), LOG, w(files.open), w(files.release)],
      'holder',
    );
    await until('the handle', () => existsSync(files.open), 30_000);
    const upload = wine().spawnNode(watchArgs('1s', '--tz', 'UTC'), 'upload-locked');
    await upload.waitFor(/Watching/);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const whileHeld = storedLines(paths.store).data.length;

    // Act
    writeFileSync(files.release, '');
    await until('the rows', () => storedLines(paths.store).data.length >= 50, 60_000);
    const code = await upload.ctrlC();

    // Assess
    expect(await holder.exited).toBe(0);
    expect(whileHeld).toBe(0);
    expect(code, upload.stderr()).toBe(0);
    expect(storedLines(paths.store).data).toHaveLength(50);
  });
});
