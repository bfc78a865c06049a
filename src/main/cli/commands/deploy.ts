/**
 * `gpuz-cloud deploy`: plan, confirm, apply the stack into the user's account, then point the agent at it.
 *
 *   gpuz-cloud deploy --profile home --region eu-central-1 --env dev
 *   → "Plan: 19 to add, 0 to change, 0 to destroy" + the resource list, "Deploy? [y/N]", a progress bar,
 *     then { "target": "s3", "rawBucket": "gpuz-cloud-dev-raw-…", "processedBucket": "…", "region": "eu-central-1" }
 *     and "settings: …/settings.json now uploads to s3://gpuz-cloud-dev-raw-… (eu-central-1, profile home), was …"
 * The settings file is the one `gpuz-cloud agent` and the tray app read (same --state-dir); --no-save-settings
 * leaves it alone. Exit code 0 deployed (or nothing to change), 1 failed (also when the stack is up but the settings
 * file could not be written: run again, nothing changes in AWS), 3 cancelled at the prompt.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Command } from 'commander';
import { formatErrorLine } from '../../../shared/errors';
import type { PlanSummary } from '../../core/deploy/engine';
import { type StackOutputs, toAgentSettings } from '../../core/deploy/outputs';
import { describeTarget, pointSettingsAtStack, type SettingsChange } from '../../core/deploy/settings-target';
import {
  addDeployOptions,
  confirmOrStop,
  createProgressDisplay,
  type DeployCommandOptions,
  type DeployIo,
  openSettingsFor,
  RUNNING_AGENT_NOTE,
  setUpDeploy,
} from './deploy-shared';

export function registerDeploy(program: Command): void {
  addDeployOptions(
    program
      .command('deploy')
      .description('Create or update the buckets, Lambda and alarm in your AWS account'),
  ).action(async (options: DeployCommandOptions) => {
    process.exitCode = await runDeploy(options);
  });
}

export async function runDeploy(
  options: DeployCommandOptions,
  io: DeployIo = { out: process.stdout, err: process.stderr },
): Promise<number> {
  const progress = createProgressDisplay(io);
  try {
    const { engine, stateDir } = await setUpDeploy(options, io);
    io.err.write(`working folder: ${await engine.workingDir()}\n`);
    const { state, imports } = await engine.init((e) => progress.update(e));
    progress.stop();
    io.err.write(formatStateSource(state, imports));
    const plan = await engine.plan({ onProgress: (e) => progress.update(e) });
    progress.stop();
    io.err.write(formatPlan(plan));
    if (planTotal(plan) > 0) {
      if (!(await confirmOrStop(options, io, 'Deploy these changes?'))) {
        io.err.write('Cancelled; nothing was changed.\n');
        return 3;
      }
      const applied = await engine.apply((e) => progress.update(e));
      progress.stop();
      writeStateCopy(io, applied);
    } else {
      // Nothing to apply: still make sure the account holds a copy of this state (an older deploy may have none).
      writeStateCopy(io, await engine.copyState());
    }
    const outputs = await engine.outputs();
    io.out.write(`${JSON.stringify(toAgentSettings(outputs), null, 2)}\n`);
    return options.saveSettings === false ? 0 : await saveAgentTarget(stateDir, outputs, options, io);
  } catch (error) {
    progress.stop();
    io.err.write(`gpuz-cloud deploy: ${formatErrorLine(error)}\n`);
    return 1;
  }
}

function writeStateCopy(io: DeployIo, copied: { stateCopy?: string; warnings: string[] }): void {
  if (copied.stateCopy) io.err.write(`state copied to ${copied.stateCopy}\n`);
  for (const warning of copied.warnings) io.err.write(`warning: ${warning}\n`);
}

async function saveAgentTarget(
  stateDir: string,
  outputs: StackOutputs,
  options: DeployCommandOptions,
  io: DeployIo,
): Promise<number> {
  const { store, path } = await openSettingsFor(stateDir);
  try {
    const access = { profile: options.profile, endpoint: options.endpoint };
    io.err.write(formatSettingsChange(path, await pointSettingsAtStack({ store, outputs, access })));
    return 0;
  } catch (error) {
    io.err.write(
      `gpuz-cloud deploy: the stack is deployed, but ${path} was not updated: ${formatErrorLine(error)} ` +
        '(then run deploy again: nothing changes in AWS; or pass --no-save-settings)\n',
    );
    return 1;
  }
}

/** "settings: /s/settings.json now uploads to s3://raw (eu-central-1), was the local folder /s/store; a running … switches to it by itself" */
export function formatSettingsChange(path: string, change: SettingsChange): string {
  const { previous, current } = change;
  if (!change.changed) return `settings: ${path} already uploads to ${describeTarget(current.target)}\n`;
  const schedule =
    current.schedule.kind === 'interval' && !isDeepStrictEqual(previous.schedule, current.schedule)
      ? ` every ${current.schedule.minutes} min (the stack's upload_batch_interval)`
      : '';
  return (
    `settings: ${path} now uploads to ${describeTarget(current.target)}${schedule}, ` +
    `was ${describeTarget(previous.target)}; ${RUNNING_AGENT_NOTE}\n`
  );
}

/** Everything an apply would do, imports included (an import-only plan still has to be applied). */
export function planTotal(plan: Pick<PlanSummary, 'counts'>): number {
  const { add, change, remove } = plan.counts;
  return add + change + remove + (plan.counts.import ?? 0);
}

/** "Plan: 3 to add, 1 to change, 0 to destroy." and one line per resource: "  + aws_s3_bucket.raw". */
export function formatPlan(plan: PlanSummary, notes: readonly string[] = []): string {
  const sign: Record<string, string> = {
    create: '+',
    update: '~',
    replace: '-/+',
    delete: '-',
    import: '<=',
  };
  const { add, change, remove, import: imported } = plan.counts;
  const lines = [
    `Plan: ${add} to add, ${change} to change, ${remove} to destroy${imported ? `, ${imported} to import` : ''}.`,
  ];
  for (const c of plan.changes) lines.push(`  ${sign[c.action] ?? c.action} ${c.address}`);
  for (const d of plan.drift) lines.push(`  (changed outside Terraform: ${d.address})`);
  for (const note of [...notes, ...plan.warnings]) lines.push(`note: ${note}`);
  if (planTotal(plan) === 0) lines.push('Nothing to change: the stack is up to date.');
  return `${lines.join('\n')}\n`;
}

/** Where the state came from, when it did not simply come from this PC. */
export function formatStateSource(state: 'local' | 'restored' | 'none', imports: number): string {
  if (state === 'restored')
    return 'state: restored from the copy in your account (this PC had none, or an older one)\n';
  if (imports > 0) {
    return `state: none here or in your account; ${imports} existing resources will be adopted (imported), not created again\n`;
  }
  return '';
}
