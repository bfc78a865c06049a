/**
 * `gpuz-cloud deploy`: plan, confirm, apply the stack into the user's account, then print the agent settings.
 *
 *   gpuz-cloud deploy --profile home --region eu-central-1 --env dev
 *   → "Plan: 18 to add, 0 to change, 0 to destroy" + the resource list, "Deploy? [y/N]", a progress bar,
 *     then { "target": "s3", "rawBucket": "gpuz-cloud-dev-raw-…", "processedBucket": "…", "region": "eu-central-1" }
 * Exit code 0 deployed (or nothing to change), 1 failed, 3 cancelled at the prompt.
 */
import type { Command } from 'commander';
import { formatErrorLine } from '../../../shared/errors';
import type { PlanSummary } from '../../core/deploy/engine';
import { toAgentSettings } from '../../core/deploy/outputs';
import {
  addDeployOptions,
  confirmOrStop,
  createProgressDisplay,
  type DeployCommandOptions,
  type DeployIo,
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
    const { engine } = await setUpDeploy(options, io);
    io.err.write(`working folder: ${await engine.workingDir()}\n`);
    await engine.init((e) => progress.update(e));
    progress.stop();
    const plan = await engine.plan({ onProgress: (e) => progress.update(e) });
    progress.stop();
    io.err.write(formatPlan(plan));
    const total = plan.counts.add + plan.counts.change + plan.counts.remove;
    if (total > 0) {
      if (!(await confirmOrStop(options, io, 'Deploy these changes?'))) {
        io.err.write('Cancelled; nothing was changed.\n');
        return 3;
      }
      await engine.apply((e) => progress.update(e));
      progress.stop();
    }
    const outputs = await engine.outputs();
    io.out.write(`${JSON.stringify(toAgentSettings(outputs), null, 2)}\n`);
    return 0;
  } catch (error) {
    progress.stop();
    io.err.write(`gpuz-cloud deploy: ${formatErrorLine(error)}\n`);
    return 1;
  }
}

/** "Plan: 3 to add, 1 to change, 0 to destroy." and one line per resource: "  + aws_s3_bucket.raw". */
export function formatPlan(plan: PlanSummary): string {
  const sign: Record<string, string> = { create: '+', update: '~', replace: '-/+', delete: '-' };
  const { add, change, remove } = plan.counts;
  const lines = [`Plan: ${add} to add, ${change} to change, ${remove} to destroy.`];
  for (const c of plan.changes) lines.push(`  ${sign[c.action] ?? c.action} ${c.address}`);
  for (const d of plan.drift) lines.push(`  (changed outside Terraform: ${d.address})`);
  if (add + change + remove === 0) lines.push('Nothing to change: the stack is up to date.');
  return `${lines.join('\n')}\n`;
}
