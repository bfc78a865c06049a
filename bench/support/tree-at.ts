/**
 * A baseline built from git in the same run as ours: the files of a commit unpacked into a folder, with this
 * checkout's node_modules linked in (so a child bundled from there resolves the same packages).
 *
 *   const missing = treeAt(BEFORE, join(root, 'before'), ['src', 'package.json'], ['bench/sessions-child.ts'])
 *   if (missing) console.log(`baseline not built: ${missing}`)
 *
 * `current` files are copied from this checkout over the commit's (a child the commit did not have yet).
 * Returns why the tree could not be made (no git, a shallow clone without the commit, …), or undefined.
 * Most benches want the child bundled from there in one step:
 *   const missing = await buildChildAt(BEFORE, join(root, 'before'), 'bench/sessions-child.ts', outfile)
 */
import { spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, symlinkSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { build } from 'esbuild';
import { NODE_BUNDLE } from '../../src/test-support/cli-process';

export function treeAt(
  commit: string,
  tree: string,
  paths: string[],
  current: string[] = [],
): string | undefined {
  const short = commit.slice(0, 7);
  const has = spawnSync('git', ['cat-file', '-e', `${commit}^{commit}`]);
  if (has.error) return `git is not available (${has.error.message})`;
  if (has.status !== 0) return `commit ${short} is not in this clone (shallow clone?)`;
  mkdirSync(tree, { recursive: true });
  const archive = spawnSync('git', ['archive', commit, ...paths], { maxBuffer: 1 << 28 });
  if (archive.status !== 0) return `git archive ${short} failed: ${archive.stderr}`;
  const untar = spawnSync('tar', ['-x', '-C', tree], { input: archive.stdout });
  if (untar.status !== 0) return `tar failed: ${untar.error?.message ?? untar.stderr}`;
  for (const file of current) {
    mkdirSync(dirname(join(tree, file)), { recursive: true });
    copyFileSync(resolve(file), join(tree, file));
  }
  symlinkSync(resolve('node_modules'), join(tree, 'node_modules'));
  return undefined;
}

/** `child` (a bench file, e.g. 'bench/sessions-child.ts') bundled from `tree`, npm packages left external. */
export async function bundleChild(tree: string, child: string, outfile: string): Promise<void> {
  await build({ ...NODE_BUNDLE, entryPoints: [join(tree, child)], outfile, logLevel: 'warning' });
}

/**
 * `child` bundled against `commit`'s src (this checkout's child file over it, in `tree`): the baseline a bench runs
 * beside ours. Returns why it could not be built, or undefined.
 */
export async function buildChildAt(
  commit: string,
  tree: string,
  child: string,
  outfile: string,
): Promise<string | undefined> {
  const missing = treeAt(commit, tree, ['src', 'package.json'], [child]);
  if (missing) return missing;
  try {
    await bundleChild(tree, child, outfile);
  } catch (error) {
    return `bundling the child against ${commit.slice(0, 7)} failed: ${(error as Error).message}`;
  }
  return undefined;
}
