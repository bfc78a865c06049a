/**
 * The Terraform state's copy in the user's own account, so a lost disk, a reinstall or a second PC does not strand
 * the stack: after every apply the local state is copied to `s3://<processed bucket>/terraform-state/terraform.tfstate`
 * (encrypted and versioned like the bucket; the function's role may not write there), and before every plan the
 * copy comes back when the local state is missing, empty, or older (a later apply from another PC).
 *
 *   await saveStateCopy({ s3, bucket }, dir)                → { key: 'terraform-state/terraform.tfstate', serial: 7 }
 *   await reconcileState({ s3, bucket }, dir, new Date())   → 'local' | 'restored' | 'none'
 */

import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { AppError } from '../../../shared/errors';
import { STATE_COPY_KEY } from '../../../shared/stack/names';
import { describeSdkError } from '../store/s3-errors';
import { backupState, STATE_FILE } from './working-dir';

export interface StateCopyTarget {
  s3: S3Client;
  bucket: string;
}

interface StateInfo {
  serial: number;
  lineage: string;
  resources: number;
}

/** serial, lineage and resource count of a state file's text; null when it is not a state. */
export function readStateInfo(text: string): StateInfo | null {
  try {
    const state = JSON.parse(text) as { serial?: unknown; lineage?: unknown; resources?: unknown[] };
    if (typeof state.serial !== 'number' || typeof state.lineage !== 'string') return null;
    return { serial: state.serial, lineage: state.lineage, resources: state.resources?.length ?? 0 };
  } catch {
    return null;
  }
}

export async function saveStateCopy(
  target: StateCopyTarget,
  dir: string,
): Promise<{ key: string; serial: number }> {
  const text = await readFile(join(dir, STATE_FILE), 'utf8');
  await target.s3.send(
    new PutObjectCommand({
      Bucket: target.bucket,
      Key: STATE_COPY_KEY,
      Body: text,
      ContentType: 'application/json',
      // The bucket encrypts by default too; saying so keeps the copy encrypted even if that default changes.
      ServerSideEncryption: 'AES256',
    }),
  );
  return { key: STATE_COPY_KEY, serial: readStateInfo(text)?.serial ?? 0 };
}

/**
 * The copy's text; null when there is none (S3 answers 404: no bucket yet, a first deploy; no copy, no apply
 * finished yet). Anything else — the network, access denied, another region — is thrown: taken for "none", it let a
 * deploy plan from an older local state (another PC's apply unseen) or from none at all (adopting what exists).
 */
export async function readStateCopy(target: StateCopyTarget): Promise<string | null> {
  try {
    const out = await target.s3.send(new GetObjectCommand({ Bucket: target.bucket, Key: STATE_COPY_KEY }));
    return (await out.Body?.transformToString('utf8')) ?? null;
  } catch (error) {
    if (isNotFound(error)) return null;
    const refused = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 403;
    throw new AppError(
      'STATE_COPY_UNREADABLE',
      `The stack's state copy s3://${target.bucket}/${STATE_COPY_KEY} could not be read (${describeSdkError(error)})`,
      `Nothing was changed: without the copy the deploy would plan from an older state (an apply from another PC unseen) or from none. ${
        refused
          ? 'S3 refused this profile the bucket: let it read there (s3:GetObject). If this account never deployed that bucket, another AWS account owns its name: choose another project or environment name.'
          : 'Check the network, then deploy again.'
      }`,
      { cause: error },
    );
  }
}

function isNotFound(error: unknown): boolean {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } };
  return e.name === 'NoSuchKey' || e.name === 'NoSuchBucket' || e.$metadata?.httpStatusCode === 404;
}

export type StateSource = 'local' | 'restored' | 'none';

/**
 * Makes the working folder's state the newest one there is. The local file is kept (copied to backups/ first)
 * unless the account's copy is of the same history and newer, or the local file is missing or empty.
 */
export async function reconcileState(target: StateCopyTarget, dir: string, now: Date): Promise<StateSource> {
  const localText = await readFile(join(dir, STATE_FILE), 'utf8').catch(() => null);
  const local = localText ? readStateInfo(localText) : null;
  const remoteText = await readStateCopy(target);
  const remote = remoteText ? readStateInfo(remoteText) : null;
  const localUsable = local !== null && local.resources > 0;
  const remoteNewer =
    remote !== null &&
    remote.resources > 0 &&
    (!localUsable || (remote.lineage === local.lineage && remote.serial > local.serial));
  if (remoteNewer && remoteText) {
    await backupState(dir, now);
    await writeFile(join(dir, STATE_FILE), remoteText);
    return 'restored';
  }
  return localUsable ? 'local' : 'none';
}
