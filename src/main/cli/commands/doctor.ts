/**
 * `gpuz-cloud doctor`: the troubleshooting list, automated.
 *
 *   gpuz-cloud doctor --profile home --region eu-central-1 --env dev
 *   → a table: ✔ AWS credentials  account 1234… / ✖ S3 → Lambda notification  … → advice, then the last log lines
 * The function's code is compared with the processor bundle (--lambda-zip, dist/lambda/gpu-processor.zip by default)
 * when that file is there: a function left on an earlier deploy's code is a warning with the deploy to run.
 * Exit code 0 when nothing failed (warnings allowed), 1 when a check failed.
 */
import type { Command } from 'commander';
import { formatErrorLine } from '../../../shared/errors';
import { readBundleHash } from '../../core/deploy/processor-code';
import { runDoctor } from '../../core/doctor/run-doctor';
import type { CheckResult } from '../../core/doctor/types';
import { nodeVersionCheck } from '../../core/node-support';
import { addStackOptions, type StackOptions, stackClients } from '../stack-options';

export type DoctorCommandOptions = StackOptions & {
  /** The processor bundle this install deploys: the function's code is compared with it when it is there. */
  lambdaZip?: string;
};

export function registerDoctor(program: Command): void {
  addStackOptions(
    program
      .command('doctor')
      .description('Check the deployed buckets, notification, Lambda, its permissions, errors and logs')
      .option(
        '--lambda-zip <file>',
        'processor bundle the function should run',
        'dist/lambda/gpu-processor.zip',
      ),
  ).action(async (options: DoctorCommandOptions) => {
    process.exitCode = await runDoctorCommand(options);
  });
}

export async function runDoctorCommand(
  options: DoctorCommandOptions,
  io: { out: { write(text: string): unknown } } = { out: process.stdout },
  env: Record<string, string | undefined> = process.env,
): Promise<number> {
  try {
    const clients = stackClients(options, env);
    const bundleHash = options.lambdaZip ? await readBundleHash(options.lambdaZip) : null;
    const results = await runDoctor({
      clients,
      project: options.project,
      environment: options.env,
      profile: options.profile,
      bundleHash,
      now: new Date(),
    });
    io.out.write(formatDoctorTable([nodeVersionCheck(), ...results]));
    if (options.lambdaZip && bundleHash === null) {
      io.out.write(
        `note: the function's code was not compared with this install's processor: no bundle at ${options.lambdaZip} (--lambda-zip)\n`,
      );
    }
    return results.some((r) => r.status === 'fail') ? 1 : 0;
  } catch (error) {
    io.out.write(`gpuz-cloud doctor: ${formatErrorLine(error)}\n`);
    return 1;
  }
}

const MARK: Record<CheckResult['status'], string> = {
  pass: '✔ pass',
  warn: '! warn',
  fail: '✖ FAIL',
  skip: '- skip',
};

/** One row per check (status, title, detail), advice indented under it, then the log lines. */
export function formatDoctorTable(results: CheckResult[]): string {
  const width = Math.max(...results.map((r) => r.title.length));
  const lines: string[] = [];
  for (const r of results) {
    lines.push(`${MARK[r.status]}  ${r.title.padEnd(width)}  ${r.detail}`);
    if (r.advice && r.status !== 'pass') lines.push(`${' '.repeat(8 + width)}→ ${r.advice}`);
    for (const line of r.lines ?? []) lines.push(`${' '.repeat(8 + width)}│ ${line}`);
  }
  const failed = results.filter((r) => r.status === 'fail').length;
  const warned = results.filter((r) => r.status === 'warn').length;
  lines.push(
    '',
    failed ? `${failed} check(s) failed, ${warned} warning(s).` : `All checks passed (${warned} warning(s)).`,
  );
  return `${lines.join('\n')}\n`;
}
