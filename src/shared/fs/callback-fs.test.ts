import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readFileCb, statCb, writeFileCb } from './callback-fs';

describe('callback fs helpers', () => {
  it('writeFileCb writes the buffers one after the other and replaces what was there; readFileCb and statCb read it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'callback-fs-'));
    const path = join(dir, 'copy.object');
    writeFileSync(path, 'an older, longer copy that must not leave a tail');
    const body = new Uint8Array(100_000).map((_, i) => i % 251);

    await writeFileCb(path, [
      Buffer.from('{"bytes":100000}\n'),
      body.subarray(0, 60_000),
      body.subarray(60_000),
    ]);

    const expected = Buffer.concat([Buffer.from('{"bytes":100000}\n'), body]);
    expect(readFileSync(path).equals(expected)).toBe(true);
    expect((await readFileCb(path)).equals(expected)).toBe(true);
    expect(await readFileCb(path, 'utf8')).toBe(expected.toString('utf8'));
    expect((await statCb(path)).size).toBe(expected.length);
    await expect(readFileCb(join(dir, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
    rmSync(dir, { recursive: true });
  });
});
