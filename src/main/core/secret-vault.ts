/**
 * Where secrets a user types in are kept, as the core sees it (no Electron here):
 *   vault.refusal()             → null when it can store secrets, else the AppError to show (why, what instead)
 *   await vault.set('s3.accessKeys', json); await vault.get('s3.accessKeys') → json; await vault.delete(…)
 * The tray app's vault encrypts with the OS keychain (electron/secrets.ts); headless mode has none.
 */
import { AppError } from '../../shared/errors';

export interface SecretVault {
  /** Why this vault will not store a secret (headless, no keychain), or null when it will. */
  refusal(): AppError | null;
  get(name: string): Promise<string | null>;
  /** Throws the refusal rather than ever writing plain text. */
  set(name: string, value: string): Promise<void>;
  delete(name: string): Promise<void>;
}

/** `gpuz-cloud agent`: no OS keychain to encrypt with, so nothing is stored and the AWS chain is used. */
export function createHeadlessVault(): SecretVault {
  const refusal = () =>
    new AppError(
      'SECRETS_HEADLESS',
      'Access keys cannot be saved in headless mode (gpuz-cloud agent): it has no OS keychain to encrypt them with, and they are never stored in plain text.',
      'Use an AWS named profile (aws configure --profile gpuz, then enter "gpuz" as the Profile) or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the environment that starts the agent.',
    );
  return {
    refusal,
    get: async () => null,
    set: async () => {
      throw refusal();
    },
    delete: async () => undefined,
  };
}
