/**
 * Whether the deployed processor function runs the code this app deploys. An app update brings a new processor
 * (a parser that reads more of a damaged log, say), but the function in the account keeps the code of the last
 * deploy until the stack is deployed again: without this the person never learns that the cloud lags behind.
 *
 *   await readProcessorCode({ stateDir, names: stackOfRawBucket('gpuz-cloud-dev-raw-123456789012'), lambdaZipPath })
 *     → { current: false, appliedAt: 1764979200000 }   (the last apply from this PC shipped another bundle)
 *     → null                                            (this PC holds no Terraform state of that stack)
 *
 * The answer comes from the Terraform state of this PC's applies (deploy/<account>-<env>/terraform.tfstate): the
 * state that holds the stack's raw bucket (its name carries the account), its function's `source_code_hash` (the
 * base64 SHA-256 of the zip applied, infra/lambda-zip.ts) against the same hash
 * of the bundle this app ships. No AWS request: the agent's credentials may not read the function (least privilege).
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { bundleHash } from '../../../shared/stack/bundle-hash';
import type { StackNames } from '../../../shared/stack/names';
import { STATE_FILE } from './working-dir';

export interface ProcessorCode {
  /** True when the function was last applied with this app's bundle. */
  current: boolean;
  /** When that apply wrote the state (ms). */
  appliedAt: number;
}

export async function readProcessorCode(options: {
  stateDir: string;
  names: Pick<StackNames, 'rawBucket' | 'functionName'>;
  lambdaZipPath: string;
}): Promise<ProcessorCode | null> {
  const applied = await findAppliedHash(join(options.stateDir, 'deploy'), options.names);
  if (applied === null) return null;
  const hash = await readBundleHash(options.lambdaZipPath);
  if (hash === null) return null;
  return { current: hash === applied.hash, appliedAt: applied.at };
}

/** The bundle's hash (bundleHash), or null when there is no bundle at `path` to compare with. */
export async function readBundleHash(path: string): Promise<string | null> {
  const zip = await readFile(path).catch(() => null);
  return zip === null ? null : bundleHash(zip);
}

interface StateResource {
  type?: string;
  instances?: { attributes?: { bucket?: string; function_name?: string; source_code_hash?: string } }[];
}

/**
 * The state under `deployDir` of the stack, with the bundle hash its function was applied with and when. At most one
 * holds the stack's raw bucket: each working folder is `<account>-<env>`, and both are in the bucket's name.
 */
async function findAppliedHash(
  deployDir: string,
  names: Pick<StackNames, 'rawBucket' | 'functionName'>,
): Promise<{ hash: string; at: number } | null> {
  const folders = await readdir(deployDir).catch(() => [] as string[]);
  for (const folder of folders) {
    const path = join(deployDir, folder, STATE_FILE);
    const text = await readFile(path, 'utf8').catch(() => null);
    const hash = text === null ? null : functionHash(text, names);
    if (hash === null) continue;
    const info = await stat(path).catch(() => null);
    return info === null ? null : { hash, at: Math.floor(info.mtimeMs) };
  }
  return null;
}

function functionHash(
  stateText: string,
  names: Pick<StackNames, 'rawBucket' | 'functionName'>,
): string | null {
  let resources: StateResource[];
  try {
    resources = (JSON.parse(stateText) as { resources?: StateResource[] }).resources ?? [];
  } catch {
    return null; // a damaged state says nothing; deploy has its own words for it
  }
  const attributes = resources.flatMap((r) =>
    (r.instances ?? []).map((i) => ({ type: r.type, ...i.attributes })),
  );
  if (!attributes.some((a) => a.type === 'aws_s3_bucket' && a.bucket === names.rawBucket)) return null;
  const fn = attributes.find(
    (a) => a.type === 'aws_lambda_function' && a.function_name === names.functionName,
  );
  return typeof fn?.source_code_hash === 'string' ? fn.source_code_hash : null;
}
