/**
 * Deploys and destroys the synthesized stack with Terraform/OpenTofu in the account's working folder.
 *
 *   const engine = createDeployEngine({ terraform, stateDir, stackJsonPath, lambdaZipPath, region: 'eu-central-1',
 *                                       environment: 'dev', accountId: '123456789012', stateCopy, adopt, clock })
 *   await engine.init(onProgress)   → { state: 'local' | 'restored' | 'none', imports: 0 }
 *     (the state comes back from the account's copy when the local one is missing; with neither, what exists is
 *      adopted through import blocks)
 *   const plan = await engine.plan({ onProgress })   → { counts: { add: 26, change: 0, remove: 0, import: 0 }, … }
 *   const { outputs, backup, stateCopy } = await engine.apply(onProgress)   (state backed up first, copied after)
 *   await engine.plan({ destroy: true }); await engine.apply(onProgress)   (empty the buckets in between)
 * Settings a deploy is not given (alarm_email, raw_expiry_days, lambda_architecture, analytics_copy) keep their
 * deployed values.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { AppError, formatErrorLine } from '../../../shared/errors';
import { makeFolder } from '../../../shared/fs/make-folder';
import { bundleHash } from '../../../shared/stack/bundle-hash';
import { IMPORTS_FILE, type ImportTarget, writeImportBlocks } from './adopt';
import type { TerraformBinary } from './find-terraform';
import { parseStackOutputs, type StackOutputs } from './outputs';
import type { PlannedChange, ProgressEvent } from './progress';
import { reconcileState, type StateCopyTarget, type StateSource, saveStateCopy } from './remote-state';
import { runTerraform } from './run-terraform';
import type { ChangeCounts } from './ui-messages';
import { backupState, prepareWorkingDir } from './working-dir';

const run = promisify(execFile);
const PLAN_FILE = 'tfplan';

export interface DeployEngineOptions {
  terraform: Pick<TerraformBinary, 'path'>;
  stateDir: string;
  /** Machine-local folder for the provider plugin cache (several hundred MB); default: the state folder. */
  cacheDir?: string | undefined;
  stackJsonPath: string;
  lambdaZipPath: string;
  accountId: string;
  environment: string;
  region: string;
  profile?: string | undefined;
  projectName?: string | undefined;
  /** A local provider mirror (`terraform providers mirror <dir>`) for machines without registry access. */
  providerMirror?: string | undefined;
  /** Extra `-var name=value` pairs (kafka_*, alarm_email, reserved_concurrency …); the stack's undeclared ones are left out. */
  variables?: Record<string, string> | undefined;
  /** Where the state's copy lives in the account (the processed bucket); absent: local state only. */
  stateCopy?: StateCopyTarget | undefined;
  /** Finds what already exists when no state is left anywhere (adopt.ts); absent: no adoption. */
  adopt?: (() => Promise<ImportTarget[]>) | undefined;
  clock: () => Date;
}

/** Settings kept from the deployed stack's outputs when a deploy does not give them. */
const KEPT_SETTINGS = ['alarm_email', 'raw_expiry_days', 'lambda_architecture', 'analytics_copy'] as const;

export interface PlanSummary {
  counts: { add: number; change: number; remove: number; import: number };
  changes: PlannedChange[];
  drift: PlannedChange[];
  warnings: string[];
  destroy: boolean;
}

type OnProgress = (event: ProgressEvent) => void;

export function createDeployEngine(options: DeployEngineOptions) {
  let workDir: string | undefined;
  let planned: PlanSummary | undefined;
  let declared: Set<string> | null = null;

  const env = (): Record<string, string> => ({
    AWS_REGION: options.region,
    AWS_DEFAULT_REGION: options.region,
    ...(options.profile ? { AWS_PROFILE: options.profile } : {}),
    // The AWS provider is several hundred MB unpacked: once per machine, in the local (not roaming) folder.
    TF_PLUGIN_CACHE_DIR: join(options.cacheDir ?? options.stateDir, 'plugin-cache'),
    ...(options.providerMirror ? { TF_CLI_CONFIG_FILE: join(workDir!, 'terraform.rc') } : {}),
  });
  const vars = (kept: Record<string, string> = {}): string[] =>
    Object.entries({
      aws_region: options.region,
      environment: options.environment,
      lambda_zip_path: resolve(options.lambdaZipPath),
      ...(options.projectName ? { project_name: options.projectName } : {}),
      ...kept,
      ...options.variables,
    })
      // An older stack file does not declare the newer settings; Terraform refuses undeclared variables.
      .filter(([k]) => !declared || declared.has(k))
      .map(([k, v]) => `-var=${k}=${v}`);

  const common = (cwd: string, phase: ProgressEvent['phase'], onProgress?: OnProgress) => ({
    binary: options.terraform,
    workDir: cwd,
    phase,
    env: env(),
    onProgress,
  });
  const rawOutputs = async (): Promise<string> => {
    const { stdout } = await run(options.terraform.path, ['output', '-json'], {
      cwd: await dir(),
      env: { ...process.env, ...env() },
      timeout: 60_000,
    });
    return stdout;
  };
  const readOutputs = async (): Promise<StackOutputs> => parseStackOutputs(await rawOutputs());
  /** The deployed values of the settings a deploy keeps; none before the first apply. */
  const keptSettings = async (): Promise<Record<string, string>> => {
    const outputs = JSON.parse(await rawOutputs().catch(() => '{}')) as Record<string, { value?: unknown }>;
    return Object.fromEntries(
      KEPT_SETTINGS.filter((k) => outputs[k]?.value !== undefined).map((k) => [k, String(outputs[k]!.value)]),
    );
  };
  /** Best effort: a failed copy is reported, never fails an apply that succeeded. */
  const copyState = async (cwd: string): Promise<{ stateCopy?: string; warnings: string[] }> => {
    if (!options.stateCopy) return { warnings: [] };
    try {
      const { key } = await saveStateCopy(options.stateCopy, cwd);
      return { stateCopy: `s3://${options.stateCopy.bucket}/${key}`, warnings: [] };
    } catch (error) {
      const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
      const reason = `${formatErrorLine(error)}${status ? `, HTTP ${status}` : ''}`;
      return {
        warnings: [
          `The state was not copied to s3://${options.stateCopy.bucket} (${reason}); it is only in ${cwd}: ` +
            'deploy again to retry.',
        ],
      };
    }
  };

  const dir = async (): Promise<string> => {
    if (workDir) return workDir;
    await verifyBundle(options.stackJsonPath, options.lambdaZipPath);
    workDir = await prepareWorkingDir(options);
    declared = await declaredVariables(options.stackJsonPath);
    await makeFolder(join(options.cacheDir ?? options.stateDir, 'plugin-cache'));
    return workDir;
  };

  /** Imports the adopted resources alone (`-target` each), so a destroy plan sees them. */
  async function importAdopted(cwd: string, onProgress?: OnProgress): Promise<void> {
    const text = await readFile(join(cwd, IMPORTS_FILE), 'utf8').catch(() => null);
    if (!text) return;
    const targets = (JSON.parse(text) as { import: ImportTarget[] }).import;
    await runTerraform({
      ...common(cwd, 'plan', onProgress),
      args: ['plan', `-out=${PLAN_FILE}`, ...targets.map((t) => `-target=${t.to}`), ...vars()],
    });
    await runTerraform({ ...common(cwd, 'apply', onProgress), args: ['apply', '-auto-approve', PLAN_FILE] });
    await writeImportBlocks(cwd, []);
  }

  return {
    async workingDir(): Promise<string> {
      return dir();
    },
    /**
     * Brings the state back from the account's copy when the local one is missing or older, adopts what exists when
     * there is no state anywhere (import blocks), then runs `terraform init`.
     */
    async init(onProgress?: OnProgress): Promise<{ state: StateSource; imports: number }> {
      const cwd = await dir();
      const state = options.stateCopy
        ? await reconcileState(options.stateCopy, cwd, options.clock())
        : 'local';
      const imports = state === 'none' && options.adopt ? await options.adopt() : [];
      await writeImportBlocks(cwd, imports);
      await runTerraform({ ...common(cwd, 'init', onProgress), args: ['init', '-no-color'], json: false });
      return { state, imports: imports.length };
    },
    async plan(opts: { destroy?: boolean; onProgress?: OnProgress } = {}): Promise<PlanSummary> {
      const cwd = await dir();
      const destroy = opts.destroy ?? false;
      // A destroy plan ignores import blocks: what was found is imported first, on its own.
      if (destroy) await importAdopted(cwd, opts.onProgress);
      const kept = destroy ? {} : await keptSettings();
      const { tracker } = await runTerraform({
        ...common(cwd, 'plan', opts.onProgress),
        args: ['plan', ...(destroy ? ['-destroy'] : []), `-out=${PLAN_FILE}`, ...vars(kept)],
      });
      const counts: ChangeCounts = tracker.summary ?? { add: 0, change: 0, remove: 0, operation: 'plan' };
      planned = {
        counts: { add: counts.add, change: counts.change, remove: counts.remove, import: counts.import ?? 0 },
        changes: tracker.planned.filter((c) => c.action !== 'noop'),
        drift: tracker.drift,
        warnings: tracker.warnings,
        destroy,
      };
      return planned;
    },
    /**
     * Applies the saved plan; the state is copied to backups/ first and, after a deploy, to the account (a destroy
     * that failed half way copies what is left, so a later destroy from anywhere still finds it).
     */
    async apply(onProgress?: OnProgress): Promise<ApplyResult> {
      const cwd = await dir();
      if (!planned) throw new AppError('NO_PLAN', 'Nothing to apply yet.', 'Run plan first.');
      const { destroy } = planned;
      const backup = await backupState(cwd, options.clock());
      planned = undefined;
      try {
        await runTerraform({
          ...common(cwd, destroy ? 'destroy' : 'apply', onProgress),
          args: ['apply', '-auto-approve', PLAN_FILE],
        });
      } catch (error) {
        await copyState(cwd);
        throw error;
      }
      await writeImportBlocks(cwd, []);
      if (destroy) return { backup, outputs: null, warnings: [] };
      return { backup, outputs: await readOutputs(), ...(await copyState(cwd)) };
    },
    outputs: readOutputs,
    /** Copies the state to the account without applying (a deploy with nothing to change still refreshes the copy). */
    async copyState(): Promise<{ stateCopy?: string; warnings: string[] }> {
      return copyState(await dir());
    },
  };
}

export type DeployEngine = ReturnType<typeof createDeployEngine>;

export interface ApplyResult {
  backup: string | null;
  outputs: StackOutputs | null;
  /** Where the state's copy now is (s3://…), after a deploy. */
  stateCopy?: string;
  warnings: string[];
}

/** The variables the stack file declares (null when it cannot be read: pass everything). */
async function declaredVariables(stackJsonPath: string): Promise<Set<string> | null> {
  try {
    const stack = JSON.parse(await readFile(stackJsonPath, 'utf8')) as { variable?: Record<string, unknown> };
    return new Set(Object.keys(stack.variable ?? {}));
  } catch {
    return null;
  }
}

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
  const actual = bundleHash(zip);
  if (expected && expected !== actual) {
    throw new AppError(
      'BUNDLE_STALE',
      `The processor bundle ${lambdaZipPath} changed since the stack was synthesized.`,
      'Run `npm run synth` so the stack carries the new bundle’s hash.',
    );
  }
}
