import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Settings } from '../../shared/contract';
import { normaliseHost } from '../../shared/keys';
import { createSettingsStore, defaultSettings, SETTINGS_FILE } from './settings';

/** What the store records as `savedOn` here. */
const THIS_PC = normaliseHost(hostname());

describe('settings store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'gpuz-settings-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  const valid = (): Settings => ({
    logPath: 'C:\\Users\\ann\\Documents\\GPU-Z Sensor Log.txt',
    target: { kind: 's3', bucket: 'ann-gpuz-raw', region: 'eu-central-1', endpoint: 'http://127.0.0.1:5055' },
    schedule: { kind: 'interval', minutes: 45 },
    compression: 'gzip',
    host: 'gaming-pc',
    timeZone: 'Europe/Berlin',
    savedOn: THIS_PC,
  });

  it('returns the defaults until something is saved, then the saved settings', async () => {
    const defaults = defaultSettings(dir, '/home/ann/GPU-Z Sensor Log.txt');
    const store = createSettingsStore({ stateDir: dir, defaults });
    await expect(store.load()).resolves.toEqual(defaults);
    expect(defaults.target).toEqual({ kind: 'local', dir: join(dir, 'store') });
    await expect(store.save(valid())).resolves.toEqual({ ok: true, settings: valid() });
    await expect(createSettingsStore({ stateDir: dir, defaults }).load()).resolves.toEqual(valid());
    expect(await readdir(dir)).toEqual([SETTINGS_FILE]);
  });

  it("records the PC that saved them (savedOn): a form's save claims settings saved elsewhere, a save carrying them on keeps it; a broken value is dropped", async () => {
    // Arrange: settings.json as another PC saved it (copied over with the state folder)
    const defaults = defaultSettings(dir, '/home/ann/GPU-Z Sensor Log.txt');
    await writeFile(join(dir, SETTINGS_FILE), JSON.stringify({ ...valid(), savedOn: 'old-pc' }));
    const store = createSettingsStore({ stateDir: dir, defaults, machine: 'new-pc' });
    // Act
    const loaded = await store.load();
    // A deploy (or `agent --file`, the alert rules) saves the loaded settings with one field changed
    const carried = await store.save({ ...loaded, compression: 'none' });
    // The Settings form saves what it shows: no savedOn
    const { savedOn: _, ...form } = loaded;
    const saved = await store.save(form);
    await writeFile(join(dir, SETTINGS_FILE), JSON.stringify({ ...valid(), savedOn: '../not a host' }));
    const broken = await store.load();
    // Assess
    expect(loaded.savedOn).toBe('old-pc');
    expect(carried).toEqual({ ok: true, settings: { ...valid(), compression: 'none', savedOn: 'old-pc' } });
    expect(saved).toEqual({ ok: true, settings: { ...valid(), savedOn: 'new-pc' } });
    expect(broken).toEqual({ ...valid(), savedOn: undefined });
    expect('savedOn' in broken).toBe(false);
    expect(defaults.savedOn).toBe(THIS_PC);
  });

  it('a file without some fields (an older version’s, or edited by hand) takes the defaults for them', async () => {
    // Arrange
    const defaults = defaultSettings(dir, '/home/ann/GPU-Z Sensor Log.txt');
    await writeFile(
      join(dir, SETTINGS_FILE),
      JSON.stringify({ host: 'gaming-pc', schedule: { kind: 'interval', minutes: 5 } }),
    );
    // Act
    const loaded = await createSettingsStore({ stateDir: dir, defaults }).load();
    // Assess: before, SETTINGS_INVALID "logPath: Choose the GPU-Z sensor log file".
    expect(loaded).toEqual({ ...defaults, host: 'gaming-pc', schedule: { kind: 'interval', minutes: 5 } });
  });

  it('refuses invalid settings field by field and leaves the file alone', async () => {
    const store = createSettingsStore({ stateDir: dir, defaults: valid() });
    await store.save(valid());
    const before = await readFile(join(dir, SETTINGS_FILE), 'utf8');
    const result = await store.save({
      ...valid(),
      logPath: 'relative.txt',
      target: { kind: 's3', bucket: 'Bad_Bucket', region: 'mars', endpoint: 'ftp://x' },
      schedule: { kind: 'interval', minutes: 0 },
      host: '-bad host',
      timeZone: 'Mars/Olympus',
    });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.field)).toEqual([
      'logPath',
      'target.bucket',
      'target.region',
      'target.endpoint',
      'schedule.minutes',
      'host',
      'timeZone',
    ]);
    expect(result.errors.find((e) => e.field === 'timeZone')!.message).toContain('Mars/Olympus');
    expect(await readFile(join(dir, SETTINGS_FILE), 'utf8')).toBe(before);
  });

  it('saves a host name typed in another script as its xn-- form, and refuses one with a space as before', async () => {
    const store = createSettingsStore({ stateDir: dir, defaults: valid() });
    const saved = await store.save({ ...valid(), host: 'ИГРОВОЙ-ПК' });
    expect(saved).toMatchObject({ ok: true, settings: { host: 'xn----ctbcthhyble' } });
    expect((await store.load()).host).toBe('xn----ctbcthhyble');
    expect(await store.save({ ...valid(), host: 'игровой пк' })).toMatchObject({
      ok: false,
      errors: [{ field: 'host' }],
    });
  });

  it('accepts a monthly PUT budget and refuses one below two PUTs', async () => {
    const store = createSettingsStore({ stateDir: dir, defaults: valid() });
    const ok = await store.save({ ...valid(), schedule: { kind: 'budget', monthlyPuts: 2000 } });
    expect(ok.ok).toBe(true);
    const bad = await store.save({ ...valid(), schedule: { kind: 'budget', monthlyPuts: 1 } });
    expect(bad).toMatchObject({ ok: false, errors: [{ field: 'schedule.monthlyPuts' }] });
  });

  it('explains a corrupt settings file with advice', async () => {
    await writeFile(join(dir, SETTINGS_FILE), '{ not json');
    const error = await createSettingsStore({ stateDir: dir, defaults: valid() })
      .load()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'SETTINGS_UNREADABLE',
      advice: expect.stringContaining('deleting it'),
    });
  });

  it('refuses a settings file it cannot read or that a power cut zero-filled; only a missing one gives the defaults', async () => {
    // A folder in its place (EISDIR here; no access, a disk error or a file another program holds are the same case)
    await mkdir(join(dir, SETTINGS_FILE));
    const unreadable = await createSettingsStore({ stateDir: dir, defaults: valid() })
      .load()
      .catch((e: unknown) => e);
    await rm(join(dir, SETTINGS_FILE), { recursive: true });
    await writeFile(join(dir, SETTINGS_FILE), Buffer.alloc(268));
    const zeros = await createSettingsStore({ stateDir: dir, defaults: valid() })
      .load()
      .catch((e: unknown) => e);
    // Before: the defaults, as for a fresh install; and "is not valid JSON" for the zeros
    expect(unreadable).toMatchObject({
      code: 'SETTINGS_UNREADABLE',
      message: expect.stringMatching(/settings\.json cannot be read \(EISDIR\)\.$/),
      advice: expect.stringContaining('deleting it restores the defaults'),
    });
    expect(zeros).toMatchObject({
      code: 'SETTINGS_UNREADABLE',
      message: expect.stringMatching(
        /settings\.json is damaged: it is 268 zero bytes, as a power cut can leave a file\.$/,
      ),
    });
  });

  it('watch: one call per atomic replace by another writer, none for other files or after unsubscribing', async () => {
    const watched = createSettingsStore({ stateDir: dir, defaults: valid() });
    const other = createSettingsStore({ stateDir: dir, defaults: valid() }); // e.g. `gpuz-cloud deploy`
    let calls = 0;
    const stop = watched.watch!(() => calls++);
    await other.save({ ...valid(), host: 'second-pc' });
    await vi.waitFor(() => expect(calls).toBe(1));
    await watched.load().then((s) => expect(s.host).toBe('second-pc'));

    await writeFile(join(dir, 'checkpoint.json'), '{}');
    await new Promise((done) => setTimeout(done, 400));
    expect(calls).toBe(1);

    stop();
    await other.save(valid());
    await new Promise((done) => setTimeout(done, 400));
    expect(calls).toBe(1);
  });

  it('exists: false on a fresh install (load gives the defaults), true once saved, false again once deleted', async () => {
    const store = createSettingsStore({ stateDir: dir, defaults: valid() });
    const fresh = await store.exists!();
    await store.save(valid());
    const saved = await store.exists!();
    await rm(join(dir, SETTINGS_FILE));
    expect([fresh, saved, await store.exists!()]).toEqual([false, true, false]);
  });

  it('watch: a folder that does not exist yet is not an error', () => {
    const store = createSettingsStore({ stateDir: join(dir, 'missing'), defaults: valid() });
    expect(() => store.watch!(() => undefined)()).not.toThrow();
  });
});
