/**
 * What `deploy` and `destroy` share: options, the setup (binary, credentials, engine), the progress display
 * and the confirmation prompt.
 */
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { SingleBar } from 'cli-progress';
import type { Command } from 'commander';
import { AppError } from '../../../shared/errors';
import type { DeployEngine } from '../../core/deploy/engine';
import { prepareDeploy } from '../../core/deploy/prepare';
import type { ProgressEvent } from '../../core/deploy/progress';
import type { DoctorClients } from '../../core/doctor/types';
import { SETTINGS_FILE } from '../../core/settings';

export interface DeployCommandOptions {
  profile?: string;
  region?: string;
  /** AWS API emulator for the SDK calls (credentials check, bucket emptying); the stack's own endpoints are set at synth. */
  endpoint?: string;
  env: string;
  project?: string;
  yes?: boolean;
  terraform?: string;
  stack: string;
  lambdaZip: string;
  stateDir?: string;
  kafkaEndpoint?: string;
  kafkaTopic?: string;
  kafkaSaslSecret?: string;
  /** false with --no-save-settings: leave `{stateDir}/settings.json` as it is. */
  saveSettings?: boolean;
}

export interface DeployIo {
  out: { write(text: string): unknown };
  err: NodeJS.WritableStream & { isTTY?: boolean };
  /** Asks a yes/no question; undefined when there is no terminal to ask on. */
  confirm?: (question: string) => Promise<boolean>;
}

export function addDeployOptions(command: Command): Command {
  return command
    .option('--profile <profile>', 'AWS credentials profile (SSO or keys)')
    .option('--region <region>', 'AWS region (default: AWS_REGION or us-east-1)')
    .option('--endpoint <url>', 'AWS API emulator (moto, LocalStack) for the SDK calls')
    .option('--env <name>', 'environment name, part of every resource name', 'dev')
    .option('--project <name>', 'project name, the first part of every resource name')
    .option('--yes', 'do not ask for confirmation')
    .option('--terraform <path>', 'terraform or tofu binary (default: GPUZ_TERRAFORM, then PATH)')
    .option('--stack <file>', 'synthesized stack', 'cdktf.out/stacks/gpuz-cloud/cdk.tf.json')
    .option('--lambda-zip <file>', 'processor bundle', 'dist/lambda/gpu-processor.zip')
    .option(
      '--state-dir <dir>',
      'state folder shared with `gpuz-cloud agent` and the tray app: settings.json, the Terraform working folder',
    )
    .option(
      '--kafka-endpoint <brokers>',
      'comma-separated Kafka brokers (host:port) the Lambda also produces to',
    )
    .option('--kafka-topic <topic>', 'Kafka topic for the rows (with --kafka-endpoint)')
    .option(
      '--kafka-sasl-secret <arn>',
      'Secrets Manager secret with {"username","password","mechanism"} for brokers that need SASL',
    )
    .option('--no-save-settings', 'do not point the agent settings (settings.json) at the stack');
}

export async function setUpDeploy(
  options: DeployCommandOptions,
  io: DeployIo,
): Promise<{
  engine: DeployEngine;
  clients: DoctorClients;
  account: string;
  region: string;
  stateDir: string;
}> {
  const stateDir = resolve(options.stateDir ?? (await import('./agent')).defaultStateDir());
  const { engine, clients, check } = await prepareDeploy(
    {
      stateDir,
      stackJsonPath: options.stack,
      lambdaZipPath: options.lambdaZip,
      env: process.env,
      ...(options.terraform ? { terraformPath: options.terraform } : {}),
    },
    {
      profile: options.profile,
      region: options.region,
      environment: options.env,
      project: options.project,
      endpoint: options.endpoint,
      kafkaEndpoint: options.kafkaEndpoint,
      kafkaTopic: options.kafkaTopic,
      kafkaSaslSecretArn: options.kafkaSaslSecret,
    },
  );
  io.err.write(
    `${check.terraform} · account ${check.account} (${check.arn}) · ${check.region} · env ${options.env}\n`,
  );
  return { engine, clients, account: check.account, region: check.region, stateDir };
}

/** `{stateDir}/settings.json` through the same module and defaults as `gpuz-cloud agent`. */
export async function openSettingsFor(stateDir: string) {
  const store = await (await import('./agent')).openAgentSettings(stateDir);
  return { store, path: join(stateDir, SETTINGS_FILE) };
}

/** A running agent or tray app watches its settings.json and restarts on what deploy or destroy wrote. */
export const RUNNING_AGENT_NOTE =
  'a running `gpuz-cloud agent` or tray app on this folder switches to it by itself';

/** A progress bar on a terminal; elsewhere one line per finished resource (logs stay readable). */
export function createProgressDisplay(io: DeployIo) {
  let bar: SingleBar | undefined;
  let lastDone = 0;
  return {
    update(event: ProgressEvent) {
      if (io.err.isTTY) {
        if (!bar) {
          bar = new SingleBar({ format: `${event.phase} [{bar}] {value}/{total} {current}`, stream: io.err });
          bar.start(Math.max(event.total, 1), event.done, { current: event.current });
        }
        bar.setTotal(Math.max(event.total, 1));
        bar.update(event.done, { current: event.current });
      } else if (event.done > lastDone) {
        lastDone = event.done;
        io.err.write(`${event.phase} ${event.done}/${event.total} ${event.current}\n`);
      }
    },
    stop() {
      bar?.stop();
      bar = undefined;
      lastDone = 0;
    },
  };
}

export async function confirmOrStop(
  options: DeployCommandOptions,
  io: DeployIo,
  question: string,
): Promise<boolean> {
  if (options.yes) return true;
  const confirm = io.confirm ?? (io.err.isTTY ? askOnTerminal : undefined);
  if (!confirm) {
    throw new AppError(
      'CONFIRMATION_NEEDED',
      'There is no terminal to confirm on.',
      'Add --yes to go ahead without asking.',
    );
  }
  return confirm(question);
}

async function askOnTerminal(question: string): Promise<boolean> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^y(es)?$/i.test((await rl.question(`${question} [y/N] `)).trim());
  } finally {
    rl.close();
  }
}
