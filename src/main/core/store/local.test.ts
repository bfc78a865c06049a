import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
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

describe('the local store folder', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gpuz-local-root-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const put = (store: ReturnType<typeof createLocalStore>, key = 'raw/pc/2024/04/20/ab-0-9.csv') =>
    store.put(key, Buffer.from('x'), { contentType: 'text/csv' });

  it('is made by the first put when it never was there; reads of it before answer nothing', async () => {
    // Prepare
    const root = join(dir, 'new', 'store');
    const store = createLocalStore({ root });
    // Act
    const before = {
      listed: await store.list('raw/'),
      got: await store.get('raw/x'),
      folders: await store.listFolders('raw/'),
    };
    await put(store);
    // Assess
    expect(before).toEqual({ listed: [], got: null, folders: [] });
    expect(existsSync(join(root, 'raw/pc/2024/04/20/ab-0-9.csv'))).toBe(true);
  });

  it('is not made again once it was there: a put, a get and a list say STORE_GONE and write nothing', async () => {
    // Prepare: a drive unmounted (or the folder moved away) after the first batch
    const root = join(dir, 'mnt', 'store');
    const store = createLocalStore({ root });
    await put(store);
    renameSync(root, join(dir, 'moved'));
    // Act
    // (settled together: a rejection not yet awaited would be an unhandled one)
    const attempts = await Promise.allSettled([
      put(store, 'raw/pc/2024/04/20/ab-9-19.csv'),
      store.get('raw/pc/2024/04/20/ab-0-9.csv'),
      store.list('raw/'),
      store.listFolders('raw/'),
    ]);
    // Assess
    for (const attempt of attempts) {
      expect(attempt).toMatchObject({ status: 'rejected', reason: { code: 'STORE_GONE' } });
    }
    expect(attempts[0]).toMatchObject({
      reason: {
        message: expect.stringContaining(
          `The store folder ${root} is not there, though it held this PC's batches`,
        ),
      },
    });
    expect(existsSync(root)).toBe(false);
    // …and once it is back, the next put goes in
    renameSync(join(dir, 'moved'), root);
    await put(store, 'raw/pc/2024/04/20/ab-9-19.csv');
    expect((await store.list('raw/')).map((o) => o.key)).toEqual([
      'raw/pc/2024/04/20/ab-0-9.csv',
      'raw/pc/2024/04/20/ab-9-19.csv',
    ]);
  });

  it('seen at a read counts too, and expectRoot (the agent: its checkpoint says rows are there) before any request', async () => {
    // Prepare
    const seen = join(dir, 'seen');
    mkdirSync(seen);
    const readFirst = createLocalStore({ root: seen });
    await readFirst.list('raw/');
    rmSync(seen, { recursive: true });
    const told = createLocalStore({ root: join(dir, 'told') });
    told.expectRoot?.();
    // Act
    const puts = await Promise.allSettled([put(readFirst), put(told)]);
    // Assess
    for (const attempt of puts) {
      expect(attempt).toMatchObject({ status: 'rejected', reason: { code: 'STORE_GONE' } });
    }
    expect([existsSync(seen), existsSync(join(dir, 'told'))]).toEqual([false, false]);
    // Refused before touching anything: not counted as requests (the upload's summary and `status` show them)
    expect([readFirst.requests.put, told.requests.put]).toEqual([0, 0]);
  });
});
