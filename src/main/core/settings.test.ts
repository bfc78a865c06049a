import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Settings } from '../../shared/contract';
import { normaliseHost } from '../../shared/keys';
import { createSettingsStore, defaultSettings, LAST_GOOD_FILE, SETTINGS_FILE } from './settings';

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
    expect(await readdir(dir)).toEqual([]); // the defaults are no good copy: nothing was saved
    const nowhere = join(dir, 'not-made');
    await createSettingsStore({ stateDir: nowhere, defaults }).load();
    await expect(readdir(nowhere)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(defaults.target).toEqual({ kind: 'local', dir: join(dir, 'store') });
    await expect(store.save(valid())).resolves.toEqual({ ok: true, settings: valid() });
    await expect(createSettingsStore({ stateDir: dir, defaults }).load()).resolves.toEqual(valid());
    expect((await readdir(dir)).sort()).toEqual([SETTINGS_FILE, LAST_GOOD_FILE]);
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

  it('keeps what a deploy wrote of the stack (raw expiry, analytics copy) when sound, and drops a broken value rather than refusing the settings', async () => {
    const store = createSettingsStore({ stateDir: dir, defaults: valid() });
    const deployed = { ...valid(), target: { ...valid().target, rawExpiryDays: 30, analyticsCopy: true } };
    await expect(store.save(deployed)).resolves.toEqual({ ok: true, settings: deployed });
    await expect(store.load()).resolves.toEqual(deployed);
    const broken = await store.save({
      ...valid(),
      target: { ...valid().target, rawExpiryDays: -3, analyticsCopy: 'yes' },
    });
    expect(broken).toEqual({ ok: true, settings: valid() });
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
      advice: expect.stringContaining('delete it: that restores the defaults'),
    });
  });

  it('a hand edit that breaks settings.json: refused with the place in the file and the way back to the last good settings; a save keeps the broken file beside', async () => {
    // Arrange: settings the agent ran with, then a hand edit that leaves a comma too many
    const store = createSettingsStore({ stateDir: dir, defaults: defaultSettings(dir, '') });
    await store.save(valid());
    const saved = await readFile(join(dir, SETTINGS_FILE), 'utf8');
    const edited = saved.replace('"minutes": 45', '"minutes": 5,');
    await writeFile(join(dir, SETTINGS_FILE), edited);
    // Act
    const refusal = await store.load().catch((e: unknown) => e);
    const lastGood = await store.lastGood!();
    const resaved = await store.save({ ...valid(), schedule: { kind: 'interval', minutes: 5 } });
    // Assess: before, "settings.json is not valid JSON." with no place, "delete the file" (the S3 target gone with
    // it), and a save from the Settings view overwrote the edit
    expect(refusal).toMatchObject({
      code: 'SETTINGS_UNREADABLE',
      message: expect.stringMatching(/settings\.json is not valid JSON: .*\(line 12 column 3\)\.$/),
      advice: expect.stringMatching(
        new RegExp(
          `^Fix it there, or run \`gpuz-cloud repair --state-dir ".+"\` to put back the settings last used \\(kept \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC in ${LAST_GOOD_FILE}\\)`,
        ),
      ),
      guiAdvice: expect.stringContaining('press Save to put them back'),
    });
    expect(lastGood?.settings).toEqual(valid());
    expect(resaved.ok).toBe(true);
    const files = await readdir(dir);
    const aside = files.find((f) => f.startsWith(`${SETTINGS_FILE}.damaged-`));
    expect(aside).toBeDefined();
    expect(await readFile(join(dir, aside!), 'utf8')).toBe(edited);
    expect(JSON.parse(await readFile(join(dir, LAST_GOOD_FILE), 'utf8'))).toMatchObject({
      schedule: { kind: 'interval', minutes: 5 },
    });
  });

  it('the good copy follows each load and save that succeeds, and a load that changes nothing writes nothing', async () => {
    // Arrange: a hand edit that is valid (not made through a save)
    const store = createSettingsStore({ stateDir: dir, defaults: defaultSettings(dir, '') });
    await store.save(valid());
    await writeFile(join(dir, SETTINGS_FILE), JSON.stringify({ ...valid(), host: 'edited-pc' }));
    // Act
    await store.load();
    const copy = join(dir, LAST_GOOD_FILE);
    const first = (await stat(copy)).mtimeMs;
    await new Promise((done) => setTimeout(done, 20));
    await store.load();
    // Assess
    expect(JSON.parse(await readFile(copy, 'utf8'))).toEqual({ ...valid(), host: 'edited-pc' });
    expect((await stat(copy)).mtimeMs).toBe(first);
    // …and a copy that is itself damaged is no copy
    await writeFile(copy, '{');
    await writeFile(join(dir, SETTINGS_FILE), '{');
    await expect(store.lastGood!()).resolves.toBeNull();
    await expect(store.load()).rejects.toMatchObject({ advice: expect.stringContaining('delete it') });
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
