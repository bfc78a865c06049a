import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import { createAccessKeyStore } from '../core/access-keys';
import { createSecretBox, createSecretStore, type SafeStorageLike, SECRETS_FILE } from './secrets';

/** A fake keychain: XOR with a per-"user" key, so another key cannot read it back (like another account). */
function fakeSafeStorage(options: { available?: boolean; backend?: string; key?: number } = {}) {
  const key = options.key ?? 0x5a;
  const calls = { encrypt: 0, decrypt: 0 };
  const storage: SafeStorageLike = {
    isEncryptionAvailable: () => options.available ?? true,
    getSelectedStorageBackend: () => options.backend ?? 'gnome_libsecret',
    encryptString: (plain) => {
      calls.encrypt += 1;
      return Buffer.concat([Buffer.from('v10'), Buffer.from(plain, 'utf8').map((b) => b ^ key)]);
    },
    decryptString: (encrypted) => {
      calls.decrypt += 1;
      if (encrypted.subarray(0, 3).toString() !== 'v10')
        throw new TypeError('Error while decrypting the ciphertext');
      const plain = Buffer.from(encrypted.subarray(3).map((b) => b ^ key)).toString('utf8');
      if (!/^[\x20-\x7e]*$/.test(plain)) throw new TypeError('Error while decrypting the ciphertext');
      return plain;
    },
  };
  return { storage, calls };
}

const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'gpuz-secrets-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('secret box', () => {
  it('encrypts to base64 of the keychain bytes and back', () => {
    const box = createSecretBox(fakeSafeStorage().storage, 'win32');
    const sealed = box.encrypt(SECRET);
    expect(sealed).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(Buffer.from(sealed, 'base64').subarray(0, 3).toString()).toBe('v10');
    expect(sealed).not.toContain(SECRET);
    expect(box.decrypt(sealed)).toBe(SECRET);
  });

  it('refuses to store anything without a real keychain (none, or Linux basic_text) and names profiles instead', () => {
    const none = createSecretBox(fakeSafeStorage({ available: false }).storage, 'win32');
    const basic = createSecretBox(fakeSafeStorage({ backend: 'basic_text' }).storage, 'linux');
    for (const box of [none, basic]) {
      expect(box.isAvailable()).toBe(false);
      expect(() => box.encrypt(SECRET)).toThrow(AppError);
      expect(() => box.encrypt(SECRET)).toThrow(/keychain/);
    }
    try {
      none.encrypt(SECRET);
    } catch (error) {
      expect((error as AppError).advice).toMatch(/AWS named profile/);
    }
    // basic_text is only a concern on Linux; the same backend name elsewhere is not reported by Electron.
    expect(createSecretBox(fakeSafeStorage({ backend: 'basic_text' }).storage, 'win32').isAvailable()).toBe(
      true,
    );
  });
});

describe('secret store', () => {
  it('keeps only ciphertext on disk, reads values back, lists names only, and deletes', async () => {
    const { storage, calls } = fakeSafeStorage();
    const file = join(dir, SECRETS_FILE);
    const store = createSecretStore({ box: createSecretBox(storage, 'win32'), file });
    await store.set('aws.secretAccessKey', SECRET);
    await store.set('kafka.password', 'hunter2-hunter2');
    const onDisk = await readFile(file, 'utf8');
    expect(onDisk).not.toContain(SECRET);
    expect(onDisk).not.toContain('hunter2');
    expect(Object.keys(JSON.parse(onDisk).secrets)).toEqual(['aws.secretAccessKey', 'kafka.password']);
    expect(await store.get('aws.secretAccessKey')).toBe(SECRET);
    expect(await store.get('missing')).toBeNull();
    expect(await store.names()).toEqual(['aws.secretAccessKey', 'kafka.password']);
    await store.delete('kafka.password');
    expect(await store.names()).toEqual(['aws.secretAccessKey']);
    expect(calls).toEqual({ encrypt: 2, decrypt: 1 });
  });

  it('writes nothing when the keychain is missing', async () => {
    const file = join(dir, SECRETS_FILE);
    const store = createSecretStore({
      box: createSecretBox(fakeSafeStorage({ available: false }).storage, 'win32'),
      file,
    });
    await expect(store.set('kafka.password', 'hunter2')).rejects.toMatchObject({
      code: 'SECRETS_UNAVAILABLE',
    });
    await expect(readFile(file, 'utf8')).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('reports a secret sealed by another account without quoting it', async () => {
    const file = join(dir, SECRETS_FILE);
    await createSecretStore({
      box: createSecretBox(fakeSafeStorage({ key: 0x11 }).storage, 'win32'),
      file,
    }).set('kafka.password', 'hunter2');
    const other = createSecretStore({
      box: createSecretBox(fakeSafeStorage({ key: 0x99 }).storage, 'win32'),
      file,
    });
    const error = await other.get('kafka.password').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'SECRET_UNREADABLE' });
    expect(JSON.stringify({ ...(error as AppError), message: (error as AppError).message })).not.toContain(
      'hunter2',
    );
    expect((error as AppError).cause).toBeUndefined();
  });

  it('rejects names that could not be keys of our file', async () => {
    const store = createSecretStore({
      box: createSecretBox(fakeSafeStorage().storage, 'win32'),
      file: join(dir, 's.json'),
    });
    await expect(store.set('__proto__', 'x')).rejects.toMatchObject({ code: 'BAD_SECRET_NAME' });
    await expect(store.get('../x')).rejects.toMatchObject({ code: 'BAD_SECRET_NAME' });
  });
});

describe('S3 access keys in the safeStorage vault', () => {
  const ID = 'AKIAIOSFODNN7EXAMPLE';

  it('round trip: saved encrypted, status without the secret, loaded for the S3 client, forgotten', async () => {
    const file = join(dir, SECRETS_FILE);
    const vault = createSecretStore({ box: createSecretBox(fakeSafeStorage().storage, 'win32'), file });
    const keys = createAccessKeyStore(vault);
    const saved = await keys.save({ accessKeyId: ID, secretAccessKey: SECRET });
    expect(saved).toEqual({ ok: true, status: { stored: true, accessKeyIdLast4: 'MPLE' } });
    const onDisk = await readFile(file);
    expect(onDisk.includes(Buffer.from(SECRET))).toBe(false);
    expect(onDisk.includes(Buffer.from(ID))).toBe(false);
    expect(onDisk.toString('utf8')).not.toMatch(/wJalr|AKIA/);
    const loaded = await keys.load();
    expect([loaded?.accessKeyId, loaded?.secretAccessKey]).toEqual([ID, SECRET]);
    await expect(keys.forget()).resolves.toEqual({ stored: false });
    expect(JSON.parse(await readFile(file, 'utf8')).secrets).toEqual({});
  });

  it('refuses with advice when encryption is unavailable, writes no file, and reports why in the status', async () => {
    const file = join(dir, SECRETS_FILE);
    const vault = createSecretStore({
      box: createSecretBox(fakeSafeStorage({ backend: 'basic_text' }).storage, 'linux'),
      file,
    });
    const keys = createAccessKeyStore(vault);
    await expect(keys.save({ accessKeyId: ID, secretAccessKey: SECRET })).rejects.toMatchObject({
      code: 'SECRETS_UNAVAILABLE',
      advice: expect.stringMatching(/AWS named profile/),
    });
    await expect(readFile(file)).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(keys.status()).resolves.toMatchObject({
      stored: false,
      unavailable: { code: 'SECRETS_UNAVAILABLE' },
    });
  });

  it('keys saved by another account are reported as a problem; the runtime then uses the profile / chain', async () => {
    const file = join(dir, SECRETS_FILE);
    await createAccessKeyStore(
      createSecretStore({ box: createSecretBox(fakeSafeStorage({ key: 0x11 }).storage, 'win32'), file }),
    ).save({ accessKeyId: ID, secretAccessKey: SECRET });
    const other = createAccessKeyStore(
      createSecretStore({ box: createSecretBox(fakeSafeStorage({ key: 0x99 }).storage, 'win32'), file }),
    );
    const status = await other.status();
    expect(status).toMatchObject({ stored: true, problem: { code: 'SECRET_UNREADABLE' } });
    expect(status.accessKeyIdLast4).toBeUndefined();
    await expect(other.load()).resolves.toBeNull();
  });
});
