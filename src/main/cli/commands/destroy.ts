/**
 * `gpuz-cloud destroy`: empties both versioned buckets (every version and delete marker), then removes the
 * whole stack.
 *
 *   gpuz-cloud destroy --profile home --env dev
 *   → "Plan: 0 to add, 0 to change, 19 to destroy", "Delete everything, including all uploaded data? [y/N]",
 *     "emptied gpuz-cloud-dev-raw-…: 5231 object versions", progress bar, "destroyed"
 * When the saved agent settings used the destroyed buckets they go back to the local folder (the default), so the
 * agent keeps working instead of failing with BUCKET_MISSING; --no-save-settings leaves them alone. The dashboard's
 * cache of those buckets' objects in the state folder is removed (data/cache-folders.ts).
 * Exit code 0 destroyed, 1 failed (run again: it resumes), 3 cancelled.
 */
import type { Command } from 'commander';
import { formatErrorLine } from '../../../shared/errors';
import { stackBuckets } from '../../../shared/stack/names';
import { forgetBuckets } from '../../core/data/cache-folders';
import { emptyStackBuckets } from '../../core/deploy/empty-bucket';
import { describeTarget, pointSettingsAwayFrom } from '../../core/deploy/settings-target';
import { defaultSettings } from '../../core/settings';
import { formatPlan, formatStateSource } from './deploy';
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
    const { engine, clients, account, stateDir } = await setUpDeploy(options, io);
    const { state, imports } = await engine.init((e) => progress.update(e));
    progress.stop();
    io.err.write(formatStateSource(state, imports));
    // Adopted resources are imported by the destroy plan first: read the outputs after it.
    const plan = await engine.plan({ destroy: true });
    const outputs = await engine.outputs().catch(() => null);
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
    await emptyStackBuckets(clients.s3, outputs, ({ bucket, deleted }) =>
      io.err.write(`emptied ${bucket}: ${deleted} object versions and delete markers\n`),
    );
    await engine.apply((e) => progress.update(e));
    progress.stop();
    io.out.write('destroyed\n');
    const buckets = stackBuckets(outputs, {
      project: options.project,
      environment: options.env,
      accountId: account,
    });
    // What this PC kept of the deleted buckets (the dashboard's cache of their objects) goes with them.
    await forgetBuckets(stateDir, buckets, options.endpoint).catch(() => undefined);
    if (options.saveSettings === false) return 0;
    return await restoreLocalTarget(stateDir, buckets, io);
  } catch (error) {
    progress.stop();
    io.err.write(`gpuz-cloud destroy: ${formatErrorLine(error)}\n`);
    return 1;
  }
}

async function restoreLocalTarget(stateDir: string, buckets: string[], io: DeployIo): Promise<number> {
  const { store, path } = await openSettingsFor(stateDir);
  try {
    // The local store a fresh install starts with; the log path is irrelevant to the target.
    const fallback = defaultSettings(stateDir, '').target;
    const change = await pointSettingsAwayFrom({ store, buckets, fallback });
    if (change.changed) {
      io.err.write(
        `settings: ${path} uploaded to ${describeTarget(change.previous.target)}, which is gone; ` +
          `now uses ${describeTarget(change.current.target)} (the default); ${RUNNING_AGENT_NOTE}\n`,
      );
    }
    return 0;
  } catch (error) {
    io.err.write(
      `gpuz-cloud destroy: the stack is destroyed, but ${path} was not updated: ${formatErrorLine(error)} ` +
        '(choose a target in the Settings view, or run `gpuz-cloud agent --local <dir>`)\n',
    );
    return 1;
  }
}
