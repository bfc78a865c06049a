/**
 * The flags of commands that look at a deployed stack (doctor, reprocess), and the AWS clients they open:
 *   addStackOptions(program.command('doctor'))   → --profile --region --endpoint --env (dev) --project (gpuz-cloud)
 *   stackClients({ profile: 'home', env: 'dev', project: 'gpuz-cloud' }, process.env) → the SDK clients, in AWS_REGION
 */
import type { Command } from 'commander';
import { DEFAULT_PROJECT } from '../../shared/stack/names';
import { createAwsClients, resolveRegion } from '../core/deploy/aws-clients';
import type { DoctorClients } from '../core/doctor/types';

export interface StackOptions {
  profile?: string;
  region?: string;
  endpoint?: string;
  env: string;
  project: string;
}

export function addStackOptions(command: Command): Command {
  return command
    .option('--profile <profile>', 'AWS credentials profile')
    .option('--region <region>', 'AWS region (default: AWS_REGION or us-east-1)')
    .option('--endpoint <url>', 'AWS API emulator (moto, LocalStack)')
    .option('--env <name>', 'environment name', 'dev')
    .option('--project <name>', 'project name', DEFAULT_PROJECT);
}

export function stackClients(options: StackOptions, env: Record<string, string | undefined>): DoctorClients {
  return createAwsClients({
    profile: options.profile,
    region: resolveRegion(options.region, env),
    endpoint: options.endpoint,
  });
}
