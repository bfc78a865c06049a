/**
 * A drive mounted read-only (Linux mounts an NTFS drive of a hibernated Windows so; a write-protected card): Node's
 * recursive mkdir says ENOENT there (nodejs/node#47098), which read as a drive that is not there. The real cause is
 * said instead. A real read-only tmpfs (skipped where mounting is not allowed: it needs root with CAP_SYS_ADMIN, as in
 * this project's CI container).
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { makeFolder } from '../../shared/fs/make-folder';
import { mountSmallDisk } from '../../test-support/small-disk';
import { lockStateDir } from './state-lock';
import { createLocalStore } from './store/local';

const { dir, disk: drive, skip } = mountSmallDisk('gpuz-read-only-', '1m');

describe.skipIf(skip !== null)(`a read-only drive${skip ? ` (skipped: ${skip})` : ''}`, () => {
  beforeAll(() => {
    mkdirSync(join(drive, 'store'));
    mkdirSync(join(drive, 'state'));
    const ro = spawnSync('mount', ['-o', 'remount,ro', drive], { encoding: 'utf8' });
    if (ro.status !== 0) throw new Error(`remount read-only failed: ${ro.stderr}`);
  });
  afterAll(() => {
    spawnSync('umount', [drive]);
    rmSync(dir, { recursive: true, force: true });
  });

  it('makeFolder says EROFS where a recursive mkdir says ENOENT', async () => {
    await expect(makeFolder(join(drive, 'a', 'b'))).rejects.toMatchObject({ code: 'EROFS' });
  });

  it('a local store folder on it cannot be written (STORE_DENIED: uploads stop and say so), not "cannot be reached" for ever', async () => {
    // Act
    const put = createLocalStore({ root: join(drive, 'store') }).put(
      'raw/pc/2026/12/06/ab-0-9.csv',
      Buffer.from('x'),
      { contentType: 'text/csv' },
    );
    // Assess: before, STORE_UNREACHABLE "cannot be reached (ENOENT)", retried as an outage
    await expect(put).rejects.toMatchObject({
      code: 'STORE_DENIED',
      message: expect.stringContaining('cannot be written (EROFS)'),
    });
  });

  it('a state folder on it refuses the start with EROFS, not ENOENT', async () => {
    await expect(lockStateDir(join(drive, 'GPU-Z Cloud'))).rejects.toMatchObject({
      code: 'STATE_WRITE_FAILED',
      message: expect.stringContaining('cannot be made (EROFS)'),
      // Before: "Choose a folder this user may write …, or let this user write there": no right fixes a read-only drive.
      advice: expect.stringMatching(/^Its drive is read-only .*make it writable/),
    });
  });

  it('a state folder made before its drive went read-only says so when its lock cannot be written', async () => {
    // Act: the folder is there (Linux remounts a drive read-only after a disk error), its files cannot be written
    const start = lockStateDir(join(drive, 'state'));
    // Assess: before, "Check that the state folder stays writable"
    await expect(start).rejects.toMatchObject({
      code: 'STATE_WRITE_FAILED',
      message: expect.stringContaining('(EROFS,'),
      advice: expect.stringMatching(/^Its drive became read-only .*make it writable/),
    });
  });
});
