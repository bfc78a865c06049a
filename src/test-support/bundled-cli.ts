/**
 * For vitest files only (it registers hooks; cli-process.ts is shared with Playwright and the bench).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { bundleCli, type CliBundle } from './cli-process';

/**
 * A test file's CLI bundle and temp folder: the folder made now, the CLI bundled before its tests (beforeAll), both
 * removed after them (afterAll). `cli` can be passed to spawnCli from the tests on.
 *   const { dir, cli } = useBundledCli('gpuz-time-gap-')
 *   it('…', async () => { await runCli(cli, ['upload', '--file', log, '--local', join(dir, 'store')]) })
 */
export function useBundledCli(prefix: string): { dir: string; cli: CliBundle } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  let bundle: CliBundle | null = null;
  beforeAll(async () => {
    bundle = await bundleCli();
  });
  afterAll(() => {
    bundle?.remove();
    rmSync(dir, { recursive: true, force: true });
  });
  const cli: CliBundle = {
    get path() {
      if (!bundle) throw new Error('The CLI is bundled in beforeAll: use it from a test or a hook after it.');
      return bundle.path;
    },
    remove: () => bundle?.remove(),
  };
  return { dir, cli };
}
