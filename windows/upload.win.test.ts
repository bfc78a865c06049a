/**
 * `gpuz-cloud upload` as a Windows program (node.exe under Wine), on the paths a Windows user has: the log in
 * `C:\Users\Jörg\Documents\GPU-Z Sensor Log.txt`, the store in `C:\Users\Jörg\GPU-Z Store`, the state folder
 * in `%APPDATA%\GPU-Z Cloud` (no --state-dir). A GPU-Z stand-in (node.exe too) writes the log.
 */
import { execFile } from 'node:child_process';
import {
  copyFileSync,
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { SAMPLES_DIR } from '../src/test-support/services';
import { logDataLines, storedLines } from '../src/test-support/store-lines';
import { REPO_ROOT } from './support/requirements.mjs';
import { skipNote, useWine, WINE_SKIP } from './support/suite';
import { freshUserPaths, LOG, STORE, until, watchArgs } from './support/user-paths';

const COMMON = ['--host', 'joerg-pc', '--tz', 'Europe/Berlin'];

/** Every file of a local store (objects and their `.meta/` sidecars) by relative path → its bytes. */
function storeFiles(root: string): Map<string, Buffer> {
  const files = readdirSync(root, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
  return new Map(
    files
      .map((e) => join(e.parentPath, e.name))
      .sort()
      .map((path) => [path.slice(root.length + 1), readFileSync(path)]),
  );
}

describe.skipIf(WINE_SKIP !== null)(`upload under Wine with node.exe${skipNote()}`, () => {
  const wine = useWine();

  it('one-time upload --local: the same keys, metadata and bytes as on Linux but the gzip OS byte; state in %APPDATA%\\GPU-Z Cloud', async () => {
    // Prepare: the 12-session AMD sample as the user's log, and a Linux copy of the same bytes.
    const paths = freshUserPaths(wine());
    const sample = join(SAMPLES_DIR, 'gpuz', 'amd-radeon-hbm2-gpuz-2020-12-sessions.txt');
    copyFileSync(sample, paths.log);
    const linux = mkdtempSync(join(tmpdir(), 'gpuz-win-linux-'));
    copyFileSync(sample, join(linux, 'GPU-Z Sensor Log.txt'));

    // Act
    const windows = await wine().node(
      ['bin/gpuz-cloud.mjs', 'upload', '--file', LOG, '--local', STORE, ...COMMON],
      'upload-once',
    );
    await promisify(execFile)(
      process.execPath,
      [
        'bin/gpuz-cloud.mjs',
        'upload',
        '--file',
        join(linux, 'GPU-Z Sensor Log.txt'),
        '--local',
        join(linux, 'store'),
        '--state-dir',
        join(linux, 'state'),
        ...COMMON,
      ],
      { cwd: REPO_ROOT },
    );

    // Assess
    expect(windows.code, windows.stderr).toBe(0);
    expect(windows.stdout.toString()).toContain('Uploaded 12 batches, 1,673 rows read');
    const got = storeFiles(paths.store);
    const want = storeFiles(join(linux, 'store'));
    expect([...got.keys()]).toEqual([...want.keys()]);
    expect([...got.keys()].filter((path) => path.startsWith('raw')).length).toBe(12);
    for (const [path, bytes] of want) {
      const windowsBytes = got.get(path)!;
      if (path.startsWith('rollups')) {
        // A day document lists the processed objects' ETags (MD5 of their bytes: the OS byte differs); the rest is equal.
        const withoutEtags = (gz: Buffer) => {
          const doc = JSON.parse(gunzipSync(gz).toString()) as { batches: { etag: string }[] };
          return { ...doc, batches: doc.batches.map(({ etag: _etag, ...entry }) => entry) };
        };
        expect(withoutEtags(windowsBytes), path).toEqual(withoutEtags(bytes));
      } else if (path.endsWith('.gz')) {
        // One byte differs: the gzip header's OS field (RFC 1952), 3 (Unix) from Linux zlib, 10 from Windows'.
        expect([bytes[9], windowsBytes[9]], path).toEqual([3, 10]);
        expect(Buffer.concat([bytes.subarray(0, 9), bytes.subarray(10)])).toEqual(
          Buffer.concat([windowsBytes.subarray(0, 9), windowsBytes.subarray(10)]),
        );
      } else {
        // The sidecar: the same metadata (rows, sha256 of the body, range, zone…); the ETag is the MD5 of the bytes.
        const { etag: _linuxEtag, ...linuxMeta } = JSON.parse(bytes.toString());
        const { etag: _windowsEtag, ...windowsMeta } = JSON.parse(windowsBytes.toString());
        expect(windowsMeta, path).toEqual(linuxMeta);
      }
    }
    expect(existsSync(join(paths.state, 'checkpoint.json'))).toBe(true);
    expect(existsSync(join(paths.state, 'agent.lock'))).toBe(false);
    rmSync(linux, { recursive: true, force: true });
  });

  it('upload --watch: a node.exe writer holding the log open, lines split, the log deleted and re-created — every row once', async () => {
    // Prepare: GPU-Z's stand-in writes 200 rows, restarts logging (delete + create), writes the other 156.
    const paths = freshUserPaths(wine());
    const sample = join(SAMPLES_DIR, 'gpuz', 'nvidia-ada-pwrsrc-gpuz-2024.txt');
    const writer = wine().spawnNode(
      [
        'windows/support/gpuz-writer.mjs',
        wine().toWindows(sample),
        LOG,
        '80',
        wine().toWindows(paths.control),
        '200',
      ],
      'writer',
    );
    const rowsStored = () => storedLines(paths.store).data.length;

    // Act
    await until('the log', () => existsSync(paths.log));
    const upload = wine().spawnNode(watchArgs('1s', ...COMMON), 'upload-watch');
    await upload.waitFor(/Watching .* → /);
    await until('the first session written', () => existsSync(join(paths.control, 'session1.done')));
    await until('the first session stored', () => rowsStored() >= 200);
    writeFileSync(join(paths.control, 'restart.go'), '');
    await until('the second session written', () => existsSync(join(paths.control, 'done')));
    await until('every row stored', () => rowsStored() >= 356);
    const code = await upload.ctrlC();
    writeFileSync(join(paths.control, 'exit.go'), '');

    // Assess
    expect(code, upload.stderr()).toBe(0);
    expect(upload.stderr()).toContain('SIGINT: sealing and sending what is complete');
    expect(await writer.exited).toBe(0);
    const stored = storedLines(paths.store);
    const written = logDataLines(readFileSync(sample));
    expect(stored.data.length).toBe(356);
    expect([...stored.data].sort()).toEqual([...written].sort());
    // Two log files (before and after the restart) → batch ids of two file identities.
    expect(new Set(stored.keys.map((k) => /([0-9a-f]{12})-\d+-\d+\.csv\.gz$/.exec(k)?.[1])).size).toBe(2);
    expect(existsSync(join(paths.state, 'checkpoint.json'))).toBe(true);
  });

  it('Ctrl+C seals and sends every complete line at once (interval 60 min); the partial last line waits for its end', async () => {
    // Prepare: 100 complete rows and half of the 101st.
    const paths = freshUserPaths(wine());
    const text = readFileSync(join(SAMPLES_DIR, 'gpuz', 'nvidia-ada-pwrsrc-gpuz-2024.txt'), 'latin1');
    const lines = text.match(/[^\n]*\n/g)!;
    const partial = lines[101]!.slice(0, 40);
    writeFileSync(paths.log, Buffer.from(lines.slice(0, 101).join('') + partial, 'latin1'));
    const upload = wine().spawnNode(watchArgs('60', ...COMMON), 'upload-ctrl-c');
    await upload.waitFor(/Watching .*\(every 1h;/);

    // Act
    const code = await upload.ctrlC();
    const afterCtrlC = storedLines(paths.store).data.length;
    writeFileSync(paths.log, Buffer.from(lines.slice(0, 201).join(''), 'latin1'));
    const next = await wine().node(
      ['bin/gpuz-cloud.mjs', 'upload', '--file', LOG, '--local', STORE, ...COMMON],
      'upload-rest',
    );

    // Assess
    expect(code, upload.stderr()).toBe(0);
    expect(upload.stdout()).toMatch(/Uploaded 1 batch, 100 rows read/);
    expect(afterCtrlC).toBe(100);
    expect(next.code, next.stderr).toBe(0);
    const stored = storedLines(paths.store).data;
    expect(stored.length).toBe(200);
    expect(new Set(stored).size).toBe(200);
  });
});
