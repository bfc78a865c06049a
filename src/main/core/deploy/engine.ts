/**
 * Deploys and destroys the synthesized stack with Terraform/OpenTofu in the account's working folder.
 *
 *   const engine = createDeployEngine({ terraform, stateDir, stackJsonPath, lambdaZipPath, region: 'eu-central-1',
 *                                       environment: 'dev', accountId: '123456789012', clock: () => new Date() })
 *   await engine.init(onProgress)
 *   const plan = await engine.plan({ onProgress })   → { counts: { add: 14, change: 0, remove: 0 }, changes: [...] }
 *   const { outputs, backup } = await engine.apply(onProgress)   (state backed up first)
 *   await engine.plan({ destroy: true }); await engine.apply(onProgress)   (empty the buckets in between)
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { AppError } from '../../../shared/errors';
import type { TerraformBinary } from './find-terraform';
import { parseStackOutputs, type StackOutputs } from './outputs';
import type { PlannedChange, ProgressEvent } from './progress';
import { runTerraform } from './run-terraform';
import { backupState, prepareWorkingDir } from './working-dir';

const run = promisify(execFile);
const PLAN_FILE = 'tfplan';

export interface DeployEngineOptions {
  terraform: Pick<TerraformBinary, 'path'>;
  stateDir: string;
  stackJsonPath: string;
  lambdaZipPath: string;
  accountId: string;
  environment: string;
  region: string;
  profile?: string;
  projectName?: string;
  /** A local provider mirror (`terraform providers mirror <dir>`) for machines without registry access. */
  providerMirror?: string;
  /** Extra `-var name=value` pairs (kafka_endpoint, kafka_topic, upload_batch_interval). */
  variables?: Record<string, string>;
  clock: () => Date;
}

export interface PlanSummary {
  counts: { add: number; change: number; remove: number };
  changes: PlannedChange[];
  drift: PlannedChange[];
  warnings: string[];
  destroy: boolean;
}

type OnProgress = (event: ProgressEvent) => void;

export function createDeployEngine(options: DeployEngineOptions) {
  let workDir: string | undefined;
  let planned: PlanSummary | undefined;

  const env = (): Record<string, string> => ({
    AWS_REGION: options.region,
    AWS_DEFAULT_REGION: options.region,
    ...(options.profile ? { AWS_PROFILE: options.profile } : {}),
    // The AWS provider is ~100 MB: download it once per machine, not once per account folder.
    TF_PLUGIN_CACHE_DIR: join(options.stateDir, 'plugin-cache'),
    ...(options.providerMirror ? { TF_CLI_CONFIG_FILE: join(workDir!, 'terraform.rc') } : {}),
  });
  const vars = (): string[] =>
    Object.entries({
      aws_region: options.region,
      environment: options.environment,
      lambda_zip_path: resolve(options.lambdaZipPath),
      ...(options.projectName ? { project_name: options.projectName } : {}),
      ...options.variables,
    }).map(([k, v]) => `-var=${k}=${v}`);

  const common = (cwd: string, phase: ProgressEvent['phase'], onProgress?: OnProgress) => ({
    binary: options.terraform,
    workDir: cwd,
    phase,
    env: env(),
    onProgress,
  });
  const readOutputs = async (): Promise<StackOutputs> => {
    const { stdout } = await run(options.terraform.path, ['output', '-json'], {
      cwd: await dir(),
      env: { ...process.env, ...env() },
      timeout: 60_000,
    });
    return parseStackOutputs(stdout);
  };

  const dir = async (): Promise<string> => {
    if (workDir) return workDir;
    await verifyBundle(options.stackJsonPath, options.lambdaZipPath);
    workDir = await prepareWorkingDir(options);
    await mkdir(join(options.stateDir, 'plugin-cache'), { recursive: true });
    return workDir;
  };

  return {
    async workingDir(): Promise<string> {
      return dir();
    },
    async init(onProgress?: OnProgress): Promise<void> {
      const cwd = await dir();
      await runTerraform({ ...common(cwd, 'init', onProgress), args: ['init', '-no-color'], json: false });
    },
    async plan(opts: { destroy?: boolean; onProgress?: OnProgress } = {}): Promise<PlanSummary> {
      const cwd = await dir();
      const destroy = opts.destroy ?? false;
      const { tracker } = await runTerraform({
        ...common(cwd, 'plan', opts.onProgress),
        args: ['plan', ...(destroy ? ['-destroy'] : []), `-out=${PLAN_FILE}`, ...vars()],
      });
      const counts = tracker.summary ?? { add: 0, change: 0, remove: 0 };
      planned = {
        counts: { add: counts.add, change: counts.change, remove: counts.remove },
        changes: tracker.planned.filter((c) => c.action !== 'noop'),
        drift: tracker.drift,
        warnings: tracker.warnings,
        destroy,
      };
      return planned;
    },
    /** Applies the saved plan; the state is copied to backups/ first. */
    async apply(onProgress?: OnProgress): Promise<{ backup: string | null; outputs: StackOutputs | null }> {
      const cwd = await dir();
      if (!planned) throw new AppError('NO_PLAN', 'Nothing to apply yet.', 'Run plan first.');
      const backup = await backupState(cwd, options.clock());
      await runTerraform({
        ...common(cwd, planned.destroy ? 'destroy' : 'apply', onProgress),
        args: ['apply', '-auto-approve', PLAN_FILE],
      });
      const outputs = planned.destroy ? null : await readOutputs();
      planned = undefined;
      return { backup, outputs };
    },
    outputs: readOutputs,
  };
}

export type DeployEngine = ReturnType<typeof createDeployEngine>;

/**
 * The stack carries the bundle's hash from synth time: a rebuilt bundle without a new synth would deploy
 * code Terraform believes unchanged.
 */
export async function verifyBundle(stackJsonPath: string, lambdaZipPath: string): Promise<void> {
  let zip: Buffer;
  try {
    zip = await readFile(lambdaZipPath);
  } catch (error) {
    throw new AppError(
      'LAMBDA_ZIP_MISSING',
      `The processor bundle ${lambdaZipPath} does not exist.`,
      'Run `npm run build:lambda && npm run synth`.',
      { cause: error },
    );
  }
  const stack = JSON.parse(await readFile(stackJsonPath, 'utf8').catch(() => '{}')) as {
    resource?: { aws_lambda_function?: Record<string, { source_code_hash?: string }> };
  };
  const functions = Object.values(stack.resource?.aws_lambda_function ?? {});
  if (functions.length === 0) return;
  const expected = functions[0]!.source_code_hash;
  const actual = createHash('sha256').update(zip).digest('base64');
  if (expected && expected !== actual) {
    throw new AppError(
      'BUNDLE_STALE',
      `The processor bundle ${lambdaZipPath} changed since the stack was synthesized.`,
      'Run `npm run synth` so the stack carries the new bundle’s hash.',
    );
  }
}
