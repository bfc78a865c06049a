import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { AppError } from '../../../shared/errors';
import { mountSmallDisk } from '../../../test-support/small-disk';
import type { Store } from '../store/types';
import { exportToFolder } from './index';
import { buildSampleStore } from './sample-store.test-support';

/**
 * `export --out` on a drive that cannot take the files (a read-only USB stick, a full one), on a real small tmpfs.
 * Before, a read-only folder was found at the first day file, after that day's batches were downloaded, and said as
 * Node's `EROFS: read-only file system, mkdir '…'`; a full one ended the process (NDJSON: an uncaught ENOSPC).
 */
const { dir, disk, skip } = mountSmallDisk('gpuz-export-folder-', '48k');
const remount = (options: string) => {
  const done = spawnSync('mount', ['-o', `remount,${options}`, disk], { encoding: 'utf8' });
  if (done.status !== 0) throw new Error(`remount ${options} failed: ${done.stderr}`);
};

describe.skipIf(skip !== null)(`the export's folder${skip ? ` (skipped: ${skip})` : ''}`, () => {
  afterAll(() => {
    spawnSync('umount', [disk]);
    rmSync(dir, { recursive: true, force: true });
  });

  const FILES = [
    'gpuz/nvidia-ada-pwrsrc-gpuz-2024.txt',
    'gpuz/nvidia-2x8pin-hotspot-gpuz-2026-bm1.txt',
    'gpuz/amd-radeon-hbm2-gpuz-2020-12-sessions.txt',
    'gpuz/nvidia-turing-usbc-gpuz-2023-trunc2mb.txt',
  ].map((file) => ({ file }));

  async function setup() {
    const built = await buildSampleStore(join(dir, 'store'), { timeZone: 'UTC', files: FILES });
    const requests = { list: 0, get: 0 };
    const source: Pick<Store, 'list' | 'get'> = {
      list: (prefix) => {
        requests.list++;
        return built.store.list(prefix);
      },
      get: (key) => {
        requests.get++;
        return built.store.get(key);
      },
    };
    const run = (outDir: string) => exportToFolder({ source, sourceId: 'store', outDir, format: 'ndjson' });
    return { ...built, requests, run };
  }

  it('a read-only drive: said before any request, with what to do', async () => {
    const t = await setup();
    mkdirSync(join(disk, 'existing'));
    remount('ro');
    try {
      for (const out of [join(disk, 'existing'), join(disk, 'new', 'gpuz')]) {
        const error = await t.run(out).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(AppError);
        expect(error).toMatchObject({
          code: 'EXPORT_FOLDER_UNWRITABLE',
          message: `The export folder ${out} cannot be written (EROFS)`,
        });
        expect((error as AppError).advice).toMatch(
          /read-only .* make it writable or choose another --out folder/,
        );
      }
      expect(t.requests).toEqual({ list: 0, get: 0 });
    } finally {
      remount('rw');
      rmSync(join(disk, 'existing'), { recursive: true, force: true });
    }
  });

  it('a full drive: said as one, no crash, and the rerun on a larger drive writes every row once', async () => {
    const t = await setup();
    remount('size=512k');
    const out = join(disk, 'full');
    const error = await t.run(out).catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'EXPORT_FOLDER_UNWRITABLE',
      message: `The export folder ${out} is on a full drive (ENOSPC)`,
    });
    remount('size=8m');
    const rerun = await t.run(out);
    const again = await t.run(out);
    // Every row in the folder once: the day files count the rows of each sample.
    const lines = readdirSync(out, { recursive: true })
      .filter((file) => String(file).endsWith('.ndjson'))
      .reduce(
        (n, file) =>
          n +
          readFileSync(join(out, String(file)), 'utf8')
            .trimEnd()
            .split('\n').length,
        0,
      );
    expect(lines).toBe(t.samples.reduce((n, s) => n + s.rows, 0));
    expect(rerun.days).toBeGreaterThan(0);
    expect(again.days).toBe(0);
  });
});
