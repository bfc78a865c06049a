/**
 * S3 access keys a user typed into Settings, kept in the secret vault as one encrypted entry (never in
 * settings.json, never logged):
 *   const keys = createAccessKeyStore(vault)
 *   await keys.save({ accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: '…40 characters…' })
 *     → { ok: true, status: { stored: true, accessKeyIdLast4: 'MPLE' } }
 *   await keys.load() → AccessKeys (prints as '…MPLE' / '[redacted]') | null;   await keys.forget()
 */
import { inspect } from 'node:util';
import type {
  AccessKeysInput,
  AccessKeysStatus,
  FieldError,
  SaveAccessKeysResult,
} from '../../shared/contract';
import { AppError, toErrorData } from '../../shared/errors';
import type { SecretVault } from './secret-vault';

const SECRET_NAME = 's3.accessKeys';
/** AKIA… long-term user keys; ASIA… are temporary and would also need a session token. */
const ACCESS_KEY_ID = /^(AKIA|ASIA)[A-Z0-9]{16}$/;
const SECRET_ACCESS_KEY = /^[A-Za-z0-9/+=]{40}$/;

/** Keys in memory: usable by the S3 client, but JSON.stringify and console.log show no secret. */
export class AccessKeys {
  readonly accessKeyId: string;
  readonly #secretAccessKey: string;

  constructor(input: AccessKeysInput) {
    this.accessKeyId = input.accessKeyId;
    this.#secretAccessKey = input.secretAccessKey;
  }

  get secretAccessKey(): string {
    return this.#secretAccessKey;
  }

  toJSON(): { accessKeyId: string; secretAccessKey: string } {
    return { accessKeyId: `…${this.accessKeyId.slice(-4)}`, secretAccessKey: '[redacted]' };
  }

  [inspect.custom](): string {
    return `AccessKeys(…${this.accessKeyId.slice(-4)}, secret redacted)`;
  }
}

/** Trimmed input → field errors; messages never quote the secret. */
export function validateAccessKeys(input: AccessKeysInput): FieldError[] {
  const errors: FieldError[] = [];
  const id = input.accessKeyId;
  if (id.startsWith('ASIA') && ACCESS_KEY_ID.test(id)) {
    errors.push({
      field: 'accessKeys.accessKeyId',
      message:
        'ASIA… keys are temporary and stop working within hours (they need a session token): use a named profile (aws configure sso) instead.',
    });
  } else if (!ACCESS_KEY_ID.test(id)) {
    errors.push({
      field: 'accessKeys.accessKeyId',
      message:
        'An access key ID is 20 capital letters and digits starting with AKIA (IAM → Security credentials).',
    });
  }
  if (!SECRET_ACCESS_KEY.test(input.secretAccessKey)) {
    errors.push({
      field: 'accessKeys.secretAccessKey',
      message: `A secret access key is 40 characters (letters, digits, / and +); this one has ${input.secretAccessKey.length}.`,
    });
  }
  return errors;
}

export interface AccessKeyStore {
  status(): Promise<AccessKeysStatus>;
  save(input: AccessKeysInput): Promise<SaveAccessKeysResult>;
  forget(): Promise<AccessKeysStatus>;
  /** The stored keys for the S3 client, or null (none, or unreadable: the profile / default chain is used). */
  load(): Promise<AccessKeys | null>;
}

export function createAccessKeyStore(vault: SecretVault): AccessKeyStore {
  async function read(): Promise<AccessKeys | null> {
    const stored = await vault.get(SECRET_NAME);
    if (stored === null) return null;
    let parsed: Partial<AccessKeysInput>;
    try {
      parsed = JSON.parse(stored) as Partial<AccessKeysInput>;
    } catch {
      parsed = {};
    }
    if (typeof parsed.accessKeyId !== 'string' || typeof parsed.secretAccessKey !== 'string') {
      // The cause is not attached: it would quote the decrypted text.
      throw new AppError(
        'SECRET_UNREADABLE',
        'The saved access keys are damaged.',
        'Forget the keys and enter them again.',
      );
    }
    return new AccessKeys({ accessKeyId: parsed.accessKeyId, secretAccessKey: parsed.secretAccessKey });
  }

  async function status(): Promise<AccessKeysStatus> {
    const refusal = vault.refusal();
    const unavailable = refusal ? { unavailable: toErrorData(refusal) } : {};
    try {
      const keys = await read();
      return keys
        ? { stored: true, accessKeyIdLast4: keys.accessKeyId.slice(-4), ...unavailable }
        : { stored: false, ...unavailable };
    } catch (error) {
      return { stored: true, problem: toErrorData(error), ...unavailable };
    }
  }

  return {
    status,
    async save(input) {
      const refusal = vault.refusal();
      if (refusal) throw refusal;
      const keys = {
        accessKeyId: String(input?.accessKeyId ?? '').trim(),
        secretAccessKey: String(input?.secretAccessKey ?? '').trim(),
      };
      const errors = validateAccessKeys(keys);
      if (errors.length > 0) return { ok: false, errors };
      await vault.set(SECRET_NAME, JSON.stringify(keys));
      return { ok: true, status: await status() };
    },
    async forget() {
      await vault.delete(SECRET_NAME);
      return status();
    },
    async load() {
      try {
        return await read();
      } catch {
        return null;
      }
    },
  };
}
