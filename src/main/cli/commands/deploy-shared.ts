import { join } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { SingleBar } from 'cli-progress';
import { type Command, InvalidArgumentError } from 'commander';
import type { DeployInput } from '../../../shared/contract';
import { AppError } from '../../../shared/errors';
import { hostOfProcess, localDataDirOf, openSettingsStore, stateDirOf } from '../../core/app/compose';
import type { DeployEngine } from '../../core/deploy/engine';
import { downloadTerraform, prepareDeploy } from '../../core/deploy/prepare';
import type { ProgressEvent } from '../../core/deploy/progress';
import { terraformRelease } from '../../core/deploy/terraform-release';
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
  alarmEmail?: string;
  rawExpiryDays?: number;
  arch?: 'arm64' | 'x86_64';
  concurrency?: number | 'auto';
  /** Download the pinned Terraform when none is found (a terminal is asked instead when this is absent). */
  installTerraform?: boolean;
  /** --analytics-copy / --no-analytics-copy; absent keeps the deployed setting. */
  analyticsCopy?: boolean;
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
    .option(
      '--alarm-email <address>',
      'e-mail the error alarm to this address (confirm the e-mail AWS sends); "none" stops it; default: keep',
    )
    .option(
      '--raw-expiry-days <days>',
      'delete raw batches after this many days (processed copies stay); 0 keeps them; default: keep',
      parseWholeNumber,
    )
    .option('--arch <arch>', 'Lambda architecture: arm64 (cheaper) or x86_64; default: keep (arm64 at first)')
    .option(
      '--concurrency <n>',
      'reserved concurrency: a number, -1 for none, or auto (what the account allows, up to 2)',
      parseConcurrency,
    )
    .option(
      '--analytics-copy',
      'write a daily Parquet copy of the rows under analytics/ in the processed bucket (docs/analytics.md); default: keep (off at first)',
    )
    .option('--no-analytics-copy', 'stop the daily Parquet copy (its objects stay)')
    .option(
      '--install-terraform',
      'when no terraform or tofu is found, download the pinned Terraform (SHA-256 checked) into the local app folder',
    )
    .option('--no-save-settings', 'do not point the agent settings (settings.json) at the stack');
}

function parseWholeNumber(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('Give a whole number.');
  return n;
}

function parseConcurrency(value: string): number | 'auto' {
  return value === 'auto' ? 'auto' : parseWholeNumber(value);
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
  const host = hostOfProcess();
  const stateDir = stateDirOf(host, options.stateDir);
  const localDataDir = localDataDirOf(host);
  const prepare = (input: DeployInput) =>
    prepareDeploy(
      {
        stateDir,
        localDataDir,
        stackJsonPath: options.stack,
        lambdaZipPath: options.lambdaZip,
        env: process.env,
        ...(options.terraform ? { terraformPath: options.terraform } : {}),
      },
      input,
    );
  const { engine, clients, check } = await withTerraform(options, io, localDataDir, () =>
    prepare({
      profile: options.profile,
      region: options.region,
      environment: options.env,
      project: options.project,
      endpoint: options.endpoint,
      kafkaEndpoint: options.kafkaEndpoint,
      kafkaTopic: options.kafkaTopic,
      kafkaSaslSecretArn: options.kafkaSaslSecret,
      ...(options.alarmEmail !== undefined ? { alarmEmail: options.alarmEmail } : {}),
      ...(options.rawExpiryDays !== undefined ? { rawExpiryDays: options.rawExpiryDays } : {}),
      ...(options.arch !== undefined ? { architecture: options.arch } : {}),
      ...(options.concurrency !== undefined ? { concurrency: options.concurrency } : {}),
      ...(options.analyticsCopy !== undefined ? { analyticsCopy: options.analyticsCopy } : {}),
    }),
  );
  io.err.write(
    `${check.terraform} · account ${check.account} (${check.arn}) · ${check.region} · env ${options.env}\n`,
  );
  for (const note of check.notes ?? []) io.err.write(`note: ${note}\n`);
  return { engine, clients, account: check.account, region: check.region, stateDir };
}

/**
 * Runs `prepare`; when it finds no terraform or tofu, offers the pinned download (`--install-terraform`, or a yes at
 * the terminal), shows its progress and runs `prepare` again, which then finds the downloaded copy.
 */
async function withTerraform<T>(
  options: DeployCommandOptions,
  io: DeployIo,
  localDataDir: string,
  prepare: () => Promise<T>,
): Promise<T> {
  try {
    return await prepare();
  } catch (error) {
    if (!(error instanceof AppError) || error.code !== 'TERRAFORM_MISSING') throw error;
    const release = terraformRelease(
      process.platform,
      process.arch,
      process.env.GPUZ_TERRAFORM_RELEASES_URL || undefined,
    );
    const ask = io.confirm ?? (io.err.isTTY ? askOnTerminal : undefined);
    const question = release
      ? `No terraform or tofu found. Download Terraform ${release.version} (${release.platform}) from ${new URL(release.url).host}, checked against its pinned SHA-256, into ${localDataDir}?`
      : '';
    const wanted = release && (options.installTerraform || (ask ? await ask(question) : false));
    if (!wanted) {
      throw new AppError(
        error.code,
        error.message,
        `${error.advice ?? ''} Or run again with --install-terraform.`,
      );
    }
    const progress = createProgressDisplay(io);
    const installed = await downloadTerraform({
      localDataDir,
      releasesUrl: process.env.GPUZ_TERRAFORM_RELEASES_URL,
      onProgress: (p) => progress.update({ ...p, phase: 'download', errors: [] }),
    });
    progress.stop();
    io.err.write(`terraform ${installed.version} installed at ${installed.path}\n`);
    return prepare();
  }
}

/** `{stateDir}/settings.json` through the same module and defaults as `gpuz-cloud agent`. */
export async function openSettingsFor(stateDir: string) {
  const store = await openSettingsStore(stateDir, hostOfProcess());
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
