/**
 * Runs one Terraform/OpenTofu command with `-json` and reports progress while it runs.
 *
 *   await runTerraform({ binary, workDir, phase: 'apply', args: ['apply', '-auto-approve', 'tfplan'], onProgress })
 *     → { tracker }            (tracker.planned, tracker.summary, tracker.snapshot …)
 *   exit code ≠ 0 → AppError TERRAFORM_FAILED: the first error diagnostic, with advice when we know the cause
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { stripVTControlCharacters } from 'node:util';
import { AppError } from '../../../shared/errors';
import { adviceForDiagnostic } from './advice';
import type { TerraformBinary } from './find-terraform';
import {
  createProgressTracker,
  type DeployPhase,
  type ProgressEvent,
  type ProgressTracker,
} from './progress';
import { type Diagnostic, parseUiLine } from './ui-messages';

export interface RunTerraformOptions {
  binary: Pick<TerraformBinary, 'path'>;
  workDir: string;
  phase: DeployPhase;
  /** Without `-json`/`-input=false`: they are added here. */
  args: string[];
  /** `init -json` only exists from Terraform 1.9: init runs with plain output (shown as the current step). */
  json?: boolean;
  /** Added to the inherited environment (AWS_PROFILE, TF_CLI_CONFIG_FILE …). */
  env?: Record<string, string>;
  onProgress?: ((event: ProgressEvent) => void) | undefined;
  signal?: AbortSignal;
}

export interface RunTerraformResult {
  tracker: ProgressTracker;
}

export async function runTerraform(options: RunTerraformOptions): Promise<RunTerraformResult> {
  const tracker = createProgressTracker(options.phase);
  const [command, ...rest] = options.args;
  const args = [command!, ...(options.json === false ? [] : ['-json']), '-input=false', ...rest];
  const child = spawn(options.binary.path, args, {
    cwd: options.workDir,
    env: {
      ...process.env,
      // No prompts, no "run terraform apply next" hints, no phone-home version check.
      TF_IN_AUTOMATION: '1',
      TF_INPUT: '0',
      CHECKPOINT_DISABLE: '1',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
    signal: options.signal,
  });
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-8000);
  });
  const lines = createInterface({ input: child.stdout, crlfDelay: Number.POSITIVE_INFINITY });
  lines.on('line', (line) => {
    const message = parseUiLine(line);
    const event = message ? tracker.push(message) : plainLine(tracker, line);
    if (event) options.onProgress?.(event);
  });
  const exitCode = await new Promise<number>((resolve, reject) => {
    child.once('error', (error) => reject(spawnError(options.binary.path, error)));
    child.once('close', (code) => resolve(code ?? 1));
  });
  if (exitCode !== 0) throw failure(options, tracker, exitCode, stderr);
  return { tracker };
}

/** Plain output (init on older versions, or a crash notice): shown as the current step. */
function plainLine(tracker: ProgressTracker, line: string): ProgressEvent | null {
  const text = line.trim();
  return text ? { ...tracker.snapshot, current: text } : null;
}

function spawnError(path: string, error: Error): AppError {
  return new AppError(
    'TERRAFORM_SPAWN',
    `Could not run ${path}: ${error.message}`,
    'Check the Terraform binary path (--terraform or GPUZ_TERRAFORM).',
    {
      cause: error,
      gui: 'Download Terraform with the button in this view, or install it and start the app again.',
    },
  );
}

function failure(
  options: RunTerraformOptions,
  tracker: ProgressTracker,
  code: number,
  stderr: string,
): AppError {
  const [first] = tracker.snapshot.errors;
  const what = `terraform ${options.args[0]} failed (exit ${code})`;
  if (first) {
    const where = first.address ? ` at ${first.address}` : '';
    return new AppError(
      'TERRAFORM_FAILED',
      `${what}${where}: ${first.message}`,
      first.advice ??
        'Fix the cause above and run the same command again: Terraform resumes where it stopped.',
    );
  }
  const said = stderrDiagnostic(stderr);
  if (said) {
    return new AppError(
      'TERRAFORM_FAILED',
      `${what}: ${said.summary}${said.detail ? `: ${said.detail}` : ''}`,
      adviceForDiagnostic(said) ??
        'Fix the cause above and run the same command again; if it keeps failing, run terraform by hand in the working folder shown above.',
    );
  }
  const tail = stderr.trim().split('\n').slice(-3).join(' ');
  return new AppError(
    'TERRAFORM_FAILED',
    `${what}${tail ? `: ${tail}` : ''}`,
    'Run the same command again; if it keeps failing, run terraform by hand in the working folder shown above.',
  );
}

/**
 * The first error Terraform printed as text (init runs without -json): its "Error: summary" line and the detail under
 * it, without colours and box lines, up to the "To see…" hints Terraform adds — which were all the message kept
 * before (the last 3 lines of stderr: "…run the following command: terraform providers").
 *   stderrDiagnostic('╷\n│ Error: Failed to query available provider packages\n│ \n│ Could not retrieve …\n╵')
 *     → { severity: 'error', summary: 'Failed to query available provider packages', detail: 'Could not retrieve …' }
 */
export function stderrDiagnostic(stderr: string): Diagnostic | null {
  const lines = stripVTControlCharacters(stderr).split('\n');
  const start = lines.findIndex((line) => /^[│\s]*Error: /.test(line));
  if (start < 0) return null;
  const text = (line: string) => line.replace(/^[│╷╵\s]+/, '').trim();
  const summary = text(lines[start]!).replace(/^Error: /, '');
  const detail: string[] = [];
  for (const line of lines.slice(start + 1)) {
    if (/^\s*╵/.test(line) || /^[│\s]*To see /.test(line)) break;
    if (text(line)) detail.push(text(line));
  }
  return { severity: 'error', summary, ...(detail.length > 0 ? { detail: detail.join(' ') } : {}) };
}
