import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readStateJson } from './state-file';

/** The finding a person reads first: what is wrong with the file, in words that say how it came to be so. */
describe('readStateJson', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gpuz-state-file-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  const findingOf = async (bytes: Buffer | string) => {
    const path = join(dir, 'checkpoint.json');
    writeFileSync(path, bytes);
    const error = await readStateJson(path).catch((e: unknown) => e);
    return (error as Error).message.replace(`${path} is damaged: `, '');
  };

  it('says a file of zero bytes is what a power cut leaves, not "Unexpected token"', async () => {
    // As seen: a checkpoint zero-filled to its length after a kill -9 read "it is not JSON (Unexpected token ' ', …)".
    expect(await findingOf(Buffer.alloc(5169))).toBe(
      'it is 5,169 zero bytes, as a power cut can leave a file',
    );
  });

  it('tells an empty file and one that is not JSON apart from zeros', async () => {
    expect(await findingOf('')).toBe('it is empty');
    expect(await findingOf('\n  \n')).toBe('it is empty');
    expect(await findingOf('{"version":3,\0\0\0')).toMatch(/^it is not JSON \(/);
  });

  it('reads a whole file as JSON and a missing one as undefined', async () => {
    writeFileSync(join(dir, 'stats.json'), '{"rows":3}');
    expect(await readStateJson(join(dir, 'stats.json'))).toEqual({ rows: 3 });
    expect(await readStateJson(join(dir, 'absent.json'))).toBeUndefined();
  });
});
