/**
 * Finds the Terraform or OpenTofu binary to deploy with: the configured path first, then a copy in
 * `bundledDir` (for a build that ships one; today's builds do not), then PATH (terraform before tofu).
 *
 *   await findTerraform({ configuredPath: undefined, bundledDir: 'C:/…/resources/bin', env: process.env })
 *     → { path: '/usr/local/bin/terraform', flavor: 'terraform', version: '1.11.4' }
 *   nothing found → AppError TERRAFORM_MISSING with how to install one or set its path
 */
import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { join, delimiter as posixDelimiter } from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../../../shared/errors';

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
}

/** Terraform 1.5 is the oldest release with everything the stack and the JSON UI stream need. */
export const MINIMUM_VERSION = '1.5.0';

export const INSTALL_ADVICE =
  'Install Terraform (https://developer.hashicorp.com/terraform/install) or OpenTofu (https://opentofu.org/docs/intro/install/), ' +
  'or give its path with --terraform <path> or GPUZ_TERRAFORM.';

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
  const pathDirs = (options.env.PATH ?? options.env.Path ?? '')
    .split(platform === 'win32' ? ';' : posixDelimiter)
    .filter(Boolean);
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
      `${path} did not answer \`version\`: ${(error as Error).message}`,
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
