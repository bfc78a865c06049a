/**
 * The real modules bundled for node.exe (ESM, Node 22), so a Windows test runs this repository's code, not a copy:
 *   await bundleForNodeExe({ entry: 'src/shared/fs/atomic-file.ts' }, out)
 *   await bundleForNodeExe({ source: "export { makeFolder } from './src/shared/fs/make-folder';" }, out)
 * Paths are the repository's.
 */
import { join } from 'node:path';
import { build } from 'esbuild';
import { REPO_ROOT } from './requirements.mjs';

export async function bundleForNodeExe(
  input: { entry: string } | { source: string },
  outfile: string,
): Promise<void> {
  await build({
    ...('entry' in input
      ? { entryPoints: [join(REPO_ROOT, input.entry)] }
      : { stdin: { contents: input.source, resolveDir: REPO_ROOT, loader: 'ts' } }),
    outfile,
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    logLevel: 'silent',
  });
}
