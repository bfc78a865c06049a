import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../../shared/errors';
import { createLocalStore } from './local';
import { localStoreError } from './local-errors';
import { STOPPING_CODES } from './s3-errors';

describe('local store errors', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gpuz-local-errors-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('a file where the store folder should be: every request says so, stops uploads, never blames the network', async () => {
    const root = join(dir, 'store');
    writeFileSync(root, 'not a folder');
    const store = createLocalStore({ root });
    const body = Buffer.from('x');
    // Each request made when it is awaited: made at once, a later one's rejection came before its handler (an
    // unhandled rejection on a busy machine).
    for (const request of [
      () => store.list('raw/pc/'),
      () => store.get('raw/pc/2026/12/02/a-0-1.csv'),
      () => store.put('raw/pc/2026/12/02/a-0-1.csv', body, { contentType: 'text/csv' }),
    ]) {
      const error = await request().then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toMatchObject({ code: 'STORE_NOT_A_FOLDER' });
      expect((error as AppError).message).toContain(root);
      expect((error as AppError).advice).not.toMatch(/network/i);
    }
    expect(STOPPING_CODES.has('STORE_NOT_A_FOLDER')).toBe(true);
  });

  it.each([
    ['EACCES', 'STORE_DENIED', true],
    ['EROFS', 'STORE_DENIED', true],
    ['ENOSPC', 'STORE_FULL', false],
    ['ENOENT', 'STORE_UNREACHABLE', false],
    ['EIO', 'STORE_UNREACHABLE', false],
    ['EMFILE', 'STORE_FAILED', false],
  ])('%s → %s (stops uploads: %s), worded for a folder', (errno, code, stops) => {
    const cause = Object.assign(new Error(`${errno}: x`), { code: errno, path: 'D:\\gpuz-store\\raw' });
    const error = localStoreError(cause, 'D:\\gpuz-store');
    expect(error).toMatchObject({ code });
    expect(error.message).toContain('D:\\gpuz-store');
    expect(`${error.message} ${error.advice}`).not.toMatch(/network connection|check the network/i);
    expect(STOPPING_CODES.has(code)).toBe(stops);
  });

  it('a read-only drive (EROFS) is told to be made writable; a folder refused to this user (EACCES) to give it access', () => {
    const advice = (errno: string) =>
      localStoreError(Object.assign(new Error(errno), { code: errno }), '/mnt/ntfs/gpuz').advice;
    expect(advice('EROFS')).toMatch(
      /^Its drive is read-only \(mounted read-only, or write-protected\): make it writable/,
    );
    expect(advice('EACCES')).toMatch(/^Give this user write access to the folder/);
  });

  it('names where in the folder it failed, and no path outside it (node.exe named "\\\\?" for a drive that is gone)', () => {
    const at = (path: string) =>
      localStoreError(Object.assign(new Error('ENOENT'), { code: 'ENOENT', path }), 'R:\\gpuz-store').message;
    expect(at('R:\\gpuz-store\\raw\\pc')).toBe(
      'The store folder R:\\gpuz-store cannot be reached (ENOENT) (at R:\\gpuz-store\\raw\\pc)',
    );
    expect(at('\\\\?')).toBe('The store folder R:\\gpuz-store cannot be reached (ENOENT)');
  });

  it('passes its own refusals through', () => {
    const refused = new AppError('BAD_KEY', 'outside');
    expect(localStoreError(refused, '/store')).toBe(refused);
  });
});
