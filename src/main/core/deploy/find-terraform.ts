/**
 * Finds the Terraform or OpenTofu binary to deploy with: the configured path first, then the copy the app
 * downloaded (`bundledDir`: `<local data>/terraform/1.11.4`), then PATH (terraform before tofu) — on Windows the
 * PATH as the registry has it now (a `winget install` after the app started counts, no restart needed) and
 * winget's Links folder.
 *
 *   await findTerraform({ configuredPath: undefined, bundledDir: 'C:/…/Local/GPU-Z Cloud/terraform/1.11.4', env: process.env })
 *     → { path: '/usr/local/bin/terraform', flavor: 'terraform', version: '1.11.4' }
 *   nothing found → AppError TERRAFORM_MISSING with how to install one, download one, or set its path
 */
import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { join, delimiter as posixDelimiter } from 'node:path';
import { promisify } from 'node:util';
import { AppError, toError } from '../../../shared/errors';

const run = promisify(execFile);

export interface TerraformBinary {
  path: string;
  flavor: 'terraform' | 'tofu';
  version: string;
}

export interface FindTerraformOptions {
  configuredPath?: string;
  bundledDir?: string;
  env: Record<string, string | undefined>;
  platform?: NodeJS.Platform;
  /** Windows: PATH as the registry holds it now (machine + user); default reads it with `reg query`. */
  readRegistryPath?: () => Promise<string>;
}

/** Terraform 1.5 is the oldest release with everything the stack and the JSON UI stream need. */
export const MINIMUM_VERSION = '1.5.0';

export const INSTALL_ADVICE =
  'Install Terraform (https://developer.hashicorp.com/terraform/install; on Windows `winget install Hashicorp.Terraform`) ' +
  'or OpenTofu (https://opentofu.org/docs/intro/install/), let GPU-Z Cloud download Terraform ' +
  '(the Cloud view’s Download button, or --install-terraform), or give its path with --terraform <path> or GPUZ_TERRAFORM.';

export async function findTerraform(options: FindTerraformOptions): Promise<TerraformBinary> {
  const platform = options.platform ?? process.platform;
  const exe = platform === 'win32' ? '.exe' : '';
  const configured = options.configuredPath ?? options.env.GPUZ_TERRAFORM;
  if (configured) {
    if (!(await isExecutable(configured))) {
      throw new AppError(
        'TERRAFORM_NOT_EXECUTABLE',
        `The configured Terraform binary ${configured} does not exist or cannot be run.`,
        INSTALL_ADVICE,
      );
    }
    return identify(configured);
  }
  const processPath = options.env.PATH ?? options.env.Path ?? '';
  const registryPath =
    platform === 'win32' ? await (options.readRegistryPath ?? (() => readWindowsPath(options.env)))() : '';
  const wingetLinks =
    platform === 'win32' && options.env.LOCALAPPDATA
      ? join(options.env.LOCALAPPDATA, 'Microsoft', 'WinGet', 'Links')
      : '';
  const pathDirs = [
    ...new Set(
      [registryPath, processPath, wingetLinks]
        .join(platform === 'win32' ? ';' : posixDelimiter)
        .split(platform === 'win32' ? ';' : posixDelimiter)
        .filter(Boolean),
    ),
  ];
  const names = ['terraform', 'tofu'];
  // The bundled copy (either flavor) wins; on PATH, terraform anywhere wins over tofu.
  const candidates = [
    ...(options.bundledDir ? names.map((name) => join(options.bundledDir!, `${name}${exe}`)) : []),
    ...names.flatMap((name) => pathDirs.map((dir) => join(dir, `${name}${exe}`))),
  ];
  for (const candidate of candidates) {
    if (await isExecutable(candidate)) return identify(candidate);
  }
  throw new AppError('TERRAFORM_MISSING', 'Neither terraform nor tofu was found.', INSTALL_ADVICE);
}

const REGISTRY_PATHS = [
  ['HKLM\\SYSTEM\\CurrentControlSet\\Control\\Session Manager\\Environment'],
  ['HKCU\\Environment'],
];

/**
 * Windows keeps PATH in the registry; a process sees the copy it started with. Reading it again finds a Terraform
 * installed while the app runs. `%VAR%` references are expanded from the environment.
 */
async function readWindowsPath(env: Record<string, string | undefined>): Promise<string> {
  const parts: string[] = [];
  for (const [key] of REGISTRY_PATHS) {
    const out = await run('reg', ['query', key!, '/v', 'Path'], { timeout: 5000 }).catch(() => null);
    const value = out ? parseRegQueryValue(out.stdout) : null;
    if (value) parts.push(expandWindowsVariables(value, env));
  }
  return parts.join(';');
}

/** `reg query … /v Path` output → the value: '    Path    REG_EXPAND_SZ    C:\a;%USERPROFILE%\b' → 'C:\a;%USERPROFILE%\b'. */
export function parseRegQueryValue(output: string): string | null {
  const match = /^\s*Path\s+REG_(?:EXPAND_)?SZ\s+(.*)$/im.exec(output);
  return match ? match[1]!.trim() : null;
}

/** expandWindowsVariables('%LOCALAPPDATA%\\x', { LOCALAPPDATA: 'C:\\L' }) → 'C:\\L\\x' (names are case-insensitive). */
export function expandWindowsVariables(text: string, env: Record<string, string | undefined>): string {
  const byName = new Map(Object.entries(env).map(([k, v]) => [k.toUpperCase(), v]));
  return text.replace(/%([^%]+)%/g, (whole, name: string) => byName.get(name.toUpperCase()) ?? whole);
}

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** `terraform version` prints "Terraform v1.11.4", `tofu version` "OpenTofu v1.9.0", first line. */
async function identify(path: string): Promise<TerraformBinary> {
  let stdout: string;
  try {
    ({ stdout } = await run(path, ['version'], {
      timeout: 15_000,
      env: { ...process.env, CHECKPOINT_DISABLE: '1' },
    }));
  } catch (error) {
    throw new AppError(
      'TERRAFORM_BROKEN',
      `${path} did not answer \`version\`: ${toError(error).message}`,
      INSTALL_ADVICE,
      { cause: error },
    );
  }
  const match = /^(Terraform|OpenTofu) v(\d+\.\d+\.\d+\S*)/m.exec(stdout);
  if (!match) {
    throw new AppError(
      'TERRAFORM_UNKNOWN',
      `${path} is neither Terraform nor OpenTofu (it printed "${stdout.split('\n')[0]}").`,
      INSTALL_ADVICE,
    );
  }
  const version = match[2]!;
  if (compareVersions(version, MINIMUM_VERSION) < 0) {
    throw new AppError(
      'TERRAFORM_TOO_OLD',
      `${path} is ${match[1]} ${version}; GPU-Z Cloud needs ${MINIMUM_VERSION} or newer.`,
      INSTALL_ADVICE,
    );
  }
  return { path, flavor: match[1] === 'OpenTofu' ? 'tofu' : 'terraform', version };
}

/** compareVersions('1.10.0', '1.5.0') → 1 (numeric, not lexical; pre-release suffixes ignored). */
export function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).slice(0, 3).map(Number);
  const pb = b.split(/[.-]/).slice(0, 3).map(Number);
  for (let i = 0; i < 3; i++) {
    const diff = (pa[i] ?? 0) - (pb[i] ?? 0);
    if (diff !== 0) return Math.sign(diff);
  }
  return 0;
}
