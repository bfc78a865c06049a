/**
 * An in-memory SecretVault for app-service tests: `createMemoryVault()` keeps values in a Map;
 * `createMemoryVault({ refuse: true })` refuses like a machine without a keychain.
 */
import { AppError } from '../../shared/errors';
import type { SecretVault } from './secret-vault';

export function createMemoryVault(options: { refuse?: boolean } = {}) {
  const values = new Map<string, string>();
  const refusal = () =>
    options.refuse ? new AppError('SECRETS_UNAVAILABLE', 'No keychain here.', 'Use a named profile.') : null;
  const vault: SecretVault = {
    refusal,
    get: async (name) => values.get(name) ?? null,
    set: async (name, value) => {
      const refused = refusal();
      if (refused) throw refused;
      values.set(name, value);
    },
    delete: async (name) => {
      values.delete(name);
    },
  };
  return { vault, values };
}
