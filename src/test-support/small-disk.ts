/**
 * A small real disk for a test: a tmpfs mounted on a new folder (root with CAP_SYS_ADMIN, as in this project's CI
 * container). Where mounting is refused, the reason to skip the tests that need it.
 *   const disk = mountSmallDisk('gpuz-disk-full-', '2m')
 *   → { dir: '/tmp/…/gpuz-disk-full-Ab12Cd', disk: '<dir>/disk', skip: null }  (umount disk, rm dir when done)
 *   → { …, skip: 'mounting a small tmpfs was refused (mount: …: permission denied.)' }
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function mountSmallDisk(
  prefix: string,
  size: string,
): { dir: string; disk: string; skip: string | null } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  const disk = join(dir, 'disk');
  mkdirSync(disk);
  const mounted = spawnSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', disk], {
    encoding: 'utf8',
  });
  const skip =
    mounted.status === 0
      ? null
      : `mounting a small tmpfs was refused (${mounted.stderr.trim() || mounted.error})`;
  return { dir, disk, skip };
}
