import { access } from 'node:fs/promises';

/**
 * Whether a file or folder is there now (false for any error: missing, denied, a broken link).
 *
 *   await pathExists('/state/settings.json') → true
 */
export function pathExists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
