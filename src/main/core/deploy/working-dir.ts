/**
 * The per-account working folder Terraform runs in, under the app's state folder:
 *
 *   await prepareWorkingDir({ stateDir: '~/.local/state/gpuz-cloud', accountId: '123456789012', environment: 'dev',
 *                             stackJsonPath: 'cdktf.out/stacks/gpuz-cloud/cdk.tf.json' })
 *     → '~/.local/state/gpuz-cloud/deploy/123456789012-dev'  (cdk.tf.json copied in; terraform.tfstate lives here)
 *   await backupState(dir, new Date('2026-01-10T10:00:00Z'))
 *     → '…/backups/terraform.tfstate.2026-01-10T10-00-00-000Z' (or null before the first apply)
 */
import { copyFile, readdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../../shared/errors';
import { makeFolder } from '../../../shared/fs/make-folder';

export const STATE_FILE = 'terraform.tfstate';
export const STACK_FILE = 'cdk.tf.json';
/** Enough history to step back over a bad day of retries, small enough to never matter on disk. */
export const KEEP_BACKUPS = 20;

export function workingDirFor(stateDir: string, accountId: string, environment: string): string {
  return join(stateDir, 'deploy', `${accountId}-${environment}`);
}

export async function prepareWorkingDir(options: {
  stateDir: string;
  accountId: string;
  environment: string;
  stackJsonPath: string;
  providerMirror?: string | undefined;
}): Promise<string> {
  const dir = workingDirFor(options.stateDir, options.accountId, options.environment);
  await makeFolder(dir);
  try {
    await copyFile(options.stackJsonPath, join(dir, STACK_FILE));
  } catch (error) {
    throw new AppError(
      'STACK_MISSING',
      `The synthesized stack ${options.stackJsonPath} does not exist.`,
      'Run `npm run build:lambda && npm run synth` (the installed app ships it in resources/infra).',
      { cause: error },
    );
  }
  if (options.providerMirror) {
    await writeFile(join(dir, 'terraform.rc'), providerMirrorConfig(options.providerMirror));
  }
  return dir;
}

/**
 * Terraform CLI configuration that installs providers from a local mirror only (air-gapped machines, tests).
 *   providerMirrorConfig('/mirror') → 'provider_installation { filesystem_mirror { path = "/mirror" … } }'
 */
export function providerMirrorConfig(mirror: string): string {
  return `provider_installation {\n  filesystem_mirror {\n    path    = ${JSON.stringify(mirror)}\n    include = ["*/*/*"]\n  }\n}\n`;
}

export async function backupState(dir: string, now: Date): Promise<string | null> {
  const backups = join(dir, 'backups');
  const target = join(backups, `${STATE_FILE}.${now.toISOString().replace(/[:.]/g, '-')}`);
  await makeFolder(backups);
  try {
    await copyFile(join(dir, STATE_FILE), target);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
  await pruneBackups(backups);
  return target;
}

async function pruneBackups(backups: string): Promise<void> {
  // ISO timestamps sort lexically in time order.
  const names = (await readdir(backups)).filter((n) => n.startsWith(`${STATE_FILE}.`)).sort();
  for (const name of names.slice(0, Math.max(0, names.length - KEEP_BACKUPS))) {
    await rm(join(backups, name));
  }
}
