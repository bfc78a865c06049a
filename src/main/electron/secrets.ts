/**
 * Secrets a user types in (access keys, Kafka passwords), encrypted with the OS keychain through Electron's
 * safeStorage and kept as base64 in `{stateDir}/secrets.json` — never in settings.json, never in plain text.
 *   const box = createSecretBox(safeStorage, process.platform)        box.encrypt('s3cr3t') → 'djEwXz…'
 *   const store = createSecretStore({ box, file: join(stateDir, SECRETS_FILE) })
 *   await store.set('kafka.password', 's3cr3t');  await store.get('kafka.password') → 's3cr3t'
 * Prefer the AWS default credential chain or a named profile: settings keep a profile name, not keys.
 */
import { readFile } from 'node:fs/promises';
import { AppError } from '../../shared/errors';
import { writeFileAtomic } from '../../shared/fs/atomic-file';
import type { SecretVault } from '../core/secret-vault';

export const SECRETS_FILE = 'secrets.json';

/** The slice of Electron's safeStorage we use (tests pass a fake). */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
  /** Linux only: 'basic_text' means a hard-coded key, i.e. no real protection. */
  getSelectedStorageBackend?(): string;
}

export interface SecretBox {
  isAvailable(): boolean;
  /** Why encrypt() would refuse, or null when a real keychain is there. */
  refusal(): AppError | null;
  /** plain text → base64 of the OS-encrypted bytes */
  encrypt(plainText: string): string;
  decrypt(base64: string): string;
}

const NO_KEYCHAIN_ADVICE =
  'Use an AWS named profile (aws configure, or aws configure sso) and pick it in Settings; the app then stores only the profile name.';

export function createSecretBox(safeStorage: SafeStorageLike, platform: NodeJS.Platform): SecretBox {
  const isAvailable = () =>
    safeStorage.isEncryptionAvailable() &&
    !(platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text');
  const refusal = () =>
    isAvailable()
      ? null
      : new AppError(
          'SECRETS_UNAVAILABLE',
          'This system offers no protected storage (keychain) for secrets, so the app will not save one.',
          NO_KEYCHAIN_ADVICE,
        );
  return {
    isAvailable,
    refusal,
    encrypt(plainText) {
      const refused = refusal();
      if (refused) throw refused;
      return safeStorage.encryptString(plainText).toString('base64');
    },
    decrypt(base64) {
      try {
        return safeStorage.decryptString(Buffer.from(base64, 'base64'));
      } catch (error) {
        // The cause is dropped on purpose: it may quote the bytes.
        throw new AppError(
          'SECRET_UNREADABLE',
          `A saved secret could not be decrypted (${error instanceof Error ? error.name : 'error'}).`,
          'It was saved by another user account or machine: enter it again in Settings.',
        );
      }
    },
  };
}

/** The core's SecretVault over safeStorage, plus the names stored. */
export interface SecretStore extends SecretVault {
  /** Names only — values are never listed. */
  names(): Promise<string[]>;
}

interface SecretsFile {
  version: 1;
  secrets: Record<string, string>;
}

const NAME = /^[a-z][a-z0-9._-]{0,63}$/i;

export function createSecretStore(options: { box: SecretBox; file: string }): SecretStore {
  async function read(): Promise<SecretsFile> {
    let text: string;
    try {
      text = await readFile(options.file, 'utf8');
    } catch {
      return { version: 1, secrets: {} };
    }
    const parsed = JSON.parse(text) as Partial<SecretsFile>;
    return { version: 1, secrets: { ...(parsed.secrets ?? {}) } };
  }
  const write = (data: SecretsFile) => writeFileAtomic(options.file, `${JSON.stringify(data, null, 2)}\n`);
  const check = (name: string) => {
    if (!NAME.test(name)) throw new AppError('BAD_SECRET_NAME', `"${name}" is not a valid secret name.`);
  };

  return {
    refusal: () => options.box.refusal(),
    async get(name) {
      check(name);
      const stored = (await read()).secrets[name];
      return stored === undefined ? null : options.box.decrypt(stored);
    },
    async set(name, value) {
      check(name);
      const encrypted = options.box.encrypt(value);
      const data = await read();
      data.secrets[name] = encrypted;
      await write(data);
    },
    async delete(name) {
      check(name);
      const data = await read();
      if (!(name in data.secrets)) return;
      delete data.secrets[name];
      await write(data);
    },
    async names() {
      return Object.keys((await read()).secrets).sort();
    },
  };
}
