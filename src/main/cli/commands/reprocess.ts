/**
 * `gpuz-cloud reprocess`: runs every event that failed all Lambda attempts (recorded in the stack's failed bucket by
 * the on-failure destination) through the deployed function again; a success removes its record.
 *
 *   gpuz-cloud reprocess --profile home --region eu-central-1 --env dev
 *   → "reprocessed aws/lambda/async/gpuz-cloud-dev-processor/2026/12/02/…" per record, then
 *     "2 reprocessed, 0 still failing" (exit 0), or the function's error per record that failed again (exit 1)
 */
import type { Command } from 'commander';
import { formatErrorLine } from '../../../shared/errors';
import { stackNames } from '../../../shared/stack/names';
import { lambdaInvoker, reprocessFailed } from '../../core/cloud-health/reprocess';
import { checkCredentials } from '../../core/deploy/credentials';
import { addStackOptions, type StackOptions, stackClients } from '../stack-options';

export type ReprocessCommandOptions = StackOptions;

export function registerReprocess(program: Command): void {
  addStackOptions(
    program
      .command('reprocess')
      .description('Run the batches that failed every Lambda attempt through the function again'),
  ).action(async (options: ReprocessCommandOptions) => {
    process.exitCode = await runReprocess(options);
  });
}

export async function runReprocess(
  options: ReprocessCommandOptions,
  io: { out: { write(text: string): unknown } } = { out: process.stdout },
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  try {
    const clients = stackClients(options, env);
    const { account } = await checkCredentials({ sts: clients.sts, profile: options.profile });
    const names = stackNames({ project: options.project, environment: options.env, accountId: account });
    const result = await reprocessFailed({
      s3: clients.s3,
      failedBucket: names.failedBucket,
      functionName: names.functionName,
      invoke: lambdaInvoker(clients.lambda, names.functionName),
      onRecord: (key, outcome, error) =>
        io.out.write(outcome === 'reprocessed' ? `reprocessed ${key}\n` : `still failing ${key}: ${error}\n`),
    });
    io.out.write(`${result.reprocessed} reprocessed, ${result.stillFailing.length} still failing\n`);
    if (result.stillFailing.length > 0) {
      io.out.write(
        'The records stay in the failed bucket. Run `gpuz-cloud doctor` for the function’s last log lines, fix the cause, and run reprocess again.\n',
      );
    }
    return result.stillFailing.length > 0 ? 1 : 0;
  } catch (error) {
    io.out.write(`gpuz-cloud reprocess: ${formatErrorLine(error)}\n`);
    return 1;
  }
}
