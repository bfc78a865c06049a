import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makeFolder } from './make-folder';

describe('makeFolder', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gpuz-make-folder-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('makes every missing level, and is content with a folder that is there', async () => {
    await makeFolder(join(dir, 'a', 'b', 'c'));
    await makeFolder(join(dir, 'a', 'b', 'c'));
    expect(statSync(join(dir, 'a', 'b', 'c')).isDirectory()).toBe(true);
  });

  // A read-only drive (EROFS, where a recursive mkdir says ENOENT): read-only-drive.int.test.ts.
  it('says ENOTDIR under a file', async () => {
    writeFileSync(join(dir, 'file'), 'x');
    await expect(makeFolder(join(dir, 'file', 'x'))).rejects.toMatchObject({ code: 'ENOTDIR' });
  });
});
