/**
 * `gpuz-cloud destroy`: empties both versioned buckets (every version and delete marker), then removes the
 * whole stack.
 *
 *   gpuz-cloud destroy --profile home --env dev
 *   → "Plan: 0 to add, 0 to change, 18 to destroy", "Delete everything, including all uploaded data? [y/N]",
 *     "emptied gpuz-cloud-dev-raw-…: 5231 object versions", progress bar, "destroyed"
 * Exit code 0 destroyed, 1 failed (run again: it resumes), 3 cancelled.
 */
import type { Command } from 'commander';
import { formatErrorLine } from '../../../shared/errors';
import { emptyBucket } from '../../core/deploy/empty-bucket';
import { formatPlan } from './deploy';
import {
  addDeployOptions,
  confirmOrStop,
  createProgressDisplay,
  type DeployCommandOptions,
  type DeployIo,
  setUpDeploy,
} from './deploy-shared';

export function registerDestroy(program: Command): void {
  addDeployOptions(
    program
      .command('destroy')
      .description('Delete the buckets (and all their data), the Lambda and the alarm'),
  ).action(async (options: DeployCommandOptions) => {
    process.exitCode = await runDestroy(options);
  });
}

export async function runDestroy(
  options: DeployCommandOptions,
  io: DeployIo = { out: process.stdout, err: process.stderr },
): Promise<number> {
  const progress = createProgressDisplay(io);
  try {
    const { engine, clients } = await setUpDeploy(options, io);
    await engine.init((e) => progress.update(e));
    progress.stop();
    const outputs = await engine.outputs().catch(() => null);
    const plan = await engine.plan({ destroy: true });
    io.err.write(formatPlan(plan));
    if (plan.counts.remove === 0) {
      io.out.write('Nothing deployed for this account and environment.\n');
      return 0;
    }
    if (!(await confirmOrStop(options, io, 'Delete everything, including all uploaded data?'))) {
      io.err.write('Cancelled; nothing was deleted.\n');
      return 3;
    }
    // Terraform cannot delete a bucket that still holds object versions.
    for (const bucket of outputs ? [outputs.rawBucket, outputs.processedBucket] : []) {
      const { deleted } = await emptyBucket({ s3: clients.s3, bucket });
      io.err.write(`emptied ${bucket}: ${deleted} object versions and delete markers\n`);
    }
    await engine.apply((e) => progress.update(e));
    progress.stop();
    io.out.write('destroyed\n');
    return 0;
  } catch (error) {
    progress.stop();
    io.err.write(`gpuz-cloud destroy: ${formatErrorLine(error)}\n`);
    return 1;
  }
}
