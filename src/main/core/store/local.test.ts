import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLocalStore } from './local';

describe('local store keys', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gpuz-local-store-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    ['a key that climbs out of the folder', '../escaped.csv.gz'],
    ['a key with a climbing segment inside', 'raw/pc/../../../escaped.csv.gz'],
    ['an absolute key', '/tmp/escaped.csv.gz'],
    ['a key into the metadata folder', '.meta/raw/x.csv.gz.json'],
    ['a key with an empty segment', 'raw//x.csv.gz'],
  ])('refuses %s before writing anything, the metadata sidecar included', async (_name, key) => {
    // Prepare
    const store = createLocalStore({ root: join(dir, 'store') });
    // Act
    const put = store.put(key, Buffer.from('x'), { contentType: 'text/csv', metadata: { rows: '1' } });
    // Assess
    await expect(put).rejects.toMatchObject({ code: 'BAD_KEY' });
    expect(
      existsSync(join(dir, 'store')) ? readdirSync(join(dir, 'store'), { recursive: true }) : [],
    ).toEqual([]);
    expect(existsSync(join(dir, 'escaped.csv.gz.json'))).toBe(false);
  });

  it('stores a raw key with its metadata', async () => {
    // Prepare
    const store = createLocalStore({ root: join(dir, 'store') });
    // Act
    await store.put('raw/pc/2024/04/20/ab-0-9.csv', Buffer.from('x'), {
      contentType: 'text/csv',
      metadata: { rows: '1' },
    });
    // Assess
    expect((await store.get('raw/pc/2024/04/20/ab-0-9.csv'))?.metadata).toEqual({ rows: '1' });
  });
});
